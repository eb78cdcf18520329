"""Planner statistics for tables a night fills from empty (PostgreSQL).

Foreign-key checks run cached plans, made once per connection. Planned while ``accounts`` or
``contacts`` are empty, the check of every new opportunity scans the whole table, and a night
that qualifies tens of thousands of leads slows down quadratically (measured: COPY into
``opportunities`` was the server's largest cost against a store with no customers yet).
Autovacuum analyses such tables only after the night's transactions have committed and only
once a minute; here, tables changed by more than their analysed size are analysed at once,
which also makes the server plan those checks again.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

WATCHED = ("accounts", "contacts", "opportunities", "opportunity_lines", "lead_scores")
_STALE = text(
    """
SELECT s.relname FROM pg_stat_user_tables AS s JOIN pg_class AS c ON c.oid = s.relid
WHERE s.relname = ANY(:names) AND s.schemaname = current_schema()
  AND s.n_mod_since_analyze > greatest(1000, c.reltuples)"""
)


def refresh_statistics(conn: Connection) -> list[str]:
    """ANALYZE the watched tables whose statistics are stale; their names (PostgreSQL only)."""
    if conn.dialect.name != "postgresql":
        return []
    stale = [str(name) for name in conn.execute(_STALE, {"names": list(WATCHED)}).scalars()]
    for name in stale:
        conn.exec_driver_sql(f'ANALYZE "{name}"')
    return stale
