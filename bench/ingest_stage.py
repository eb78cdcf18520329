"""One measurement of the ingestion benchmark, run in a fresh process so its peak RSS is its own.

Stages:

- ``parse+normalise``: the source's parser streamed over the files, ``build_candidates`` on
  each batch of 2,000 records (as ``flows.convert`` batches them); nothing is kept, no database;
- ``parse+normalise bulk``: the same inside ``flows.collector.bulk_work``, the garbage-collector
  settings the ingest flows run with (objects that exist before are frozen, fewer young
  collections); without them full collections rescan every imported module's objects;
- ``parse only``: the parser alone (for vCards on the clean cards, to set against vobject);
- ``vobject``: ``vobject.readComponents`` over the same clean cards, every component consumed;
- ``full sqlite`` / ``full postgresql``: ``run_ingest`` on a fresh home and schema — copy into the
  drop folder, hash, claim, parse, normalise, Core bulk insert of leads, events and ledger rows,
  file moves. Migrations run before the clock starts.
"""

from __future__ import annotations

import cProfile
import hashlib
import os
import pstats
import resource
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BATCH = 2000


@dataclass
class Outcome:
    """What one stage did: units read, records out, rejects, leads stored, times, memory."""

    units: int = 0  # cards, rows or messages the stage was given credit for
    records: int = 0  # RawRecords (or vobject components)
    rejected: int = 0
    leads: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    base_mb: float = 0.0  # peak RSS after imports and set-up, before the clock starts
    peak_mb: float = 0.0


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _items(source: str, path: Path) -> Iterator[Any]:
    from ingest.message import parse_message
    from ingest.sheet import parse_sheet
    from ingest.vcard import parse_vcards

    sha = hashlib.sha256(path.name.encode()).hexdigest()  # hashing is the drop folder's cost
    now = datetime.now(UTC)
    if source == "vcard":
        return parse_vcards(path.read_bytes(), file_sha256=sha, origin=path.name, received_at=now)
    if source == "email":
        data = path.read_bytes()
        return parse_message(data, source_ref=f"file://{sha}", origin=path.name, received_at=now)
    return parse_sheet(path, file_sha256=sha, origin=path.name, received_at=now)


def _stream(source: str, folder: Path) -> Iterator[Any]:
    # names, not Path objects: 10,000 of those held for the whole stage were megabytes of the
    # bench's own, not the parser's
    names = sorted(entry.name for entry in os.scandir(folder))
    return chain.from_iterable(_items(source, folder / name) for name in names)


def parse_and_normalise(source: str, folder: Path, out: Outcome, normalise: bool) -> None:
    """Stream the parser over ``folder``; normalise each batch unless told not to."""
    from flows.convert import batched
    from ingest.normalise import build_candidates
    from ingest.records import RawRecord, Rejected

    for batch in batched(_stream(source, folder), BATCH):
        raws = [i for i in batch if isinstance(i, RawRecord)]
        out.records += len(raws)
        out.rejected += sum(isinstance(i, Rejected) for i in batch)
        if normalise:
            out.leads += sum(c.has_identity for c in build_candidates(raws))
        del batch, raws  # one batch held at a time, as the intake does


def vobject_baseline(folder: Path, out: Outcome) -> None:
    """Plain vobject over the same files: parse every component, nothing more."""
    import vobject

    for path in sorted(folder.iterdir()):
        out.records += sum(1 for _ in vobject.readComponents(path.read_text("utf-8")))


class _Pipeline:
    """A fresh salesflow home (SQLite file or a PostgreSQL schema of its own), migrated."""

    def __init__(self, db: str, home: Path) -> None:
        from flows.settings import load_settings
        from flows.wiring import App
        from pipeline.store.database import make_engine

        self.schema = f"bench_{uuid.uuid4().hex[:10]}" if db == "postgresql" else None
        url = PG_URL if self.schema else f"sqlite:///{home / 'salesflow.db'}"
        if self.schema:
            self._admin(f'CREATE SCHEMA "{self.schema}"')
        engine = make_engine(url, schema=self.schema)
        self.app = App(load_settings(home, database_url=url), actor="bench", _engine=engine)
        self.app.migrate()

    def _admin(self, sql: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(sql))
        engine.dispose()

    def close(self) -> None:
        self.app.close()
        if self.schema:
            self._admin(f'DROP SCHEMA "{self.schema}" CASCADE')


def _timed(work: Callable[[], None], out: Outcome, profile: bool) -> None:
    out.base_mb = _rss_mb()
    profiler = cProfile.Profile() if profile else None
    start, start_cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.runcall(work)
    else:
        work()
    out.wall, out.cpu = time.perf_counter() - start, time.process_time() - start_cpu
    out.peak_mb = _rss_mb()
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(30)


def run_full(folder: Path, db: str, out: Outcome, profile: bool) -> None:
    """``run_ingest`` on a fresh home; counts come from its summary."""
    from flows.ingestion import run_ingest

    tmp = Path(tempfile.mkdtemp(prefix="bench-home-"))
    pipeline = _Pipeline(db, tmp / "home")
    try:
        summary: dict[str, Any] = {}

        def work() -> None:
            result = run_ingest(pipeline.app, [folder], use_imap=False, settle_seconds=0)
            summary.update(result.as_dict())

        _timed(work, out, profile)
        out.records = summary["records_parsed"]
        out.leads = summary["leads_created"]
        out.rejected = summary["records_rejected"] + summary["files_quarantined"]
    finally:
        pipeline.close()
        shutil.rmtree(tmp, ignore_errors=True)


def measure(source: str, stage: str, folder: Path, units: int, profile: bool = False) -> Outcome:
    """Run one stage over ``folder`` and return its outcome (``units`` is what N credits)."""
    # Imported before the clock starts, so the stage times the work, not the imports.
    from flows import convert  # noqa: F401
    from flows.collector import bulk_work
    from ingest import message, normalise, sheet, vcard  # noqa: F401

    out = Outcome(units=units)
    if stage.startswith("full"):
        run_full(folder, stage.split()[1], out, profile)
    elif stage == "vobject":
        import vobject  # noqa: F401

        _timed(lambda: vobject_baseline(folder, out), out, profile)
    elif stage == "parse+normalise bulk":

        def in_bulk_work() -> None:
            with bulk_work():
                parse_and_normalise(source, folder, out, True)

        _timed(in_bulk_work, out, profile)
    else:
        normalise_too = stage == "parse+normalise"
        _timed(lambda: parse_and_normalise(source, folder, out, normalise_too), out, profile)
    return out
