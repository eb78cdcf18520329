"""The sheet parser on CSV files: encodings, delimiters, ragged rows, rejects, provenance."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.errors import UnsupportedInput
from ingest.records import Interest, RawRecord, Rejected, SourceKind
from ingest.sheet import parse_sheet
from ingest.sheetrow import parse_quantity

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sheet"
SHA = "ab" * 32
WHEN = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
TURKISH_ROWS = [
    "Ad;Soyad;E-posta;Firma;Telefon;Unvan;Şehir;Ürün;Adet",
    "Işıl;Yıldız;isil@anadolu.com.tr;Anadolu Makine A.Ş.;0532 111 22 33;Müdür;İstanbul;Pompa;5",
    "Şükrü Çağlar;Doğan;sukru@ozcelik.com.tr;Öz Çelik;0212 555 12 12;Genel Müdür;İzmir;Vana;12",
    "Ömer;Ağaoğlu;omer@agaoglu.com.tr;Ağaoğlu İnşaat;;Mühendis;Bursa;Conta;2",
]


def parse(path: Path, **options: object) -> list[RawRecord | Rejected]:
    items = list(parse_sheet(path, file_sha256=SHA, origin=path.name, received_at=WHEN, **options))
    assert all(isinstance(item, RawRecord | Rejected) for item in items)
    return items  # type: ignore[return-value]


def records(path: Path, **options: object) -> list[RawRecord]:
    return [item for item in parse(path, **options) if isinstance(item, RawRecord)]


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "leads.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_turkish_cp1254_fixture_names_come_out_exactly_right() -> None:
    items = parse(FIXTURES / "turkish-cp1254.csv")
    found = [item for item in items if isinstance(item, RawRecord)]
    names = [(r.fields["first_name"], r.fields["last_name"]) for r in found]
    assert names == [("Işıl", "Yıldız"), ("Şükrü Çağlar", "Doğan"), ("Ömer", "Ağaoğlu"),
                     ("Gülşen", "Öztürk")]  # fmt: skip
    first = found[0]
    assert first.fields["company"] == "Anadolu Makine A.Ş."
    assert first.fields["title"] == "Satın Alma Müdürü"
    assert first.fields["city"] == "İstanbul"
    assert first.interests == (Interest("Hidrolik pompa", 5),)
    assert found[2].interests == (Interest("Vana", 1000),)  # "1.000" is Turkish for a thousand
    assert found[3].fields["company"] == "Kuzey; Güney A.Ş."  # quoted delimiter
    assert found[3].interests == (Interest("Rulman", 2),)  # "2 adet"
    assert found[3].source_ref == f"file://{SHA}#row-7"  # the blank row 6 still counts


def test_turkish_fixture_row_with_only_a_company_is_rejected_with_its_row() -> None:
    rejected = [
        item for item in parse(FIXTURES / "turkish-cp1254.csv") if isinstance(item, Rejected)
    ]
    assert len(rejected) == 1
    assert rejected[0].reason == "row-no-identity"
    assert rejected[0].location == "row 5"
    assert rejected[0].source_ref == f"file://{SHA}#row-5"
    assert rejected[0].raw["Firma"] == "Gölge Ticaret"
    assert rejected[0].raw["Şehir"] == "Eskişehir"


def test_cp1254_semicolon_csv_written_here_decodes_turkish_letters(tmp_path: Path) -> None:
    path = write(tmp_path, "\r\n".join(TURKISH_ROWS) + "\r\n", encoding="cp1254")
    found = records(path)
    assert [r.fields["first_name"] for r in found] == ["Işıl", "Şükrü Çağlar", "Ömer"]
    assert found[2].fields["last_name"] == "Ağaoğlu"
    assert found[0].provenance["email"] == "leads.csv row 2 column 'E-posta'"
    assert found[0].source == SourceKind.SHEET
    assert found[0].received_at == WHEN


def test_western_cp1252_csv_is_not_read_as_turkish(tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Email\nJosé Müller,jm@example.de\nFrançois,f@x.fr\n", "cp1252")
    assert [r.fields["full_name"] for r in records(path)] == ["José Müller", "François"]


@pytest.mark.parametrize(
    ("codec", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
        ("utf-32-be", codecs.BOM_UTF16_BE),  # a lying 2-byte mark before UTF-32BE text
        ("utf-32-le", b""),
    ],
)
def test_unicode_encodings_with_and_without_bom_are_decoded(
    tmp_path: Path, codec: str, prefix: bytes
) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes(prefix + "\n".join(TURKISH_ROWS).encode(codec))
    found = records(path)
    assert [r.fields["first_name"] for r in found] == ["Işıl", "Şükrü Çağlar", "Ömer"]
    assert list(found[0].provenance)[0] == "first_name"
    assert found[0].provenance["first_name"] == "leads.csv row 2 column 'Ad'"  # BOM not in header


def test_stray_legacy_bytes_after_the_sample_are_read_as_cp1254(tmp_path: Path) -> None:
    body = "Ad,E-posta\n" + "".join(f"Ayşe{i},a{i}@example.com\n" for i in range(6000))
    path = tmp_path / "mixed.csv"
    path.write_bytes(body.encode("utf-8") + "Işıl,isil@example.com\n".encode("cp1254"))
    assert len(body.encode()) > 64 * 1024
    found = records(path)
    assert len(found) == 6001
    assert found[-1].fields["first_name"] == "Işıl"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_common_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [["Name", "Email", "City"], ["Ann Lee", "ann@example.com", "Ankara, TR"]]
    lines = [delimiter.join(f'"{c}"' if "," in c else c for c in row) for row in rows]
    found = records(write(tmp_path, "\n".join(lines) + "\n"))
    assert found[0].fields == {"full_name": "Ann Lee", "email": "ann@example.com",
                               "city": "Ankara, TR"}  # fmt: skip


def test_semicolon_file_with_a_comma_in_every_row_still_splits_on_semicolons(
    tmp_path: Path,
) -> None:
    text = (
        "Ad Soyad;Adres;E-posta\n"
        "Ali Can;Cad. 5, Ankara;ali@x.com\n"
        "Ayşe Kaya;Sok. 2, İzmir;a@y.com\n"
    )
    found = records(write(tmp_path, text))
    assert found[1].fields["street"] == "Sok. 2, İzmir"


def test_quoted_newlines_stay_in_one_field_and_rows_count_records(tmp_path: Path) -> None:
    text = (
        "Name,Message,Email\n"
        'Ann,"line one\nline two, with comma",ann@x.com\n'
        'Bob,"say ""hi""",bob@x.com\n'
    )
    found = records(write(tmp_path, text))
    assert found[0].fields["notes"] == "line one\nline two, with comma"
    assert found[1].fields["notes"] == 'say "hi"'
    assert found[1].source_ref == f"file://{SHA}#row-3"


