"""Running salesflow under a real Prefect server: server, work pool, deployments, worker.

Plain functions over subprocesses of the ``prefect`` CLI, so the caller's own Prefect settings
are never touched: every child gets an explicit environment (its own ``PREFECT_HOME`` and
``PREFECT_API_URL``). Used by ``salesflow serve`` / ``salesflow deploy`` and the integration
test. Children start in their own session, so a Ctrl-C reaches only us and we stop them in
order (worker first, then server) — see ``stop_all``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import IO

POOL = "salesflow"
LOOPBACK = "127.0.0.1"
EXTRA_LOGGERS = "flows,ingest,pipeline,exports"
PROJECT_DIR = Path(__file__).resolve().parents[1]


class ServeError(RuntimeError):
    """A Prefect process did not start, did not answer or refused a command."""


def prefect_executable() -> str:
    """The ``prefect`` script of the running interpreter's environment (the project venv)."""
    beside = Path(sys.executable).parent / "prefect"
    if beside.exists():
        return str(beside)
    found = shutil.which("prefect")
    if found is None:
        raise ServeError("the prefect command was not found; install the project first")
    return found


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def api_url(port: int, host: str = LOOPBACK) -> str:
    """The API address of a server listening on ``host:port``."""
    return f"http://{host}:{port}/api"


def prefect_env(
    home: Path,
    api: str,
    *,
    project_dir: Path = PROJECT_DIR,
    database_url: str | None = None,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment for every Prefect child: its own PREFECT_HOME under ``<home>/.prefect``,
    the API address, and the two variables prefect.yaml reads (absolute paths)."""
    env = dict(os.environ if base is None else base)
    home = home.resolve()
    env.update(
        PREFECT_HOME=str(home / ".prefect"),
        PREFECT_API_URL=api,
        SALESFLOW_PROJECT_DIR=str(project_dir.resolve()),
        SALESFLOW_HOME=str(home),
    )
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", EXTRA_LOGGERS)
    if database_url:
        # not a deployment parameter: a URL may carry a password, parameters are shown in the UI
        env["SALESFLOW_DATABASE_URL"] = database_url
    return env


def _spawn(
    args: Sequence[str], env: Mapping[str, str], out: IO[bytes] | None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [prefect_executable(), *args],
        env=dict(env),
        stdout=out,
        stderr=subprocess.STDOUT if out is not None else None,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # our Ctrl-C is ours; stop_all ends the whole process group
    )


def start_server(
    env: Mapping[str, str], port: int, *, host: str = LOOPBACK, log: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """Start ``prefect server start`` on ``host:port`` (its database lives in PREFECT_HOME)."""
    Path(env["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    return _spawn(["server", "start", "--host", host, "--port", str(port)], env, log)


def start_worker(
    env: Mapping[str, str], *, pool: str = POOL, log: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """Start a process worker polling ``pool``; flow runs are its child processes."""
    return _spawn(["worker", "start", "--pool", pool], env, log)


def wait_until_healthy(
    api: str, timeout: float = 120.0, *, process: subprocess.Popen[bytes] | None = None
) -> float:
    """Poll ``<api>/health`` until it answers; returns the seconds waited.

    Raises ServeError when ``process`` exits first or ``timeout`` passes."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process is not None and process.poll() is not None:
            raise ServeError(f"the Prefect server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=3) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except (urllib.error.URLError, OSError):
            pass  # not listening yet
        time.sleep(0.5)
    raise ServeError(f"the Prefect API at {api} did not answer within {timeout:.0f} s")


def run_prefect(
    args: Sequence[str],
    env: Mapping[str, str],
    *,
    cwd: Path | None = None,
    timeout: float = 120.0,
) -> str:
    """Run one ``prefect --no-prompt …`` command; its output, or ServeError on failure."""
    try:
        done = subprocess.run(
            [prefect_executable(), "--no-prompt", *args],
            env=dict(env),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise ServeError(f"prefect {' '.join(args)} took longer than {timeout:.0f} s") from exc
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-15:]
        raise ServeError(
            f"prefect {' '.join(args)} failed with status {done.returncode}:\n" + "\n".join(tail)
        )
    return done.stdout


def ensure_pool(env: Mapping[str, str], *, pool: str = POOL) -> bool:
    """Create the process work pool unless it exists; True when it was created."""
    try:
        run_prefect(["work-pool", "inspect", pool], env, timeout=60)
        return False
    except ServeError:
        pass  # missing (or the inspect failed; create says which)
    run_prefect(["work-pool", "create", pool, "--type", "process"], env, timeout=60)
    return True


def deploy_all(env: Mapping[str, str], *, project_dir: Path = PROJECT_DIR) -> str:
    """Register every deployment of ``prefect.yaml`` (run from the project folder)."""
    if not (project_dir / "prefect.yaml").is_file():
        raise ServeError(f"no prefect.yaml in {project_dir}")
    return run_prefect(["deploy", "--all"], env, cwd=project_dir, timeout=180)


def stop(process: subprocess.Popen[bytes], timeout: float = 15.0) -> int:
    """Stop one child and its process group: Ctrl-C, then SIGTERM, then SIGKILL."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            continue
    # the group may outlive its leader (a flow run started by the worker)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    return process.wait()


def stop_all(processes: Sequence[subprocess.Popen[bytes]], timeout: float = 15.0) -> None:
    """Stop children newest first (a worker before the server it talks to)."""
    for process in reversed(processes):
        stop(process, timeout)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def interrupt_on_signals() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into KeyboardInterrupt while the block runs.

    A process started in the background by a non-interactive shell inherits SIGINT *ignored*,
    and so would every child we start; a service manager stops us with SIGTERM. Either way the
    ``finally`` that stops our children must run."""
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
