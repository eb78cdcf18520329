"""The drop folder takes settled files, files them away safely and never deletes anything."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.dropfolder import DropFolder, DroppedFile, FileKind, safe_name
from ingest.errors import UnsupportedInput
from ingest.placement import check_inside, write_new

DAY = date(2024, 5, 17)
CSV = b"name,email\nAyse,ayse@example.com\n"


class FakeClock:
    """Starts at the real time (file ctimes are real) and moves only when told."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def folder(tmp_path, clock) -> DropFolder:
    drop = DropFolder(tmp_path, settle_seconds=2.0, clock=clock)
    drop.ensure()
    return drop


def drop_file(folder: DropFolder, relative: str, data: bytes = CSV) -> Path:
    path = folder.inbox / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def settled_scan(folder: DropFolder, clock: FakeClock):
    clock.advance(60)
    return folder.scan()


def claim_one(folder: DropFolder, clock: FakeClock) -> DroppedFile:
    (candidate,) = settled_scan(folder, clock)
    dropped = folder.claim(candidate)
    assert dropped is not None
    return dropped


def tree_files(root: Path) -> dict[str, bytes]:
    """Every dropped data file under root (our notes excluded), as name -> content."""
    found = {}
    for path in root.rglob("*"):
        if path.is_file() and not path.name.endswith((".error.txt", ".already-seen.txt")):
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


def test_ensure_creates_the_layout(folder, tmp_path):
    names = sorted(p.name for p in (tmp_path / "dropbox").iterdir())
    assert names == [".work", "inbox", "processed", "quarantine"]


def test_file_younger_than_settle_time_is_not_taken_on_first_scan(folder):
    drop_file(folder, "leads.csv")
    assert folder.scan() == []


def test_file_older_than_settle_time_is_taken_on_first_scan(folder, clock):
    drop_file(folder, "leads.csv")
    clock.advance(2.5)
    assert [c.relative_path for c in folder.scan()] == ["leads.csv"]


def test_growing_file_is_taken_only_once_it_stops_changing(folder):
    path = drop_file(folder, "big.csv")
    assert folder.scan() == []
    with path.open("ab") as handle:
        handle.write(b"Mehmet,m@example.com\n")
    assert folder.scan() == []  # changed since the previous scan and still young
    assert [c.relative_path for c in folder.scan()] == ["big.csv"]


def test_copy_that_kept_an_old_mtime_still_waits_for_settling(folder):
    path = drop_file(folder, "copied.csv")
    os.utime(path, (time.time() - 3600, time.time() - 3600))  # like cp -p / Explorer
    assert folder.scan() == []


def test_hidden_temporary_lock_and_note_files_are_skipped(folder, clock):
    for name in (
        ".hidden.csv",
        "download.csv.part",
        "report.xlsx.crdownload",
        "save.tmp",
        "~$budget.xlsx",
        ".~lock.open.csv#",
        "open.csv",  # LibreOffice has it open (the lock file above)
        "old.csv.error.txt",
        "Thumbs.db",
        ".git/config.csv",
        "sub/.DS_Store",
    ):
        drop_file(folder, name)
    drop_file(folder, "sub/real.csv")
    assert [c.relative_path for c in settled_scan(folder, clock)] == ["sub/real.csv"]


def test_claim_moves_the_file_to_work_and_describes_it(folder, clock):
    path = drop_file(folder, "expo/leads.csv")
    mtime = path.stat().st_mtime
    dropped = claim_one(folder, clock)
    digest = hashlib.sha256(CSV).hexdigest()
    assert not path.exists()
    assert dropped.path == folder.work / f"{digest[:16]}-leads.csv"
    assert dropped.path.read_bytes() == CSV
    assert (dropped.original_name, dropped.relative_path) == ("leads.csv", "expo/leads.csv")
    assert (dropped.sha256, dropped.source_ref) == (digest, f"file://{digest}")
    assert (dropped.kind, dropped.reject_reason, dropped.size) == (FileKind.CSV, None, len(CSV))
    assert dropped.received_at == datetime.fromtimestamp(mtime, UTC)


