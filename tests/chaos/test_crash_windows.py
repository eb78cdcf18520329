"""The states a kill can leave between two steps of a file's journey, recovered by the next run.

Random kills rarely land in a window a few microseconds wide, so each window is built here on
purpose: the commit done but the file still in ``.work``; a move cut between its ``link`` and
its ``unlink`` (the file then has two names).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from flows.ingestion import run_ingest
from flows.settings import load_settings
from flows.wiring import App
from ingest.dropfolder import DropFolder
from tests.chaos.generator import DropSet, generate
from tests.chaos.invariants import Outcome, check_home, outcome

TODAY = datetime.now(UTC).date().isoformat()


@pytest.fixture
def drop():
    return generate(seed=9, csvs=2, vcards=1, emails=1, pool=40, rows=(5, 15))


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def run_once(home: Path) -> dict[str, Any]:
    app = App(load_settings(home), actor="test")
    app.migrate()
    try:
        return run_ingest(app, use_imap=False, settle_seconds=0).as_dict()
    finally:
        app.close()


def reference(tmp_path: Path, drop: DropSet) -> Outcome:
    """The undisturbed outcome of the same input."""
    ref_home = tmp_path / "reference"
    drop.write(ref_home / "dropbox" / "inbox")
    run_once(ref_home)
    engine = create_engine(f"sqlite:///{ref_home / 'salesflow.db'}")
    with engine.connect() as conn:
        found = outcome(conn)
    engine.dispose()
    return found


def problems(tmp_path: Path, home: Path, drop: DropSet) -> list[str]:
    return check_home(home, f"sqlite:///{home / 'salesflow.db'}", drop, reference(tmp_path, drop))


def back_to_work(home: Path, filed: Path) -> None:
    """Put a filed file back into .work, as if the run died right after its commit."""
    work = home / "dropbox" / ".work"
    os.rename(filed, work / f"0123456789abcdef-{filed.name}")
    for note in filed.parent.glob(f"{filed.name}.*"):
        note.unlink()


def test_a_stored_file_left_in_work_is_filed_once_and_not_stored_again(tmp_path, home, drop):
    drop.write(home / "dropbox" / "inbox")
    run_once(home)
    back_to_work(home, home / "dropbox" / "processed" / TODAY / "cards-0.vcf")
    summary = run_once(home)
    assert (summary["files_seen"], summary["leads_created"], summary["files_done"]) == (1, 0, 0)
    assert problems(tmp_path, home, drop) == []


def test_a_quarantined_file_left_in_work_goes_back_to_quarantine(tmp_path, home, drop):
    drop.write(home / "dropbox" / "inbox")
    run_once(home)
    back_to_work(home, home / "dropbox" / "quarantine" / TODAY / "broken-export.xlsx")
    run_once(home)
    assert problems(tmp_path, home, drop) == []


def test_a_move_cut_between_link_and_unlink_leaves_one_filed_copy(tmp_path, home, drop):
    drop.write(home / "dropbox" / "inbox")
    run_once(home)
    filed = home / "dropbox" / "processed" / TODAY / "inquiry-0.eml"
    os.link(filed, home / "dropbox" / ".work" / f"0123456789abcdef-{filed.name}")
    run_once(home)
    assert problems(tmp_path, home, drop) == []


def test_a_claim_rename_cut_in_work_leaves_one_filed_copy(tmp_path, home, drop):
    drop.write(home / "dropbox" / "inbox")
    folder = DropFolder(home, settle_seconds=0)
    work = home / "dropbox" / ".work"
    work.mkdir(parents=True)
    source = home / "dropbox" / "inbox" / "webform-01.csv"
    os.link(source, work / ".claim-0123456789abcdef0123456789abcdef-webform-01.csv")
    os.rename(source, work / f"{drop.files[1].sha256[:16]}-webform-01.csv")
    assert len(folder.recover()) == 2  # both names of the one file come back
    run_once(home)
    assert problems(tmp_path, home, drop) == []
