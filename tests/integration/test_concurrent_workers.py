"""Several ingest workers at once on PostgreSQL and one drop folder: still exactly once.

The workers share the home (so the drop folder) and the database. Renaming a file into
``.work`` is only the first guard — on a shared network folder two hosts may both believe they
won it — so the last test has two workers store the very same file at the same moment and
shows the database claim row lets exactly one of them commit.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from flows.dropbox_run import worker_name
from flows.settings import load_settings
from flows.wiring import App
from pipeline.services.intake import IncomingFile, IncomingRecord, intake_file
from pipeline.services.leads import NewLead
from pipeline.store import tables as t
from tests.chaos.generator import generate
from tests.chaos.invariants import folder_problems, ledger_problems

pytestmark = pytest.mark.postgres
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def pg_url(pg_schema):
    """The test schema's URL, with the search path in it (the app builds its own engine)."""
    url, schema = pg_schema
    return f"{url}?options=-csearch_path%3D{schema}"


@pytest.fixture
def app(tmp_path, pg_url):
    application = App(load_settings(tmp_path / "home", pg_url), actor="test")
    application.migrate()
    yield application
    application.close()


def start_worker(home: Path, url: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "flows.cli", "--home", str(home), "--db", url, "ingest",
               "--no-imap", "--settle", "0", "--json"]  # fmt: skip
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_three_workers_on_one_drop_folder_store_each_file_exactly_once(app, pg_url):
    drop = generate(seed=11, csvs=16, vcards=2, emails=2, pool=300, rows=(40, 200))
    home = app.settings.home
    drop.write(home / "dropbox" / "inbox")
    workers = [start_worker(home, pg_url) for _ in range(3)]
    outputs = [w.communicate(timeout=900) for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0], [e[-1500:] for _, e in outputs]
    assert folder_problems(home / "dropbox", drop) == []
    with app.engine.connect() as conn:
        assert ledger_problems(conn, drop) == []
        emails = Counter(conn.scalars(select(t.leads.c.email_key)))
        claimed_by = set(conn.scalars(select(t.ingest_files.c.claimed_by)))
    assert sorted(emails.values()) == [1] * len(drop.people)  # one lead per person, no doubles
    host = worker_name().split(":")[0]
    assert claimed_by and claimed_by <= {f"{host}:{w.pid}" for w in workers}


def _records(sha: str, people: int) -> list[IncomingRecord]:
    when = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    return [
        IncomingRecord(
            source="file",
            source_ref=f"file://{sha}#row-{n + 2}",
            origin="race.csv",
            received_at=when,
            outcome="lead",
            lead=NewLead(
                first_name=f"Racer{n}",
                last_name="Twice",
                email=f"racer{n}@race.example",
                email_key=f"racer{n}@race.example",
                source="file",
            ),
        )
        for n in range(people)
    ]


def _store(app: App, sha: str, batches, worker: str, results: dict[str, str]) -> None:
    info = IncomingFile(sha256=sha, name=f"{worker}.csv", size=100, kind="csv")
    results[worker], _ = intake_file(app.uow(), info, batches, worker=worker)


def test_two_workers_that_both_won_the_rename_commit_the_file_once(app):
    sha = "ab" * 32
    a_claimed = threading.Event()

    def slow_batches():
        a_claimed.set()  # A's claim row is inserted, its transaction still open
        time.sleep(1.0)
        yield _records(sha, 40)

    results: dict[str, str] = {}
    a = threading.Thread(target=_store, args=(app, sha, slow_batches(), "host-a:1", results))
    a.start()
    assert a_claimed.wait(30)
    _store(app, sha, iter([_records(sha, 40)]), "host-b:2", results)  # blocks until A commits
    a.join(30)
    assert results == {"host-a:1": "done", "host-b:2": "already-seen"}
    with app.engine.connect() as conn:
        files = conn.execute(select(t.ingest_files.c.claimed_by, t.ingest_files.c.status)).all()
        ledger_rows = conn.scalar(select(func.count()).select_from(t.source_records))
        leads = conn.scalar(select(func.count()).select_from(t.leads))
    assert [tuple(f) for f in files] == [("host-a:1", "done")]
    assert (ledger_rows, leads) == (40, 40)


def test_two_files_naming_the_same_people_at_once_make_each_lead_once(app):
    both_parsed = threading.Barrier(2)

    def batches(sha: str):
        try:  # both transactions hold their claim row and are about to resolve the people
            both_parsed.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass  # the other worker waits for our commit: the intake lock serialises them
        yield _records(sha, 25)

    results: dict[str, str] = {}
    shas = ["c1" * 32, "c2" * 32]
    threads = [
        threading.Thread(target=_store, args=(app, sha, batches(sha), f"w{i}:1", results))
        for i, sha in enumerate(shas)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == {"w0:1": "done", "w1:1": "done"}
    with app.engine.connect() as conn:
        emails = Counter(conn.scalars(select(t.leads.c.email_key)))
        ledger_rows = conn.scalar(select(func.count()).select_from(t.source_records))
    assert ledger_rows == 50
    assert len(emails) == 25 and set(emails.values()) == {1}
