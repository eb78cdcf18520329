"""The web-form sheet parser: CSV/XLSX/XLS/ODS exports -> ``RawRecord``s and ``Rejected`` rows.

The format is decided from the file's bytes, not its name (a ZIP is XLSX/ODS, OLE2 is XLS,
anything else is read as CSV text). Each sheet's header row is mapped to canonical fields
(``ingest.headers``); every later row becomes one item:

- ``RawRecord`` with ``source_ref`` ``file://<sha256>#row-<n>`` where ``n`` is the row number a
  person sees in Excel (header = row 1, first data row = 2; in a CSV a record with a quoted
  newline is still one row). Workbooks with more than one sheet use
  ``file://<sha256>#<url-quoted sheet name>!row-<n>``;
- ``Rejected(reason="row-no-identity")`` for a row with no name, email or phone;
- ``Rejected(reason="sheet-too-large")`` once a sheet passes ``MAX_SHEET_ROWS`` rows or
  ``MAX_SHEET_CELLS`` cells: the rows before are kept, the rest of that sheet is not read.

Blank rows are skipped (they still count for row numbers). The header is the first non-blank
row when it has a name, email or phone column; otherwise one of the next rows that maps at least
two fields, one of them identifying (a title line above the header). Sheets with no such header
are skipped (e.g. an "Instructions" sheet). Whole-file problems raise ``UnsupportedInput`` so
the caller quarantines the file: empty, HTML/XML disguised as a spreadsheet, corrupt workbook,
binary, or no sheet with a recognisable header.
"""

from __future__ import annotations

import csv
from collections.abc import Generator, Iterable, Iterator, Mapping
from contextlib import closing
from datetime import datetime
from itertools import chain, count
from pathlib import Path
from urllib.parse import quote

from ingest.csvread import iter_csv_batches
from ingest.errors import IngestError, UnsupportedInput
from ingest.headers import HeaderMap, map_headers
from ingest.limits import MAX_SHEET_CELLS, MAX_SHEET_ROWS
from ingest.records import ParsedItem, Rejected
from ingest.sheetrow import RowBuilder
from ingest.storable import is_storable, storable_text
from ingest.workbook import is_reader_failure, read_workbook

HEADER_SEARCH_ROWS = 10
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def parse_sheet(
    path: Path,
    *,
    file_sha256: str,
    origin: str,
    received_at: datetime,
    mapping: Mapping[str, str] | None = None,
    chunk_rows: int = 256,
) -> Iterator[ParsedItem]:
    """Parse a CSV/XLSX/XLS/ODS file into records and rejected rows, streaming.

    ``origin`` names the file for people (used in provenance: "leads.csv row 17 column
    'E-posta'"); ``mapping`` overrides header mapping (header text -> field or "ignore");
    rows are pulled from the reader ``chunk_rows`` at a time (few enough that a chunk's rows
    are still in the CPU cache when they are built, and die young for the garbage collector).
    Raises ``UnsupportedInput`` when the file cannot be read at all (lazily, on the first
    ``next()``).
    """
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    items = _items(path, file_sha256, origin, received_at, mapping, chunk_rows)
    yielded = False
    try:
        with closing(items):  # close the file/workbook even when the caller stops early
            for item in items:  # the first item; the rest are handed on without a step here
                yielded = True
                yield item
                yield from items
    except (csv.Error, UnicodeError) as exc:
        # Mid-file damage (an unterminated quote past the field limit): keep what was read.
        if not yielded:
            raise UnsupportedInput(
                f"the CSV cannot be read: {exc}", reason="sheet-corrupt"
            ) from exc
        yield _unreadable_rest(file_sha256, origin, exc)
    except BaseException as exc:
        if isinstance(exc, IngestError) or not is_reader_failure(exc):
            raise
        if not yielded:  # a sheet that opens but cannot be read (damaged XML or ZIP member)
            detail = f"{type(exc).__name__}: {exc}"[:200]
            raise UnsupportedInput(
                f"the spreadsheet cannot be read ({detail})", reason="sheet-corrupt"
            ) from exc
        yield _unreadable_rest(file_sha256, origin, exc)


def _items(
    path: Path,
    file_sha256: str,
    origin: str,
    received_at: datetime,
    mapping: Mapping[str, str] | None,
    chunk_rows: int,
) -> Generator[ParsedItem, None, None]:
    seen: list[str] = []
    found = False
    for sheet, batches in _tables(path, chunk_rows):
        located = _find_header(batches, mapping, seen)
        if located is None:
            continue
        found = True
        header, row_no, rest = located
        builder = RowBuilder(
            header, origin=origin, file_sha256=file_sha256, received_at=received_at, sheet=sheet
        )
        budget = _SheetBudget()
        for batch in chain((rest,), batches):
            allowed = budget.admit(batch, row_no)
            # One C-level pass over the batch: build each row, drop the blank ones (None).
            yield from filter(None, map(builder.build, allowed, count(row_no + 1)))
            row_no += len(batch)
            if budget.stopped_at is not None:
                yield _too_large(file_sha256, origin, sheet, budget)
                break
    if not found:
        shown = ", ".join(repr(h) for h in seen[:12]) or "none"
        raise UnsupportedInput(
            f"no header row with a name, email or phone column was found (headers seen: {shown});"
            " add a header mapping for this source",
            reason="sheet-no-known-columns",
        )


