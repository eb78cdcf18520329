"""The per-row fast paths of sheet parsing and normalisation give what the plain code gives."""

from __future__ import annotations

import codecs
import dataclasses
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.candidate import LeadCandidate
from ingest.csvread import iter_csv_rows
from ingest.errors import UnsupportedInput
from ingest.headers import map_headers
from ingest.records import Interest, RawRecord, Rejected, SourceKind, slot_maker
from ingest.sheet import parse_sheet
from ingest.sheetrow import RowBuilder
from ingest.storable import UNSTORABLE, is_storable

WHEN = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
RECORD_ARGS = (
    SourceKind.SHEET,
    "file://ab#row-2",
    WHEN,
    "leads.csv",
    {"email": "ali@x.example"},
    {"email": "leads.csv row 2 column 'E-posta'"},
    (),
    ("0532 111 22 33",),
    (Interest("Pompa", 5),),
    None,
)


def _parse(path: Path, received_at: datetime = WHEN) -> list[object]:
    return list(parse_sheet(path, file_sha256="ab", origin=path.name, received_at=received_at))


def test_a_made_record_is_the_record_the_class_builds_and_stays_frozen() -> None:
    made = slot_maker(RawRecord)(*RECORD_ARGS)
    assert type(made) is RawRecord
    assert made == RawRecord(*RECORD_ARGS)
    assert repr(made) == repr(RawRecord(*RECORD_ARGS))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.origin = "other.csv"  # type: ignore[misc]
    assert dataclasses.replace(made, origin="other.csv").origin == "other.csv"


def test_a_made_candidate_has_every_field_in_declaration_order() -> None:
    values = [f"value {i}" for i in range(len(dataclasses.fields(LeadCandidate)))]
    made = slot_maker(LeadCandidate)(*values)
    assert type(made) is LeadCandidate
    assert made == LeadCandidate(*values)
    assert [getattr(made, f.name) for f in dataclasses.fields(made)] == values


def test_a_maker_wants_every_field() -> None:
    with pytest.raises(TypeError):
        slot_maker(Interest)("Pompa")


def test_sheet_rows_read_with_a_naive_time_still_fail_as_the_record_class_does(
    tmp_path: Path,
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("Name,Email\nAli,ali@x.example\n", encoding="utf-8")
    with pytest.raises(UnsupportedInput, match="received_at must be timezone-aware"):
        _parse(path, received_at=datetime(2024, 5, 6, 9, 30))


@pytest.mark.parametrize(
    "text", ["", "Ali", "a\x00b", "Ayşe Işık", "\ud800", "x\udfffy", "ş\x00", "😀", "\ufffd"]
)
def test_the_cheap_storable_check_agrees_with_the_pattern(text: str) -> None:
    assert is_storable(text) is (UNSTORABLE.search(text) is None)


@pytest.mark.parametrize(
    ("data", "bad"),
    [
        # An encoded surrogate after the 64 KB sample of a UTF-8 file (the stream's legacy
        # handler reads those bytes as cp1254), and lone surrogates in UTF-16 and UTF-32 files.
        (b"Name,Email\r\n" + b"Ali,ali@x.example\r\n" * 4000 + b"Bad\xed\xa0\x80,b@x.example\r\n",
         "Badí\xa0€"),
        (codecs.BOM_UTF16_LE + "Name,Email\r\nAli,".encode("utf-16-le") + b"\x00\xd8"
         + ",a@x.example\r\n".encode("utf-16-le"), "\ufffd"),
        (codecs.BOM_UTF32_LE + "Name,Email\r\nAli,".encode("utf-32-le") + b"\x00\xd8\x00\x00"
         + ",a@x.example\r\n".encode("utf-32-le"), "\ufffd"),
    ],
)  # fmt: skip
def test_decoded_csv_text_never_holds_a_lone_surrogate(
    tmp_path: Path, data: bytes, bad: str
) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes(data)
    cells = [cell for row in iter_csv_rows(path) for cell in row]
    assert bad in "".join(cells)  # the bad code unit was there, and became ordinary text
    assert all(UNSTORABLE.search(cell) is None for cell in cells)


def test_a_quote_left_open_after_thousands_of_rows_is_still_damage(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    rows = "".join(f"Ali {i},ali{i}@x.example\n" for i in range(2500))
    path.write_text(f'Name,Email\n{rows}Veli,"veli@y.example\nKaya\n', encoding="utf-8")
    items = _parse(path)
    assert sum(isinstance(item, RawRecord) for item in items) == 2500
    last = items[-1]
    assert isinstance(last, Rejected) and "never closed" in last.message


def test_a_closed_quoted_last_record_after_thousands_of_rows_is_a_record(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    rows = "".join(f"Ali {i},ali{i}@x.example,\n" for i in range(2500))
    path.write_text(f'Name,Email,Notes\n{rows}Veli,veli@y.example,"two\nlines"', encoding="utf-8")
    items = _parse(path)
    last = items[-1]
    assert len(items) == 2501
    assert isinstance(last, RawRecord) and last.fields["notes"] == "two\nlines"


def test_rows_blank_only_in_their_first_cell_are_read_and_blank_rows_skipped(
    tmp_path: Path,
) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("Name,Email\n ,ali@x.example\n  ,  \nVeli,\n", encoding="utf-8")
    items = _parse(path)
    assert [(i.source_ref, i.fields) for i in items if isinstance(i, RawRecord)] == [
        ("file://ab#row-2", {"email": "ali@x.example"}),
        ("file://ab#row-4", {"full_name": "Veli"}),
    ]


def test_a_maker_refuses_field_names_its_own_locals_could_shadow() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Hidden:
        _obj: str

    with pytest.raises(ValueError, match="public field names"):
        slot_maker(Hidden)


# A plain header: every field in one column, nothing unmapped, so that rows no wider than it
# take the plain path of ``RowBuilder.build``.
PLAIN_HEADER = ["Ad", "Soyad", "E-posta", "Telefon", "Firma", "Mesaj", "Ürün", "Adet"]
CELLS = ["", " ", "Ali", " Veli ", "ali@x.example", "0532 111 22 33", "Pompa", "5", "1.000",
         "yaklaşık 5", "iki\nsatır", "\t"]  # fmt: skip


def test_plain_rows_build_what_the_general_path_builds() -> None:
    header = map_headers(PLAIN_HEADER, None)
    builder = RowBuilder(header, origin="form.csv", file_sha256="ab", received_at=WHEN)
    rng = random.Random(7)
    plain = 0
    for row_no in range(2, 2000):
        cells = [rng.choice(CELLS) for _ in range(rng.randint(len(PLAIN_HEADER) - 1, 8))]
        item = builder.build(cells, row_no)
        if item is None:
            assert not "".join(cells).strip()
            continue
        plain += len(cells) == len(PLAIN_HEADER)
        general = builder._build_general(cells, row_no, f"form.csv row {row_no}")
        assert item == general
        if isinstance(item, RawRecord):
            assert list(item.fields.items()) == list(general.fields.items())  # same order
            assert list(item.provenance.items()) == list(general.provenance.items())
    assert plain > 1000
