"""Imperative mapping of the plain domain classes onto the tables (cosmicpython style).

The domain never imports this module; ``start_mappers()`` is called once by the store when
a session factory is built.
"""

from __future__ import annotations

from sqlalchemy.orm import registry, relationship

from pipeline.domain.invoice import Invoice, InvoiceLine
from pipeline.domain.lead import Lead
from pipeline.domain.opportunity import Opportunity, OpportunityLine
from pipeline.domain.order import Order, OrderLine
from pipeline.domain.parties import Account, Contact, Product
from pipeline.domain.quote import Quote, QuoteLine
from pipeline.store import tables as t

mapper_registry = registry()
_started = False


def _lines(cls: type, table_order: str) -> object:
    return relationship(cls, order_by=table_order, cascade="all, delete-orphan", lazy="selectin")


def start_mappers() -> None:
    """Map domain classes to tables; idempotent."""
    global _started
    if _started:
        return
    m = mapper_registry.map_imperatively
    m(Account, t.accounts)
    m(Contact, t.contacts, properties={"account": relationship(Account)})
    m(Product, t.products)
    m(
        Lead,
        t.leads,
        properties={
            "account": relationship(Account),
            "contact": relationship(Contact),
            "opportunity": relationship(Opportunity, uselist=False, back_populates="lead"),
        },
    )
    m(OpportunityLine, t.opportunity_lines)
    m(
        Opportunity,
        t.opportunities,
        properties={
            "lead": relationship(Lead, back_populates="opportunity"),
            "account": relationship(Account),
            "contact": relationship(Contact),
            "lines": _lines(OpportunityLine, "OpportunityLine.line_no"),
        },
    )
    m(QuoteLine, t.quote_lines)
    m(
        Quote,
        t.quotes,
        properties={
            "opportunity": relationship(Opportunity),
            "previous": relationship(Quote, remote_side=[t.quotes.c.id]),
            "lines": _lines(QuoteLine, "QuoteLine.line_no"),
        },
    )
    m(OrderLine, t.order_lines)
    m(
        Order,
        t.orders,
        properties={
            "quote": relationship(Quote),
            "opportunity": relationship(Opportunity),
            "lines": _lines(OrderLine, "OrderLine.line_no"),
        },
    )
    m(InvoiceLine, t.invoice_lines)
    m(
        Invoice,
        t.invoices,
        properties={
            "order": relationship(Order),
            "lines": _lines(InvoiceLine, "InvoiceLine.line_no"),
        },
    )
    _started = True


RECORD_TYPES: dict[type, str] = {
    Lead: "lead",
    Account: "account",
    Contact: "contact",
    Opportunity: "opportunity",
    Quote: "quote",
    Order: "order",
    Invoice: "invoice",
}