def test_claim_of_a_file_that_vanished_returns_none(folder, clock):
    path = drop_file(folder, "leads.csv")
    (candidate,) = settled_scan(folder, clock)
    path.unlink()
    assert folder.claim(candidate) is None


def test_claim_of_a_file_changed_since_the_scan_returns_none_and_leaves_it(folder, clock):
    path = drop_file(folder, "leads.csv")
    (candidate,) = settled_scan(folder, clock)
    path.write_bytes(CSV + b"Mehmet,m@example.com\n")
    assert folder.claim(candidate) is None
    assert path.read_bytes().endswith(b"Mehmet,m@example.com\n")
    assert list(folder.work.iterdir()) == []


def test_complete_keeps_the_sub_folder_under_the_date(folder, clock):
    drop_file(folder, "expo/leads.csv")
    target = folder.complete(claim_one(folder, clock), when=DAY)
    assert target == folder.processed / "2024-05-17" / "expo" / "leads.csv"
    assert target.read_bytes() == CSV


def test_name_clashes_get_a_number_and_nothing_is_overwritten(folder, clock):
    first, second = CSV, CSV + b"Mehmet,m@example.com\n"
    drop_file(folder, "leads.csv", first)
    one = folder.complete(claim_one(folder, clock), when=DAY)
    drop_file(folder, "leads.csv", second)
    two = folder.complete(claim_one(folder, clock), when=DAY)
    assert (one.name, two.name) == ("leads.csv", "leads (2).csv")
    assert (one.read_bytes(), two.read_bytes()) == (first, second)


def test_quarantine_writes_an_error_note_and_extra_files(folder, clock):
    drop_file(folder, "web/form.csv")
    dropped = claim_one(folder, clock)
    target = folder.quarantine(
        dropped,
        "row-no-identity",
        "3 rows have neither a name, an e-mail nor a phone.",
        when=DAY,
        extra={"form.csv.errors.xlsx": b"PK-fake-workbook", "../escape.txt": b"x"},
    )
    day = folder.quarantined / "2024-05-17" / "web"
    assert target == day / "form.csv"
    note = (day / "form.csv.error.txt").read_text(encoding="utf-8").splitlines()
    assert note[:2] == [
        "reason: row-no-identity",
        "3 rows have neither a name, an e-mail nor a phone.",
    ]
    assert f"sha256: {dropped.sha256}" in note
    assert "file: web/form.csv" in note
    assert f"filed: {datetime.fromtimestamp(clock.now, UTC).isoformat(timespec='seconds')}" in note
    assert (day / "form.csv.errors.xlsx").read_bytes() == b"PK-fake-workbook"
    assert (day / "escape.txt").read_bytes() == b"x"


def test_quarantine_without_detail_uses_the_reason_sentence(folder, clock):
    drop_file(folder, "cards.vcf", os.urandom(2000))
    dropped = claim_one(folder, clock)
    assert (dropped.kind, dropped.reject_reason) == (FileKind.UNKNOWN, "binary-junk")
    target = folder.quarantine(dropped, dropped.reject_reason, "", when=DAY)
    note = target.with_name("cards.vcf.error.txt").read_text(encoding="utf-8")
    assert note.startswith("reason: binary-junk\nThe file name says it is text")


def test_already_seen_file_is_filed_as_processed_with_a_note(folder, clock):
    drop_file(folder, "leads.csv")
    folder.complete(claim_one(folder, clock), when=DAY)
    drop_file(folder, "leads.csv")
    again = folder.already_seen(claim_one(folder, clock), when=DAY, note="first seen 2024-05-01")
    assert again.name == "leads (2).csv"
    note = again.with_name("leads (2).csv.already-seen.txt").read_text(encoding="utf-8")
    assert note.startswith("already seen: a file with exactly the same content")
    assert "first seen 2024-05-01" in note


