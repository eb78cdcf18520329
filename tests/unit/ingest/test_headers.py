"""Header mapping: English, Turkish and export headers land on the right canonical field."""

from __future__ import annotations

import pytest

from ingest.headers import map_headers, match_header, normalise_header, normalise_overrides

KNOWN = [
    # Turkish web forms
    ("E-posta", "email"),
    ("E-Posta Adresi", "email"),
    ("Ad", "first_name"),
    ("Adı", "first_name"),
    ("ADI", "first_name"),
    ("Soyad", "last_name"),
    ("Soyadı", "last_name"),
    ("Ad Soyad", "full_name"),
    ("Adı Soyadı", "full_name"),
    ("Firma", "company"),
    ("Firma Adı", "company"),
    ("Şirket", "company"),
    ("Kurum", "company"),
    ("Telefon", "phone"),
    ("Cep Telefonu", "mobile"),
    ("GSM", "mobile"),
    ("Unvan", "title"),
    ("Ünvan", "title"),
    ("Görev", "title"),
    ("Şehir", "city"),
    ("ŞEHİR", "city"),
    ("İl", "city"),
    ("Ülke", "country"),
    ("Ürün", "product"),
    ("Ürün Adı", "product"),
    ("Adet", "quantity"),
    ("Miktar", "quantity"),
    ("Mesaj", "notes"),
    ("Açıklama", "notes"),
    ("Not", "notes"),
    ("Firma Telefonu", "phone"),
    ("Ev Adresi", "street"),
    # English web forms
    ("Email", "email"),
    ("E-mail", "email"),
    ("Email Address", "email"),
    ("First Name", "first_name"),
    ("Given Name", "first_name"),
    ("Last Name", "last_name"),
    ("Surname", "last_name"),
    ("Family Name", "last_name"),
    ("Name", "full_name"),
    ("Full Name", "full_name"),
    ("Company", "company"),
    ("Company Name", "company"),
    ("Organization", "company"),
    ("Account Name", "company"),
    ("Job Title", "title"),
    ("Title", "title"),
    ("Position", "title"),
    ("Phone", "phone"),
    ("Phone Number", "phone"),
    ("Business Phone", "phone"),
    ("Mobile", "mobile"),
    ("Mobile Phone", "mobile"),
    ("Website", "website"),
    ("Web Page", "website"),
    ("City", "city"),
    ("Country", "country"),
    ("Zip", "postcode"),
    ("Postal Code", "postcode"),
    ("Street", "street"),
    ("Address", "street"),
    ("Product", "product"),
    ("Quantity", "quantity"),
    ("Qty", "quantity"),
    ("Message", "notes"),
    ("Comments", "notes"),
    ("Notes", "notes"),
    ("Description", "notes"),
    # contact-manager exports (Thunderbird, Outlook, Google)
    ("Primary Email", "email"),
    ("Secondary Email", "email"),
    ("Work Phone", "phone"),
    ("Home Phone", "phone"),
    ("Mobile Number", "mobile"),
    ("Display Name", "full_name"),
    ("E-mail Address", "email"),
    ("E-mail 2 Address", "email"),
    ("E-mail 1 - Value", "email"),
    ("Phone 1 - Value", "phone"),
    ("Organization 1 - Title", "title"),
    ("Business Country/Region", "country"),
    ("Home ZipCode", "postcode"),
    ("Web Page 2", "website"),
    # CRM exports (Odoo display and technical names, Salesforce)
    ("Contact Name", "full_name"),
    ("Job Position", "title"),
    ("Related company", "company"),
    ("email_from", "email"),
    ("partner_name", "company"),
    ("country_id", "country"),
    ("street2", "street"),
    ("FirstName", "first_name"),
    ("LastName", "last_name"),
    ("MobilePhone", "mobile"),
    ("MailingCity", "city"),
    ("MailingPostalCode", "postcode"),
    # decorations forms add
    ("E-posta (zorunlu)", "email"),
    ("Email*", "email"),
    ("  e_posta  ", "email"),
]


@pytest.mark.parametrize(("header", "field"), KNOWN)
def test_known_header_maps_to_its_field(header: str, field: str) -> None:
    assert match_header(header) == field


@pytest.mark.parametrize(
    "header",
    [
        "Business Fax",
        "Fax Number",
        "Screen Name",  # a qualifier never turns a word into a person's name
        "is_company",
        "AccountNumber",
        "Mum-email",  # somebody else's address
        "Team email ",
        "E-mail Display Name",
        "Phone Ext",
        "Birth Date",
        "column1",
    ],
)
def test_header_that_is_not_a_lead_field_stays_unmapped(header: str) -> None:
    assert match_header(header) is None


def test_normalising_folds_case_accents_turkish_i_and_punctuation() -> None:
    assert normalise_header("  E-Posta Adresi * ") == "e posta adresi"
    assert normalise_header("İŞ TELEFONU") == "is telefonu"
    assert normalise_header("Adı/Soyadı") == "adi soyadi"
    assert normalise_header("MailingPostalCode") == "mailing postal code"


def test_map_headers_gives_column_index_to_field_and_keeps_unmapped_columns() -> None:
    header_map = map_headers(["Ad", "Soyad", "Doğum Tarihi", "E-posta", ""])
    assert dict(header_map.fields) == {0: "first_name", 1: "last_name", 3: "email"}
    assert header_map.unmapped == (2, 4)
    assert header_map.has_identity


def test_sheet_with_only_company_and_notes_has_no_identity() -> None:
    assert not map_headers(["Firma", "Mesaj"]).has_identity


def test_repeated_and_empty_headers_get_distinct_labels() -> None:
    header_map = map_headers(["Phone", "Name", "Phone", ""])
    labels = [header_map.label(i) for i in range(4)]
    assert labels == ["Phone", "Name", "Phone (column 3)", "column 4"]
    assert dict(header_map.fields) == {0: "phone", 1: "full_name", 2: "phone"}


def test_override_wins_and_matches_case_and_accent_insensitively() -> None:
    header_map = map_headers(
        ["Müşteri", "Iletisim", "Notlar"],
        overrides={"MUSTERI": "company", "İletişim": "email", "notlar": "ignore"},
    )
    assert dict(header_map.fields) == {0: "company", 1: "email"}
    assert header_map.ignored == frozenset({2})
    assert header_map.unmapped == ()


def test_override_naming_an_unknown_field_raises() -> None:
    with pytest.raises(ValueError, match="'E-posta' -> 'mail'"):
        map_headers(["E-posta"], overrides={"E-posta": "mail"})


def test_overrides_can_be_checked_before_any_file_is_read() -> None:
    assert normalise_overrides({"Müşteri Adı": "Company"}) == {"musteri adi": "company"}
    with pytest.raises(ValueError, match="use one of"):
        normalise_overrides({"x": "nope"})
