"""The sheet parser on workbooks (XLSX, ODS): numbers stay digits, dates ISO, sheets named."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from ingest.records import RawRecord, Rejected
from ingest.sheet import parse_sheet
from ingest.workbook import cell_text

SHA = "cd" * 32
WHEN = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)


def parse(path: Path) -> list[RawRecord | Rejected]:
    items = list(parse_sheet(path, file_sha256=SHA, origin=path.name, received_at=WHEN))
    assert all(isinstance(item, RawRecord | Rejected) for item in items)
    return items  # type: ignore[return-value]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_phone_numbers_stored_as_numbers_come_out_as_digit_text(tmp_path: Path) -> None:
    rows = [
        ["Ad Soyad", "Telefon", "Cep", "Posta Kodu"],
        ["Ali Can", 2125551234, 905321234567.0, 6100],
    ]
    (found,) = parse(write_xlsx(tmp_path / "leads.xlsx", {"Leads": rows}))
    assert isinstance(found, RawRecord)
    assert found.fields == {"full_name": "Ali Can", "phone": "2125551234",
                            "mobile": "905321234567", "postcode": "6100"}  # fmt: skip


def test_dates_become_iso_text_and_fractions_stay_decimal(tmp_path: Path) -> None:
    rows = [
        ["Email", "Tarih", "Zaman", "Oran"],
        ["a@x.com", datetime(2024, 3, 1), datetime(2024, 3, 1, 14, 5), 0.25],
    ]
    (found,) = parse(write_xlsx(tmp_path / "leads.xlsx", {"Sheet": rows}))
    assert isinstance(found, RawRecord)
    assert found.fields["notes"] == "Tarih: 2024-03-01\nZaman: 2024-03-01T14:05:00\nOran: 0.25"


def test_rows_are_numbered_as_excel_shows_them_even_below_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "leads.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["B3"], sheet["C3"] = "Email", "Name"
    sheet["B4"], sheet["C4"] = "a@x.com", "Ann"
    sheet["B6"], sheet["C6"] = "b@x.com", "Bob"
    book.save(path)
    assert [item.source_ref for item in parse(path)] == [
        f"file://{SHA}#row-4",
        f"file://{SHA}#row-6",
    ]


def test_partial_bad_sheet_keeps_good_rows_and_rejects_bad_ones_by_row(tmp_path: Path) -> None:
    rows = [
        ["Name", "Email", "Company", "Phone"],
        ["Ann Lee", "ann@x.com", "Acme", None],
        [None, None, "Nobody Ltd", None],
        [None, None, None, 5321234567],
        [None, None, None, None],
        [None, None, "Other Ltd", None],
    ]
    items = parse(write_xlsx(tmp_path / "mixed.xlsx", {"Sheet1": rows}))
    assert [(type(i).__name__, i.source_ref.rsplit("-", 1)[1]) for i in items] == [
        ("RawRecord", "2"),
        ("Rejected", "3"),
        ("RawRecord", "4"),
        ("Rejected", "6"),
    ]
    bad = items[1]
    assert isinstance(bad, Rejected)
    assert bad.location == "row 3"
    assert bad.raw == {"Name": "", "Email": "", "Company": "Nobody Ltd", "Phone": ""}
    assert items[2].fields == {"phone": "5321234567"}  # type: ignore[union-attr]


def test_multi_sheet_workbook_names_sheets_and_skips_sheets_without_a_header(
    tmp_path: Path,
) -> None:
    sheets: dict[str, list[list[object]]] = {
        "Fuar Mart": [["E-posta", "Ad"], ["a@x.com", "Ayşe"]],
        "Instructions": [["Import your contacts"], ["name*", "Name of the contact"]],
        "Web": [["Email", "Name"], ["b@x.com", "Bob"]],
    }
    found = parse(write_xlsx(tmp_path / "two.xlsx", sheets))
    assert [r.source_ref for r in found] == [
        f"file://{SHA}#Fuar%20Mart!row-2",
        f"file://{SHA}#Web!row-2",
    ]
    assert found[0].provenance["email"] == "two.xlsx sheet 'Fuar Mart' row 2 column 'E-posta'"  # type: ignore[union-attr]


def test_ods_workbook_is_read_with_numbers_as_text(tmp_path: Path) -> None:
    document = OpenDocumentSpreadsheet()
    table = Table(name="Leads")
    for values in (["Name", "Phone"], ["Ömer Ağaoğlu", 2165554433]):
        row = TableRow()
        for value in values:
            if isinstance(value, int):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    path = tmp_path / "leads.ods"
    document.save(str(path))
    (found,) = parse(path)
    assert isinstance(found, RawRecord)
    assert found.fields == {"full_name": "Ömer Ağaoğlu", "phone": "2165554433"}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (3210589000.0, "3210589000"),
        (1e20, "100000000000000000000"),
        (1.5e-7, "0.00000015"),
        (0.1, "0.1"),
        (42, "42"),
        (True, "TRUE"),
        (date(2024, 1, 31), "2024-01-31"),
        (datetime(2024, 1, 31, 0, 0), "2024-01-31"),
        (datetime(2024, 1, 31, 8, 15, 30), "2024-01-31T08:15:30"),
        (time(9, 30), "09:30:00"),
        (timedelta(hours=1, minutes=30), "1:30:00"),
        (float("nan"), "nan"),
    ],
)
def test_cell_values_become_plain_text(value: object, text: str) -> None:
    assert cell_text(value) == text
