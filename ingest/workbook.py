"""Reading spreadsheet workbooks (XLSX/XLSM/XLSB, legacy XLS, ODS) as rows of strings.

python-calamine reads every format and is fast; when it cannot open a file, openpyxl
(read-only, for XLSX) or xlrd (for XLS) get a second try. Cells become text with
``cell_text``: integral numbers lose the ".0" and never use an exponent (a phone typed as a
number comes out as "5321234567"), dates become ISO text.

Limit: calamine loads one whole sheet into memory at a time (rows are then handed out lazily).
That is fine for the web-form exports we receive (a 100k-row sheet is tens of MB); very large
exports should arrive as CSV, which is streamed. ZIP workbooks are checked first
(``ingest.zip_container``): zip bombs and XML with DOCTYPE/entity declarations are refused.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import python_calamine
import xlrd

from ingest.errors import UnsupportedInput
from ingest.zip_container import check_zip_container

# openpyxl parses XML with defusedxml when it is installed (it is a dependency); without it an
# XLSX could expand entities. The DOCTYPE scan in ``zip_container`` refuses those files before
# any reader sees them, and this check keeps the second line of defence from silently going.
if not openpyxl.DEFUSEDXML:  # pragma: no cover - depends on the environment
    raise ImportError("defusedxml must be installed so openpyxl parses XML safely")

SheetRows = tuple[str, Iterator[list[str]]]
"""A sheet's name and its rows; row ``i`` (0-based) is spreadsheet row ``i + 1``."""


def read_workbook(path: Path, *, zipped: bool) -> tuple[list[str], Iterator[SheetRows]]:
    """Open a workbook: its sheet names and a lazy iterator over its sheets.

    ``zipped`` says the file is a ZIP container (XLSX/ODS) rather than OLE2 (XLS); it picks the
    fallback reader. Raises ``UnsupportedInput`` (reason ``sheet-corrupt``) when no reader can
    open the file, and for a ZIP the errors of ``check_zip_container`` (``zip-bomb``,
    ``zip-unsafe``, ``xml-entities``) before any reader opens it.
    """
    if zipped:
        check_zip_container(path)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        return list(book.sheet_names), _calamine_sheets(book)
    except BaseException as first:
        if not is_reader_failure(first):
            raise
        fallback, name = (_openpyxl_sheets, "openpyxl") if zipped else (_xlrd_sheets, "xlrd")
        try:
            return fallback(path)
        except BaseException as second:
            if not is_reader_failure(second):
                raise
            raise UnsupportedInput(
                "the spreadsheet is corrupt, password-protected or not a spreadsheet "
                f"(calamine: {_short(first)}; {name}: {_short(second)})",
                reason="sheet-corrupt",
            ) from second


def is_reader_failure(exc: BaseException) -> bool:
    """True for any error a spreadsheet library raises on a bad file.

    Besides ordinary exceptions that includes Rust panics surfacing from calamine, which pyo3
    raises as ``BaseException`` subclasses; interpreter exits and Ctrl-C are not failures.
    """
    if isinstance(exc, Exception):
        return True
    return type(exc).__name__ == "PanicException"


def cell_text(value: Any) -> str:
    """A cell value as text: numbers without ".0" or exponent, dates ISO, booleans TRUE/FALSE."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _float_text(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    return format(Decimal(text), "f") if "e" in text else text


def _calamine_sheets(book: python_calamine.CalamineWorkbook) -> Iterator[SheetRows]:
    try:
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            # iter_rows starts at row 1 even when the used range starts lower, so row numbers
            # stay the ones a person sees.
            yield name, ([cell_text(v) for v in row] for row in sheet.iter_rows())
    finally:
        book.close()


def _openpyxl_sheets(path: Path) -> tuple[list[str], Iterator[SheetRows]]:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)

    def sheets() -> Iterator[SheetRows]:
        try:
            for sheet in book.worksheets:
                rows = sheet.iter_rows(values_only=True)
                yield sheet.title, ([cell_text(v) for v in row] for row in rows)
        finally:
            book.close()

    return list(book.sheetnames), sheets()


def _xlrd_sheets(path: Path) -> tuple[list[str], Iterator[SheetRows]]:
    # xlrd prints warnings about damaged files to stdout unless given a log file.
    book = xlrd.open_workbook(str(path), on_demand=True, logfile=io.StringIO())

    def text(cell: xlrd.sheet.Cell) -> str:
        if cell.ctype == xlrd.XL_CELL_DATE:
            return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return cell_text(bool(cell.value))
        if cell.ctype == xlrd.XL_CELL_ERROR:
            return ""
        return cell_text(cell.value)

    def sheets() -> Iterator[SheetRows]:
        try:
            for sheet in book.sheets():
                yield sheet.name, ([text(c) for c in sheet.row(i)] for i in range(sheet.nrows))
        finally:
            book.release_resources()

    return list(book.sheet_names()), sheets()


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:160]
