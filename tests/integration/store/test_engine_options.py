"""PostgreSQL connections: JIT off, and the schema kept whether it comes as a URL option or not."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from pipeline.store.database import make_engine

pytestmark = pytest.mark.postgres


def _show(url: str, schema: str | None = None) -> tuple[str, str]:
    engine = make_engine(url, schema=schema)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SHOW jit")).scalar_one(), conn.execute(
                text("SHOW search_path")
            ).scalar_one()
    finally:
        engine.dispose()


def test_jit_is_off_and_the_schema_argument_is_the_search_path(pg_schema) -> None:
    url, schema = pg_schema
    assert _show(url, schema) == ("off", schema)


def test_a_search_path_given_in_the_url_survives(pg_schema) -> None:
    url, schema = pg_schema
    assert _show(f"{url}?options=-csearch_path%3D{schema}") == ("off", schema)


def test_tables_filled_since_their_statistics_are_analysed_once(pg_schema) -> None:
    import time
    from datetime import UTC, datetime

    from pipeline.store import tables as t
    from pipeline.store.maintenance import refresh_statistics
    from pipeline.store.migrate import upgrade

    url, schema = pg_schema
    engine = make_engine(url, schema=schema)
    try:
        upgrade(engine)
        when = datetime(2026, 11, 27, tzinfo=UTC)
        row = {"name": "Acme", "company_key": "acme", "website": "", "city": "", "country": "TR"}
        with engine.begin() as conn:
            conn.execute(t.accounts.insert(), [{**row, "created_at": when}] * 1500)
        analysed_now: list[str] = []
        for _ in range(50):  # the server publishes table counters within about a second
            with engine.begin() as conn:
                analysed_now = refresh_statistics(conn)
            if analysed_now:
                break
            time.sleep(0.1)
        assert analysed_now == ["accounts"]
        with engine.begin() as conn:
            assert refresh_statistics(conn) == []  # analysed now: nothing stale
            analysed = conn.execute(
                text("SELECT reltuples FROM pg_class WHERE relname = 'accounts'")
            ).scalar_one()
        assert analysed == 1500
    finally:
        engine.dispose()
