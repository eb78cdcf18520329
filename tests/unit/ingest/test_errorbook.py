"""The error workbook lists rejected rows and never lets a cell run as a formula."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ingest.errorbook import neutralise, write_error_workbook
from ingest.records import Rejected


def rejected(location: str, raw: dict[str, str]) -> Rejected:
    return Rejected(
        source_ref=f"file://{'ef' * 32}#{location.replace(' ', '-')}",
        origin="leads.csv",
        reason="row-no-identity",
        message=f"{location.capitalize()} has no name, email or phone, so it cannot become a lead.",
        location=location,
        raw=raw,
    )


def read_back(path: Path) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in book.active.iter_rows(values_only=True)]  # type: ignore[union-attr]
    finally:
        book.close()


def test_error_workbook_round_trips_rows_reasons_and_raw_values(tmp_path: Path) -> None:
    path = tmp_path / "leads.errors.xlsx"
    write_error_workbook(
        path,
        [
            rejected("row 3", {"Firma": "Gölge Ticaret", "Şehir": "Eskişehir"}),
            rejected("row 9", {"Firma": "Kuzey", "Not": "ara"}),
        ],
    )
    rows = read_back(path)
    assert rows[0] == ("Location", "Reason", "Message", "Source ref", "Firma", "Şehir", "Not")
    assert rows[1][:2] == ("row 3", "row-no-identity")
    assert rows[1][2] == "Row 3 has no name, email or phone, so it cannot become a lead."
    assert rows[1][4:] == ("Gölge Ticaret", "Eskişehir", None)
    assert rows[2][4:] == ("Kuzey", None, "ara")
    assert len(rows) == 3


def test_error_workbook_neutralises_formula_like_cells(tmp_path: Path) -> None:
    path = tmp_path / "evil.xlsx"
    raw = {"A": '=HYPERLINK("http://x")', "B": "+90 532", "C": "-1", "D": "@SUM(A1)", "E": "ok"}
    write_error_workbook(path, [rejected("row 2", raw)])
    assert read_back(path)[1][4:] == (
        '\'=HYPERLINK("http://x")',
        "'+90 532",
        "'-1",
        "'@SUM(A1)",
        "ok",
    )


def test_empty_list_gives_a_workbook_with_only_the_header(tmp_path: Path) -> None:
    path = tmp_path / "none.xlsx"
    write_error_workbook(path, [])
    assert read_back(path) == [("Location", "Reason", "Message", "Source ref")]


@pytest.mark.parametrize(
    ("value", "safe"),
    [("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"), ("bell\x07", "bell\ufffd"), ("a-b", "a-b")],
)
def test_neutralise_prefixes_formula_starts_and_replaces_control_characters(
    value: str, safe: str
) -> None:
    assert neutralise(value) == safe
