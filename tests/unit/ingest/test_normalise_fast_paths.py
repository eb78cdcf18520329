"""Normalisation's shortcuts give what the plain, general code gives.

The reference candidate below is ``build_candidate`` written the straightforward way, from the
public value functions (each value the general way, no per-value tables); the fast one takes
plainly written addresses without extraction, phones as plain tuples, and casing from tables.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import UTC, datetime

import pytest

from ingest.candidate import LeadCandidate
from ingest.company import company_key
from ingest.emailaddr import canonical_email, written_email
from ingest.names import split_name, title_case
from ingest.normalise import _is_turkish, _Signals, build_candidate, build_candidates
from ingest.phone import NO_PHONE, _library_parse, first_number, parse_phone, phone_fields
from ingest.phone_rules import region_rules
from ingest.place import city_display, country_code
from ingest.records import Interest, RawRecord, SourceKind
from ingest.turkish import _FOLD, cased_name, transliterate
from ingest.website import normalise_website

WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
NAMES = ["Ali", "ALİ", "ali", "Işıl", "ISIL", "isabel", "ISABEL", "Mehmet Ali", "Yılmaz, Ayşe",
         "dr. ayşe gül yılmaz", "Jan van der Berg", "MCDONALD", "o'neil", "İsmail", "JOHN SMITH",
         "Smith Jr.", "Sayın Ahmet", "IZMIR", "izmir", "SATIN ALMA MÜDÜRÜ", "head of it",
         "CEO"]  # fmt: skip
EMAILS = ["ali@firma.com.tr", "A.B+Tag@GMAIL.com", "x.y@GoogleMail.com", "Ayşe <AYSE@F.COM.TR>",
          "mailto:a@b.co?subject=x", "'a@b.com'", "a@b.com.", "a..b@c.com", ".a@b.com",
          "a@b.test", "a@ab--x.com", "a@xn--bcher-kva.de", "ü@ü.de", "one@x.com; two@y.com",
          "a@b", "a@-b.com", "a@b.c0m", "ALİ@X.COM", "a@b.co\u212a",
          "x" * 250 + "@b.com"]  # fmt: skip
PHONES = ["+90 212 555 12 34", "0212 555 12 34", "0532 123 45 67", "+1 312 555 0199",
          "+1 312 005 0002", "+1 416 555 0100", "+1 268 464 1234", "+44 20 7946 0958",
          "+44 1534 123456", "00 49 30 1234567", "030 1234567", "0090 532 111 22 33",
          "902125551234", "+90 0212 555 12 34", "(0212) 555-12-34", "+800 1234 5678",
          "tel:+90-212-555-1234", "0212 555 12 34 x12", "123", "+7 495 123-45-67",
          "8 495 123 45 67", "011 54 9 11 1234 5678", "0 11 1234 5678", "+52 1 55 1234 5678",
          "(416) 555-0100", "01534 123456", "+262 262 12 34 56", ""]  # fmt: skip
REGIONS = ["TR", "US", "CA", "GB", "GG", "JE", "DE", "RU", "AR", "MX", "ZZ"]
COUNTRIES = ["Türkiye", "TR", "Turkey", "USA", "Germany", "Canada", "Jersey", "Narnia", " uk ", ""]


def _written_address(rng: random.Random) -> str:
    """Mostly address-shaped, in any case, with the odd character extraction would take."""
    bits = ["a", "B", "z9", ".", "+", "-", "_", "'", "Ş", "x--y", "xn--"]
    local = "".join(rng.choice(bits) for _ in range(rng.randint(1, 5)))
    domain = rng.choice(["gmail", "GoogleMail", "Firma", "ab--c", "x-", "b_c", "ş"])
    tld = rng.choice(["com", "COM.tr", "test", "c0m", "de", ""])
    around = rng.choice(["", "", "", " ", "<", ">", ":", ";", "'", "mailto:"])
    return rng.choice([around + local, local]) + "@" + domain + "." + tld + rng.choice(["", around])


def test_plainly_written_addresses_give_what_the_general_path_gives() -> None:
    rng = random.Random(3)
    written = EMAILS + [_written_address(rng) for _ in range(4000)]
    assert [w for w in written if canonical_email(w) != written_email(w)] == []
    assert sum(canonical_email(w)[2] for w in written) > 1000  # valid ones were compared too


@pytest.mark.parametrize("region", REGIONS)
def test_phone_fields_are_what_parse_phone_and_the_library_give(region: str) -> None:
    for raw in PHONES:
        fields = phone_fields(raw, region)
        assert tuple(parse_phone(raw, region)) == fields
        assert fields == (_library_parse(first_number(raw), region) if raw.strip() else NO_PHONE)


def test_word_by_word_folding_is_folding_the_whole() -> None:
    def whole(text: str) -> str:
        if text.isascii():
            return text
        decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    rng = random.Random(5)
    chars = [" "] * 40 + ["ı", "ş", "İ", "ß", "ø", "\u0301", "\u0327", "\u00a8", "\u1fed", "a"]
    chars += [chr(i) for i in range(0x80, 0x2100, 7)]
    texts = ["".join(rng.choice(chars) for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    assert [t for t in texts if transliterate(t) != whole(t)] == []


def _reference(record: RawRecord, region: str) -> LeadCandidate:
    """``build_candidate`` the straightforward way (the general path of every value)."""
    get = record.fields.get
    email_raw = (get("email") or "").strip()
    if not email_raw and record.extra_emails:
        email_raw = record.extra_emails[0].strip()
    email, key, email_valid = written_email(email_raw)
    country_raw = (get("country") or "").strip()
    country = country_code(country_raw) if country_raw else ""
    dialled = country if country and region_rules(country) is not None else region
    phone_raw = (get("phone") or "").strip()
    phone = parse_phone(phone_raw, dialled) if phone_raw else NO_PHONE
    if not phone.valid:
        mobile_raw = (get("mobile") or "").strip()
        if not mobile_raw and not phone_raw and record.extra_phones:
            mobile_raw = record.extra_phones[0].strip()
        mobile = parse_phone(mobile_raw, dialled) if mobile_raw else NO_PHONE
        if mobile_raw and (mobile.valid or not phone_raw):
            phone_raw, phone = mobile_raw, mobile
    first, last = split_name(
        *((get(f) or "").strip() for f in ("full_name", "first_name", "last_name"))
    )
    company, company_id = company_key((get("company") or "").strip())
    city, title = (get("city") or "").strip(), (get("title") or "").strip()
    single_case_i = [
        ("I" in v or "i" in v) and (v.isupper() or v.islower()) for v in (first, last, city, title)
    ]
    signals = _Signals(first + last + company + city, country, email, phone.region, phone_raw)
    turkish = any(single_case_i) and _is_turkish(signals, first, last, region)
    return LeadCandidate(
        record,
        cased_name(first, turkish) if first else "", cased_name(last, turkish) if last else "",
        email, key, email_raw, email_valid, phone.e164, phone_raw, phone.valid, company, company_id,
        title_case(title, turkish) if title else "",
        normalise_website((get("website") or "").strip()) if get("website") else "",
        city_display(city, turkish) if city else "",
        country or " ".join(country_raw.split()) or phone.region, (get("notes") or "").strip(),
        record.interests,
    )  # fmt: skip


def _records(count: int, seed: int) -> list[RawRecord]:
    rng = random.Random(seed)
    pools = {"full_name": NAMES, "first_name": NAMES, "last_name": NAMES, "email": EMAILS,
             "phone": PHONES, "mobile": PHONES, "company": ["Anadolu Makine A.Ş.", "ACME INC", ""],
             "title": NAMES, "city": NAMES, "country": COUNTRIES, "notes": ["", " hi "],
             "website": ["www.Example.com", "example", ""]}  # fmt: skip
    records = []
    for n in range(count):
        fields = {f: rng.choice(["", " ", "\t"]) + rng.choice(pool) + rng.choice(["", " "])
                  for f, pool in pools.items() if rng.random() < 0.5}  # fmt: skip
        extra_emails = tuple(rng.sample(EMAILS, rng.choice((0, 0, 1, 2))))
        extra_phones = tuple(rng.sample(PHONES, rng.choice((0, 0, 1, 2))))
        interests = (Interest("Pompa", n),) if n % 3 else ()
        records.append(RawRecord(SourceKind.SHEET, f"file://ab#row-{n}", WHEN, "form.csv",
                                 fields, {}, extra_emails, extra_phones, interests))  # fmt: skip
    return records


@pytest.mark.parametrize("region", ["TR", "us", "GB"])
def test_candidates_are_what_the_straightforward_normalisation_gives(region: str) -> None:
    records = _records(1500, seed=len(region))
    expected = [_reference(record, region.upper()) for record in records]
    assert build_candidates(records, default_region=region) == expected
    # Again with every table warm, and one record at a time.
    assert build_candidates(records, default_region=region) == expected
    assert [build_candidate(r, default_region=region) for r in records[:300]] == expected[:300]
