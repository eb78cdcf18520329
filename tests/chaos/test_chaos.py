"""Random SIGKILLs of ``salesflow ingest`` on SQLite leave every input stored exactly once.

``SALESFLOW_CHAOS_KILLS`` sets how many kills (default 10); the drop set is the harness's
30 files, with smaller CSVs than ``python -m tests.chaos.run`` so CI stays within minutes.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine

from tests.chaos.generator import generate
from tests.chaos.harness import prepare_home, run_chaos, run_to_end
from tests.chaos.invariants import check_home, outcome

pytestmark = pytest.mark.slow


def test_random_kills_leave_every_input_accounted_for_exactly_once(tmp_path):
    kills = int(os.environ.get("SALESFLOW_CHAOS_KILLS", "10"))
    drop = generate(seed=3, pool=200, rows=(30, 200))
    tally = run_chaos(tmp_path, drop, kills, seed=3)
    assert tally.problems == []
    assert tally.kills == kills
    assert tally.runs >= kills + tally.rounds * 2  # each round: one completed run + a clean run


def test_the_harness_notices_a_file_stored_twice(tmp_path):
    # The invariants must be able to fail: a second copy filed under processed/ is caught.

    drop = generate(seed=4, csvs=2, vcards=1, emails=1, pool=30, rows=(5, 10))
    app = prepare_home(tmp_path / "home", drop)
    run_to_end(tmp_path / "home", timeout=600)
    engine = create_engine(app.settings.db_url)
    with engine.connect() as conn:
        ref = outcome(conn)
    engine.dispose()
    processed = next((tmp_path / "home" / "dropbox" / "processed").rglob("cards-0.vcf"))
    (processed.parent / "cards-0 (2).vcf").write_bytes(processed.read_bytes())
    problems = check_home(tmp_path / "home", app.settings.db_url, drop, ref)
    assert problems == [f"{drop.files[2].sha256[:12]} is in processed/ 2 times, not 1"]
