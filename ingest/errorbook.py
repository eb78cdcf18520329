"""The error workbook: an .xlsx listing the rows that could not become leads.

It goes next to the quarantined file so a person can see, per bad row, where it was, why it was
rejected and what it held. Values come from untrusted files, so any cell that a spreadsheet
would run as a formula (starting with = + - @, TAB or CR) is prefixed with ``'`` (OWASP
"CSV injection" advice) and written as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ingest.records import Rejected

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FIXED = ("Location", "Reason", "Message", "Source ref")
# openpyxl refuses control characters that XML 1.0 cannot hold; they are replaced, not fatal.
_ILLEGAL = {c: "\ufffd" for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))}


def neutralise(value: str) -> str:
    """Make a value safe to show in a spreadsheet: never a formula, no XML-illegal characters."""
    value = value.translate(_ILLEGAL)
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def write_error_workbook(path: Path, rejected: Sequence[Rejected]) -> None:
    """Write ``rejected`` to an .xlsx at ``path``: one row per item, raw values in columns.

    Columns are Location, Reason, Message, Source ref, then the union of the raw keys in first
    seen order (so rows from one sheet line up under that sheet's headers).
    """
    raw_columns = list(dict.fromkeys(key for item in rejected for key in item.raw))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Rejected rows")
    bold = Font(bold=True)
    header = [WriteOnlyCell(sheet, value=neutralise(h)) for h in (*_FIXED, *raw_columns)]
    for cell in header:
        cell.font = bold
    sheet.append(header)
    for item in rejected:
        fixed = (item.location, item.reason, item.message, item.source_ref)
        raw = (item.raw.get(column, "") for column in raw_columns)
        sheet.append([neutralise(value) for value in (*fixed, *raw)])
    book.save(path)
