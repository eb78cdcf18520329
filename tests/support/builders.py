"""Builders for domain tests (no I/O): small valid records to start from."""

from __future__ import annotations

from decimal import Decimal

from pipeline.domain.invoice import Invoice
from pipeline.domain.lead import Lead
from pipeline.domain.opportunity import Opportunity
from pipeline.domain.order import Order
from pipeline.domain.parties import Product
from pipeline.domain.process import accept_quote, create_quote, issue_invoice, qualify_lead
from pipeline.domain.quote import Quote


def product(sku: str = "W-1", price: str = "100.00", tax: str = "20") -> Product:
    return Product(
        sku=sku,
        name=f"Product {sku}",
        unit_price=Decimal(price),
        currency="TRY",
        tax_rate=Decimal(tax),
    )


def lead(**kw: str) -> Lead:
    values = {
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "email": "ayse@anadolu.com.tr",
        "email_key": "ayse@anadolu.com.tr",
        "company": "Anadolu Makine A.Ş.",
        "company_key": "anadolu makine",
    }
    values.update(kw)
    return Lead(**values)


def opportunity_with_line() -> Opportunity:
    opp = qualify_lead(lead(), currency="TRY")
    opp.add_line(product(), Decimal("2"))
    return opp


def active_quote() -> Quote:
    quote = create_quote(opportunity_with_line(), seq=1, year=2026)
    quote.activate()
    return quote


def draft_quote() -> Quote:
    return create_quote(opportunity_with_line(), seq=1, year=2026)


def fulfilled_order(partial: bool = False) -> Order:
    order = accept_quote(active_quote(), seq=1, year=2026)
    order.fulfil(partial=partial)
    return order


def new_invoice() -> Invoice:
    return issue_invoice(fulfilled_order(), seq=1, year=2026)
