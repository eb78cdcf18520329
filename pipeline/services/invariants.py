"""Invariant checks: read-only queries that find records the sales process should never produce.

The domain guards every stage change, but rows can still go wrong (a hand edit, a restored
backup, a bug in a migration). Each check is a small function over SQLAlchemy Core queries that
yields ``Finding``s; ``run_checks`` runs all of ``CHECKS`` and logs each finding at WARNING on
the ``pipeline.invariants`` logger. Money is compared in Python as Decimal because SQLite keeps
it as text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Label, Row, Select, Table, or_, select
from sqlalchemy.orm import Session

from pipeline.domain.numbering import DocType, format_number
from pipeline.domain.status import (
    InvoiceStatus,
    LeadState,
    OpportunityState,
    OrderState,
    QuoteState,
    QuoteStatus,
)
from pipeline.store import tables as t

log = logging.getLogger("pipeline.invariants")

Reader = Connection | Session


@dataclass(frozen=True)
class Finding:
    """One violated invariant: which check, which record (as people type it), and why."""

    check: str
    record: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"check": self.check, "record": self.record, "message": self.message}


Check = Callable[[Reader, date], Iterable[Finding]]

_q, _o, _i, _opp = t.quotes, t.orders, t.invoices, t.opportunities
QUO, ORD, INV = DocType.QUOTE, DocType.ORDER, DocType.INVOICE
_NAMES = {DocType.QUOTE: "Quote", DocType.ORDER: "Order", DocType.INVOICE: "Invoice"}


def _rows(reader: Reader, stmt: Select[Any]) -> Iterator[Row[Any]]:
    yield from reader.execute(stmt)


def _cols(table: Table, prefix: str, *names: str) -> list[Label[Any]]:
    """``table``'s columns labelled ``prefix + name`` so joined rows keep them apart."""
    return [table.c[name].label(prefix + name) for name in names]


def _no(doc_type: DocType, row: Row[Any], prefix: str) -> str:
    """The printed number of the document whose columns carry ``prefix``."""
    m = row._mapping
    revision = m.get(prefix + "revision", 1)
    return format_number(doc_type, m[prefix + "year"], m[prefix + "seq"], revision)


_NUMBER = ("year", "seq")
_AMOUNT = ("total", "currency")


def _order_with_quote() -> Select[Any]:
    quote = _cols(_q, "q_", *_NUMBER, "revision", "status", *_AMOUNT)
    return (
        select(*_cols(_o, "o_", *_NUMBER, *_AMOUNT), *quote)
        .join(_q, _q.c.id == _o.c.quote_id)
        .order_by(_o.c.year, _o.c.seq)
    )


def _invoice_with_order() -> Select[Any]:
    invoice = _cols(_i, "i_", *_NUMBER, *_AMOUNT, "status", "amount_paid")
    return (
        select(*invoice, *_cols(_o, "o_", *_NUMBER, *_AMOUNT, "state", "status"))
        .join(_o, _o.c.id == _i.c.order_id)
        .order_by(_i.c.year, _i.c.seq)
    )


def order_without_won_quote(reader: Reader, today: date) -> Iterator[Finding]:
    """An order exists only because its quote was won."""
    for r in _rows(reader, _order_with_quote().where(_q.c.status != QuoteStatus.WON)):
        order = _no(ORD, r, "o_")
        yield Finding(
            "order-without-won-quote",
            order,
            f"Order {order} comes from quote {_no(QUO, r, 'q_')}, which is {r.q_status}, not Won.",
        )


def order_total_differs_from_quote(reader: Reader, today: date) -> Iterator[Finding]:
    """An order copies its won quote's lines, so the totals agree."""
    for r in _rows(reader, _order_with_quote()):
        if (r.o_total, r.o_currency) != (r.q_total, r.q_currency):
            order = _no(ORD, r, "o_")
            yield Finding(
                "order-total-differs-from-quote",
                order,
                f"Order {order} totals {r.o_total} {r.o_currency} but its quote "
                f"{_no(QUO, r, 'q_')} totals {r.q_total} {r.q_currency}.",
            )


def invoice_for_unfulfilled_order(reader: Reader, today: date) -> Iterator[Finding]:
    """Only a fulfilled order can be invoiced."""
    unfulfilled = (OrderState.ACTIVE, OrderState.SUBMITTED, OrderState.CANCELED)
    for r in _rows(reader, _invoice_with_order().where(_o.c.state.in_(unfulfilled))):
        invoice = _no(INV, r, "i_")
        yield Finding(
            "invoice-for-unfulfilled-order",
            invoice,
            f"Invoice {invoice} bills order {_no(ORD, r, 'o_')}, "
            f"which is {r.o_state}/{r.o_status}, not fulfilled.",
        )


