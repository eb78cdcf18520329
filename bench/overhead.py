"""What Prefect adds to a night: the same work on N records with and without the flow machinery.

Run from the repository root: ``.venv/bin/python -m bench.overhead [--rows 20000] [--repeat 3]``.

N web-form rows (``bench.ingest_synth``: half a cp1254 ``;`` Turkish export, half a UTF-8 ``,``
one) are generated once; each measurement gets a fresh, initialised home with those files
settled in its drop folder (not timed). *plain* calls what the ``nightly`` tasks call — drop
folder, exports, invariant checks, report, manifest — as ordinary functions; *prefect* calls the
``nightly`` flow (mailbox off in both, so both do the same work), whose extra work — flow and
task runs, the artifacts of ``_publish`` — is Prefect's cost. *prefect* calls it as
``salesflow run`` does (``flows.attended``: no heartbeat thread); *prefect+hb* keeps Prefect's
heartbeats as a worker-run deployment has them (a thread joined at the end of the run, which
sleeps in one-second steps: up to a second more per run). Goal: Prefect adds at most 10 % and
at most 100 task runs.

Every night runs in a fresh interpreter (``python -m bench.overhead --night MODE HOME``), as a
worker runs each flow run: both modes import ``flows.nightly`` (and so Prefect) before the clock
and then time one call, so neither inherits the other's warm caches or garbage, and the clock
does not see the test server's modules in the measured heap. The order alternates
(plain first, then prefect first). The Prefect API is one ``prefect_test_harness`` server whose
start is not timed; the bench reads that process's CPU seconds around every night (*server cpu*:
what the API did while the night's process lived — its idle services tick in both modes) and
counts the flow run's task runs through the Prefect client. *proc s* is the child's whole life
(interpreter start, imports, the night, Prefect draining its log and event queues at exit).

On a shared machine the same night's work varies by a fifth or more from run to run, often more
than Prefect adds, so the overhead is given two ways. *End to end*: whole nights compared, best
and median of each mode. *In-run*: every night also times the task bodies (``BodyClock``: the
tasks' own functions, wall and the CPU of the thread running them); the rest of the night —
opening the app and the manifest, plus with Prefect the flow and task runs, API calls,
artifacts, its background threads and the heartbeat join — is its *rest wall* / *rest cpu*.
A mode's median rest minus plain's, over the median plain night, is Prefect's own cost measured
inside each run, where the machine's drifts mostly cancel out; the goal is judged on it, and the
end-to-end lines show how far the noise moves the whole.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any
from uuid import UUID

from bench.ingest_synth import write_csvs
from flows.attended import attended_runs

ROOT = Path(__file__).resolve().parents[1]
OVERHEAD_GOAL = 10.0  # percent
TASK_RUNS_GOAL = 100
MODES = ("plain", "prefect", "prefect+hb")
PAGE = 200  # the most task runs the API returns per request
MARK = "overhead-night: "  # the child's result line, among whatever Prefect prints


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
        manifest.counts["documents_exported"] = len(manifest.documents)
        with manifest.stage("invariants"):
            manifest.findings = check_invariants.fn(app)
        with manifest.stage("report"):
            manifest.counts["report"] = pipeline_report.fn(app, manifest.counts)
        manifest.write(home / "runs")
        return manifest.as_dict()
    finally:
        app.close()


def prefect_night(home: Path) -> Any:
    """The ``nightly`` flow (call it with a Prefect API configured); its final state."""
    from flows.nightly import nightly

    return nightly(str(home), None, False, 0, return_state=True)


def timed(fn: Any, *args: Any) -> tuple[float, float, Any]:
    """Wall and CPU seconds of one call, and what it returned."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, out


