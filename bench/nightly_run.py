"""Running one night for ``bench.nightly``: homes, the Prefect server, Dovecot, the child.

Each measurement is a fresh interpreter (``python -m bench.nightly_run SPEC``) that imports the
flow, notes its RSS, then times one call of the real ``nightly`` flow and prints a JSON line:
wall and CPU seconds, peak RSS (``ru_maxrss`` of that process: the flow's own memory, not the
Prefect server's nor Dovecot's), and the manifest's stage durations and counts.

The Prefect API is one local ``prefect server start`` (SQLite, temporary ``PREFECT_HOME``)
started before any clock and shared by every measurement, as a deployment's worker would talk
to a running server; its start (10–20 s here) would otherwise dominate small runs.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT = 180


class FlowFailed(RuntimeError):
    """The measured flow did not finish (its stderr has been written out)."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _child_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALESFLOW_")}
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = str(STARTUP_TIMEOUT)
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env["PYTHONPATH"] = str(ROOT)
    return {**env, **extra}


@contextmanager
def prefect_server() -> Iterator[dict[str, str]]:
    """A throwaway Prefect server; yields the environment that points a flow at it."""
    home = Path(tempfile.mkdtemp(prefix="bench-prefect-"))
    port = _free_port()
    env = _child_env({"PREFECT_HOME": str(home)})
    log = (home / "server.log").open("wb")
    args = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1"]
    server = subprocess.Popen(
        [*args, "--port", str(port), "--no-ui", "--analytics-off"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    try:
        _wait_healthy(api, server, home / "server.log")
        yield {"PREFECT_HOME": str(home), "PREFECT_API_URL": api}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        shutil.rmtree(home, ignore_errors=True)


def _wait_healthy(api: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"prefect server exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"prefect server not healthy within {STARTUP_TIMEOUT} s")


@contextmanager
def dovecot() -> Iterator[Any]:
    """A throwaway Dovecot on loopback (the integration tests' own helper)."""
    from tests.support.dovecot import DovecotServer, dovecot_binary

    binary = dovecot_binary()
    if binary is None:
        raise SystemExit("dovecot is not installed (the imap variant needs it)")
    server = DovecotServer.start(binary)
    try:
        yield server
    finally:
        server.stop()


def fill_mailbox(server: Any, messages: list[bytes]) -> dict[str, str]:
    """A fresh account whose INBOX holds ``messages``; the settings env that reaches it."""
    from imapclient import IMAPClient

    account = server.account("bench")
    client = IMAPClient(server.host, port=server.port, ssl=False, timeout=60)
    client.login(account.username, account.password)
    for raw in messages:
        client.append("INBOX", raw)
    client.logout()
    return {
        "SALESFLOW_IMAP__HOST": server.host,
        "SALESFLOW_IMAP__PORT": str(server.port),
        "SALESFLOW_IMAP__USERNAME": account.username,
        "SALESFLOW_IMAP__PASSWORD": account.password,
        "SALESFLOW_IMAP__SSL": "false",
    }


def make_home(home: Path, db_url: str, inputs: list[Path]) -> None:
    """``salesflow init`` on the run's database, then the inputs into the drop folder."""
    subprocess.run(
        [sys.executable, "-m", "flows.cli", "--home", str(home), "--db", db_url, "init"],
        cwd=ROOT,
        env=_child_env({}),
        check=True,
        capture_output=True,
    )
    inbox = home / "dropbox" / "inbox"
    for src in inputs:
        shutil.copy2(src, inbox / src.name)  # copy2 keeps the settled (hour-old) mtime


def run_child(home: Path, db_url: str, use_imap: bool, env: dict[str, str]) -> dict[str, Any]:
    """One night in a fresh interpreter; its JSON report."""
    spec = json.dumps({"home": str(home), "db_url": db_url, "use_imap": use_imap})
    done = subprocess.run(
        [sys.executable, "-m", "bench.nightly_run", spec],
        cwd=ROOT,
        env=_child_env(env),
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stderr[-6000:])
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise FlowFailed(f"exit {done.returncode}: {last}")
    report: dict[str, Any] = json.loads(lines[-1])
    return report


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def measure(home: str, db_url: str, use_imap: bool) -> dict[str, Any]:
    """The child's work: the ``nightly`` flow once, timed (imports before the clock)."""
    from flows.nightly import nightly

    base = _rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    state: Any = nightly(home, db_url, use_imap, 0, return_state=True)
    manifest: dict[str, Any] = state.result()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    counts = {k: v for k, v in manifest["counts"].items() if isinstance(v, int)}
    return {
        "wall": wall,
        "cpu": cpu,
        "base_mb": base,
        "peak_mb": _rss_mb(),
        "durations": manifest["durations"],
        "counts": counts,
        "findings": len(manifest["findings"]),
    }


if __name__ == "__main__":
    spec = json.loads(sys.argv[1])
    print(json.dumps(measure(spec["home"], spec["db_url"], spec["use_imap"])), flush=True)
