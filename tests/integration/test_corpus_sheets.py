"""Every spreadsheet/CSV of the shared corpus, read in place: expected outcomes checked by hand.

The corpus lives beside the repository (``../shared/corpus``) or at ``$SALESFLOW_CORPUS``;
see its MANIFEST.md ("Spreadsheets / CSV") for what is hard about each file.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.errors import UnsupportedInput
from ingest.records import RawRecord, Rejected
from ingest.sheet import parse_sheet

CORPUS = Path(
    os.environ.get("SALESFLOW_CORPUS")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
)
SHEETS = CORPUS / "spreadsheets"
if not SHEETS.is_dir():
    pytest.skip("../shared/corpus not found; corpus tests need it", allow_module_level=True)

SHA = "0" * 64
WHEN = datetime(2024, 5, 6, tzinfo=UTC)

# file -> (number of records, {field: value} of the first record)
READABLE: dict[str, tuple[int, dict[str, str]]] = {
    "civicrm__individual_locations_with_related.csv": (
        1,
        {"first_name": "Susie", "last_name": "Jones", "email": "susie@example.com",
         "phone": "999-4445", "postcode": "90210", "city": "Sydney"},
    ),
    "civicrm__individual_unicode.csv": (
        1,
        {"first_name": "Iron", "last_name": "Man", "website": "https://কানাডা.com",
         "country": "Côte d'Ivoire"},
    ),
    "dataloader__accountsForInsert.csv": (4, {"full_name": "Company A"}),
    "odoo15__m2m_customers_tags.csv": (
        5, {"full_name": "Credit & Leasing", "city": "Johannesburg", "street": "Central Avenue 814"}
    ),
    "odoo15__o2m_customers_contacts.csv": (
        8, {"full_name": "Aurora Shelves", "postcode": "95101", "city": "San José"}
    ),
    "odoo15__res_partner.xls": (
        8, {"full_name": "Aurora Shelves", "postcode": "95101", "city": "San José"}
    ),
    "odoo18__res_partner.xlsx": (
        3,
        {"full_name": "Deco Addict", "phone": "+3210588558", "email": "azure@example.com",
         "postcode": "94523", "country": "US"},
    ),
    "thunderbird__csv_semicolon.csv": (
        2, {"full_name": "John Doe", "first_name": "John", "email": "john@doe.invalid"}
    ),
    "thunderbird__export.csv": (
        2, {"first_name": "contact", "last_name": "one", "email": "contact1@invalid"}
    ),
}  # fmt: skip

# file -> reason of the UnsupportedInput it raises
UNREADABLE = {
    "odoo15__crm_lead.xls": "sheet-corrupt",  # damaged by a find-and-replace over the binary
    "odoo18__crm_lead.xls": "sheet-corrupt",
    # generic headers (column1..3): nothing says which column is a name, email or phone
    "dataloader__csvtext_BOM_UTF8.csv": "sheet-no-known-columns",
    "dataloader__csvtext_BOM_UTF16LE.csv": "sheet-no-known-columns",
    "dataloader__csvtext_BOM_UTF32BE.csv": "sheet-no-known-columns",
}


def parse(name: str, **options: object) -> list[RawRecord | Rejected]:
    items = parse_sheet(SHEETS / name, file_sha256=SHA, origin=name, received_at=WHEN, **options)
    return list(items)  # type: ignore[arg-type]


def test_the_tables_cover_every_corpus_spreadsheet() -> None:
    assert sorted(p.name for p in SHEETS.iterdir()) == sorted({*READABLE, *UNREADABLE})


@pytest.mark.parametrize("name", sorted(READABLE))
def test_readable_corpus_file_gives_the_expected_records(name: str) -> None:
    expected_count, expected_first = READABLE[name]
    items = parse(name)
    assert all(isinstance(item, RawRecord) for item in items)
    assert len(items) == expected_count
    first = items[0]
    assert isinstance(first, RawRecord)
    assert {key: first.fields.get(key) for key in expected_first} == expected_first
    assert first.source_ref.endswith("row-2")


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_corpus_file_raises_with_a_reason(name: str) -> None:
    with pytest.raises(UnsupportedInput) as raised:
        parse(name)
    assert raised.value.reason == UNREADABLE[name]


@pytest.mark.parametrize("name", [n for n in UNREADABLE if n.startswith("dataloader")])
def test_dataloader_encodings_decode_once_a_mapping_names_the_columns(name: str) -> None:
    items = parse(name, mapping={"column1": "full_name", "column2": "company"})
    assert [(r.fields["full_name"], r.fields["company"]) for r in items] == [  # type: ignore[union-attr]
        ("row1-1", "row1-2"),
        ("row2-1", "row2-2"),
    ]
    assert items[1].fields["notes"] == "column3: row2-3"  # type: ignore[union-attr]


def test_odoo18_workbook_rows_are_named_by_sheet_and_numbers_stay_text() -> None:
    items = parse("odoo18__res_partner.xlsx")
    assert [r.source_ref for r in items] == [f"file://{SHA}#Contacts!row-{n}" for n in (2, 3, 4)]
    brandon = items[2]
    assert isinstance(brandon, RawRecord)
    assert brandon.fields["company"] == "Azure Interior"
    assert brandon.fields["mobile"] == "355-687-3262"
    assert "bank_ids/acc_number: 321654987" in brandon.fields["notes"]


def test_thunderbird_quoted_tab_newline_and_ellipsis_survive() -> None:
    second = parse("thunderbird__export.csv")[1]
    assert isinstance(second, RawRecord)
    assert second.fields["title"] == '"worker"'
    assert second.fields["notes"].startswith("here's some unicode text…")
    assert "Custom 2: custom\t2" in second.fields["notes"]
    assert "Custom 4: custom\n4" in second.fields["notes"]


def test_civicrm_relatives_columns_do_not_overwrite_the_contact() -> None:
    (susie,) = parse("civicrm__individual_locations_with_related.csv")
    assert isinstance(susie, RawRecord)
    assert susie.extra_emails == ()
    assert "Mum-email: mum@example.com" in susie.fields["notes"]
    assert "Team email: tt@example.org" in susie.fields["notes"]


def test_odoo_contact_rows_carry_their_related_company() -> None:
    roger = parse("odoo15__o2m_customers_contacts.csv")[1]
    assert isinstance(roger, RawRecord)
    assert (roger.fields["full_name"], roger.fields["company"]) == (
        "Roger Martins",
        "Aurora Shelves",
    )
