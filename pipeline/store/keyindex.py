"""Probing the stored blocking-key index (``lead_keys``) at a cost bounded by the block cap.

A key shared by more stored leads than the cap ("n:yilm|a" among a million Turkish leads) is
too common to decide anything and is skipped. Counting its rows would walk every one of them
(tens of thousands per probe); asking whether a row exists past position ``cap`` walks at most
``cap + 1`` index entries, however large the store grows.

The keys travel as one parameter (a JSON array read by ``json_each`` on SQLite, a text array
on PostgreSQL), so a batch of thousands of keys is one short statement the driver and the
server prepare once, not thousands of placeholders parsed again for every chunk.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy.orm import Session

_SQLITE = """
SELECT lk.lead_id FROM lead_keys AS lk WHERE lk.key IN (
    SELECT w.value FROM json_each(?) AS w WHERE NOT EXISTS (
        SELECT 1 FROM lead_keys AS c WHERE c.key = w.value LIMIT 1 OFFSET {cap}))
"""
_POSTGRESQL = """
SELECT lk.lead_id FROM lead_keys AS lk WHERE lk.key IN (
    SELECT w.k FROM unnest(%s::text[]) AS w(k) WHERE NOT EXISTS (
        SELECT 1 FROM lead_keys AS c WHERE c.key = w.k LIMIT 1 OFFSET {cap}))
"""


def lead_ids_for_keys(session: Session, keys: Iterable[str], cap: int) -> set[int]:
    """Stored leads indexed under any of ``keys``, leaving out keys that more than ``cap``
    stored leads share."""
    wanted = sorted({k[:400] for k in keys})  # stored keys are cut at 400 characters
    if not wanted:
        return set()
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        rows = conn.exec_driver_sql(_POSTGRESQL.format(cap=int(cap)), (wanted,))
    else:
        rows = conn.exec_driver_sql(_SQLITE.format(cap=int(cap)), (json.dumps(wanted),))
    return {int(r[0]) for r in rows}