Batches = Iterator[list[list[str]]]


def _storable_row(cells: list[str]) -> list[str]:
    """Cells without NULs or lone surrogates (one cheap scan per row; fixed only when hit).

    Everything a sheet item carries comes from its cells, so cleaning rows here keeps every
    record and rejection storable without walking each item afterwards.
    """
    if is_storable("".join(cells)):
        return cells
    return [storable_text(c) for c in cells]


def _storable_cells(cells: list[str]) -> list[str]:
    """The cells of a decoded CSV row holding a NUL, made storable. (Decoded CSV text cannot
    hold a lone surrogate: every decoder runs with a replacing error handler.)"""
    return [storable_text(c) for c in cells]


def _tables(path: Path, chunk_rows: int) -> Iterator[tuple[str | None, Batches]]:
    """The file's tables as batches of storable rows: one for a CSV, one per sheet for a
    workbook (named when several)."""
    kind = _sniff_kind(path)
    if kind == "text":
        yield None, iter_csv_batches(path, chunk_rows, fix_nul=_storable_cells)
        return
    names, sheets = read_workbook(path, zipped=kind == "zip")
    for name, rows in sheets:
        yield (name if len(names) > 1 else None), _batches(map(_storable_row, rows), chunk_rows)


def _sniff_kind(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(2048)
    if not head.strip():
        raise UnsupportedInput("the file is empty", reason="sheet-empty")
    if head.startswith(_ZIP):
        return "zip"
    if head.startswith(_OLE2):
        return "ole"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<") and any(tag in start for tag in (b"<html", b"<table", b"<?xml")):
        raise UnsupportedInput(
            "this is an HTML/XML document with a spreadsheet name; save it as XLSX or CSV",
            reason="sheet-markup",
        )
    return "text"


def _find_header(
    batches: Batches, mapping: Mapping[str, str] | None, seen: list[str]
) -> tuple[HeaderMap, int, list[list[str]]] | None:
    """Consume rows up to and including the header row: the header, its row number and the
    rest of its batch; None when there is none."""
    looked = row_no = 0
    for batch in batches:
        for index, cells in enumerate(batch):
            row_no += 1
            if not any(cell.strip() for cell in cells):
                continue
            header = map_headers(cells, mapping)
            if looked == 0:
                seen.extend(h for h in header.headers if h)
                if header.has_identity:
                    return header, row_no, batch[index + 1 :]
            elif header.has_identity and len(set(header.fields.values())) >= 2:
                return header, row_no, batch[index + 1 :]
            looked += 1
            if looked >= HEADER_SEARCH_ROWS:
                return None
    return None


def _batches(rows: Iterable[list[str]], size: int) -> Batches:
    """Rows in lists of ``size``; when the reader fails, the rows read so far still come out
    before the error does, so a damaged tail never costs the good rows before it."""
    batch: list[list[str]] = []
    try:
        for row in rows:
            batch.append(row)
            if len(batch) >= size:
                yield batch
                batch = []
    except BaseException as exc:
        if batch and is_reader_failure(exc):  # not on GeneratorExit: the caller stopped
            yield batch
        raise
    if batch:
        yield batch


class _SheetBudget:
    """Rows of one sheet up to ``MAX_SHEET_ROWS`` rows / ``MAX_SHEET_CELLS`` cells; then it
    stops and remembers where, so the rest is rejected instead of exhausting memory or time."""

    def __init__(self) -> None:
        self.cells = 0
        self.stopped_at: int | None = None

    def admit(self, batch: list[list[str]], row_no: int) -> list[list[str]]:
        """The rows of ``batch`` (after row ``row_no``) within the budget; sets ``stopped_at``
        when the budget runs out in it."""
        cells = sum(map(len, batch))
        if row_no + len(batch) <= MAX_SHEET_ROWS and self.cells + cells <= MAX_SHEET_CELLS:
            self.cells += cells  # the whole batch fits: no need to look row by row
            return batch
        for index, row in enumerate(batch):
            self.cells += len(row)
            if row_no + index + 1 > MAX_SHEET_ROWS or self.cells > MAX_SHEET_CELLS:
                self.stopped_at = row_no + index + 1
                return batch[:index]
        return batch


def _too_large(file_sha256: str, origin: str, sheet: str | None, budget: _SheetBudget) -> Rejected:
    where = f"sheet {sheet!r} " if sheet else ""
    part = f"{quote(sheet, safe='')}!" if sheet else ""  # the same fragment shape as rows
    return Rejected(
        source_ref=f"file://{file_sha256}#{part}rest-too-large",
        origin=origin,
        reason="sheet-too-large",
        message=f"The {where or 'sheet '}is over the limit of {MAX_SHEET_ROWS:,} rows or "
        f"{MAX_SHEET_CELLS:,} cells; rows before row {budget.stopped_at} were imported, "
        "the rest was not.",
        location=f"{where}row {budget.stopped_at}".strip(),
    )


def _unreadable_rest(file_sha256: str, origin: str, exc: BaseException) -> Rejected:
    return Rejected(
        source_ref=f"file://{file_sha256}#rest",
        origin=origin,
        reason="sheet-unreadable-rest",
        message=f"The file could not be read to the end ({type(exc).__name__}: {exc}); "
        "the rows before the damage were imported, the rest was not.",
    )
