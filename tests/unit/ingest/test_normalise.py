"""Building lead candidates from raw records: emails, phones, names, places, websites."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from ingest.emailaddr import canonical_email
from ingest.names import split_name, title_case
from ingest.normalise import build_candidate, build_candidates
from ingest.phone import e164
from ingest.place import country_code
from ingest.records import Interest, RawRecord, SourceKind
from ingest.website import normalise_website


def _record(**fields: str) -> RawRecord:
    return RawRecord(
        source=SourceKind.SHEET,
        source_ref="file://abc#1",
        received_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        origin="leads.csv",
        fields=dict(fields),
    )


# --- phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "0212 555 12 34",
        "+90 212 5551234",
        "00 90 212 555 12 34",
        "(0212) 555-1234",
        "tel:+90-212-555-1234",
    ],
)
def test_turkish_landline_formats_give_one_e164(written):
    assert e164(written, "TR") == ("+902125551234", True)


def test_region_code_may_be_lower_case():
    assert e164("0212 555 12 34", "tr") == ("+902125551234", True)


def test_mobile_in_brackets_with_a_dash_is_parsed():
    assert e164("(0532) 123-4567", "TR") == ("+905321234567", True)


def test_extensions_are_dropped():
    assert e164("+90 212 555 12 34 ext. 25", "TR") == ("+902125551234", True)
    assert e164("0212 555 12 34 dahili 25", "TR") == ("+902125551234", True)


def test_unparseable_phone_gives_empty_e164():
    assert e164("call me", "TR") == ("", False)


def test_too_short_number_is_kept_but_marked_invalid():
    number, valid = e164("555 12", "TR")
    assert valid is False


def test_mobile_is_used_when_phone_is_missing():
    candidate = build_candidate(_record(mobile="0532 123 45 67"))
    assert (candidate.phone, candidate.phone_raw, candidate.phone_valid) == (
        "+905321234567",
        "0532 123 45 67",
        True,
    )


def test_invalid_phone_keeps_its_raw_text():
    candidate = build_candidate(_record(phone="12"))
    assert (candidate.phone_raw, candidate.phone_valid) == ("12", False)


def test_national_number_is_read_in_the_records_country():
    candidate = build_candidate(_record(phone="030 1234567", country="Deutschland"))
    assert (candidate.phone, candidate.country) == ("+49301234567", "DE")


def test_country_is_taken_from_the_phone_when_missing():
    assert build_candidate(_record(phone="+49 30 1234567")).country == "DE"


# --- emails ----------------------------------------------------------------------------------


def test_email_is_lower_cased_and_plus_tag_removed_from_key():
    assert canonical_email("Ayse+Expo@Example.COM") == (
        "ayse+expo@example.com",
        "ayse@example.com",
        True,
    )


def test_gmail_dots_are_ignored_in_the_key_only_for_gmail():
    assert canonical_email("a.y.s.e@googlemail.com")[1] == "ayse@gmail.com"
    assert canonical_email("a.y.s.e@example.com")[1] == "a.y.s.e@example.com"


@pytest.mark.parametrize(
    "written",
    [
        "Ayşe Yılmaz <ayse@firma.com.tr>",
        "mailto:ayse@firma.com.tr?subject=Teklif",
        "<AYSE@FIRMA.COM.TR>",
    ],
)
def test_display_names_mailto_and_angle_brackets_are_stripped(written):
    assert canonical_email(written)[0] == "ayse@firma.com.tr"


def test_first_of_several_addresses_is_taken():
    assert canonical_email("a@x.com; b@y.com")[0] == "a@x.com"


def test_invalid_email_is_kept_raw_and_marked_invalid():
    candidate = build_candidate(_record(email="ayse@firma", full_name="Ayşe Yılmaz"))
    assert (candidate.email, candidate.email_key, candidate.email_raw, candidate.email_valid) == (
        "",
        "",
        "ayse@firma",
        False,
    )


def test_internationalised_address_is_validated_by_the_library():
    assert canonical_email("Ayşe@Örnek.com.tr") == ("ayşe@örnek.com.tr", "ayşe@örnek.com.tr", True)


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Dr. Ayşe Gül Yılmaz", ("Ayşe Gül", "Yılmaz")),
        ("Sayın Ahmet Kaya", ("Ahmet", "Kaya")),
        ("Yılmaz, Ayşe", ("Ayşe", "Yılmaz")),
        ("Jan van der Berg", ("Jan", "van der Berg")),
        ("Maria de la Cruz", ("Maria", "de la Cruz")),
        ("Mr John Smith Jr.", ("John", "Smith")),
        ("Cher", ("Cher", "")),
    ],
)
def test_full_name_is_split_into_first_and_last(full, expected):
    assert split_name(full, "", "") == expected


def test_separate_fields_win_and_full_name_fills_the_gap():
    assert split_name("Ahmet Yılmaz", "Ahmet", "") == ("Ahmet", "Yılmaz")
    assert split_name("ignored", "Bay Ahmet", "Kaya") == ("Ahmet", "Kaya")


def test_turkish_name_in_capitals_from_a_turkish_default_region_gets_dotless_i():
    candidate = build_candidate(_record(full_name="ISIL YILMAZ"), default_region="TR")
    assert (candidate.first_name, candidate.last_name) == ("Isıl", "Yılmaz")


def test_non_turkish_name_in_capitals_from_a_us_record_keeps_dotted_i():
    candidate = build_candidate(
        _record(full_name="ISABEL SMITH", city="ILLINOIS", country="USA"), default_region="TR"
    )
    assert (candidate.first_name, candidate.city) == ("Isabel", "Illinois")


def test_unknown_name_with_a_turkish_default_and_no_signal_is_not_turkish_cased():
    candidate = build_candidate(_record(full_name="ISABEL SMITH"), default_region="TR")
    assert candidate.first_name == "Isabel"


def test_turkish_email_domain_makes_a_record_turkish():
    candidate = build_candidate(_record(full_name="IRMAK TEKIN", email="irmak@firma.com.tr"))
    assert candidate.first_name == "Irmak"
    candidate = build_candidate(_record(first_name="ILGAZ", email="ilgaz@firma.com.tr"))
    assert candidate.first_name == "Ilgaz"


def test_turkish_letters_anywhere_make_the_record_turkish():
    candidate = build_candidate(_record(full_name="MIRAC DEMIR", company="Öz Çağ İnşaat"))
    assert candidate.first_name == "Mırac"


# --- places, titles, websites ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("TR", "TR"),
        ("Deutschland", "DE"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States", "US"),
        ("Japonya", "JP"),
    ],
)
def test_country_names_become_iso_codes(written, code):
    assert country_code(written) == code


def test_unknown_country_is_kept_as_written():
    assert build_candidate(_record(country="  Narnia ")).country == "Narnia"


def test_city_in_capitals_gets_turkish_casing_for_turkish_records():
    assert build_candidate(_record(city="İSTANBUL", country="TR")).city == "İstanbul"
    assert build_candidate(_record(city="IZMIR", country="Türkiye")).city == "İzmir"


def test_titles_are_cased_only_when_written_in_one_case():
    assert title_case("SATIN ALMA MÜDÜRÜ", True) == "Satın Alma Müdürü"
    assert title_case("head of it", False) == "Head of IT"
    assert title_case("CEO", False) == "CEO"
    assert title_case("Sales Manager", False) == "Sales Manager"


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("WWW.Firma.COM.TR", "https://www.firma.com.tr"),
        ("http://Example.com/Urunler", "http://example.com/Urunler"),
        ("https://example.com/", "https://example.com"),
        ("not a site", "not a site"),
        ("", ""),
    ],
)
def test_websites_get_a_scheme_and_a_lower_case_host(written, normalised):
    assert normalise_website(written) == normalised


# --- the whole candidate ---------------------------------------------------------------------


def test_a_full_turkish_record_becomes_a_complete_candidate():
    record = RawRecord(
        source=SourceKind.SHEET,
        source_ref="file://abc#7",
        received_at=datetime(2026, 3, 1, tzinfo=UTC),
        origin="leads.csv",
        fields={
            "full_name": "Sn. ŞÜKRÜ ÇAĞLAR",
            "email": "Sukru.Caglar+fuar@Anadolu.com.tr",
            "phone": "0212 555 12 34",
            "company": "Anadolu Makine San. ve Tic. A.Ş.",
            "title": "SATIN ALMA MÜDÜRÜ",
            "website": "www.anadolu.com.tr",
            "city": "İSTANBUL",
            "country": "Türkiye",
            "notes": "Fuarda görüştük.",
        },
        interests=(Interest("CNC torna", 2),),
    )
    candidate = build_candidate(record)
    assert (candidate.first_name, candidate.last_name) == ("Şükrü", "Çağlar")
    assert (candidate.email, candidate.email_key) == (
        "sukru.caglar+fuar@anadolu.com.tr",
        "sukru.caglar@anadolu.com.tr",
    )
    assert (candidate.phone, candidate.phone_valid) == ("+902125551234", True)
    assert (candidate.company, candidate.company_key) == (
        "Anadolu Makine San. ve Tic. A.Ş.",
        "anadolu makine",
    )
    assert (candidate.title, candidate.city, candidate.country) == (
        "Satın Alma Müdürü",
        "İstanbul",
        "TR",
    )
    assert candidate.website == "https://www.anadolu.com.tr"
    assert candidate.notes == "Fuarda görüştük."
    assert candidate.interests == (Interest("CNC torna", 2),)
    assert candidate.source_ref == "file://abc#7"


def test_an_empty_record_gives_empty_strings_and_no_identity():
    candidate = build_candidate(_record())
    assert candidate.has_identity is False
    assert (candidate.email, candidate.phone, candidate.company, candidate.country) == (
        "",
        "",
        "",
        "",
    )


def test_batch_gives_the_same_candidates_as_one_by_one():
    records = [
        _record(full_name=f"AYŞE {i}", email=f"a{i}@x.com", phone=f"0532 123 45 {i:02d}")
        for i in range(20)
    ]
    assert build_candidates(records) == [build_candidate(r) for r in records]


def test_garbage_values_never_raise():
    rng = random.Random(3)
    alphabet = "aI İı@.+-()<>:;,/\\#0123456789 \t\u200bŞ\"'"
    for _ in range(500):
        fields = {
            name: "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
            for name in (
                "full_name",
                "email",
                "phone",
                "company",
                "city",
                "country",
                "website",
                "title",
            )
        }
        candidate = build_candidate(_record(**fields))
        assert isinstance(candidate.phone, str)
