"""Seller and customer blocks of a document.

The seller is configuration (``SellerInfo``); the customer comes from the opportunity's
account and contact: the company, to the attention of the person.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.domain.opportunity import Opportunity


@dataclass(frozen=True)
class SellerInfo:
    """The company that issues the documents (printed in the header and the bank block)."""

    name: str
    address: str = ""  # one printed line per text line
    tax_id: str = ""
    email: str = ""
    phone: str = ""
    iban: str = ""
    quote_payment_days: int = 30  # the terms a quote promises, counted from the invoice date


@dataclass(frozen=True)
class Party:
    """A seller or customer block."""

    name: str
    address: tuple[str, ...] = ()
    contact: str = ""
    email: str = ""
    phone: str = ""
    tax_id: str = ""
    ref: str = ""


def seller_party(seller: SellerInfo) -> Party:
    """The seller block."""
    lines = tuple(part.strip() for part in seller.address.splitlines() if part.strip())
    return Party(
        name=seller.name,
        address=lines,
        email=seller.email,
        phone=seller.phone,
        tax_id=seller.tax_id,
    )


def customer_party(opportunity: Opportunity) -> Party:
    """The customer block: the account, attention of the contact; a person when no account."""
    account, contact = opportunity.account, opportunity.contact
    person = contact.full_name if contact is not None else ""
    name = account.name if account is not None else (person or opportunity.name)
    address = tuple(p for p in (account.city, account.country) if p) if account is not None else ()
    return Party(
        name=name,
        address=address,
        contact=person if person != name else "",
        email=contact.email if contact is not None else "",
        phone=contact.phone if contact is not None else "",
        ref=account.ref if account is not None else "",
    )