def test_phone_and_postcode_columns_keep_leading_zeros_as_text(tmp_path: Path) -> None:
    text = "Name,Phone,Zip\nAnn,05321234567,06100\nBob,3210589000,01000\n"
    found = records(write(tmp_path, text))
    assert [(r.fields["phone"], r.fields["postcode"]) for r in found] == [
        ("05321234567", "06100"),
        ("3210589000", "01000"),
    ]


def test_short_rows_are_padded_and_long_rows_keep_their_extra_cells(tmp_path: Path) -> None:
    text = "Name,Email,City\nAnn,ann@x.com\nBob,bob@x.com,Izmir,extra value,\n"
    found = records(write(tmp_path, text))
    assert found[0].fields == {"full_name": "Ann", "email": "ann@x.com"}
    assert found[1].fields["city"] == "Izmir"
    assert found[1].fields["notes"] == "column 4: extra value"


def test_repeated_phone_and_email_columns_become_extras_not_losses(tmp_path: Path) -> None:
    text = "Name,Phone,Email,Phone,Email,Last Name,Last Name\nAnn,111,a@x.com,222,b@x.com,Lee,Kim\n"
    (found,) = records(write(tmp_path, text))
    assert found.fields["phone"] == "111"
    assert found.extra_phones == ("222",)
    assert found.extra_emails == ("b@x.com",)
    assert found.fields["last_name"] == "Lee"
    assert found.fields["notes"] == "Last Name (column 7): Kim"


def test_unmapped_columns_are_kept_in_notes_after_the_message(tmp_path: Path) -> None:
    text = "E-posta,Mesaj,Doğum Tarihi,Kaynak\nali@x.com,Fiyat rica ederiz,1990-01-02,Fuar\n"
    (found,) = records(write(tmp_path, text))
    assert found.fields["notes"] == "Fiyat rica ederiz\nDoğum Tarihi: 1990-01-02\nKaynak: Fuar"
    assert found.provenance["notes"] == "leads.csv row 2 columns 'Mesaj', 'Doğum Tarihi', 'Kaynak'"


def test_blank_rows_are_skipped_silently_but_keep_row_numbers(tmp_path: Path) -> None:
    text = "Name,Email\n\n , \nAnn,ann@x.com\n,\n"
    items = parse(write(tmp_path, text))
    assert [item.source_ref for item in items] == [f"file://{SHA}#row-4"]


