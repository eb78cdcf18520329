"""Issued document files: the sha256 of every written quote/invoice workbook is kept."""

from __future__ import annotations

from sqlalchemy import select

from pipeline.domain.invoice import Invoice
from pipeline.domain.numbering import DocType, format_number
from pipeline.domain.quote import Quote
from pipeline.store import tables as t
from pipeline.store.uow import UnitOfWork

DOC_TYPES = {"quote": ("QUO", Quote), "invoice": ("INV", Invoice)}


def record_file(uow: UnitOfWork, kind: str, ref: str, lang: str, path: str, sha256: str) -> None:
    """Store (or refresh, for a quote re-export) the file written for a document."""
    doc_type, cls = DOC_TYPES[kind]
    with uow:
        record: Quote | Invoice = uow.records.get(cls, ref)
        c = t.document_files.c
        existing = uow.session.execute(
            select(c.id).where(c.doc_type == doc_type, c.doc_id == record.id, c.lang == lang)
        ).scalar_one_or_none()
        values = {"path": path, "sha256": sha256, "number": record.number}
        if existing is None:
            uow.session.execute(
                t.document_files.insert().values(
                    doc_type=doc_type, doc_id=record.id, lang=lang, created_at=uow.now(), **values
                )
            )
        else:
            uow.session.execute(t.document_files.update().where(c.id == existing).values(**values))
        record.record_event("export", uow.now(), path=path, sha256=sha256, lang=lang)
        uow.commit()


def files_of(uow: UnitOfWork, kind: str, ref: str) -> list[dict[str, str]]:
    doc_type, cls = DOC_TYPES[kind]
    with uow:
        record: Quote | Invoice = uow.records.get(cls, ref)
        c = t.document_files.c
        rows = uow.session.execute(
            select(c.lang, c.path, c.sha256)
            .where(c.doc_type == doc_type, c.doc_id == record.id)
            .order_by(c.lang)
        )
        return [{"lang": r.lang, "path": r.path, "sha256": r.sha256} for r in rows]


def missing(uow: UnitOfWork, limit: int = 5000) -> list[tuple[str, str]]:
    """Issued documents without a workbook yet: active/won quotes and every invoice."""
    c, q, i = t.document_files.c, t.quotes.c, t.invoices.c
    out: list[tuple[str, str]] = []
    with uow:
        have_q = select(c.doc_id).where(c.doc_type == "QUO")
        for row in uow.session.execute(
            select(q.year, q.seq, q.revision)
            .where(q.state.in_(["Active", "Won"]), q.id.not_in(have_q))
            .limit(limit)
        ):
            out.append(("quote", format_number(DocType.QUOTE, row.year, row.seq, row.revision)))
        have_i = select(c.doc_id).where(c.doc_type == "INV")
        for row in uow.session.execute(
            select(i.year, i.seq).where(i.id.not_in(have_i)).limit(limit)
        ):
            out.append(("invoice", format_number(DocType.INVOICE, row.year, row.seq)))
    return out
