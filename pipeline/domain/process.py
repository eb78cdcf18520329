"""Cross-record steps of the sales process: qualify, quote, accept, invoice.

Each function takes the records involved, applies the guarded methods on every one of them and
returns what was created. Numbers (``seq``, ``year``) are handed in by the caller, which draws
them from the gapless sequence in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pipeline.domain.errors import IllegalTransition, InvalidValue
from pipeline.domain.events import utcnow
from pipeline.domain.invoice import Invoice, InvoiceLine
from pipeline.domain.lead import Lead
from pipeline.domain.opportunity import Opportunity
from pipeline.domain.order import Order, OrderLine
from pipeline.domain.parties import Account, Contact
from pipeline.domain.quote import Quote, QuoteLine
from pipeline.domain.status import OpportunityState, OrderState


def qualify_lead(
    lead: Lead,
    *,
    currency: str,
    account: Account | None = None,
    contact: Contact | None = None,
    close_in_days: int = 30,
    at: datetime | None = None,
) -> Opportunity:
    """Qualify ``lead``: link or create its account and contact, create the opportunity."""
    when = at or utcnow()
    if not lead.can("qualify"):
        raise IllegalTransition("lead", lead.ref, "qualify", str(lead.state), str(lead.status))
    if account is None:
        account = Account(
            name=lead.company or lead.display_name,
            company_key=lead.company_key,
            website=lead.website,
            city=lead.city,
            country=lead.country,
            origin_lead_id=lead.id,
            created_at=when,
        )
        account.record_event("created", when, from_lead=lead.ref)
    if contact is None:
        contact = Contact(
            first_name=lead.first_name,
            last_name=lead.last_name,
            email=lead.email,
            email_key=lead.email_key,
            phone=lead.phone,
            title=lead.title,
            account=account,
            origin_lead_id=lead.id,
            created_at=when,
        )
        contact.record_event("created", when, from_lead=lead.ref)
    elif contact.account is None:
        contact.account = account
    name = f"{lead.company or lead.display_name} — {lead.display_name}"
    opportunity = Opportunity(
        name=name,
        currency=currency,
        account=account,
        contact=contact,
        lead=lead,
        estimated_close_date=when.date() + timedelta(days=close_in_days),
        created_at=when,
    )
    opportunity.record_event("created", when, from_lead=lead.ref)
    lead.qualify(opportunity, account, contact, when)
    return opportunity


def create_quote(
    opportunity: Opportunity, *, seq: int, year: int, at: datetime | None = None
) -> Quote:
    """A Draft quote for an open opportunity, with its product lines copied."""
    if opportunity.state is not OpportunityState.OPEN:
        raise IllegalTransition(
            "opportunity", opportunity.ref, "quote", str(opportunity.state), str(opportunity.status)
        )
    quote = Quote(
        seq=seq,
        year=year,
        opportunity=opportunity,
        currency=opportunity.currency,
        lines=[line.copy_as(QuoteLine) for line in opportunity.lines],
        created_at=at or utcnow(),
    )
    quote.total = quote.totals().total
    quote.record_event("created", at, opportunity=opportunity.ref)
    return quote


def accept_quote(quote: Quote, *, seq: int, year: int, at: datetime | None = None) -> Order:
    """The customer accepted: order created, quote Won, opportunity Won."""
    when = at or utcnow()
    order = Order(
        seq=seq,
        year=year,
        quote=quote,
        opportunity=quote.opportunity,
        currency=quote.currency,
        lines=[line.copy_as(OrderLine) for line in quote.lines],
        discount_kind=quote.discount_kind,
        discount_value=quote.discount_value,
        created_at=when,
    )
    quote.win(when, order=order.number)
    if quote.opportunity.state is OpportunityState.OPEN:
        quote.opportunity.win(when, quote=quote.number)
    order.total = order.totals().total
    order.record_event("created", when, quote=quote.number)
    return order


def issue_invoice(
    order: Order, *, seq: int, year: int, payment_days: int = 30, at: datetime | None = None
) -> Invoice:
    """Invoice a fulfilled order; the order moves to Invoiced."""
    when = at or utcnow()
    if order.state is not OrderState.FULFILLED:
        raise IllegalTransition("order", order.ref, "invoice", str(order.state), str(order.status))
    if payment_days < 0:
        raise InvalidValue("Payment terms cannot be negative.")
    issued: date = when.date()
    invoice = Invoice(
        seq=seq,
        year=year,
        order=order,
        currency=order.currency,
        issued_on=issued,
        due_on=issued + timedelta(days=payment_days),
        lines=[line.copy_as(InvoiceLine) for line in order.lines],
        discount_kind=order.discount_kind,
        discount_value=order.discount_value,
        created_at=when,
    )
    invoice.total = invoice.totals().total
    order.mark_invoiced(invoice.number, when)
    invoice.record_event("created", when, order=order.number)
    return invoice
