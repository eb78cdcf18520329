"""The chaos harness: run the ingest as a child process, SIGKILL it at random moments, restart.

A round prepares a fresh home holding the generated drop folder, then starts
``python -m flows.cli --home H ingest --no-imap --settle 0 --json`` and kills it after a random
delay in ``[0, window)`` — ``window`` is how long an undisturbed run takes — until a run ends
by itself; then one more clean run, and the invariants (``tests.chaos.invariants``). Rounds
repeat on fresh homes until the requested number of kills was delivered.

The child is ``salesflow ingest``, not ``salesflow run``: both call the same
``process_dropbox`` → ``intake_file`` code, but ``run`` first starts Prefect's ephemeral server
(tens of seconds here), so most kills would land in Prefect start-up instead of in intake.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine

from flows.settings import load_settings
from flows.wiring import App
from tests.chaos.generator import DropSet
from tests.chaos.invariants import Outcome, check_home, outcome

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Tally:
    """What the chaos did, for the summary line."""

    kills: int = 0
    kills_with_work_in_flight: int = 0  # .work held claimed files at the moment of the kill
    runs: int = 0
    rounds: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def prepare_home(home: Path, drop: DropSet, db_url: str | None = None) -> App:
    """A migrated home (SQLite inside it unless ``db_url``) with ``drop`` in its inbox."""
    app = App(load_settings(home, db_url), actor="chaos")
    app.migrate()
    app.close()
    drop.write(home / "dropbox" / "inbox")
    return app


def ingest_command(home: Path) -> list[str]:
    return [sys.executable, "-m", "flows.cli", "--home", str(home), "ingest", "--no-imap",
            "--settle", "0", "--json"]  # fmt: skip


def start(home: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    log = home.parent / f"{home.name}.child.log"
    with log.open("ab") as out:
        return subprocess.Popen(
            ingest_command(home), cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )  # fmt: skip


def run_to_end(home: Path, timeout: float, env: dict[str, str] | None = None) -> float:
    """One undisturbed run; returns its duration. Raises when it fails."""
    began = time.monotonic()
    child = start(home, env)
    if child.wait(timeout=timeout) != 0:
        tail = (home.parent / f"{home.name}.child.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"ingest exited {child.returncode}:\n{tail}")
    return time.monotonic() - began


def reference(workdir: Path, drop: DropSet, timeout: float = 1800) -> tuple[Outcome, float]:
    """The undisturbed run on a copy of the input: its outcome and how long it took."""
    home = workdir / "reference"
    app = prepare_home(home, drop)
    took = run_to_end(home, timeout)
    engine = create_engine(app.settings.db_url)
    try:
        with engine.connect() as conn:
            return outcome(conn), took
    finally:
        engine.dispose()


def _work_in_flight(home: Path) -> bool:
    work = home / "dropbox" / ".work"
    return work.is_dir() and any(work.iterdir())


def kill_until_done(
    home: Path, window: float, rng: random.Random, tally: Tally, kills_left: int
) -> None:
    """Start the child and SIGKILL it at a random moment, again and again, until a run
    completes normally (or no kills are left)."""
    while True:
        child = start(home)
        tally.runs += 1
        try:
            child.wait(timeout=rng.uniform(0, window))
        except subprocess.TimeoutExpired:
            if kills_left <= 0:
                child.wait()
            else:
                in_flight = _work_in_flight(home)
                os.kill(child.pid, signal.SIGKILL)
                child.wait()
                tally.kills += 1
                tally.kills_with_work_in_flight += in_flight
                kills_left -= 1
                continue
        if child.returncode != 0:
            tally.problems.append(f"{home.name}: a run exited {child.returncode} by itself")
        return


def chaos_round(
    home: Path, drop: DropSet, ref: Outcome, window: float, rng: random.Random,
    tally: Tally, kills_left: int,
) -> None:  # fmt: skip
    """One fresh home: kills until a run completes, a final clean run, then the invariants."""
    app = prepare_home(home, drop)
    kill_until_done(home, window, rng, tally, kills_left)
    run_to_end(home, timeout=window * 10 + 120)
    tally.runs += 1
    tally.rounds += 1
    tally.problems += [
        f"{home.name}: {p}" for p in check_home(home, app.settings.db_url, drop, ref)
    ]


def run_chaos(
    workdir: Path, drop: DropSet, kills: int, *, seed: int = 1,
    report: Callable[[str], None] = lambda _: None,
) -> Tally:  # fmt: skip
    """Deliver ``kills`` random SIGKILLs over as many rounds as that takes."""
    rng = random.Random(seed)
    ref, window = reference(workdir, drop)
    report(f"reference run: {window:.1f}s, {ref.lead_count} leads, findings {ref.findings}")
    tally = Tally()
    while tally.kills < kills or tally.rounds == 0:
        chaos_round(
            workdir / f"round-{tally.rounds + 1}",
            drop,
            ref,
            window,
            rng,
            tally,
            kills - tally.kills,
        )
        done = f"kills so far {tally.kills}, runs {tally.runs}, problems {len(tally.problems)}"
        report(f"round {tally.rounds}: {done}")
    return tally
