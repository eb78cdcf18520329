"""Document numbers: no gap and no duplicate, also with two processes at once."""

from __future__ import annotations

import multiprocessing as mp
import random

from sqlalchemy import text

from pipeline.domain.numbering import DocType
from pipeline.store.database import make_engine
from pipeline.store.migrate import is_current, upgrade
from pipeline.store.sequences import current_number, next_number


def _worker(url: str, schema: str, count: int, seed: int, out: mp.Queue) -> None:
    engine = make_engine(url, schema=schema)
    rng = random.Random(seed)
    kept: list[int] = []
    while len(kept) < count:
        with engine.connect() as conn:
            trans = conn.begin()
            number = next_number(conn, DocType.INVOICE, 2026)
            conn.execute(text("select pg_sleep(0.0005)"))
            if rng.random() < 0.15:  # some transactions fail: their number must come back
                trans.rollback()
                continue
            trans.commit()
            kept.append(number)
    engine.dispose()
    out.put(kept)


def test_two_processes_issue_200_invoice_numbers_without_gap_or_duplicate(pg_schema):
    url, schema = pg_schema
    upgrade(make_engine(url, schema=schema))
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, schema, 100, seed, queue)) for seed in (1, 2)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    numbers = sorted(results[0] + results[1])
    assert numbers == list(range(1, 201))
    assert len(set(results[0]) & set(results[1])) == 0
    assert results[0] and results[1]


def test_numbers_restart_per_year_and_type(engine):
    with engine.begin() as conn:
        assert [next_number(conn, DocType.QUOTE, 2026) for _ in range(3)] == [1, 2, 3]
        assert next_number(conn, DocType.QUOTE, 2027) == 1
        assert next_number(conn, DocType.ORDER, 2026) == 1
        assert current_number(conn, DocType.QUOTE, 2026) == 3


def test_migrations_are_idempotent(engine):
    upgrade(engine)
    upgrade(engine)
    assert is_current(engine)


def test_migrated_schema_matches_the_tables(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from pipeline.store.tables import metadata

    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
