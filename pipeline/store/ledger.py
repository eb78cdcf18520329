"""The ingestion ledger: which inputs were seen, what became of them, mailbox checkpoints.

All functions take the caller's connection/session so ledger rows commit in the same
transaction as the leads they describe — a rerun then finds every ``source_ref`` and does
nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, false, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pipeline.store import tables as t
from pipeline.store.bulk import insert_rows, one_of

_CHUNK = 900  # stays under SQLite's bound-parameter limit


def _insert(session: Session) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def upsert_ignore(session: Session, table: Any, index_elements: list[str]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING for the session's dialect."""
    return _insert(session)(table).on_conflict_do_nothing(index_elements=index_elements)


def known_refs(session: Session, refs: Iterable[str]) -> set[str]:
    """The subset of ``refs`` already in the ledger."""
    wanted = list(dict.fromkeys(refs))
    found: set[str] = set()
    col = t.source_records.c.source_ref
    for i in range(0, len(wanted), _CHUNK):
        found.update(
            session.scalars(select(col).where(one_of(session, col, wanted[i : i + _CHUNK])))
        )
    return found


# One key for every intake transaction (any 64-bit number; this one spells "salesflw").
INTAKE_LOCK = 0x73616C6573666C77


def lock_intake(session: Session) -> None:
    """Serialise intake transactions on PostgreSQL until this transaction ends.

    Matching a record against stored leads and inserting the new ones is a read-then-write:
    two workers storing the same person at once would each see no lead and both create one.
    PostgreSQL gets an advisory lock; SQLite gets its database write lock now, through a write
    that changes nothing, so ids handed out by ``pipeline.store.bulk.allocate_ids`` (the next
    free ones) stay free until this transaction ends.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(INTAKE_LOCK)))
    else:
        col = t.ingest_files.c
        session.execute(update(t.ingest_files).where(false()).values(status=col.status))


def file_status(session: Session, sha256: str) -> str | None:
    """'processing', 'done', 'quarantined' or None for a file never seen."""
    col = t.ingest_files.c
    return session.execute(select(col.status).where(col.sha256 == sha256)).scalar_one_or_none()


def claim_file(
    session: Session, sha256: str, name: str, size: int, kind: str, worker: str, now: datetime
) -> bool:
    """Insert the file's claim row; False when another run already has it."""
    stmt = (
        _insert(session)(t.ingest_files)
        .values(
            sha256=sha256,
            original_name=name[:400],
            size=size,
            kind=kind,
            status="processing",
            reason="",
            detail="",
            records=0,
            claimed_by=worker[:120],
            first_seen_at=now,
        )
        .on_conflict_do_nothing(index_elements=[t.ingest_files.c.sha256])
        .returning(t.ingest_files.c.sha256)
    )
    # RETURNING, not rowcount: psycopg reports rowcount -1 for this INSERT, which read as
    # "claimed" and let a second worker take a file the first one had already stored.
    return session.execute(stmt).first() is not None


def claim_files(
    session: Session, files: Sequence[tuple[str, str, int, str]], worker: str, now: datetime
) -> set[str]:
    """Claim rows for many files, (sha256, name, size, kind) each, in sha256 order (so two
    workers with overlapping groups never wait on each other in a cycle); the sha256s this
    call claimed."""
    rows = [
        {
            "sha256": sha,
            "original_name": name[:400],
            "size": size,
            "kind": kind,
            "status": "processing",
            "reason": "",
            "detail": "",
            "records": 0,
            "claimed_by": worker[:120],
            "first_seen_at": now,
        }
        for sha, name, size, kind in sorted(dict((f[0], f) for f in files).values())
    ]
    claimed: set[str] = set()
    col = t.ingest_files.c
    for i in range(0, len(rows), 200):
        stmt = (
            _insert(session)(t.ingest_files)
            .values(rows[i : i + 200])
            .on_conflict_do_nothing(index_elements=[col.sha256])
            .returning(col.sha256)
        )
        claimed.update(session.scalars(stmt))
    return claimed