def test_nothing_is_ever_deleted_across_a_whole_run(folder, clock):
    drops = {
        "a/leads.csv": CSV,
        "b/leads.csv": CSV,  # identical bytes, same name, other folder
        "leads.csv": CSV + b"x,y\n",
        "junk.csv": os.urandom(3000),
        "CON.csv": CSV + b"con\n",
    }
    for relative, data in drops.items():
        drop_file(folder, relative, data)
    before = sorted(tree_files(folder.inbox).values())
    seen: set[str] = set()
    for candidate in settled_scan(folder, clock):
        dropped = folder.claim(candidate)
        assert dropped is not None
        if dropped.reject_reason:
            folder.quarantine(dropped, dropped.reject_reason, "", when=DAY)
        elif dropped.sha256 in seen:
            folder.already_seen(dropped, when=DAY)
        else:
            seen.add(dropped.sha256)
            folder.complete(dropped, when=DAY)
    after = tree_files(folder.inbox.parent)
    assert sorted(after.values()) == before
    assert all(not name.startswith(("inbox", ".work")) for name in after)
    assert "processed/2024-05-17/_CON.csv" in after


def test_symlinks_are_claimed_as_links_and_never_followed(folder, clock, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_bytes(b"password,1234\n")
    (folder.inbox / "link.csv").symlink_to(secret)
    dropped = claim_one(folder, clock)
    assert (dropped.kind, dropped.reject_reason) == (FileKind.UNKNOWN, "symlink")
    target = folder.quarantine(dropped, "symlink", "", when=DAY)
    assert target.is_symlink() and secret.read_bytes() == b"password,1234\n"


def test_fifo_is_rejected_without_being_opened(folder, clock):
    os.mkfifo(folder.inbox / "pipe.csv")
    dropped = claim_one(folder, clock)  # opening it would block this test forever
    assert dropped.reject_reason == "not-a-regular-file"


def test_file_over_the_size_limit_is_too_large(tmp_path, clock):
    folder = DropFolder(tmp_path, max_file_bytes=10, clock=clock)
    folder.ensure()
    drop_file(folder, "huge.csv")
    dropped = claim_one(folder, clock)
    assert (dropped.kind, dropped.reject_reason) == (FileKind.UNKNOWN, "too-large")
    assert dropped.sha256 == hashlib.sha256(CSV).hexdigest()


def test_name_with_newline_is_filed_safely_and_cannot_forge_note_lines(folder, clock):
    drop_file(folder, "evil\nreason: forged.csv")
    dropped = claim_one(folder, clock)
    target = folder.quarantine(dropped, "test", "detail", when=DAY)
    assert target.name == "evilreason_ forged.csv"
    note = target.with_name(f"{target.name}.error.txt").read_text(encoding="utf-8")
    assert [line for line in note.splitlines() if line.startswith("reason:")] == ["reason: test"]
    assert "file: evil\\nreason: forged.csv" in note


def test_undecodable_file_name_bytes_are_shown_as_replacement_characters(folder, clock):
    with open(os.fsencode(folder.inbox) + b"/caf\xe9.csv", "wb") as handle:
        handle.write(CSV)
    dropped = claim_one(folder, clock)
    assert dropped.original_name == "caf\ufffd.csv"
    assert folder.complete(dropped, when=DAY).name == "caf_.csv"


def test_hostile_relative_paths_stay_inside_the_destination(folder, clock):
    drop_file(folder, "leads.csv")
    dropped = dataclasses.replace(claim_one(folder, clock), relative_path="../../../etc/passwd")
    target = folder.complete(dropped, when=DAY)
    assert target == folder.processed / "2024-05-17" / "etc" / "passwd"


def test_writing_outside_the_folder_is_refused(tmp_path):
    with pytest.raises(UnsupportedInput) as error:
        check_inside(tmp_path / "a" / ".." / ".." / "x", tmp_path / "a")
    assert error.value.reason == "unsafe-path"


def test_write_new_never_overwrites(tmp_path):
    first = write_new(tmp_path, "note.txt", b"one")
    second = write_new(tmp_path, "note.txt", b"two")
    assert (first.read_bytes(), second.name, second.read_bytes()) == (
        b"one",
        "note (2).txt",
        b"two",
    )


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("CON.csv", "_CON.csv"),
        ("lpt1", "_lpt1"),
        ("nul.tar.gz", "_nul.tar.gz"),
        ("a\nb\r.csv", "ab.csv"),
        ("\u202egpj.exe", "gpj.exe"),  # right-to-left override spoofing "exe.jpg"
        ("..", "unnamed"),
        ("", "unnamed"),
        (".bashrc", "bashrc"),
        ("report.csv. . ", "report.csv"),
        ('a<b>:c?"|*.csv', "a_b__c____.csv"),
        ("dir/", "dir"),
    ],
)
def test_safe_name_cleans_hostile_names(name, safe):
    assert safe_name(name) == safe


