"""Read side for people: show one record, its history, and lists."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from pipeline.domain.invoice import Invoice
from pipeline.domain.lead import Lead
from pipeline.domain.lines import Line
from pipeline.domain.opportunity import Opportunity
from pipeline.domain.order import Order
from pipeline.domain.parties import Account, Contact
from pipeline.domain.quote import Quote
from pipeline.store.mapping import RECORD_TYPES
from pipeline.store.tables import events
from pipeline.store.uow import UnitOfWork

LISTABLE: dict[str, type] = {
    "leads": Lead,
    "opportunities": Opportunity,
    "quotes": Quote,
    "orders": Order,
    "invoices": Invoice,
    "accounts": Account,
    "contacts": Contact,
}


def _line(line: Line, currency: str) -> dict[str, Any]:
    return {
        "line": line.line_no,
        "sku": line.sku,
        "description": line.description,
        "quantity": str(line.quantity),
        "unit_price": str(line.unit_price),
        "discount": line.discount.label(),
        "tax_rate": str(line.tax_rate),
        "net": str(line.net(currency)),
    }


def describe(record: Any) -> dict[str, Any]:
    """A flat, JSON-ready description of a record."""
    out: dict[str, Any] = {"kind": RECORD_TYPES[type(record)], "ref": record.ref, "id": record.id}
    if hasattr(record, "state"):
        out.update(state=str(record.state), status=str(record.status))
    if isinstance(record, Lead):
        out.update(
            name=record.full_name,
            email=record.email,
            phone=record.phone,
            company=record.company,
            title=record.title,
            source=record.source,
            score=record.score,
            rating=record.rating,
            opportunity=record.opportunity.ref if record.opportunity else None,
        )
    elif isinstance(record, Opportunity):
        out.update(
            name=record.name,
            currency=record.currency,
            estimated_revenue=str(record.estimated_revenue),
            estimated_close_date=str(record.estimated_close_date or ""),
            account=record.account.ref if record.account else None,
            lines=[_line(x, record.currency) for x in record.lines],
        )
    elif isinstance(record, Quote | Order | Invoice):
        totals = record.totals()
        out.update(
            number=record.number,
            currency=record.currency,
            subtotal=str(totals.subtotal),
            tax=str(totals.tax_total),
            total=str(totals.total),
            lines=[_line(x, record.currency) for x in record.lines],
        )
        if isinstance(record, Invoice):
            out.update(
                amount_paid=str(record.amount_paid),
                balance=str(record.balance),
                due_on=record.due_on.isoformat(),
                order=record.order.number,
            )
        if isinstance(record, Order):
            out.update(quote=record.quote.number)
        if isinstance(record, Quote):
            out.update(
                valid_until=str(record.valid_until or ""), opportunity=record.opportunity.ref
            )
    elif isinstance(record, Account):
        out.update(name=record.name, city=record.city, country=record.country)
    elif isinstance(record, Contact):
        out.update(
            name=record.full_name,
            email=record.email,
            phone=record.phone,
            account=record.account.ref if record.account else None,
        )
    return out


def show(uow: UnitOfWork, ref: str) -> dict[str, Any]:
    with uow:
        return describe(uow.records.any(ref))


def history(uow: UnitOfWork, ref: str) -> list[dict[str, Any]]:
    """Every event of the record, oldest first."""
    with uow:
        record = uow.records.any(ref)
        stmt = (
            select(events)
            .where(
                events.c.record_type == RECORD_TYPES[type(record)], events.c.record_id == record.id
            )
            .order_by(events.c.id)
        )
        return [
            {
                "at": row.at.isoformat(),
                "action": row.action,
                "actor": row.actor,
                "from": f"{row.from_state}/{row.from_status}".strip("/"),
                "to": f"{row.to_state}/{row.to_status}".strip("/"),
                "details": row.details,
            }
            for row in uow.session.execute(stmt)
        ]


def list_records(uow: UnitOfWork, kind: str, limit: int = 200) -> list[dict[str, Any]]:
    with uow:
        records: list[Any] = list(uow.records.list(LISTABLE[kind], limit))
        return [describe(r) for r in records]
