"""Probing the stored blocking-key index (``lead_keys``) at a cost bounded by the block cap.

A key shared by many stored leads ("n:yilm|a" among a million Turkish leads) is too common to
decide anything. Counting its rows would walk every one of them (tens of thousands per probe);
counting at most ``cap + 1`` of them walks at most that many index entries, however large the
store grows.

The keys travel as one parameter (a JSON array read by ``json_each`` on SQLite, a text array
on PostgreSQL), so a batch of thousands of keys is one short statement the driver and the
server prepare once, not thousands of placeholders parsed again for every chunk.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy.orm import Session

_SIZES = {
    "sqlite": """
SELECT w.value, (SELECT count(*) FROM (
    SELECT 1 FROM lead_keys AS c WHERE c.key = w.value LIMIT {limit}))
FROM json_each(?) AS w""",
    "postgresql": """
SELECT w.k, (SELECT count(*) FROM (
    SELECT 1 FROM lead_keys AS c WHERE c.key = w.k LIMIT {limit}) AS s)
FROM unnest(%s::text[]) AS w(k)""",
}
_LEADS = {
    "sqlite": "SELECT lead_id FROM lead_keys WHERE key IN (SELECT value FROM json_each(?))",
    "postgresql": "SELECT lead_id FROM lead_keys WHERE key = ANY(%s::text[])",
}
MAX_KEY = 400  # stored keys are cut at 400 characters


def block_sizes(session: Session, keys: Iterable[str], cap: int) -> dict[str, int]:
    """How many stored leads share each key, counted up to ``cap + 1`` ("more than cap")."""
    wanted = sorted({k[:MAX_KEY] for k in keys})
    if not wanted:
        return {}
    conn = session.connection()
    sql = _SIZES[_dialect(conn.dialect.name)].format(limit=int(cap) + 1)
    rows = conn.exec_driver_sql(sql, (_param(conn.dialect.name, wanted),))
    return {str(k): int(n) for k, n in rows}


def lead_ids_for(session: Session, keys: Iterable[str]) -> set[int]:
    """Stored leads indexed under any of ``keys``."""
    wanted = sorted({k[:MAX_KEY] for k in keys})
    if not wanted:
        return set()
    conn = session.connection()
    rows = conn.exec_driver_sql(
        _LEADS[_dialect(conn.dialect.name)], (_param(conn.dialect.name, wanted),)
    )
    return {int(r[0]) for r in rows}


def _dialect(name: str) -> str:
    return "postgresql" if name == "postgresql" else "sqlite"


def _param(dialect: str, keys: list[str]) -> object:
    return keys if dialect == "postgresql" else json.dumps(keys)
