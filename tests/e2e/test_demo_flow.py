"""The flows under Prefect: the demo, and the nightly run whose second pass changes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def test_demo_runs_the_nightly_flow_and_walks_leads_to_paid_invoices(prefect_harness, tmp_path):
    from flows.demo import demo

    home = tmp_path / "home"
    result = demo(
        str(REPO / "examples" / "lifecycle.json"), str(REPO / "examples" / "dropbox"), str(home)
    )
    counts = result["nightly"]["counts"]
    assert counts["files_seen"] == 6 and counts["files_quarantined"] == 0
    assert counts["leads_created"] == 9  # 3 cards, 2 mails, 2 CSV rows, 2 XLSX rows
    assert counts["records_rejected"] == 1  # the CSV row with no name, email or phone
    assert counts["qualified"] >= 1  # hot leads naming catalogue products qualify themselves
    finals = [row["final"] for row in result["lifecycle"]]
    assert finals == ["Paid (Complete)", "Paid (Complete)", "Cannot Contact"]
    assert Path(result["report"]).exists()


def test_nightly_twice_second_run_changes_nothing_and_says_so(prefect_harness, tmp_path):
    from flows.nightly import nightly

    home = tmp_path / "home"
    inbox = home / "dropbox" / "inbox"
    inbox.mkdir(parents=True)
    for f in (REPO / "examples" / "dropbox").iterdir():
        shutil.copy(f, inbox / f.name)
    first = nightly(str(home), None, use_imap=False, settle_seconds=0)
    assert first["changed_anything"] and first["counts"]["leads_created"] == 9
    assert {f["outcome"] for f in first["inputs"]["files"]} == {"done"}
    assert all(len(f["sha256"]) == 64 for f in first["inputs"]["files"])
    assert set(first["durations"]) >= {"dropbox", "exports", "invariants", "report"}
    for f in (REPO / "examples" / "dropbox").iterdir():  # people drop the same files again
        shutil.copy(f, inbox / f.name)
    second = nightly(str(home), None, use_imap=False, settle_seconds=0)
    assert not second["changed_anything"]
    assert second["counts"]["leads_created"] == 0
    assert second["counts"]["files_already_seen"] == 6
    saved = json.loads(Path(second["manifest"]).read_text(encoding="utf-8"))
    assert saved["changed_anything"] is False and saved["findings"] == []