def test_safe_name_cuts_long_names_but_keeps_the_extension():
    cut = safe_name("ş" * 200 + ".xlsx")
    assert cut.endswith(".xlsx") and len(cut.encode("utf-8")) <= 150


@given(st.text(max_size=300))
def test_safe_name_is_always_one_harmless_component(name):
    safe = safe_name(name)
    assert safe and not safe.startswith(".") and len(safe.encode("utf-8")) <= 150
    assert not any(ch in safe for ch in '/\\\n\r\x00<>:"|?*')
    assert (Path("/base") / safe).parent == Path("/base")


def test_two_folders_racing_for_one_file_give_it_to_exactly_one(tmp_path, clock):
    one, two = (DropFolder(tmp_path, clock=clock) for _ in range(2))
    one.ensure()
    drop_file(one, "leads.csv")
    clock.advance(60)
    (first,), (second,) = one.scan(), two.scan()
    results = [one.claim(first), two.claim(second)]
    assert [r is not None for r in results] == [True, False]
    assert len(list(one.work.iterdir())) == 1


def test_threads_with_their_own_folders_claim_each_of_many_files_exactly_once(
    tmp_path, folder, clock
):
    for n in range(40):
        drop_file(folder, f"f{n:02}.csv", CSV + str(n).encode())
    start = threading.Barrier(6)
    claimed: list[DroppedFile] = []

    def worker() -> None:
        mine = DropFolder(tmp_path, clock=clock)
        candidates = mine.scan()
        start.wait()  # everyone has the same list, then all claim at once
        claimed.extend(d for d in map(mine.claim, candidates) if d is not None)

    clock.advance(60)
    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(d.relative_path for d in claimed) == [f"f{n:02}.csv" for n in range(40)]
    assert len(list(folder.work.iterdir())) == 40
    assert list(folder.inbox.iterdir()) == []


def test_recover_finds_claimed_files_left_by_a_crashed_run(tmp_path, clock, folder):
    drop_file(folder, "leads.csv")
    dropped = claim_one(folder, clock)
    # A crash between the claim rename and the hash leaves a ".claim-" file behind.
    half = folder.work / f".claim-{'0' * 32}-cards.vcf"
    half.write_bytes(b"BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n")
    recovered = {r.original_name: r for r in DropFolder(tmp_path, clock=clock).recover()}
    assert {name: r.kind for name, r in recovered.items()} == {
        "leads.csv": FileKind.CSV,
        "cards.vcf": FileKind.VCARD,
    }
    assert recovered["leads.csv"].path == dropped.path
    assert recovered["leads.csv"].sha256 == dropped.sha256
    assert not half.exists() and recovered["cards.vcf"].path.name.endswith("-cards.vcf")


def test_notes_beside_a_long_name_keep_their_full_suffix(folder, clock):
    long_name = "ş" * 74 + ".csv"  # 152 bytes: cut to the 150-byte limit
    drop_file(folder, long_name)
    target = folder.quarantine(claim_one(folder, clock), "test", "detail", when=DAY)
    assert len(target.name.encode("utf-8")) <= 150 and target.name.endswith(".csv")
    assert target.with_name(f"{target.name}.error.txt").is_file()
