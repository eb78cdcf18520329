"""The CSV reader's and the sheet parser's batch paths give what reading row by row gives.

The reference reads with the plain csv module one row at a time, as the reader used to: a
line without quotes is no longer fed to the csv module, records come in batches, and the sheet
parser's row budget and NUL cleaning work a batch at a time.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import ingest.csvread
import ingest.sheet
from ingest.csvcodec import SAMPLE_BYTES, decode_sample, detect_encoding, open_text
from ingest.csvread import _ends_inside_quotes, iter_csv_batches, iter_csv_rows, sniff_delimiter
from ingest.records import Rejected
from ingest.sheet import parse_sheet
from ingest.storable import storable_text

WHEN = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
# Delimiters, quotes, the line breaks a newline="" stream knows and those only str.splitlines
# knows (they are not line ends), wide characters.
PIECES = ["Ali", "x@y.example", "0532 111", "ş", "İ", "😀", " ", ",", ";", "\t", "|", '"', '""',
          "\r", "\n", "\r\n", "\x1c", "\x85", "\u2028", "\x0c", "\x0b"]  # fmt: skip

Read = tuple[list[list[str]], bool]  # the records, and whether reading ended in csv.Error


def _row_by_row(path: Path) -> Read:
    """The plain csv reader, one row at a time; the last record is damage when it is a quote
    the end of the file cuts off."""
    csv.field_size_limit(max(csv.field_size_limit(), ingest.csvread.CSV_FIELD_SIZE_LIMIT))
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample)
    delimiter = sniff_delimiter(decode_sample(sample, encoding))
    with open_text(path, encoding) as text:
        lines = list(text)
    reader = csv.reader(iter(lines), delimiter=delimiter, quotechar='"', doublequote=True)
    rows: list[list[str]] = []
    start = end = 0
    try:
        for row in reader:
            rows.append(row)
            start, end = end, reader.line_num
    except csv.Error:
        return rows, True
    if rows and _ends_inside_quotes("".join(lines[start:]), delimiter):
        return rows[:-1], True
    return rows, False


def _drain(records: Iterator[list[str]]) -> Read:
    rows: list[list[str]] = []
    try:
        rows.extend(records)  # (a list keeps what it took before an error)
    except csv.Error:
        return rows, True
    return rows, False


def _batched(path: Path, size: int) -> Iterator[list[str]]:
    for batch in iter_csv_batches(path, size):
        yield from batch


def _random_text(seed: int) -> str:
    rng = random.Random(seed)
    head = rng.choice(["Name,Email\n", "Ad;E-posta\r\n", "Name\tEmail\n"])
    return head + "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 200)))


@pytest.mark.parametrize("seed", range(0, 600, 3))
def test_generated_files_read_as_the_csv_module_reads_them_row_by_row(
    tmp_path: Path, seed: int
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(_random_text(seed), encoding="utf-8")
    expected = _row_by_row(path)
    assert _drain(iter_csv_rows(path)) == expected
    assert _drain(_batched(path, 2)) == expected


def test_a_long_file_reads_the_same_in_any_batch_size(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("".join(_random_text(seed) + "\n" for seed in range(300)), encoding="utf-8")
    expected = _row_by_row(path)
    assert len(expected[0]) > 1000
    for size in (1, 3, 256, 5000):
        assert _drain(_batched(path, size)) == expected


@pytest.fixture
def small_field_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    before = csv.field_size_limit()
    csv.field_size_limit(40)  # process-wide: put back afterwards
    monkeypatch.setattr(ingest.csvread, "CSV_FIELD_SIZE_LIMIT", 40)
    yield
    csv.field_size_limit(before)


@pytest.mark.usefixtures("small_field_limit")
@pytest.mark.parametrize(
    "tail",
    ["Veli," + "v" * 30 + "@x.example\n", "Veli," + "v" * 60 + "@x.example\n"],
    ids=["long-line-short-fields", "field-over-the-limit"],
)
def test_a_line_longer_than_the_field_limit_is_judged_by_the_csv_module(
    tmp_path: Path, tail: str
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("Name,Email\nAli,ali@x.example\n" + tail + "Can,can@x.example\n", "utf-8")
    expected = _row_by_row(path)
    assert _drain(iter_csv_rows(path)) == expected
    assert expected[1] is (tail.count("v") > 40)  # the oversized field stops the reading


def _parse(path: Path, chunk_rows: int) -> list[object]:
    return list(
        parse_sheet(
            path, file_sha256="ab", origin=path.name, received_at=WHEN, chunk_rows=chunk_rows
        )
    )


def _sheet_text(rows: int) -> str:
    rng = random.Random(rows)
    lines = ["Ad Soyad;E-posta;Telefon;Firma;Mesaj;Ürün;Adet"]
    for n in range(rows):
        cells = [f"Kişi {n}", f"k{n}@x.example", "0532 111 22 33", "Öz Çelik", "", "Pompa", str(n)]
        shape = rng.random()
        if shape < 0.1:
            cells[4] = f'"iki\nsatır; {n}"'  # a record over two lines
        elif shape < 0.15:
            cells = [""] * 7  # blank
        elif shape < 0.2:
            cells = cells[:2]  # short
        elif shape < 0.25:
            cells += ["fazla"]  # a cell past the header
        elif shape < 0.3:
            cells[0] = cells[1] = cells[2] = ""  # nobody
        lines.append(";".join(cells))
    return "\n".join(lines) + "\n"


def test_chunk_size_does_not_change_a_sheet_with_every_kind_of_row(tmp_path: Path) -> None:
    path = tmp_path / "form.csv"
    path.write_text(_sheet_text(700), encoding="utf-8")
    expected = _parse(path, 1)
    assert len(expected) > 600
    for size in (2, 7, 256):
        assert _parse(path, size) == expected


@pytest.mark.parametrize(("limit", "value"), [("MAX_SHEET_ROWS", 30), ("MAX_SHEET_CELLS", 150)])
def test_the_sheet_budget_stops_at_the_same_row_whatever_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: int
) -> None:
    monkeypatch.setattr(ingest.sheet, limit, value)
    path = tmp_path / "form.csv"
    path.write_text(_sheet_text(100), encoding="utf-8")
    expected = _parse(path, 1)
    last = expected[-1]
    assert isinstance(last, Rejected) and last.reason == "sheet-too-large"
    for size in (4, 7, 256):
        assert _parse(path, size) == expected


def test_rows_with_a_nul_past_the_sample_are_cleaned_as_the_cells_would_be(
    tmp_path: Path,
) -> None:
    filler = "".join(f"Kişi {n},k{n}@x.example,\n" for n in range(SAMPLE_BYTES // 20))
    tail = 'Ve\x00li,v\x00@x.example,"not\x00\nlar"\nCan,can@x.example,a\x00\n'
    path = tmp_path / "nul.csv"
    path.write_text("Name,Email,Notes\n" + filler + tail, encoding="utf-8")
    items = _parse(path, 256)
    assert items == _parse(path, 1)
    raw = list(iter_csv_rows(path))[-2:]
    cleaned = [[storable_text(cell) for cell in row] for row in raw]
    assert "\x00" in "".join(raw[0]) and "\x00" in "".join(raw[1])  # the reader keeps them
    assert [item.fields for item in items[-2:]] == [  # type: ignore[attr-defined]
        {"full_name": c[0], "email": c[1], "notes": c[2]} for c in cleaned
    ]
