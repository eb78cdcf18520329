"""Repositories: load records by id or by the reference people type.

References: a document number (``QUO-2026-00012``, ``QUO-2026-00012-R2``, ``ORD-…``,
``INV-…``), a prefixed id (``LEAD-7``, ``OPP-3``, ``ACC-2``, ``CON-5``) or a bare id when the
record type is known.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from pipeline.domain.errors import NotFound
from pipeline.domain.invoice import Invoice
from pipeline.domain.lead import Lead
from pipeline.domain.numbering import DocType, parse_number
from pipeline.domain.opportunity import Opportunity
from pipeline.domain.order import Order
from pipeline.domain.parties import Account, Contact, Product
from pipeline.domain.quote import Quote
from pipeline.store import tables as t

T = TypeVar("T")

PREFIXES: dict[str, type] = {
    "LEAD": Lead,
    "OPP": Opportunity,
    "ACC": Account,
    "CON": Contact,
    "QUO": Quote,
    "ORD": Order,
    "INV": Invoice,
}
KIND_NAMES: dict[type, str] = {
    Lead: "lead",
    Opportunity: "opportunity",
    Account: "account",
    Contact: "contact",
    Quote: "quote",
    Order: "order",
    Invoice: "invoice",
}
_PREFIXED_ID = re.compile(r"^([A-Za-z]+)-(\d+)$")
_DOCS: dict[DocType, type] = {DocType.QUOTE: Quote, DocType.ORDER: Order, DocType.INVOICE: Invoice}


_DOC_TABLES = {DocType.QUOTE: t.quotes, DocType.ORDER: t.orders, DocType.INVOICE: t.invoices}


def kind_of(ref: str) -> type | None:
    """The record class a reference points at, when the reference says so."""
    number = parse_number(ref)
    if number is not None:
        return _DOCS[number.doc_type]
    m = _PREFIXED_ID.match(ref.strip())
    return PREFIXES.get(m.group(1).upper()) if m else None


class Records:
    """Typed look-ups over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, cls: type[T], ref: str | int) -> T:
        """Load a ``cls`` record by reference or raise ``NotFound``."""
        found = self._find(cls, str(ref).strip())
        if found is None:
            raise NotFound(KIND_NAMES.get(cls, cls.__name__.lower()), str(ref))
        return found

    def any(self, ref: str) -> Any:
        """Load whatever record ``ref`` names (prefix or document number required)."""
        cls = kind_of(ref)
        if cls is None:
            raise NotFound("record", ref)
        return self.get(cls, ref)

    def _find(self, cls: type[T], ref: str) -> T | None:
        if ref.isdigit():
            return self.session.get(cls, int(ref))
        number = parse_number(ref)
        if number is not None:
            if _DOCS[number.doc_type] is not cls:
                return None
            table = _DOC_TABLES[number.doc_type]
            conds: list[Any] = [table.c.year == number.year, table.c.seq == number.seq]
            if cls is Quote:
                conds.append(table.c.revision == number.revision)
            return self.session.scalars(select(cls).where(*conds)).one_or_none()
        m = _PREFIXED_ID.match(ref)
        if m and PREFIXES.get(m.group(1).upper()) is cls:
            return self.session.get(cls, int(m.group(2)))
        return None

    def product(self, sku: str) -> Product:
        found = self.session.scalars(select(Product).where(t.products.c.sku == sku)).one_or_none()
        if found is None:
            raise NotFound("product", sku)
        return found

    def list(self, cls: type[T], limit: int = 200) -> Sequence[T]:
        table = inspect(cls, raiseerr=True).local_table
        stmt = select(cls).order_by(table.c.id.desc()).limit(limit)
        return self.session.scalars(stmt).all()
