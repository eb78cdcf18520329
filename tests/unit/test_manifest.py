"""Run manifests: written whole or not at all, and every one listed, readable or not."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app
from flows.manifest import Manifest, list_runs


def _written(folder: Path, run_id: str, started: str, leads: int) -> Path:
    manifest = Manifest(run_id=run_id, flow="nightly", started_at=started)
    manifest.counts["leads_created"] = leads
    manifest.findings.append({"check": "number-gap", "record": "INV-2026-00004", "message": "…"})
    return manifest.write(folder)


def test_a_written_manifest_is_whole_json_and_nothing_is_left_beside_it(tmp_path: Path) -> None:
    path = _written(tmp_path, "run-a", "2026-11-27T22:30:00+00:00", 3)
    assert json.loads(path.read_text(encoding="utf-8"))["counts"] == {"leads_created": 3}
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_runs_are_listed_newest_first_with_their_counts(tmp_path: Path) -> None:
    _written(tmp_path, "older", "2026-11-26T22:30:00+00:00", 1)
    _written(tmp_path, "newer", "2026-11-27T22:30:00+00:00", 5)
    rows = list_runs(tmp_path)
    assert [(r["run"], r["leads"], r["findings"]) for r in rows] == [
        ("newer", 5, 1),
        ("older", 1, 1),
    ]
    assert rows[0]["started"] == "2026-11-27T22:30:00"


def test_an_unreadable_manifest_is_listed_with_its_reason(tmp_path: Path) -> None:
    _written(tmp_path, "good", "2026-11-26T22:30:00+00:00", 2)
    (tmp_path / "20261127T223000-cut.json").write_text('{"run_id": "cut", "cou', encoding="utf-8")
    (tmp_path / "20261127T230000-list.json").write_text("[1, 2]", encoding="utf-8")
    rows = list_runs(tmp_path)
    assert [(r["run"], r["flow"]) for r in rows] == [
        ("20261127T230000-list", "unreadable"),
        ("20261127T223000-cut", "unreadable"),
        ("good", "nightly"),
    ]
    assert "JSONDecodeError" in rows[1]["error"]
    assert "not an object" in rows[0]["error"]


def test_a_half_written_manifest_is_not_listed_as_a_run(tmp_path: Path) -> None:
    (tmp_path / "20261127T223000-x.json.partial").write_text("{", encoding="utf-8")
    assert list_runs(tmp_path) == []


def test_runs_command_fits_80_columns_and_names_the_unreadable(tmp_path: Path) -> None:
    runs = tmp_path / "home" / "runs"
    _written(runs, "6eb9d745-a663-4f08-a1bb-3750aedfd7fd", "2026-11-27T22:30:00+00:00", 12)
    (runs / "20261127T230000-cut.json").write_text('{"run_id": "cut", "cou', encoding="utf-8")
    result = CliRunner().invoke(app, ["--home", str(tmp_path / "home"), "runs"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(map(len, lines)) <= 80
    good = next(line for line in lines if "nightly" in line)
    assert good.split() == ["2026-11-27", "22:30", "nightly", "0", "0", "12", "0", "0", "1"] + [
        "6eb9d745"
    ]
    assert any("unreadable" in line and "20261127" in line for line in lines)
    assert "unreadable manifest" in result.stderr and "JSONDecodeError" in result.stderr