def test_partial_bad_csv_keeps_good_rows_and_rejects_bad_ones(tmp_path: Path) -> None:
    text = "Name,Email,Company\nAnn,ann@x.com,A\n,,Only Company\nBob,,B\n,,\n,,Other\n"
    items = parse(write(tmp_path, text))
    assert [(type(i).__name__, i.source_ref.rsplit("-", 1)[1]) for i in items] == [
        ("RawRecord", "2"),
        ("Rejected", "3"),
        ("RawRecord", "4"),
        ("Rejected", "6"),
    ]
    assert items[1].raw == {"Name": "", "Email": "", "Company": "Only Company"}  # type: ignore[union-attr]
    assert items[1].message == "Row 3 has no name, email or phone, so it cannot become a lead."  # type: ignore[union-attr]


def test_title_line_above_the_header_is_skipped(tmp_path: Path) -> None:
    text = "Fuar ziyaretçileri Mart 2024,,\n,,\nAd,Soyad,E-posta\nAli,Can,ali@x.com\n"
    (found,) = records(write(tmp_path, text))
    assert found.fields["first_name"] == "Ali"
    assert found.source_ref == f"file://{SHA}#row-4"


def test_mapping_overrides_name_columns_and_drop_ignored_ones(tmp_path: Path) -> None:
    text = "column1,column2,column3\nrow1-1,row1-2,row1-3\n"
    (found,) = records(write(tmp_path, text), mapping={"column1": "full_name", "column3": "ignore"})
    assert found.fields == {"full_name": "row1-1", "notes": "column2: row1-2"}


def test_product_and_quantity_become_an_interest(tmp_path: Path) -> None:
    text = "Email,Ürün,Adet,Ürün,Adet\na@x.com,Pompa,10,Vana,yaklaşık 5\n"
    (found,) = records(write(tmp_path, text))
    assert found.interests == (Interest("Pompa", 10), Interest("Vana", None))
    assert found.fields["product"] == "Pompa"
    assert found.fields["quantity"] == "10"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5", 5), (" 12 ", 12), ("5.0", 5), ("10 adet", 10), ("100 pcs", 100), ("1.000", 1000),
     ("1,000", 1000), ("1.000,00", 1000), ("2.5", None), ("5-10", None), ("", None),
     ("yaklaşık 5", None), ("²", None)],
)  # fmt: skip
def test_quantity_is_parsed_only_when_it_is_a_whole_number(text: str, expected: int | None) -> None:
    assert parse_quantity(text) == expected


def test_chunk_size_does_not_change_the_result(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join(TURKISH_ROWS), encoding="utf-8")
    assert parse(path, chunk_rows=1) == parse(path)


def test_rows_after_an_unreadable_stretch_are_reported_not_crashed(tmp_path: Path) -> None:
    text = 'Name,Email\nAnn,ann@x.com\nBob,"' + "x" * 200_000 + "\n"
    items = parse(write(tmp_path, text))
    assert isinstance(items[0], RawRecord)
    assert isinstance(items[-1], Rejected)
    assert items[-1].reason == "sheet-unreadable-rest"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "sheet-empty"),
        (b"  \r\n", "sheet-empty"),
        (b"<html><body><table><tr><td>Name</td></tr></table>", "sheet-markup"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20, "sheet-binary"),
        (b"PK\x03\x04" + b"\x00garbage" * 50, "sheet-corrupt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "sheet-corrupt"),
        (b"column1,column2\nrow1,row2\n", "sheet-no-known-columns"),
    ],
)
def test_unreadable_file_raises_unsupported_input_with_a_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "drop.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnsupportedInput) as raised:
        parse(path)
    assert raised.value.reason == reason
    assert str(raised.value)


def test_no_known_columns_message_lists_the_headers_seen(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedInput, match="'column1', 'column2'"):
        parse(write(tmp_path, "column1,column2\nrow1,row2\n"))


def test_caller_may_stop_reading_early(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join(TURKISH_ROWS), encoding="utf-8")
    items = parse_sheet(path, file_sha256=SHA, origin="x", received_at=WHEN, chunk_rows=2)
    first = next(items)
    items.close()
    assert isinstance(first, RawRecord)
    assert first.fields["first_name"] == "Işıl"


def test_excel_unicode_text_export_utf16_with_tabs_is_read(tmp_path: Path) -> None:
    text = "Adı Soyadı\tE-posta\tCep Telefonu\r\nÇağrı Işık\tcagri@x.com.tr\t0532 000 11 22\r\n"
    path = tmp_path / "export.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (found,) = records(path)
    assert found.fields == {"full_name": "Çağrı Işık", "email": "cagri@x.com.tr",
                            "mobile": "0532 000 11 22"}  # fmt: skip


def test_single_column_file_of_emails_is_read(tmp_path: Path) -> None:
    found = records(write(tmp_path, "E-posta\nali@x.com\nveli@y.com\n"))
    assert [r.fields for r in found] == [{"email": "ali@x.com"}, {"email": "veli@y.com"}]