class BodyClock:
    """Wall seconds inside the task bodies (the tasks' own functions), and the CPU seconds of
    the thread that runs them (other threads' CPU meanwhile — Prefect's log, event and API
    threads — is not the work's).

    Both modes call the same functions: *plain* directly, *prefect* through Prefect's task
    engine, which calls ``task.fn``. Whatever a night spends outside them — opening the app,
    the manifest and, with Prefect, flow and task runs, API calls, artifacts, the heartbeat
    thread's join — is its *rest*; Prefect's cost is the difference of the rests, measured
    inside each run, so the slow drifts of a shared machine (which move the work itself by a
    fifth or more) mostly cancel out."""

    def __init__(self) -> None:
        self.wall = 0.0
        self.cpu = 0.0

    @contextmanager
    def timing(self, tasks: list[Any]) -> Iterator[None]:
        """Time the bodies of ``tasks`` until the block ends."""
        originals = [task.fn for task in tasks]
        for task, fn in zip(tasks, originals, strict=True):
            task.fn = self._timed(fn)
        try:
            yield
        finally:
            for task, fn in zip(tasks, originals, strict=True):
                task.fn = fn

    def _timed(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def body(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.wall += time.perf_counter() - wall
                self.cpu += time.thread_time() - cpu

        return body


def night(mode: str, home: Path) -> dict[str, Any]:
    """In the child: one timed night; its times, counts and (prefect) flow run id."""
    from flows import nightly  # every import before the clock, the same in both modes

    bodies = BodyClock()
    tasks = [nightly.scan_dropbox, nightly.export_issued, nightly.check_invariants]
    with bodies.timing([*tasks, nightly.pipeline_report]):
        if mode == "plain":
            wall, cpu, manifest = timed(plain_night, home)
            counts, run_id = manifest["counts"], None
        else:
            attended = attended_runs() if mode == "prefect" else nullcontext()
            with attended:
                wall, cpu, state = timed(prefect_night, home)
            counts, run_id = state.result()["counts"], str(state.state_details.flow_run_id)
    return {
        "wall": wall,
        "cpu": cpu,
        "body_wall": bodies.wall,
        "body_cpu": bodies.cpu,
        "counts": counts,
        "flow_run_id": run_id,
    }


def run_night(mode: str, home: Path, env: dict[str, str]) -> dict[str, Any]:
    """One night in a fresh interpreter; what ``night`` returned, plus the process's life."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.overhead", "--night", mode, str(home)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    if proc.returncode or not lines:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise RuntimeError(f"the {mode} night failed (exit {proc.returncode})")
    return {**json.loads(lines[-1][len(MARK) :]), "proc": time.perf_counter() - started}


def child_pids() -> list[int]:
    """Processes this one started that still run (under the harness: its server)."""
    me, found = os.getpid(), []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and _stat(int(entry.name))[1] == str(me):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _stat(pid: int) -> list[str]:
    # the fields after "(comm)", which may itself hold spaces: state, ppid, ..., utime, stime
    return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1]).split()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far (0 without /proc)."""
    ticks = 0
    for pid in pids:
        try:
            fields = _stat(pid)
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


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


def measure(rows: int, repeat: int) -> list[dict[str, Any]]:
    """``repeat`` nights of each mode, alternating which goes first; one result row per night."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="salesflow-overhead-") as tmp:
        inputs = write_csvs(Path(tmp) / "inputs", rows)
        with prefect_test_harness(server_startup_timeout=300):
            env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
            server = child_pids()
            for i in range(repeat):
                for mode in MODES if i % 2 == 0 else MODES[::-1]:
                    home = fresh_home(Path(tmp), f"{mode}-{i}", inputs)
                    before = cpu_seconds(server)
                    out = run_night(mode, home, env)
                    out["server"] = cpu_seconds(server) - before
                    if out["flow_run_id"]:
                        run_id = UUID(out["flow_run_id"])
                        out["tasks"] = asyncio.run(count_task_runs(run_id))
                    results.append(row(mode, out))
    return results


def row(mode: str, out: dict[str, Any]) -> dict[str, Any]:
    counts = out["counts"]
    return {
        "mode": mode,
        **{k: out[k] for k in ("wall", "cpu", "server", "proc")},
        "rest_wall": out["wall"] - out["body_wall"],
        "rest_cpu": out["cpu"] - out["body_cpu"],
        "records": counts.get("records_parsed", 0),
        "leads": counts.get("leads_created", 0),
        "tasks": out.get("tasks"),
    }


def _verdict(pct: float) -> str:
    return f"(goal <= {OVERHEAD_GOAL:.0f} %: {'met' if pct <= OVERHEAD_GOAL else 'MISSED'})"


def report(results: list[dict[str, Any]]) -> None:
    """Print the nights, then what each Prefect mode adds, two ways.

    *End to end*: the best (least disturbed) and the median night of each mode, compared whole.
    The machine is shared, so the same night's work varies by a fifth or more from run to run
    here, often more than what Prefect adds. *In-run*: the median *rest* (a night's time outside
    the task bodies, see ``BodyClock``) of the mode minus that of *plain*, over the median plain
    night: Prefect's own cost, measured inside each run."""
    print(
        f"{'mode':<10} {'wall s':>8} {'cpu s':>8} {'rest wall':>9} {'rest cpu':>8} "
        f"{'server cpu':>10} {'proc s':>8} {'records':>8} {'leads':>7} {'task runs':>9}"
    )
    for r in results:
        tasks = "-" if r["tasks"] is None else str(r["tasks"])
        print(
            f"{r['mode']:<10} {r['wall']:>8.2f} {r['cpu']:>8.2f} {r['rest_wall']:>9.2f} "
            f"{r['rest_cpu']:>8.2f} {r['server']:>10.2f} {r['proc']:>8.2f} {r['records']:>8} "
            f"{r['leads']:>7} {tasks:>9}"
        )

    def of(mode: str, key: str, pick: Callable[[list[float]], float]) -> float:
        return pick([r[key] for r in results if r["mode"] == mode])

    for flow_mode in MODES[1:]:
        for measure_ in ("wall", "cpu"):
            for name, pick in (("best", min), ("median", statistics.median)):
                plain = of("plain", measure_, pick)
                extra = of(flow_mode, measure_, pick) - plain
                pct = 100.0 * extra / plain
                print(
                    f"{flow_mode:<10} end to end ({measure_}, {name} of each): {extra:+.2f} s = "
                    f"{pct:+.1f} % {_verdict(pct)}"
                )
            rest = f"rest_{measure_}"
            extra = of(flow_mode, rest, statistics.median) - of("plain", rest, statistics.median)
            pct = 100.0 * extra / of("plain", measure_, statistics.median)
            print(
                f"{flow_mode:<10} in-run ({measure_}, median rest minus plain's): {extra:+.2f} s = "
                f"{pct:+.1f} % {_verdict(pct)}"
            )
    tasks = max(r["tasks"] for r in results if r["tasks"] is not None)
    verdict = "met" if tasks <= TASK_RUNS_GOAL else "MISSED"
    print(f"task runs of the flow run: {tasks} (goal <= {TASK_RUNS_GOAL}: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--night", nargs=2, metavar=("MODE", "HOME"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.night:
        mode, home = args.night
        print(MARK + json.dumps(night(mode, Path(home))), flush=True)
        return
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no telemetry calls
    report(measure(args.rows, args.repeat))


if __name__ == "__main__":
    main()
