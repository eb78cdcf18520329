"""Gapless document numbers per type and year.

``next_number`` increments the counter row with one atomic upsert ... RETURNING inside the
caller's transaction. On PostgreSQL the row stays locked until that transaction ends, so a
second process waits instead of taking the same number, and a rollback gives the number back:
no gaps, no duplicates. On SQLite the database write lock gives the same guarantee.
"""

from __future__ import annotations

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pipeline.domain.numbering import DocType
from pipeline.store.tables import doc_sequences


def next_number(conn: Connection | Session, doc_type: DocType, year: int) -> int:
    """Take the next number of ``doc_type`` in ``year`` (first is 1)."""
    bind = conn.get_bind() if isinstance(conn, Session) else conn
    insert = postgresql.insert if bind.dialect.name == "postgresql" else sqlite.insert
    base = insert(doc_sequences).values(doc_type=doc_type.value, year=year, last_value=1)
    stmt = base.on_conflict_do_update(
        index_elements=[doc_sequences.c.doc_type, doc_sequences.c.year],
        set_={"last_value": doc_sequences.c.last_value + 1},
    ).returning(doc_sequences.c.last_value)
    value = conn.execute(stmt).scalar_one()
    return int(value)


def current_number(conn: Connection | Session, doc_type: DocType, year: int) -> int:
    """The last number taken (0 when none)."""
    stmt = select(doc_sequences.c.last_value).where(
        doc_sequences.c.doc_type == doc_type.value, doc_sequences.c.year == year
    )
    return int(conn.execute(stmt).scalar_one_or_none() or 0)
