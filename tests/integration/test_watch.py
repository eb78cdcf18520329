"""``salesflow watch`` with a real watchdog Observer on a temporary inbox, and its CLI."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.serving import api_url, free_port
from flows.watch_triggers import DeploymentTrigger, TriggerFailed
from flows.watching import Debouncer, InboxWatcher

DEADLINE = 5.0


class Recorder:
    """A trigger that records the files of each call (from the watcher's thread)."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self._lock = threading.Lock()

    def __call__(self, files: Sequence[str]) -> None:
        with self._lock:
            self.calls.append(list(files))

    def snapshot(self) -> list[list[str]]:
        with self._lock:
            return list(self.calls)


def _wait_for(condition: Callable[[], bool], deadline: float = DEADLINE) -> bool:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


class Running:
    """A watcher running in a thread; ``stop`` ends it and joins it."""

    def __init__(self, inbox: Path, recorder: Recorder) -> None:
        self.debouncer = Debouncer(inbox, recorder, debounce=0.5, min_interval=0.0)
        self._stop = threading.Event()
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, name="test-watch")
        self.thread.start()

    def _run(self) -> None:
        try:
            InboxWatcher(self.debouncer, tick=0.05).run(self._stop)
        except BaseException as exc:  # surfaced by the test, not lost in the thread
            self.errors.append(exc)

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(DEADLINE)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "dropbox" / "inbox"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def watching(inbox: Path) -> Iterator[tuple[Running, Recorder]]:
    before = set(threading.enumerate())
    recorder = Recorder()
    running = Running(inbox, recorder)
    _wait_for(lambda: len(threading.enumerate()) > len(before) + 1, 1.0)  # observer up
    try:
        yield running, recorder
    finally:
        running.stop()
    assert not running.thread.is_alive()
    assert running.errors == []
    assert _wait_for(lambda: set(threading.enumerate()) <= before), "watching threads left"


def test_a_file_written_into_the_inbox_fires_the_trigger_within_seconds(
    inbox: Path, watching: tuple[Running, Recorder]
) -> None:
    _, recorder = watching
    (inbox / "leads.csv").write_text("name,email\nAda,ada@example.com\n")
    assert _wait_for(lambda: recorder.snapshot() == [["leads.csv"]])


def test_a_download_renamed_from_part_fires_once_under_its_final_name(
    inbox: Path, watching: tuple[Running, Recorder]
) -> None:
    _, recorder = watching
    partial = inbox / "leads.csv.part"
    partial.write_text("name,email\n")
    partial.rename(inbox / "leads.csv")
    assert _wait_for(lambda: recorder.snapshot() == [["leads.csv"]])


def test_a_folder_moved_into_the_inbox_fires_for_its_files(
    tmp_path: Path, inbox: Path, watching: tuple[Running, Recorder]
) -> None:
    _, recorder = watching
    outside = tmp_path / "fair"
    outside.mkdir()
    (outside / "cards.vcf").write_text("BEGIN:VCARD\nEND:VCARD\n")
    outside.rename(inbox / "fair")
    assert _wait_for(lambda: recorder.snapshot() == [["fair/cards.vcf"]])


def test_files_already_in_the_inbox_fire_once_when_watching_starts(inbox: Path) -> None:
    (inbox / "early.csv").write_text("name\n")
    recorder = Recorder()
    running = Running(inbox, recorder)
    try:
        assert _wait_for(lambda: recorder.snapshot() == [["early.csv"]])
        time.sleep(0.6)  # one more debounce period: nothing else may fire
        assert recorder.snapshot() == [["early.csv"]]
    finally:
        running.stop()
    assert not running.thread.is_alive()


def test_a_prefect_api_that_does_not_answer_is_a_clear_failure() -> None:
    api = api_url(free_port())
    trigger = DeploymentTrigger("dropbox/dropbox", api)
    with pytest.raises(TriggerFailed, match=f"cannot reach the Prefect API at {api}"):
        trigger.fire()


def test_watch_help_explains_the_command() -> None:
    result = CliRunner().invoke(app, ["watch", "--help"])
    assert result.exit_code == 0
    for words in ("--debounce", "--deployment", "--local", "dropbox/inbox", "Ctrl-C"):
        assert words in result.output


def test_watching_an_uninitialised_home_says_to_run_init(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--home", str(tmp_path / "nowhere"), "watch"])
    assert result.exit_code == 1
    assert "salesflow init" in result.output
    assert not (tmp_path / "nowhere").exists()
