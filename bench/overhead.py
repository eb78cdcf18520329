"""What Prefect adds to a night: the same work on N records with and without the flow machinery.

Run from the repository root: ``.venv/bin/python -m bench.overhead [--rows 20000] [--repeat 1]``.

N web-form rows (``bench.ingest_synth``: half a cp1254 ``;`` Turkish export, half a UTF-8 ``,``
one) are generated once; each measurement gets a fresh, initialised home with those files
settled in its drop folder (not timed). *plain* calls what the ``nightly`` tasks call — drop
folder, exports, invariant checks, report, manifest — as ordinary functions; *prefect* calls the
``nightly`` flow (mailbox off in both, so both do the same work) under ``prefect_test_harness``,
a throwaway local server whose start is not timed, then counts the flow run's task runs through
the Prefect client. Goal: Prefect adds at most 10 % and at most 100 task runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.ingest_synth import write_csvs

ROOT = Path(__file__).resolve().parents[1]
OVERHEAD_GOAL = 10.0  # percent
TASK_RUNS_GOAL = 100
MODES = ("plain", "prefect")
PAGE = 200  # the most task runs the API returns per request


def fresh_home(parent: Path, name: str, inputs: list[Path]) -> Path:
    """An initialised home whose inbox holds ``inputs``, settled an hour ago."""
    home = parent / name
    subprocess.run(
        [sys.executable, "-m", "flows.cli", "--home", str(home), "init"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    an_hour_ago = time.time() - 3600
    for src in inputs:
        dst = home / "dropbox" / "inbox" / src.name
        shutil.copyfile(src, dst)
        os.utime(dst, (an_hour_ago, an_hour_ago))
    return home


def plain_night(home: Path) -> dict[str, Any]:
    """The nightly work without Prefect: each task's function, called directly."""
    from flows.ingestion import IngestSummary
    from flows.manifest import Manifest
    from flows.nightly import (
        _app,
        _record_ingest,
        check_invariants,
        export_issued,
        pipeline_report,
        scan_dropbox,
    )

    app = _app(str(home), None, "bench")
    try:
        manifest = Manifest(run_id="bench-plain", flow="nightly")
        summary = IngestSummary()
        with manifest.stage("dropbox"):
            summary.drop = scan_dropbox.fn(app, 0).drop
        _record_ingest(manifest, summary)
        with manifest.stage("exports"):
            manifest.documents = export_issued.fn(app)
        with manifest.stage("invariants"):
            manifest.findings = check_invariants.fn(app)
        with manifest.stage("report"):
            manifest.counts["report"] = pipeline_report.fn(app, manifest.counts)
        manifest.write(home / "runs")
        return manifest.as_dict()
    finally:
        app.close()


def prefect_night(home: Path) -> Any:
    """The ``nightly`` flow (call it inside a Prefect server); its final state."""
    from flows.nightly import nightly

    return nightly(str(home), None, False, 0, return_state=True)


async def count_task_runs(flow_run_id: Any, settle: float = 30.0) -> int:
    """Task runs the API recorded for one flow run.

    The server records task runs from events, a moment after they happen: read until two
    readings a second apart agree."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    only_this_run = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
    last, deadline = -1, time.monotonic() + settle
    async with get_client() as client:
        while time.monotonic() < deadline:
            count, offset = 0, 0
            while page := await client.read_task_runs(
                flow_run_filter=only_this_run, limit=PAGE, offset=offset
            ):
                count, offset = count + len(page), offset + PAGE
            if count == last and count > 0:
                return count
            last = count
            await asyncio.sleep(1.0)
    return last


def timed(fn: Any, *args: Any) -> tuple[float, float, Any]:
    """Wall and CPU seconds of one call, and what it returned."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, out


def measure(rows: int, repeat: int) -> list[dict[str, Any]]:
    """Alternate plain and Prefect runs ``repeat`` times each; one result row per run."""
    from prefect.testing.utilities import prefect_test_harness

    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="salesflow-overhead-") as tmp:
        inputs = write_csvs(Path(tmp) / "inputs", rows)
        with prefect_test_harness(server_startup_timeout=300):
            for i in range(repeat):
                home = fresh_home(Path(tmp), f"plain-{i}", inputs)
                wall, cpu, manifest = timed(plain_night, home)
                results.append(row("plain", wall, cpu, manifest, None))
                home = fresh_home(Path(tmp), f"prefect-{i}", inputs)
                wall, cpu, state = timed(prefect_night, home)
                tasks = asyncio.run(count_task_runs(state.state_details.flow_run_id))
                results.append(row("prefect", wall, cpu, state.result(), tasks))
    return results


def row(
    mode: str, wall: float, cpu: float, manifest: dict[str, Any], tasks: int | None
) -> dict[str, Any]:
    counts = manifest["counts"]
    return {
        "mode": mode,
        "wall": wall,
        "cpu": cpu,
        "records": counts.get("records_parsed", 0),
        "leads": counts.get("leads_created", 0),
        "tasks": tasks,
    }


def report(results: list[dict[str, Any]]) -> None:
    """Print the runs, then the overhead on the best (least disturbed) run of each mode.

    The machine is shared, so wall time is noisy; CPU time of this process (the server runs in
    another one) is the steadier figure."""
    print(f"{'mode':<8} {'wall s':>8} {'cpu s':>8} {'records':>8} {'leads':>7} {'task runs':>9}")
    for r in results:
        tasks = "-" if r["tasks"] is None else str(r["tasks"])
        print(
            f"{r['mode']:<8} {r['wall']:>8.2f} {r['cpu']:>8.2f} {r['records']:>8} "
            f"{r['leads']:>7} {tasks:>9}"
        )
    tasks = max(r["tasks"] for r in results if r["mode"] == "prefect")
    for measure_ in ("wall", "cpu"):
        best = {m: min(r[measure_] for r in results if r["mode"] == m) for m in MODES}
        extra = best["prefect"] - best["plain"]
        pct = 100.0 * extra / best["plain"]
        verdict = "met" if pct <= OVERHEAD_GOAL else "MISSED"
        print(
            f"overhead ({measure_}, best of each): {extra:+.2f} s = {pct:+.1f} % "
            f"(goal <= {OVERHEAD_GOAL:.0f} %: {verdict})"
        )
    verdict = "met" if tasks <= TASK_RUNS_GOAL else "MISSED"
    print(f"task runs of the flow run: {tasks} (goal <= {TASK_RUNS_GOAL}: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    report(measure(args.rows, args.repeat))


if __name__ == "__main__":
    main()
