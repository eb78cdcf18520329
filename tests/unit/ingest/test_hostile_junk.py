"""Binary junk under a text or spreadsheet name is recognised and turned into a reason."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.errors import UnsupportedInput
from ingest.message import parse_message
from ingest.records import RawRecord, Rejected
from ingest.sheet import parse_sheet
from ingest.sniff import FileKind, sniff
from ingest.vcard import parse_vcards

WHEN = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
JUNK = random.Random(7).randbytes(8192)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("leads.csv", "binary-junk"),
        ("cards.vcf", "binary-junk"),
        ("mail.eml", "binary-junk"),
        ("book.xlsx", "not-a-spreadsheet"),
        ("book.ods", "not-a-spreadsheet"),
    ],
)
def test_sniff_gives_junk_under_any_name_a_reason(tmp_path: Path, name: str, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(JUNK)
    assert sniff(path, JUNK) == (FileKind.UNKNOWN, reason)


def test_junk_that_starts_like_a_zip_is_a_corrupt_zip(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04" + JUNK)
    assert sniff(path, path.read_bytes()) == (FileKind.UNKNOWN, "corrupt-zip")


@pytest.mark.parametrize("name", ["leads.csv", "book.xlsx", "book.ods"])
def test_the_sheet_parser_refuses_junk_with_a_reason(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(JUNK)
    with pytest.raises(UnsupportedInput) as caught:
        list(parse_sheet(path, file_sha256="ab" * 32, origin=name, received_at=WHEN))
    assert caught.value.reason == "sheet-binary"


def test_the_sheet_parser_refuses_a_zip_of_junk_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04" + JUNK)
    with pytest.raises(UnsupportedInput) as caught:
        list(parse_sheet(path, file_sha256="ab" * 32, origin="book.xlsx", received_at=WHEN))
    assert caught.value.reason == "sheet-corrupt"


def test_the_vcard_parser_rejects_junk_as_holding_no_card() -> None:
    (item,) = parse_vcards(JUNK, file_sha256="ab" * 32, origin="c.vcf", received_at=WHEN)
    assert isinstance(item, Rejected) and item.reason == "vcard-no-card"
    assert all("\x00" not in value for value in item.raw.values())


def test_the_email_parser_rejects_junk_as_not_a_message() -> None:
    (item,) = parse_message(JUNK, source_ref="file://x", origin="m.eml", received_at=WHEN)
    assert isinstance(item, Rejected) and item.reason == "not-rfc822"


def test_a_nul_inside_a_vcard_name_is_dropped_so_the_record_can_be_stored() -> None:
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:John\x00 Smith\r\nEMAIL:j@x.example\r\nEND:VCARD\r\n"
    (card,) = parse_vcards(data, file_sha256="ab" * 32, origin="c.vcf", received_at=WHEN)
    assert isinstance(card, RawRecord)
    assert card.fields["full_name"] == "John Smith"
