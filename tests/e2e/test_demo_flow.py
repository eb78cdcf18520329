"""The demo flow under Prefect: sample files are ingested, sample leads reach paid invoices."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def test_demo_flow_ingests_samples_and_walks_leads_to_paid_invoices(prefect_harness, tmp_path):
    from flows.demo import demo

    home = tmp_path / "home"
    result = demo(
        str(REPO / "examples" / "lifecycle.json"), str(REPO / "examples" / "dropbox"), str(home)
    )
    ingest = result["ingest"]
    assert ingest["files_seen"] == 6 and ingest["files_quarantined"] == 0
    assert ingest["leads_created"] == 9  # 3 cards, 2 mails, 2 CSV rows, 2 XLSX rows
    assert ingest["records_rejected"] == 1  # the CSV row with no name, email or phone
    finals = [row["final"] for row in result["lifecycle"]]
    assert finals == ["Paid (Complete)", "Paid (Complete)", "Cannot Contact"]

    again = demo(
        str(REPO / "examples" / "lifecycle.json"), str(REPO / "examples" / "dropbox"), str(home)
    )["ingest"]
    assert (again["leads_created"], again["files_already_seen"]) == (0, 6)
