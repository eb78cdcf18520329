"""Sheets as plain data: cell specs, merged ranges, print settings, and the text safety rules.

A layout is a ``SheetLayout``; ``exports.xlsx`` is the only place that turns one into openpyxl
objects. Text from customers (names, descriptions) goes through ``text_cell``, which removes
characters XML cannot carry and marks formula-like text (OWASP's list: ``=``, ``+``, ``-``,
``@``, tab, carriage return, and their full-width forms) as a literal, so the writer stores it
as a string with Excel's quote prefix: never evaluated, not even after the cell is edited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

CellValue = str | Decimal | int | date | None

# Characters that start a formula in Excel, LibreOffice or Google Sheets (OWASP CSV injection),
# plus the full-width forms some spreadsheet apps also accept.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

# XML 1.0 cannot carry these (openpyxl raises IllegalCharacterError on them); lone surrogates
# and the two non-characters cannot be encoded as UTF-8 text either.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` without the characters a workbook cannot store."""
    return _UNWRITABLE.sub("", text)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_PREFIXES)


@dataclass(frozen=True)
class CellSpec:
    """One cell: 1-based ``row``/``col``, a value, a style key and a number format.

    ``literal`` text is written as a string with the quote prefix (see the module docstring).
    """

    row: int
    col: int
    value: CellValue
    style: str = "text"
    number_format: str = "General"
    literal: bool = False


def text_cell(row: int, col: int, text: str, style: str = "text") -> CellSpec:
    """A text cell made safe: unwritable characters removed, formula-like text neutralised."""
    cleaned = clean_text(text)
    return CellSpec(row, col, cleaned, style, "@", literal=is_formula_like(cleaned))


@dataclass(frozen=True)
class MergeSpec:
    """A merged range, 1-based and inclusive."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass(frozen=True)
class PrintSpec:
    """Page setup: A4, orientation, fit to ``fit_width`` pages wide, repeated title rows."""

    orientation: Literal["portrait", "landscape"] = "portrait"
    fit_width: int = 1
    fit_height: int = 0  # 0: as many pages tall as needed
    title_rows: tuple[int, int] | None = None
    # Inches (what the format stores): 0.6 in ≈ 1.5 cm at the sides, a little more at the top.
    margins: tuple[float, float, float, float] = (0.6, 0.6, 0.7, 0.7)  # left, right, top, bottom


@dataclass(frozen=True)
class Properties:
    """Document properties (docProps/core.xml); ``created`` is also the modified time."""

    title: str
    creator: str
    created: datetime
    subject: str = ""
    language: str = ""


@dataclass(frozen=True)
class ChartSpec:
    """A clustered bar chart of one value column over one category column."""

    title: str
    category_col: int
    value_col: int
    header_row: int  # holds the series name; data runs from the next row
    last_row: int
    anchor: tuple[int, int]  # top-left cell (row, col)
    y_title: str = ""


@dataclass(frozen=True)
class SheetLayout:
    """Everything one worksheet shows."""

    name: str
    cells: tuple[CellSpec, ...]
    merges: tuple[MergeSpec, ...] = ()
    widths: tuple[tuple[int, float], ...] = ()
    heights: tuple[tuple[int, float], ...] = ()  # rows whose wrapped text needs more room
    freeze_row: int | None = None  # first row that scrolls
    print_spec: PrintSpec = field(default_factory=PrintSpec)
    charts: tuple[ChartSpec, ...] = ()

    @property
    def last_row(self) -> int:
        return max((c.row for c in self.cells), default=1)

    @property
    def last_col(self) -> int:
        return max((c.col for c in self.cells), default=1)


@dataclass(frozen=True)
class WorkbookLayout:
    """A workbook: its sheets in order and its properties."""

    sheets: tuple[SheetLayout, ...]
    properties: Properties
