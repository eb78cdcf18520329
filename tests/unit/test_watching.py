"""The watcher's debouncer: one trigger per quiet burst of files, on a fake clock."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from flows.watching import Debouncer, Trigger, existing_files, released_file

INBOX = Path("/srv/home/dropbox/inbox")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordingTrigger:
    """Records the files of every call; the first ``failures`` calls raise."""

    def __init__(self, failures: int = 0) -> None:
        self.calls: list[list[str]] = []
        self.failures = failures

    def __call__(self, files: Sequence[str]) -> None:
        self.calls.append(list(files))
        if self.failures:
            self.failures -= 1
            raise ConnectionError("the server is down")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def trigger() -> RecordingTrigger:
    return RecordingTrigger()


def _debouncer(
    clock: FakeClock, trigger: Trigger, inbox: Path = INBOX, **options: object
) -> Debouncer:
    settings: dict[str, object] = {"debounce": 30.0, "min_interval": 0.0, **options}
    return Debouncer(inbox, trigger, clock=clock, **settings)  # type: ignore[arg-type]


def _tick_for(debouncer: Debouncer, clock: FakeClock, seconds: float, step: float = 1.0) -> None:
    """Tick once per ``step`` for ``seconds`` of fake time."""
    for _ in range(int(seconds / step)):
        clock.advance(step)
        debouncer.tick()


def _never_fires(
    clock: FakeClock, trigger: RecordingTrigger, path: Path | str, is_directory: bool = False
) -> None:
    """The event for ``path`` is refused, and a minute later nothing has fired."""
    debouncer = _debouncer(clock, trigger)
    assert debouncer.offer(path, is_directory=is_directory) is False
    _tick_for(debouncer, clock, 60)
    assert trigger.calls == []


def test_a_burst_of_files_fires_once_after_the_quiet_period(
    clock: FakeClock, trigger: RecordingTrigger
) -> None:
    debouncer = _debouncer(clock, trigger)
    for name in ("a.csv", "b.xlsx", "a.csv", "c.vcf"):
        debouncer.offer(INBOX / name)
        clock.advance(0.2)
    _tick_for(debouncer, clock, 29)
    assert trigger.calls == []
    _tick_for(debouncer, clock, 120)
    assert trigger.calls == [["a.csv", "b.xlsx", "c.vcf"]]


def test_each_new_file_pushes_the_quiet_period_back(
    clock: FakeClock, trigger: RecordingTrigger
) -> None:
    debouncer = _debouncer(clock, trigger)
    for n in range(5):  # a file every 20 s: never 30 s of quiet
        debouncer.offer(INBOX / f"part-{n}.csv")
        _tick_for(debouncer, clock, 20)
    assert trigger.calls == []
    _tick_for(debouncer, clock, 10)
    assert len(trigger.calls) == 1 and len(trigger.calls[0]) == 5


@pytest.mark.parametrize(
    "name",
    [
        ".~lock.leads.xlsx#",
        "~$leads.xlsx",
        "leads.csv.part",
        "leads.csv.tmp",
        "download.crdownload",
        ".hidden.csv",
        ".cache/leads.csv",
        "leads.csv.error.txt",
        "Thumbs.db",
    ],
)
def test_hidden_and_temporary_names_do_not_fire(
    clock: FakeClock, trigger: RecordingTrigger, name: str
) -> None:
    _never_fires(clock, trigger, INBOX / name)


def test_folders_do_not_fire(clock: FakeClock, trigger: RecordingTrigger) -> None:
    _never_fires(clock, trigger, INBOX / "march", is_directory=True)


@pytest.mark.parametrize(
    "path",
    [
        "/srv/home/dropbox/.work/0123456789abcdef-leads.csv",
        "/srv/home/dropbox/processed/2025-01-01/leads.csv",
        "/srv/home/dropbox/inbox-old/leads.csv",
        "/elsewhere/leads.csv",
    ],
)
def test_events_outside_the_inbox_do_not_fire(
    clock: FakeClock, trigger: RecordingTrigger, path: str
) -> None:
    _never_fires(clock, trigger, path)


def test_files_in_sub_folders_fire_with_their_inbox_relative_path(
    clock: FakeClock, trigger: RecordingTrigger
) -> None:
    debouncer = _debouncer(clock, trigger)
    debouncer.offer(str(INBOX / "fair 2025" / "cards.vcf").encode())
    _tick_for(debouncer, clock, 31)
    assert trigger.calls == [["fair 2025/cards.vcf"]]


def test_closing_an_office_document_counts_as_the_document_landing(
    clock: FakeClock, trigger: RecordingTrigger
) -> None:
    debouncer = _debouncer(clock, trigger)
    assert debouncer.offer_released(INBOX / "sub" / ".~lock.leads.xlsx#") is True
    assert debouncer.offer_released(INBOX / "notes.txt") is False
    _tick_for(debouncer, clock, 31)
    assert trigger.calls == [["sub/leads.xlsx"]]


def test_lock_file_names_give_the_document_they_stand_for() -> None:
    assert released_file(".~lock.leads.xlsx#") == "leads.xlsx"
    assert released_file("~$ads.xlsx") == "ads.xlsx"
    assert released_file("leads.xlsx") is None


def test_a_failed_trigger_keeps_its_files_for_the_next_attempt(clock: FakeClock) -> None:
    failing = RecordingTrigger(failures=1)
    reported: list[tuple[str, list[str]]] = []
    debouncer = _debouncer(
        clock, failing, on_error=lambda exc, files: reported.append((str(exc), list(files)))
    )
    debouncer.offer(INBOX / "a.csv")
    _tick_for(debouncer, clock, 31)
    assert reported == [("the server is down", ["a.csv"])]
    debouncer.offer(INBOX / "b.csv")
    _tick_for(debouncer, clock, 31)
    assert failing.calls == [["a.csv"], ["a.csv", "b.csv"]]


def test_a_failed_trigger_is_tried_again_after_a_quiet_period_without_new_files(
    clock: FakeClock,
) -> None:
    failing = RecordingTrigger(failures=2)
    debouncer = _debouncer(clock, failing, on_error=lambda exc, files: None)
    debouncer.offer(INBOX / "a.csv")
    _tick_for(debouncer, clock, 30)  # fails at +30 s
    _tick_for(debouncer, clock, 29)
    assert len(failing.calls) == 1  # not hammered: the retry waits a quiet period
    _tick_for(debouncer, clock, 70)
    assert failing.calls == [["a.csv"]] * 3
    assert debouncer.pending() == []


def test_later_files_still_fire_after_a_trigger_failed(clock: FakeClock) -> None:
    failing = RecordingTrigger(failures=1)
    debouncer = _debouncer(clock, failing, on_error=lambda exc, files: None)
    debouncer.offer(INBOX / "a.csv")
    _tick_for(debouncer, clock, 31)
    _tick_for(debouncer, clock, 31)
    debouncer.offer(INBOX / "b.csv")
    _tick_for(debouncer, clock, 31)
    assert failing.calls == [["a.csv"], ["a.csv"], ["b.csv"]]


def test_triggers_are_at_least_min_interval_apart(clock: FakeClock) -> None:
    fired_at: list[float] = []
    debouncer = _debouncer(
        clock, lambda files: fired_at.append(clock.now), debounce=5.0, min_interval=60.0
    )
    debouncer.offer(INBOX / "a.csv")
    _tick_for(debouncer, clock, 6)
    debouncer.offer(INBOX / "b.csv")
    _tick_for(debouncer, clock, 50)
    assert len(fired_at) == 1  # b has been quiet for 45 s, but a run started 51 s ago
    _tick_for(debouncer, clock, 20)
    assert fired_at == [1005.0, 1065.0]


def test_a_trigger_whose_last_run_still_goes_is_not_fired_again(
    clock: FakeClock, trigger: RecordingTrigger
) -> None:
    running = [True]
    debouncer = _debouncer(clock, trigger, busy=lambda: running[0])
    debouncer.offer(INBOX / "a.csv")
    _tick_for(debouncer, clock, 120)
    assert trigger.calls == []
    running[0] = False
    _tick_for(debouncer, clock, 10)
    assert trigger.calls == [["a.csv"]]


def test_a_busy_check_that_fails_does_not_hold_the_trigger_back(
    clock: FakeClock, trigger: RecordingTrigger
) -> None:
    def broken() -> bool:
        raise ConnectionError("cannot ask")

    debouncer = _debouncer(clock, trigger, busy=broken)
    debouncer.offer(INBOX / "a.csv")
    _tick_for(debouncer, clock, 31)
    assert trigger.calls == [["a.csv"]]


def test_files_landing_while_a_run_starts_make_the_next_run(clock: FakeClock) -> None:
    calls: list[list[str]] = []
    watching: list[Debouncer] = []

    def trigger(files: Sequence[str]) -> None:
        calls.append(list(files))
        if len(calls) == 1:
            watching[0].offer(INBOX / "late.csv")  # as the observer thread would, meanwhile

    watching.append(_debouncer(clock, trigger))
    watching[0].offer(INBOX / "a.csv")
    _tick_for(watching[0], clock, 31)
    assert calls == [["a.csv"]]
    _tick_for(watching[0], clock, 31)
    assert calls == [["a.csv"], ["late.csv"]]


def test_files_present_at_start_fire_once_straight_away(
    tmp_path: Path, clock: FakeClock, trigger: RecordingTrigger
) -> None:
    (tmp_path / "march").mkdir()
    (tmp_path / "march" / "leads.csv").write_text("name\n")
    (tmp_path / "cards.vcf").write_text("BEGIN:VCARD\n")
    debouncer = _debouncer(clock, trigger, inbox=tmp_path)
    assert debouncer.backlog(existing_files(tmp_path)) is True
    debouncer.tick()
    _tick_for(debouncer, clock, 120)
    assert trigger.calls == [["cards.vcf", "march/leads.csv"]]


def test_an_empty_inbox_at_start_fires_nothing(
    tmp_path: Path, clock: FakeClock, trigger: RecordingTrigger
) -> None:
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x.csv").write_text("name\n")
    (tmp_path / "upload.csv.part").write_text("name\n")
    debouncer = _debouncer(clock, trigger, inbox=tmp_path)
    assert debouncer.backlog(existing_files(tmp_path)) is False
    _tick_for(debouncer, clock, 120)
    assert trigger.calls == []
