"""Read queries behind the documents pages: the filtered list and one document's files.

Numbers are stored as (year, seq, revision), so a search by number is parsed first and turned
into exact column conditions instead of a text match over formatted numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Select, func, literal, select

from pipeline.domain import status as st
from pipeline.domain.numbering import DocType, format_number, parse_number
from pipeline.store import tables as t

KINDS = ("quote", "invoice")
STATUSES = {
    "quote": [s.value for s in st.QuoteStatus],
    "invoice": [s.value for s in st.InvoiceStatus],
}
LIMIT = 200


@dataclass(frozen=True)
class DocFilter:
    """What the documents page is asked to show."""

    kind: str = ""
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    customer: str = ""
    q: str = ""


def _customer() -> Any:
    return func.coalesce(t.accounts.c.name, t.leads.c.company, t.opportunities.c.name)


def _parties(base: Any, opp_id: Any) -> Any:
    o = t.opportunities
    return (
        base.join(o, o.c.id == opp_id)
        .outerjoin(t.accounts, t.accounts.c.id == o.c.account_id)
        .outerjoin(t.leads, t.leads.c.id == o.c.lead_id)
    )


def _quotes() -> Select[Any]:
    q = t.quotes
    return select(
        literal("quote").label("kind"),
        q.c.id,
        q.c.year,
        q.c.seq,
        q.c.revision,
        q.c.status,
        q.c.total,
        q.c.currency,
        q.c.created_at.label("day"),
        _customer().label("customer"),
    ).select_from(_parties(q, q.c.opportunity_id))


def _invoices() -> Select[Any]:
    i, o = t.invoices, t.orders
    return select(
        literal("invoice").label("kind"),
        i.c.id,
        i.c.year,
        i.c.seq,
        literal(1).label("revision"),
        i.c.status,
        i.c.total,
        i.c.currency,
        i.c.issued_on.label("day"),
        _customer().label("customer"),
    ).select_from(_parties(i.join(o, o.c.id == i.c.order_id), o.c.opportunity_id))


def _filtered(stmt: Select[Any], kind: str, f: DocFilter) -> Select[Any] | None:
    table = t.quotes if kind == "quote" else t.invoices
    if f.status:
        if f.status not in STATUSES[kind]:
            return None  # a status this kind never has: nothing of it matches
        stmt = stmt.where(table.c.status == f.status)
    day = table.c.created_at if kind == "quote" else table.c.issued_on
    if f.date_from:
        start = datetime.combine(f.date_from, time(), UTC) if kind == "quote" else f.date_from
        stmt = stmt.where(day >= start)
    if f.date_to:
        if kind == "quote":
            stmt = stmt.where(day < datetime.combine(f.date_to + timedelta(days=1), time(), UTC))
        else:
            stmt = stmt.where(day <= f.date_to)
    if f.customer:
        stmt = stmt.where(func.lower(_customer()).contains(f.customer.strip().lower()))
    if f.q:
        return _searched(stmt, table, kind, f.q.strip())
    return stmt


def _searched(stmt: Select[Any], table: Any, kind: str, text: str) -> Select[Any] | None:
    number = parse_number(text)
    if number is not None:
        wanted = DocType.QUOTE if kind == "quote" else DocType.INVOICE
        if number.doc_type is not wanted:
            return None
        stmt = stmt.where(table.c.year == number.year, table.c.seq == number.seq)
        if kind == "quote" and "-R" in text.upper():
            stmt = stmt.where(table.c.revision == number.revision)
        return stmt
    if text.isdigit():
        return stmt.where(table.c.seq == int(text))
    return stmt.where(func.lower(_customer()).contains(text.lower()))


def list_documents(conn: Connection, f: DocFilter, limit: int = LIMIT) -> list[dict[str, Any]]:
    """Quotes and invoices matching ``f``, newest first (at most ``limit``)."""
    rows: list[dict[str, Any]] = []
    for kind, base in (("quote", _quotes()), ("invoice", _invoices())):
        if f.kind and f.kind != kind:
            continue
        stmt = _filtered(base, kind, f)
        if stmt is None:
            continue
        table = t.quotes if kind == "quote" else t.invoices
        for r in conn.execute(stmt.order_by(table.c.id.desc()).limit(limit)):
            doc_type = DocType.QUOTE if kind == "quote" else DocType.INVOICE
            day = r.day.date() if isinstance(r.day, datetime) else r.day
            rows.append(
                {
                    "kind": kind,
                    "number": format_number(doc_type, r.year, r.seq, r.revision),
                    "status": str(r.status),
                    "total": r.total,
                    "currency": r.currency,
                    "date": day,
                    "customer": r.customer or "",
                }
            )
    rows.sort(key=lambda row: (row["date"], row["number"]), reverse=True)
    return rows[:limit]


def files_of(conn: Connection, kind: str, doc_id: int) -> list[dict[str, Any]]:
    """The exported workbooks of one document (one per language)."""
    c = t.document_files.c
    doc_type = DocType.QUOTE.value if kind == "quote" else DocType.INVOICE.value
    stmt = (
        select(c.id, c.lang, c.number, c.sha256, c.created_at)
        .where(c.doc_type == doc_type, c.doc_id == doc_id)
        .order_by(c.lang)
    )
    return [dict(r._mapping) for r in conn.execute(stmt)]