def invoice_order_not_invoiced(reader: Reader, today: date) -> Iterator[Finding]:
    """Issuing an invoice moves its order to Invoiced in the same step."""
    for r in _rows(reader, _invoice_with_order().where(_o.c.state == OrderState.FULFILLED)):
        invoice = _no(INV, r, "i_")
        yield Finding(
            "invoice-order-not-invoiced",
            invoice,
            f"Invoice {invoice} exists but its order {_no(ORD, r, 'o_')} "
            f"is still {r.o_state}/{r.o_status}, not Invoiced.",
        )


def order_invoiced_without_invoice(reader: Reader, today: date) -> Iterator[Finding]:
    """An order marked Invoiced has its invoice."""
    stmt = (
        select(_o.c.year.label("o_year"), _o.c.seq.label("o_seq"))
        .outerjoin(_i, _i.c.order_id == _o.c.id)
        .where(_o.c.state == OrderState.INVOICED, _i.c.id.is_(None))
        .order_by(_o.c.year, _o.c.seq)
    )
    for r in _rows(reader, stmt):
        order = _no(ORD, r, "o_")
        yield Finding(
            "order-invoiced-without-invoice",
            order,
            f"Order {order} is Invoiced but has no invoice.",
        )


def invoice_total_differs_from_order(reader: Reader, today: date) -> Iterator[Finding]:
    """An invoice copies its order's lines, so the totals agree."""
    for r in _rows(reader, _invoice_with_order()):
        if (r.i_total, r.i_currency) != (r.o_total, r.o_currency):
            invoice = _no(INV, r, "i_")
            yield Finding(
                "invoice-total-differs-from-order",
                invoice,
                f"Invoice {invoice} totals {r.i_total} {r.i_currency} but its order "
                f"{_no(ORD, r, 'o_')} totals {r.o_total} {r.o_currency}.",
            )


def invoice_overpaid(reader: Reader, today: date) -> Iterator[Finding]:
    """A payment never exceeds the balance, so nothing is paid beyond the total."""
    for r in _rows(reader, _invoice_with_order()):
        if r.i_amount_paid > r.i_total:
            invoice = _no(INV, r, "i_")
            yield Finding(
                "invoice-overpaid",
                invoice,
                f"Invoice {invoice} has {r.i_amount_paid} paid against a total of {r.i_total}.",
            )


def _payment_fits_status(status: InvoiceStatus, paid: Any, total: Any) -> bool:
    if status is InvoiceStatus.COMPLETE:
        return bool(paid == total)
    if status is InvoiceStatus.PARTIAL:
        return bool(0 < paid < total)
    return bool(paid == 0)  # New, Billed and Canceled invoices never took a payment


def invoice_payment_status_mismatch(reader: Reader, today: date) -> Iterator[Finding]:
    """Complete means fully paid, Partial means partly paid, the rest means unpaid."""
    for r in _rows(reader, _invoice_with_order()):
        overpaid = r.i_amount_paid > r.i_total  # reported by invoice-overpaid already
        if not overpaid and not _payment_fits_status(r.i_status, r.i_amount_paid, r.i_total):
            invoice = _no(INV, r, "i_")
            yield Finding(
                "invoice-payment-status-mismatch",
                invoice,
                f"Invoice {invoice} is {r.i_status} but {r.i_amount_paid} of {r.i_total} is paid.",
            )


def open_opportunity_with_won_quote(reader: Reader, today: date) -> Iterator[Finding]:
    """Winning a quote wins its opportunity."""
    stmt = (
        select(_opp.c.id, *_cols(_q, "q_", *_NUMBER, "revision"))
        .join(_q, _q.c.opportunity_id == _opp.c.id)
        .where(_opp.c.state == OpportunityState.OPEN, _q.c.status == QuoteStatus.WON)
        .order_by(_opp.c.id, _q.c.year, _q.c.seq, _q.c.revision)
    )
    for r in _rows(reader, stmt):
        yield Finding(
            "open-opportunity-with-won-quote",
            f"OPP-{r.id}",
            f"Opportunity OPP-{r.id} is still open although its quote {_no(QUO, r, 'q_')} is Won.",
        )


def active_quote_past_validity(reader: Reader, today: date) -> Iterator[Finding]:
    """An active quote past its validity date should be won, lost or revised."""
    stmt = (
        select(*_cols(_q, "q_", *_NUMBER, "revision", "valid_until"))
        .where(_q.c.state == QuoteState.ACTIVE, _q.c.valid_until < today)
        .order_by(_q.c.year, _q.c.seq, _q.c.revision)
    )
    for r in _rows(reader, stmt):
        quote = _no(QUO, r, "q_")
        yield Finding(
            "active-quote-past-validity",
            quote,
            f"Quote {quote} is still active but was valid only until {r.q_valid_until}.",
        )


