"""Hostile names (traversal, control characters, devices, very long) are never used as paths."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ingest.dropfolder import DropFolder, safe_name
from ingest.message import parse_message
from ingest.records import RawRecord

WHEN = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
DAY = date(2024, 5, 17)
CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Weber\r\nEMAIL:anna@weber.example\r\nEND:VCARD\r\n"


def mail_with_attachment(disposition: str) -> bytes:
    return (
        b"From: Anna Weber <anna@weber.example>\r\nTo: sales@x.example\r\nSubject: Anfrage\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\n30 Stk. PG-80 bitte.\r\n"
        b"--b\r\nContent-Type: text/vcard\r\n"
        + disposition.encode()
        + b"\r\n\r\n"
        + CARD
        + b"--b--\r\n"
    )


@pytest.mark.parametrize(
    "disposition",
    [
        'Content-Disposition: attachment; filename="../../etc/passwd.vcf"',
        'Content-Disposition: attachment; filename="..\\\\..\\\\x.vcf"',
        "Content-Disposition: attachment; filename*=utf-8''a%00b%0A..%2F..%2Fc.vcf",
        'Content-Disposition: attachment; filename="CON.vcf"',
        f'Content-Disposition: attachment; filename="{"x" * 500}.vcf"',
    ],
)
def test_attachment_names_only_label_the_records_and_never_reach_a_reference(
    disposition: str, tmp_path: Path
) -> None:
    before = set(Path.cwd().iterdir())
    data = mail_with_attachment(disposition)
    lead, card = parse_message(data, source_ref="imap://INBOX/7/1", origin="m", received_at=WHEN)
    assert isinstance(lead, RawRecord) and isinstance(card, RawRecord)
    assert card.source_ref == "imap://INBOX/7/1#att-1#card-1"
    assert card.fields["email"] == "anna@weber.example"
    assert "\x00" not in card.origin  # storable, and never a path
    assert set(Path.cwd().iterdir()) == before  # nothing was written anywhere


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.vcf",
        "..\\..\\x.csv",
        "a\nb.eml",
        "CON.csv",
        "x" * 500 + ".csv",
        "a\x00b.csv",
    ],
)
def test_safe_name_keeps_one_short_harmless_component(name: str) -> None:
    safe = safe_name(name)
    assert (Path("/base") / safe).parent == Path("/base")
    assert not any(ch in safe for ch in "/\\\n\x00")
    assert len(safe.encode("utf-8")) <= 150
    assert not safe.upper().startswith("CON.")


@pytest.mark.parametrize(
    ("dropped", "kept"),
    [
        ("in\\..\\..\\x.csv", "x.csv"),  # (a leading dot would make it hidden: skipped)
        ("a\nb.eml", "ab.eml"),
        ("CON.csv", "_CON.csv"),
        ("\u202evsc.csv", "vsc.csv"),  # right-to-left override
        ("ş" * 120 + ".vcf", None),  # 240 UTF-8 bytes: cut, extension kept
    ],
)
def test_dropped_files_with_hostile_names_are_filed_inside_the_quarantine(
    tmp_path: Path, dropped: str, kept: str | None
) -> None:
    folder = DropFolder(tmp_path, settle_seconds=0.0, clock=lambda: time.time() + 60)
    folder.ensure()
    (folder.inbox / dropped).write_bytes(b"\x00\x01\x02junk" * 100)
    (candidate,) = folder.scan()
    claimed = folder.claim(candidate)
    assert claimed is not None and claimed.reject_reason == "binary-junk"
    assert claimed.path.parent == folder.work
    target = folder.quarantine(claimed, "binary-junk", "", when=DAY)
    day = folder.quarantined / "2024-05-17"
    assert target.resolve().is_relative_to(day.resolve())  # "..\\" parts are dropped
    assert kept is None or target.name == kept
    assert target.name.endswith(Path(dropped).suffix) and len(target.name.encode()) <= 150
    note = target.with_name(f"{target.name}.error.txt").read_text(encoding="utf-8")
    assert note.startswith("reason: binary-junk\n")
    assert "\nb.eml" not in note  # a newline in the name cannot forge a note line
    filed = sorted(str(p.relative_to(day)) for p in day.rglob("*") if p.is_file())
    here = target.relative_to(day)
    assert filed == sorted([str(here), f"{here}.error.txt"])
