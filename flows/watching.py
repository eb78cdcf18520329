"""Watching the drop folder's inbox: file events in, one debounced trigger out.

``salesflow watch`` runs the small ``dropbox`` flow minutes after a file lands instead of at
the next scheduled poll. People drop files in bursts (a folder of twenty spreadsheets, an
upload written in chunks), so one run per event would be wasteful and would catch files half
written; the ``Debouncer`` collects the events and fires once the inbox has been quiet for
``debounce`` seconds (longer than the drop folder's settle time, so the run finds the files
settled), at most once per ``min_interval``, and not while the trigger says its previous run
is still going. A trigger that fails is reported and tried again after the next quiet period;
the watcher itself never stops for it.

``InboxWatcher`` feeds a watchdog ``Observer`` (recursive, on the inbox only) into a
``Debouncer`` and ticks it until told to stop. Nothing here knows Prefect or the sales
process: the trigger is a plain callable, and the clock is injected so tests need no sleeping.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePath

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ingest.drop_inbox import is_ignored_name

log = logging.getLogger(__name__)

DEFAULT_DEBOUNCE = 30.0  # well above the drop folder's 2 s settle time
DEFAULT_MIN_INTERVAL = 60.0
BUSY_RECHECK = 5.0  # how often to ask a busy trigger again
TICK = 0.5  # longest the loop sleeps between ticks (also how fast a stop is noticed)

EventPath = str | bytes | os.PathLike[str]
Trigger = Callable[[Sequence[str]], None]
ErrorReport = Callable[[Exception, Sequence[str]], None]


def released_file(name: str) -> str | None:
    """The document an office lock file stood for: its removal means the document is free.

    The drop folder skips a file while LibreOffice (``.~lock.<name>#``) or MS Office
    (``~$<name>``, first two letters dropped for long names) has it open, so closing the
    program is the moment the file becomes takeable; no other event says so."""
    if name.startswith(".~lock.") and name.endswith("#"):
        return name[len(".~lock.") : -1] or None
    if name.startswith("~$"):
        return name[2:] or None
    return None


def existing_files(inbox: Path) -> list[str]:
    """Inbox-relative paths of the files already there (hidden folders and names skipped)."""
    found: list[str] = []
    for folder, dirs, files in os.walk(inbox):
        dirs[:] = sorted(d for d in dirs if not is_ignored_name(d))
        base = Path(folder).relative_to(inbox)
        found.extend(
            (base / name).as_posix() for name in sorted(files) if not is_ignored_name(name)
        )
    return found


def _log_failure(exc: Exception, files: Sequence[str]) -> None:
    log.warning("trigger failed (%d file(s) waiting), will retry: %s", len(files), exc)


class Debouncer:
    """Collects inbox file events and fires ``trigger`` once per quiet burst.

    ``offer`` may be called from any thread (the observer's); ``tick`` from one loop. The
    trigger runs inside ``tick`` on the caller's thread, without the lock held, so events keep
    arriving while it runs and count towards the next trigger.
    """

    def __init__(
        self,
        inbox: Path,
        trigger: Trigger,
        *,
        debounce: float = DEFAULT_DEBOUNCE,
        min_interval: float = DEFAULT_MIN_INTERVAL,
        busy: Callable[[], bool] = lambda: False,
        on_error: ErrorReport = _log_failure,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inbox = Path(os.path.abspath(inbox))
        self.debounce = debounce
        self.min_interval = min_interval
        self._trigger, self._busy, self._on_error, self._clock = trigger, busy, on_error, clock
        self._lock = threading.Lock()
        self._pending: dict[str, None] = {}  # an ordered set of inbox-relative paths
        self._quiet_at = 0.0  # when the current burst counts as over
        self._last_fire: float | None = None
        self._retry_at = 0.0  # after a failure or a busy answer: not before this

    def offer(self, path: EventPath, *, is_directory: bool = False) -> bool:
        """Note an event on ``path``; ``False`` when it is ignored (outside, hidden, a folder)."""
        relative = self._relative(path)
        if is_directory or relative is None:
            return False
        self._add([relative], self._clock() + self.debounce)
        return True

    def offer_released(self, path: EventPath) -> bool:
        """Note that an office lock file was removed: the document beside it is free now."""
        relative = self._relative(path, allow_ignored=True)
        document = released_file(PurePath(relative).name) if relative else None
        if relative is None or document is None:
            return False
        self._add([str(PurePath(relative).with_name(document))], self._clock() + self.debounce)
        return True

    def backlog(self, files: Iterable[str]) -> bool:
        """Files found at start (dropped while nobody watched): due now, no quiet period."""
        files = list(files)
        if files:
            self._add(files, self._clock())
        return bool(files)

    def pending(self) -> list[str]:
        with self._lock:
            return list(self._pending)

    def due_at(self) -> float | None:
        """When the next trigger may fire (clock time), or ``None`` with nothing pending."""
        with self._lock:
            if not self._pending:
                return None
            spaced = self._last_fire + self.min_interval if self._last_fire is not None else 0.0
            return max(self._quiet_at, spaced, self._retry_at)

    def tick(self) -> bool:
        """Fire the trigger if it is due; ``True`` when it ran and returned.

        A failed trigger keeps its files pending and is tried again after another quiet
        period (and ``min_interval`` after the attempt), or later if more files arrive."""
        due, now = self.due_at(), self._clock()
        if due is None or now < due:
            return False
        if self._asks_to_wait(now):
            return False
        with self._lock:
            files, self._pending = list(self._pending), {}
            self._last_fire = now  # attempts count: a server that is down is not hammered
        try:
            self._trigger(files)
        except Exception as exc:  # a failed trigger must never end the watcher
            with self._lock:
                self._pending = dict.fromkeys([*files, *self._pending])
                self._retry_at = self._clock() + self.debounce
            self._on_error(exc, files)
            return False
        return True

    def _asks_to_wait(self, now: float) -> bool:
        """The trigger's previous run is still going: ask again in a few seconds."""
        try:
            busy = self._busy()
        except Exception as exc:  # cannot tell: try to fire, the trigger reports its own errors
            log.debug("busy check failed: %s", exc)
            busy = False
        if busy:
            with self._lock:
                self._retry_at = now + BUSY_RECHECK
        return busy

    def _add(self, files: Sequence[str], quiet_at: float) -> None:
        with self._lock:
            self._pending.update(dict.fromkeys(files))
            self._quiet_at = max(self._quiet_at, quiet_at)
        log.debug("pending: %s", files)

    def _relative(self, path: EventPath, *, allow_ignored: bool = False) -> str | None:
        """``path`` relative to the inbox, or ``None`` when outside it or ignored."""
        try:
            parts = Path(os.fsdecode(path)).relative_to(self.inbox).parts
        except ValueError:
            return None
        names = parts[:-1] if allow_ignored else parts
        if not parts or any(is_ignored_name(part) for part in names):
            return None
        return PurePath(*parts).as_posix()


class WatchError(RuntimeError):
    """The inbox cannot be watched (or stopped being watched)."""


class _InboxEvents(FileSystemEventHandler):
    """Forwards the events that can mean "a file landed" to the debouncer."""

    def __init__(self, debouncer: Debouncer) -> None:
        self._debouncer = debouncer

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind, folder = event.event_type, event.is_directory
        if kind in ("created", "modified", "closed"):
            self._debouncer.offer(event.src_path, is_directory=folder)
        elif kind == "moved":  # a rename inside the inbox ("x.part" -> "x.csv") or a move in
            self._debouncer.offer(event.dest_path, is_directory=folder)
        elif kind == "deleted" and not folder:
            self._debouncer.offer_released(event.src_path)


class InboxWatcher:
    """A recursive watchdog ``Observer`` on the inbox feeding a ``Debouncer``."""

    def __init__(self, debouncer: Debouncer, *, tick: float = TICK, join_timeout: float = 5.0):
        self.debouncer = debouncer
        self._tick = tick
        self._join_timeout = join_timeout

    def run(self, stop: threading.Event) -> None:
        """Watch and tick until ``stop`` is set or the caller is interrupted (Ctrl-C).

        Files already in the inbox trigger once, straight away. The observer is stopped and
        joined however the loop ends, so no watching thread outlives the call."""
        inbox = self.debouncer.inbox
        if not inbox.is_dir():
            raise WatchError(f"{inbox} is not a folder")
        observer = Observer()
        try:
            observer.schedule(_InboxEvents(self.debouncer), str(inbox), recursive=True)
            observer.start()
        except OSError as exc:  # e.g. the inotify watch limit: say so instead of a traceback
            raise WatchError(f"cannot watch {inbox}: {exc}") from exc
        try:
            # after start: a file landing during the scan is seen by the scan or the observer
            self.debouncer.backlog(existing_files(inbox))
            while not stop.is_set():
                self.debouncer.tick()
                if not observer.is_alive():
                    raise WatchError(f"the watcher on {inbox} stopped unexpectedly")
                stop.wait(self._tick)
        finally:
            observer.stop()
            if observer.is_alive():
                observer.join(self._join_timeout)