def finish_files(session: Session, records: dict[str, int], now: datetime) -> None:
    """Mark claimed files done, with their record counts (sha256 -> records)."""
    if not records:
        return
    stmt = (
        update(t.ingest_files)
        .where(t.ingest_files.c.sha256 == bindparam("b_sha"))
        .values(
            status="done", records=bindparam("b_records"), reason="", detail="", finished_at=now
        )
    )
    session.execute(stmt, [{"b_sha": sha, "b_records": n} for sha, n in records.items()])


def finish_file(
    session: Session,
    sha256: str,
    status: str,
    now: datetime,
    *,
    records: int = 0,
    reason: str = "",
    detail: str = "",
) -> None:
    session.execute(
        update(t.ingest_files)
        .where(t.ingest_files.c.sha256 == sha256)
        .values(status=status, records=records, reason=reason[:64], detail=detail, finished_at=now)
    )


def add_source_records(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert ledger rows (straight to the driver, see ``bulk.insert_rows``)."""
    insert_rows(session, t.source_records, rows)


def checkpoint(session: Session, mailbox: str) -> tuple[int, int] | None:
    """(uidvalidity, last_uid) of the newest checkpoint of ``mailbox``."""
    c = t.mail_checkpoints.c
    row = session.execute(
        select(c.uidvalidity, c.last_uid)
        .where(c.mailbox == mailbox)
        .order_by(c.updated_at.desc())
        .limit(1)
    ).first()
    return (int(row.uidvalidity), int(row.last_uid)) if row else None


def save_checkpoint(
    session: Session, mailbox: str, uidvalidity: int, last_uid: int, now: datetime
) -> None:
    stmt = _insert(session)(t.mail_checkpoints).values(
        mailbox=mailbox, uidvalidity=uidvalidity, last_uid=last_uid, updated_at=now
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[t.mail_checkpoints.c.mailbox, t.mail_checkpoints.c.uidvalidity],
        set_={"last_uid": stmt.excluded.last_uid, "updated_at": now},
    )
    session.execute(stmt)


def seen_messages(session: Session, keys: Iterable[str], shas: Iterable[str]) -> set[str]:
    """Message keys or sha256 values already recorded."""
    c = t.mail_messages.c
    keys, shas = list(keys), list(shas)
    found: set[str] = set()
    if keys:
        found.update(session.scalars(select(c.message_key).where(c.message_key.in_(keys))))
    if shas:
        found.update(session.scalars(select(c.sha256).where(c.sha256.in_(shas))))
    return found


def record_messages(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        stmt = _insert(session)(t.mail_messages).on_conflict_do_nothing(
            index_elements=[t.mail_messages.c.message_key]
        )
        session.execute(stmt, list(rows))


def pending_moves(session: Session, mailbox: str, uidvalidity: int) -> list[tuple[int, str]]:
    """(uid, folder) of committed messages not yet moved out of the mailbox."""
    c = t.mail_messages.c
    return [
        (int(r.uid), str(r.target_folder))
        for r in session.execute(
            select(c.uid, c.target_folder)
            .where(c.mailbox == mailbox, c.uidvalidity == uidvalidity, c.moved.is_(False))
            .order_by(c.uid)
        )
    ]


def mark_moved(session: Session, mailbox: str, uidvalidity: int, uids: Sequence[int]) -> None:
    c = t.mail_messages.c
    if uids:
        session.execute(
            update(t.mail_messages)
            .where(c.mailbox == mailbox, c.uidvalidity == uidvalidity, c.uid.in_(list(uids)))
            .values(moved=True)
        )


def mark_undeliverable(
    session: Session, emails: Sequence[str], source_ref: str, status: str, now: datetime
) -> None:
    if emails:
        stmt = _insert(session)(t.undeliverable).on_conflict_do_nothing(
            index_elements=[t.undeliverable.c.email]
        )
        session.execute(
            stmt,
            [
                {
                    "email": e.lower(),
                    "source_ref": source_ref,
                    "status": status[:64],
                    "created_at": now,
                }
                for e in emails
            ],
        )
