"""Size limits: too-large inputs get a clear sentence, huge fields and long sheets are handled."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

import ingest.message
import ingest.sheet
from ingest.errors import InputTooLarge
from ingest.limits import size_text
from ingest.message import parse_message
from ingest.records import RawRecord, Rejected
from ingest.sheet import parse_sheet
from ingest.vcard import parse_vcards

WHEN = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
SHA = "ab" * 32
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def parse(path: Path) -> list[object]:
    return list(parse_sheet(path, file_sha256=SHA, origin=path.name, received_at=WHEN))


def test_sizes_are_shown_as_people_read_them() -> None:
    assert size_text(31_200_000) == "31.2 MB"
    assert size_text(25_000_000) == "25 MB"
    assert size_text(48_400) == "48 kB"
    assert size_text(50) == "50 bytes"


def test_a_ten_megabyte_message_field_on_one_line_is_read_whole(tmp_path: Path) -> None:
    message = ("Merhaba, 200 adet vana. " * 420_000)[:10_000_000]
    path = tmp_path / "form.csv"
    path.write_text(
        "Ad Soyad,E-posta,Mesaj\n"
        f'Ayşe Yılmaz,ayse@firma.example,"{message}"\n'
        "Ali,ali@x.example,kısa\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    first, second = parse(path)
    assert time.perf_counter() - started < 10
    assert isinstance(first, RawRecord) and isinstance(second, RawRecord)
    assert first.fields["notes"] == message  # kept whole, not truncated
    assert second.fields["email"] == "ali@x.example"  # the row after it is read too


def test_rows_past_the_sheet_limit_are_rejected_and_the_rows_before_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest.sheet, "MAX_SHEET_ROWS", 4)
    path = tmp_path / "long.csv"
    rows = "".join(f"Kişi {n},k{n}@x.example\n" for n in range(2, 10))
    path.write_text(f"Ad Soyad,E-posta\n{rows}", encoding="utf-8")
    *records, rest = parse(path)
    assert [r.fields["email"] for r in records if isinstance(r, RawRecord)] == [
        "k2@x.example",
        "k3@x.example",
        "k4@x.example",
    ]
    assert isinstance(rest, Rejected)
    assert rest.reason == "sheet-too-large"
    assert rest.location == "row 5"
    assert "rows before row 5 were imported" in rest.message


def test_a_sheet_with_too_many_cells_stops_at_the_cell_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest.sheet, "MAX_SHEET_CELLS", 5)  # data rows only; 3 cells each
    path = tmp_path / "wide.csv"
    path.write_text("Ad Soyad,E-posta,A\nAli,a@x.example,1\nVeli,v@x.example,2\n", encoding="utf-8")
    items = parse(path)
    assert [type(i).__name__ for i in items] == ["RawRecord", "Rejected"]
    assert isinstance(items[1], Rejected) and items[1].reason == "sheet-too-large"


def test_an_email_over_the_limit_is_rejected_with_its_size_and_the_limit() -> None:
    data = b"From: a@x.example\r\nSubject: big\r\n\r\n" + b"x" * 31_200_000
    (item,) = parse_message(data, source_ref="imap://INBOX/1/7", origin="big", received_at=WHEN)
    assert isinstance(item, Rejected)
    assert item.reason == "email-too-large"
    assert item.message == "The email is 31.2 MB; the limit is 25 MB."


def test_an_oversized_vcard_attachment_is_skipped_but_the_inquiry_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ingest.message, "MAX_ATTACHMENT_BYTES", 50)
    data = (FIXTURES / "email" / "inquiry_with_vcard_attachment.eml").read_bytes()
    lead, *rest = parse_message(data, source_ref="imap://INBOX/1/8", origin="m", received_at=WHEN)
    assert isinstance(lead, RawRecord)
    assert [r.reason for r in rest if isinstance(r, Rejected)] == ["attachment-too-large"]
    assert all(not isinstance(r, RawRecord) for r in rest)  # the card was not read
    assert re.fullmatch(
        r"The attachment '.+\.vcf' is \d+ bytes; the limit is 50 bytes, "
        r"so it was not read \(the message itself was\)\.",
        rest[0].message,
    )


def test_a_vcard_file_over_the_limit_raises_input_too_large_with_a_sentence() -> None:
    data = b"BEGIN:VCARD\r\n" + b"N" * 51_000_000
    with pytest.raises(InputTooLarge) as caught:
        list(parse_vcards(data, file_sha256=SHA, origin="big.vcf", received_at=WHEN))
    assert caught.value.reason == "vcard-too-large"
    assert str(caught.value) == "the vCard file is 51 MB; the limit is 50 MB"


def test_a_quote_left_open_to_the_end_of_the_file_is_damage_not_a_record(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text(
        'Ad Soyad,E-posta\nAli,ali@x.example\nVeli,"veli@y.example\nKaya\n', encoding="utf-8"
    )
    first, rest = parse(path)
    assert isinstance(first, RawRecord) and first.fields["email"] == "ali@x.example"
    assert isinstance(rest, Rejected) and rest.reason == "sheet-unreadable-rest"
    assert "never closed" in rest.message


def test_a_stray_quote_inside_the_last_row_is_still_a_record(tmp_path: Path) -> None:
    path = tmp_path / "inch.csv"
    path.write_text('Ad Soyad,E-posta,Ürün\nAli,ali@x.example,2" vana', encoding="utf-8")
    (record,) = parse(path)
    assert isinstance(record, RawRecord)
    assert record.fields["email"] == "ali@x.example"
