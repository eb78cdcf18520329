"""Lead use cases: add, qualify (creating or linking account and contact), disqualify."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from pipeline.domain.lead import DisqualifyReason, Lead
from pipeline.domain.parties import Account, Contact
from pipeline.domain.process import qualify_lead
from pipeline.services.results import Done, done
from pipeline.store import tables as t
from pipeline.store.uow import UnitOfWork


@dataclass(frozen=True)
class NewLead:
    """Values for a lead typed in by a person (already normalised by the caller)."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    email_key: str = ""
    phone: str = ""
    company: str = ""
    company_key: str = ""
    title: str = ""
    city: str = ""
    country: str = ""
    website: str = ""
    notes: str = ""
    source: str = "manual"

    def values(self) -> dict[str, str]:
        """The fields as a plain dict (shallow: cheaper than ``dataclasses.asdict``)."""
        return dict(vars(self))


def add_lead(uow: UnitOfWork, new: NewLead) -> Done:
    """Create a New lead."""
    with uow:
        lead = Lead(**new.__dict__, created_at=uow.now())
        uow.add(lead)
        uow.flush()
        lead.record_event("created", uow.now(), source=new.source)
        uow.commit()
        return done("lead", lead, f"Lead {lead.ref} created.")


def find_account(uow: UnitOfWork, company_key: str) -> Account | None:
    """An existing account with the same normalised company key."""
    if not company_key:
        return None
    stmt = select(Account).where(t.accounts.c.company_key == company_key).order_by(t.accounts.c.id)
    return uow.session.scalars(stmt).first()


def find_contact(uow: UnitOfWork, email_key: str, phone: str) -> Contact | None:
    """An existing contact with the same email identity (or, lacking email, phone)."""
    if email_key:
        stmt = select(Contact).where(t.contacts.c.email_key == email_key)
    elif phone:
        stmt = select(Contact).where(t.contacts.c.phone == phone)
    else:
        return None
    return uow.session.scalars(stmt.order_by(t.contacts.c.id)).first()


def qualify(uow: UnitOfWork, ref: str, *, currency: str, close_in_days: int = 30) -> Done:
    """Qualify a lead into an opportunity, linking an existing account/contact when found."""
    with uow:
        lead = uow.records.get(Lead, ref)
        account = find_account(uow, lead.company_key)
        contact = find_contact(uow, lead.email_key, lead.phone)
        if contact is not None and contact.account is not None:
            account = account or contact.account
        opp = qualify_lead(
            lead,
            currency=currency,
            account=account,
            contact=contact,
            close_in_days=close_in_days,
            at=uow.now(),
        )
        uow.add(opp)
        uow.commit()
        assert lead.account is not None and lead.contact is not None
        return done(
            "lead",
            lead,
            f"Lead {lead.ref} qualified into {opp.ref}.",
            opportunity=opp.ref,
            account=lead.account.ref,
            contact=lead.contact.ref,
            account_linked="yes" if account is not None else "no",
            contact_linked="yes" if contact is not None else "no",
        )


def disqualify(uow: UnitOfWork, ref: str, reason: DisqualifyReason, note: str = "") -> Done:
    """Close a lead as Disqualified with a reason."""
    with uow:
        lead = uow.records.get(Lead, ref)
        lead.disqualify(reason, note, uow.now())
        uow.commit()
        return done("lead", lead, f"Lead {lead.ref} disqualified ({lead.status}).")
