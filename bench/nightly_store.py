"""Databases holding N stored leads for ``bench.nightly``, built once and copied for each run.

SQLite: an app-migrated file (``App.migrate``) filled with raw ``sqlite3`` ``executemany`` in
big transactions, with the journal settings the app itself uses (WAL, synchronous NORMAL); it is
cached under ``CACHE`` per N, schema revision and data version, and each run gets a copy.
PostgreSQL: a template database (``salesflow_bench_tpl_<N>_<rev>_<version>``), migrated by the
app and filled with ``COPY`` from the cached SQLite file, then ``ANALYZE``d (autovacuum would
have done that to a real store); each run gets ``CREATE DATABASE bench_<hex> TEMPLATE tpl``,
dropped afterwards. Templates are kept between runs like the SQLite cache;
``--rebuild`` makes both again.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import time
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from bench.nightly_data import (
    EVENT_COLUMNS,
    LEAD_COLUMNS,
    LEDGER_COLUMNS,
    StoredChunk,
    chunks,
    stored_chunk,
)

CACHE = Path("/tmp/salesflow-bench-cache")
DATA_VERSION = "v1"  # bump when bench.nightly_data changes what a stored lead is
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_APP = "postgresql+psycopg://postgres@127.0.0.1:5432/{db}"
TABLES = (
    ("leads", LEAD_COLUMNS),
    ("lead_keys", ["key", "lead_id"]),
    ("events", EVENT_COLUMNS),
    ("source_records", LEDGER_COLUMNS),
)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _revision() -> str:
    from pipeline.store.migrate import head_revision

    return (head_revision() or "none").split("_")[0]


def _migrate(url: str, home: Path) -> None:
    """The app's own schema: its settings, its engine, its migrations."""
    from flows.settings import load_settings
    from flows.wiring import App

    app = App(load_settings(home, database_url=url), actor="bench")
    try:
        app.migrate()
    finally:
        app.close()


def _insert_sql(table: str, columns: list[str]) -> str:
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


def _fill_sqlite(path: Path, stored: int) -> None:
    """Stored rows computed by two worker processes, written here in 100k-lead transactions.

    The secondary indexes are dropped during the load and made again with their own DDL (one
    sorted build instead of millions of random inserts); lead keys go through an unindexed
    staging table into ``lead_keys`` in key order, for the same reason (its UNIQUE index cannot
    be dropped)."""
    conn = sqlite3.connect(path)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("PRAGMA cache_size=-262144")  # 256 MB page cache for this loader only
    indexes = _drop_indexes(conn)
    conn.execute("CREATE TABLE bench_keys (key TEXT, lead_id INTEGER)")
    sql = [_insert_sql("bench_keys" if t == "lead_keys" else t, c) for t, c in TABLES]
    done, started = 0, time.perf_counter()
    for chunk in _computed(stored):
        for statement, rows in zip(sql, chunk.tables(), strict=True):
            conn.executemany(statement, rows)
        done += len(chunk.leads)
        if done % 100_000 == 0 or done == stored:
            conn.commit()
            _say(f"  preload: {done:,} leads ({time.perf_counter() - started:.0f} s)")
    conn.execute("INSERT INTO lead_keys SELECT key, lead_id FROM bench_keys ORDER BY key, lead_id")
    conn.execute("DROP TABLE bench_keys")
    for ddl in indexes:
        conn.execute(ddl)
    conn.commit()
    _say(f"  preload: indexed ({time.perf_counter() - started:.0f} s)")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _drop_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the explicit indexes of the loaded tables; returns their DDL."""
    names = ", ".join(f"'{t}'" for t, _ in TABLES)
    found = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({names})"
    ).fetchall()
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')
    return [ddl for _, ddl in found]


def _computed(stored: int, ahead: int = 4) -> Iterator[StoredChunk]:
    """Chunks in order from two workers, at most ``ahead`` waiting (memory stays bounded)."""
    with ProcessPoolExecutor(max_workers=2) as pool:
        pending: deque[Future[StoredChunk]] = deque()
        for bounds in chunks(stored):
            pending.append(pool.submit(stored_chunk, bounds))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def sqlite_cache(stored: int, rebuild: bool = False) -> Path:
    """The cached SQLite file with ``stored`` leads (built when missing)."""
    path = CACHE / f"stored-{stored}-{_revision()}-{DATA_VERSION}.db"
    if path.exists() and not rebuild:
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    work = CACHE / f"building-{uuid.uuid4().hex[:8]}"
    try:
        _say(f"building the SQLite store of {stored:,} leads in {path}")
        _migrate(f"sqlite:///{work / 'salesflow.db'}", work)
        _fill_sqlite(work / "salesflow.db", stored)
        (work / "salesflow.db").replace(path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return path


def copy_sqlite(stored: int, home: Path) -> str:
    """A private copy of the cached store in ``home``; returns its URL."""
    target = home / "salesflow.db"
    shutil.copyfile(sqlite_cache(stored), target)
    return f"sqlite:///{target}"


def _admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def _pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return found is not None


def pg_template(stored: int, rebuild: bool = False) -> str:
    """The template database with ``stored`` leads (built from the SQLite cache when missing)."""
    name = f"salesflow_bench_tpl_{stored}_{_revision()}_{DATA_VERSION}".lower()
    if _pg_exists(name) and not rebuild:
        return name
    source = sqlite_cache(stored)  # the caller rebuilds it first when told to
    _say(f"building the PostgreSQL template {name} from {source.name}")
    _admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    try:
        _migrate(PG_APP.format(db=name), CACHE / "pg-home")
        _copy_into(name, source)
    except BaseException:
        _admin(f'DROP DATABASE IF EXISTS "{name}"')
        raise
    return name


def _copy_into(name: str, source: Path) -> None:
    """Every stored table, SQLite rows → ``COPY``; then the id sequences and statistics."""
    import psycopg

    lite = sqlite3.connect(source)
    started = time.perf_counter()
    with psycopg.connect(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}") as conn:
        conn.execute("SET TIME ZONE 'UTC'")  # the SQLite stamps are UTC without a zone
        for table, columns in TABLES:
            cols = ", ".join(columns)
            with conn.cursor().copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in lite.execute(f"SELECT {cols} FROM {table}"):
                    copy.write_row(row)
            _say(f"  COPY {table} ({time.perf_counter() - started:.0f} s)")
        for table in ("leads", "events", "source_records"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")
    lite.close()


@contextmanager
def pg_database(stored: int) -> Iterator[str]:
    """A fresh database copied from the template; dropped afterwards, even on failure."""
    name = f"bench_{uuid.uuid4().hex[:10]}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template(stored)}"')
    try:
        yield PG_APP.format(db=name)
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
