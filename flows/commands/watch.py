"""``salesflow watch``: start the dropbox flow minutes after a file lands, not at night."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime

import typer

from flows.context import app as get_app
from flows.context import run
from flows.output import console, err_console, fail
from flows.serving import api_url, interrupt_on_signals
from flows.watch_triggers import DEFAULT_DEPLOYMENT, DeploymentTrigger, LocalTrigger, RunTrigger
from flows.watching import (
    DEFAULT_DEBOUNCE,
    DEFAULT_MIN_INTERVAL,
    Debouncer,
    InboxWatcher,
    WatchError,
)
from ingest.limits import DEFAULT_SETTLE_SECONDS

EXIT_FAILED = 1
SHOWN_FILES = 5  # files named per trigger line; the rest are counted


def _say(text: str) -> None:
    console.print(text, highlight=False, markup=False)


def _now() -> str:
    return datetime.now().strftime("%H:%M:%S")


def files_text(files: Sequence[str]) -> str:
    """``3 file(s): a.csv, b.xlsx, c.vcf`` (the first few named, the rest counted)."""
    shown = ", ".join(files[:SHOWN_FILES])
    more = f" and {len(files) - SHOWN_FILES} more" if len(files) > SHOWN_FILES else ""
    return f"{len(files)} file(s): {shown}{more}"


def _announced(trigger: RunTrigger) -> Callable[[Sequence[str]], None]:
    """The debouncer's trigger: say what landed, start the run, say what started."""

    def fire(files: Sequence[str]) -> None:
        _say(f"{_now()} {files_text(files)} -> starting {trigger.label}")
        outcome = trigger.fire()
        _say(f"{_now()} {outcome}")

    return fire


def _report_failure(exc: Exception, files: Sequence[str]) -> None:
    reason = str(exc) or type(exc).__name__
    err_console.print(
        f"{_now()} run not started: {reason}; {len(files)} file(s) wait for the next quiet period",
        highlight=False,
        markup=False,
    )


def _busy_reporter(trigger: RunTrigger) -> Callable[[], bool]:
    """The debouncer's busy check, saying once per state that it waits for the last run."""
    said: list[str | None] = [None]

    def busy() -> bool:
        state = trigger.running_state()
        if state is not None and state != said[0]:
            _say(f"{_now()} files waiting: the last run is still {state}")
        said[0] = state
        return state is not None

    return busy


def _trigger(local: bool, deployment: str, api: str | None) -> RunTrigger:
    s = get_app().settings
    if local:
        return LocalTrigger(str(s.home), s.database_url or None)
    return DeploymentTrigger(deployment, api or api_url(4200), str(s.home.resolve()))


def _watch(trigger: RunTrigger, debounce: float, min_interval: float) -> None:
    inbox = (get_app().settings.dropbox / "inbox").resolve()
    inbox.mkdir(parents=True, exist_ok=True)
    debouncer = Debouncer(
        inbox,
        _announced(trigger),
        debounce=debounce,
        min_interval=min_interval,
        busy=_busy_reporter(trigger),
        on_error=_report_failure,
    )
    _say(f"watching {inbox} and its sub-folders")
    _say(
        f"a run starts after {debounce:g} s without new files, at most one per "
        f"{min_interval:g} s: {trigger.label}"
    )
    if debounce < DEFAULT_SETTLE_SECONDS:
        _say(
            f"note: --debounce is below the drop folder's settle time ({DEFAULT_SETTLE_SECONDS:g}"
            " s); a run may leave a file that is still settling to the next scheduled run"
        )
    _say("Ctrl-C stops")
    try:
        with interrupt_on_signals():
            InboxWatcher(debouncer).run(threading.Event())
    except KeyboardInterrupt:
        _say(f"\nstopped; {len(debouncer.pending())} file(s) had not been handed to a run")


WATCH_HELP = "\n\n".join(
    [
        "Watch <home>/dropbox/inbox and start the dropbox flow soon after files land.",
        "By default the Prefect server runs the dropbox/dropbox deployment (start one with "
        "`salesflow serve`) with this home as its `home` parameter, so the run takes the files "
        "of the inbox being watched (the worker must see the same path). --local runs the flow "
        "in this process instead.",
        "Files already in the inbox start a run at once. Later files start one after --debounce "
        "seconds without new files, at most one per --min-interval, never while the last run is "
        "still scheduled or running. A run that cannot start is tried again after the next quiet "
        "period. The 10-minute schedule keeps working alongside. Ctrl-C stops.",
    ]
)


def register(app: typer.Typer) -> None:
    @app.command(help=WATCH_HELP)
    def watch(
        debounce: float = typer.Option(
            DEFAULT_DEBOUNCE,
            "--debounce",
            min=0.0,
            help="Seconds without new files before a run starts (a burst makes one run).",
        ),
        min_interval: float = typer.Option(
            DEFAULT_MIN_INTERVAL, "--min-interval", min=0.0, help="At most one run per this long."
        ),
        deployment: str = typer.Option(
            DEFAULT_DEPLOYMENT, "--deployment", help="Deployment to run (flow/deployment)."
        ),
        api: str | None = typer.Option(
            None,
            "--api-url",
            envvar="PREFECT_API_URL",
            help="Prefect API to ask for the run. Default: http://127.0.0.1:4200/api, "
            "where `salesflow serve` listens.",
        ),
        local: bool = typer.Option(
            False,
            "--local",
            help="Run the dropbox flow in this process instead: no server or worker needed.",
        ),
    ) -> None:
        """The `salesflow watch` command (its help is WATCH_HELP)."""
        run(get_app().check_schema)
        get_app().close()  # the flow opens its own connections; hold none while idle
        try:
            _watch(_trigger(local, deployment, api), debounce, min_interval)
        except WatchError as exc:
            fail(str(exc), EXIT_FAILED)
