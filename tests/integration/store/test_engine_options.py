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
