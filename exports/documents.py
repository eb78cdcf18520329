"""Quotes and invoices as read-only documents: every value a printed page shows, and nothing live.

``load_quote_document`` / ``load_invoice_document`` read the record through the store and copy
what the page needs into frozen dataclasses. Every figure comes from the domain (``totals()``,
``Line.gross/discount_amount/net``), so the workbook shows exactly the numbers the sales process
computed; nothing is recomputed here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar, TypedDict, TypeVar

from sqlalchemy.orm import Session

from exports.errors import DocumentNotFound
from exports.labels import language_of, payment_terms
from exports.parties import Party, SellerInfo, customer_party, seller_party
from pipeline.domain.errors import NotFound
from pipeline.domain.invoice import Invoice
from pipeline.domain.lines import Discount, DiscountKind, Line, Totals
from pipeline.domain.quote import Quote
from pipeline.store.repository import Records
from pipeline.store.uow import UnitOfWork


@dataclass(frozen=True)
class DocumentLine:
    """One product line with the domain's own line figures."""

    line_no: int
    sku: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    discount_kind: str  # "none" | "amount" | "percent"
    discount_value: Decimal
    discount_label: str
    discount_amount: Decimal
    tax_rate: Decimal
    gross: Decimal
    net: Decimal


@dataclass(frozen=True)
class TaxLine:
    """Tax of one rate: the base after discounts and the tax on it."""

    rate: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True, kw_only=True)
class Document:
    """What quotes and invoices share."""

    kind: ClassVar[str] = "document"

    number: str
    lang: str
    document_date: date
    status: str
    currency: str
    seller: Party
    iban: str
    customer: Party
    payment_terms: str
    lines: tuple[DocumentLine, ...]
    gross: Decimal
    line_discounts: Decimal
    subtotal: Decimal
    overall_discount: Decimal
    overall_discount_label: str
    overall_discount_rate: Decimal | None  # the percent, when the discount is one
    net: Decimal
    taxes: tuple[TaxLine, ...]
    tax_total: Decimal
    total: Decimal


@dataclass(frozen=True, kw_only=True)
class QuoteDocument(Document):
    """A quote (number with revision, e.g. ``QUO-2026-00012-R2``)."""

    kind: ClassVar[str] = "quote"

    revision: int
    valid_until: date | None
    is_draft: bool


@dataclass(frozen=True, kw_only=True)
class InvoiceDocument(Document):
    """An invoice with what was paid and what is still due."""

    kind: ClassVar[str] = "invoice"

    due_on: date
    order_number: str
    quote_number: str
    amount_paid: Decimal
    balance: Decimal


def load_quote_document(
    source: Session | UnitOfWork, ref: str, seller: SellerInfo, lang: str = "en"
) -> QuoteDocument:
    """Read quote ``ref`` (``QUO-2026-00012-R2``, or its id) as a document."""
    language_of(lang)  # fail before touching the database
    with _records(source) as records:
        return build_quote_document(_get(records, Quote, ref), seller, lang)


def load_invoice_document(
    source: Session | UnitOfWork, ref: str, seller: SellerInfo, lang: str = "en"
) -> InvoiceDocument:
    """Read invoice ``ref`` (``INV-2026-00007``, or its id) as a document."""
    language_of(lang)
    with _records(source) as records:
        return build_invoice_document(_get(records, Invoice, ref), seller, lang)


def build_quote_document(quote: Quote, seller: SellerInfo, lang: str = "en") -> QuoteDocument:
    """The document of a loaded quote (pure: no database access beyond loaded relations)."""
    return QuoteDocument(
        number=quote.number,
        lang=language_of(lang),
        document_date=quote.created_at.date(),
        status=str(quote.status),
        seller=seller_party(seller),
        iban=seller.iban,
        customer=customer_party(quote.opportunity),
        payment_terms=payment_terms(lang, seller.quote_payment_days, None),
        revision=quote.revision,
        valid_until=quote.valid_until,
        is_draft=quote.activated_at is None,
        **_figures(quote.lines, quote.totals(), quote.overall_discount),
    )


def build_invoice_document(
    invoice: Invoice, seller: SellerInfo, lang: str = "en"
) -> InvoiceDocument:
    """The document of a loaded invoice."""
    order = invoice.order
    days = (invoice.due_on - invoice.issued_on).days
    totals = invoice.totals()
    return InvoiceDocument(
        number=invoice.number,
        lang=language_of(lang),
        document_date=invoice.issued_on,
        status=str(invoice.status),
        seller=seller_party(seller),
        iban=seller.iban,
        customer=customer_party(order.opportunity),
        payment_terms=payment_terms(lang, days, invoice.due_on),
        due_on=invoice.due_on,
        order_number=order.number,
        quote_number=order.quote.number,
        # The balance is against the computed total, the same figure the page prints.
        amount_paid=invoice.amount_paid,
        balance=totals.total - invoice.amount_paid,
        **_figures(invoice.lines, totals, Discount(invoice.discount_kind, invoice.discount_value)),
    )


class _Figures(TypedDict):
    currency: str
    lines: tuple[DocumentLine, ...]
    gross: Decimal
    line_discounts: Decimal
    subtotal: Decimal
    overall_discount: Decimal
    overall_discount_label: str
    overall_discount_rate: Decimal | None  # the percent, when the discount is one
    net: Decimal
    taxes: tuple[TaxLine, ...]
    tax_total: Decimal
    total: Decimal


def _figures(lines: Sequence[Line], totals: Totals, overall: Discount) -> _Figures:
    currency = totals.currency
    return {
        "currency": currency,
        "lines": tuple(_line(line, currency) for line in lines),
        "gross": totals.gross,
        "line_discounts": totals.line_discounts,
        "subtotal": totals.subtotal,
        "overall_discount": totals.overall_discount,
        "overall_discount_label": overall.label(),
        "overall_discount_rate": overall.value if overall.kind is DiscountKind.PERCENT else None,
        "net": totals.net,
        "taxes": tuple(TaxLine(rate=b.rate, base=b.base, tax=b.tax) for b in totals.taxes),
        "tax_total": totals.tax_total,
        "total": totals.total,
    }


def _line(line: Line, currency: str) -> DocumentLine:
    return DocumentLine(
        line_no=line.line_no,
        sku=line.sku,
        description=line.description,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        discount_kind=str(line.discount_kind),
        discount_value=line.discount_value,
        discount_label=line.discount.label(),
        discount_amount=line.discount_amount(currency),
        tax_rate=line.tax_rate,
        gross=line.gross(currency),
        net=line.net(currency),
    )


RecordT = TypeVar("RecordT", Quote, Invoice)


def _get(records: Records, cls: type[RecordT], ref: str) -> RecordT:
    try:
        return records.get(cls, ref)
    except NotFound as exc:
        raise DocumentNotFound(exc.kind, exc.ref) from exc


@contextmanager
def _records(source: Session | UnitOfWork) -> Iterator[Records]:
    """Records of a session, of an entered unit of work, or of one entered just for this read."""
    if isinstance(source, Session):
        yield Records(source)
    elif getattr(source, "records", None) is not None:
        yield source.records
    else:
        # A read never commits: leaving the unit of work rolls back.
        with source:
            yield source.records