def _used_numbers(reader: Reader) -> dict[tuple[DocType, int], set[int]]:
    """Seq values in use per (type, year); a quote's revisions share one number."""
    used: dict[tuple[DocType, int], set[int]] = {}
    for doc_type, table in ((DocType.QUOTE, _q), (DocType.ORDER, _o), (DocType.INVOICE, _i)):
        for year, seq in reader.execute(select(table.c.year, table.c.seq).distinct()):
            used.setdefault((doc_type, year), set()).add(seq)
    return used


def _counters(reader: Reader) -> dict[tuple[DocType, int], int]:
    """The last number each counter handed out."""
    seqs = t.doc_sequences.c
    stmt = select(seqs.doc_type, seqs.year, seqs.last_value).where(
        seqs.doc_type.in_([d.value for d in DocType])
    )
    return {(DocType(r.doc_type), r.year): r.last_value for r in reader.execute(stmt)}


def _holes(used: set[int], top: int) -> Iterator[tuple[int, int]]:
    """Runs (first, last) of 1..top missing from ``used``, without listing every number."""
    prev = 0
    for n in sorted({n for n in used if n > 0} | {top + 1}):
        if n > prev + 1:
            yield prev + 1, n - 1
        prev = n


def _gap_finding(doc_type: DocType, year: int, first: int, last: int, top: int) -> Finding:
    name, lo, hi = _NAMES[doc_type], *(format_number(doc_type, year, n) for n in (first, last))
    what = f"number {lo} is" if first == last else f"numbers {lo} to {hi} are"
    return Finding(
        "document-number-gap",
        lo,
        f"{name} {what} missing; {year}'s {name.lower()} numbers run to "
        f"{format_number(doc_type, year, top)}.",
    )


def document_number_gap(reader: Reader, today: date) -> Iterator[Finding]:
    """Document numbers per type and year run 1, 2, 3, ... without holes."""
    used, counters = _used_numbers(reader), _counters(reader)
    for key in sorted(used.keys() | counters.keys()):
        seqs = used.get(key, set())
        # A number the counter handed out that no document carries is a gap too.
        top = max(max(seqs, default=0), counters.get(key, 0))
        for first, last in _holes(seqs, top):
            yield _gap_finding(*key, first, last, top)


def lead_qualified_without_parties(reader: Reader, today: date) -> Iterator[Finding]:
    """Qualifying a lead links (or creates) its account and contact."""
    c = t.leads.c
    stmt = (
        select(c.id, c.account_id, c.contact_id)
        .where(c.state == LeadState.QUALIFIED, or_(c.account_id.is_(None), c.contact_id.is_(None)))
        .order_by(c.id)
    )
    for r in _rows(reader, stmt):
        lacking = [
            n for n, v in (("account", r.account_id), ("contact", r.contact_id)) if v is None
        ]
        yield Finding(
            "lead-qualified-without-account-contact",
            f"LEAD-{r.id}",
            f"Lead LEAD-{r.id} is qualified but has no {' and no '.join(lacking)}.",
        )


def lead_qualified_without_opportunity(reader: Reader, today: date) -> Iterator[Finding]:
    """Qualifying a lead creates its opportunity."""
    c = t.leads.c
    stmt = (
        select(c.id)
        .outerjoin(_opp, _opp.c.lead_id == c.id)
        .where(c.state == LeadState.QUALIFIED, _opp.c.id.is_(None))
        .order_by(c.id)
    )
    for r in _rows(reader, stmt):
        yield Finding(
            "lead-qualified-without-opportunity",
            f"LEAD-{r.id}",
            f"Lead LEAD-{r.id} is qualified but no opportunity came from it.",
        )


CHECKS: dict[str, Check] = {
    "order-without-won-quote": order_without_won_quote,
    "order-total-differs-from-quote": order_total_differs_from_quote,
    "order-invoiced-without-invoice": order_invoiced_without_invoice,
    "invoice-for-unfulfilled-order": invoice_for_unfulfilled_order,
    "invoice-order-not-invoiced": invoice_order_not_invoiced,
    "invoice-total-differs-from-order": invoice_total_differs_from_order,
    "invoice-overpaid": invoice_overpaid,
    "invoice-payment-status-mismatch": invoice_payment_status_mismatch,
    "open-opportunity-with-won-quote": open_opportunity_with_won_quote,
    "active-quote-past-validity": active_quote_past_validity,
    "document-number-gap": document_number_gap,
    "lead-qualified-without-account-contact": lead_qualified_without_parties,
    "lead-qualified-without-opportunity": lead_qualified_without_opportunity,
}


def run_checks(reader: Reader, *, today: date) -> list[Finding]:
    """Run every check in ``CHECKS``; each finding is also logged at WARNING.

    ``today`` decides which active quotes are past their validity date.
    """
    findings = [f for check in CHECKS.values() for f in check(reader, today)]
    for f in findings:
        log.warning("invariant %s violated by %s: %s", f.check, f.record, f.message)
    return findings
