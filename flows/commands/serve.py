"""``salesflow serve`` (local Prefect server + deployments + worker) and ``salesflow deploy``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import typer

from flows.context import G
from flows.output import console, fail
from flows.serving import (
    LOOPBACK,
    POOL,
    ServeError,
    api_url,
    deploy_all,
    ensure_pool,
    interrupt_on_signals,
    prefect_env,
    start_server,
    start_worker,
    stop_all,
    wait_until_healthy,
)
from flows.settings import load_settings

EXIT_FAILED = 1


def _home_and_db() -> tuple[Path, str | None]:
    settings = load_settings(G.home, G.db)
    return settings.home.resolve(), settings.database_url or None


def _say(text: str) -> None:
    console.print(text, highlight=False)


def _pool_and_deploy(env: dict[str, str]) -> None:
    created = ensure_pool(env)
    _say(f"work pool {POOL!r}: {'created' if created else 'exists'}")
    deploy_all(env)
    _say("deployments: nightly/nightly (01:30 Europe/Istanbul), dropbox/dropbox (every 10 min)")


def _serve(port: int, startup_timeout: float) -> int:
    home, db = _home_and_db()
    api = api_url(port)
    env = prefect_env(home, api, database_url=db)
    started: list[subprocess.Popen[bytes]] = []
    try:
        log_path = Path(env["PREFECT_HOME"]) / "server.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("ab") as log:
            started.append(start_server(env, port, log=log))
        _say(f"starting the Prefect server on {LOOPBACK}:{port} (log: {log_path}) …")
        waited = wait_until_healthy(api, startup_timeout, process=started[0])
        _say(f"server up after {waited:.0f} s: http://{LOOPBACK}:{port}")
        _pool_and_deploy(env)
        started.append(start_worker(env))
        _say("worker started; Ctrl-C stops the worker and the server")
        return started[-1].wait()
    except KeyboardInterrupt:
        _say("\nstopping …")
        return 0
    finally:
        stop_all(started)


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        port: int = typer.Option(4200, "--port", help="Port of the local Prefect server."),
        startup_timeout: float = typer.Option(
            180, "--startup-timeout", help="Seconds to wait for the server to answer."
        ),
    ) -> None:
        """Start a local Prefect server (127.0.0.1, state in <home>/.prefect), create the work
        pool, deploy prefect.yaml and run a worker until Ctrl-C."""
        try:
            with interrupt_on_signals():
                status = _serve(port, startup_timeout)
        except ServeError as exc:
            fail(str(exc), EXIT_FAILED)
        if status:
            fail(f"the worker exited with status {status}", EXIT_FAILED)

    @app.command()
    def deploy(
        api: str = typer.Option(
            None,
            "--api-url",
            envvar="PREFECT_API_URL",
            help="API of the running Prefect server, e.g. http://127.0.0.1:4200/api.",
        ),
    ) -> None:
        """Create the work pool and register the deployments of prefect.yaml on a running server."""
        if not api:
            fail("PREFECT_API_URL is not set; point it at a running Prefect server", EXIT_FAILED)
        home, db = _home_and_db()
        env = prefect_env(home, api, database_url=db)
        # a server we do not run keeps its own PREFECT_HOME (profiles, the CLI's settings)
        env["PREFECT_HOME"] = os.environ.get("PREFECT_HOME", env["PREFECT_HOME"])
        try:
            _pool_and_deploy(env)
        except ServeError as exc:
            fail(str(exc), EXIT_FAILED)
