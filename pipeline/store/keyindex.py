"""Probing the stored blocking-key index (``lead_keys``) at a cost bounded by the block cap.

A key shared by more stored leads than the cap ("n:yilm|a" among a million Turkish leads) is
too common to decide anything and is skipped. Counting its rows would walk every one of them
(tens of thousands per probe); asking whether a row exists past position ``cap`` walks at most
``cap + 1`` index entries, however large the store grows. One statement checks a chunk of
keys: a UNION ALL of one bounded probe per key.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from pipeline.store import tables as t

_PROBES = 200  # keys per statement (SQLite allows 500 terms in a compound SELECT)
_IN_CHUNK = 900
_sql: dict[tuple[str, int, int], str] = {}


def usable_keys(session: Session, keys: Iterable[str], cap: int) -> list[str]:
    """The keys of ``keys`` that at most ``cap`` stored leads share (or none)."""
    wanted = sorted(set(keys))
    conn = session.connection()
    common: set[str] = set()
    for i in range(0, len(wanted), _PROBES):
        chunk = wanted[i : i + _PROBES]
        rows = conn.exec_driver_sql(_probe_sql(conn, len(chunk), cap), tuple(chunk))
        common.update(str(r[0]) for r in rows)
    return [k for k in wanted if k not in common]


def lead_ids_for(session: Session, keys: list[str]) -> set[int]:
    """Stored leads indexed under any of ``keys``."""
    lk = t.lead_keys.c
    ids: set[int] = set()
    for i in range(0, len(keys), _IN_CHUNK):
        ids.update(session.scalars(select(lk.lead_id).where(lk.key.in_(keys[i : i + _IN_CHUNK]))))
    return ids


def _probe_sql(conn: Connection, count: int, cap: int) -> str:
    """``count`` bounded probes: each returns its key when a row exists past ``cap``."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    key = (conn.dialect.name, count, cap)
    if key not in _sql:
        one = (
            f"SELECT key FROM (SELECT key FROM lead_keys WHERE key = {mark} "
            f"LIMIT 1 OFFSET {int(cap)}) AS p{{n}}"
        )
        _sql[key] = " UNION ALL ".join(one.format(n=n) for n in range(count))
    return _sql[key]
