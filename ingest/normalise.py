"""Turn a ``RawRecord`` into a ``LeadCandidate``: clean values plus the keys dedupe blocks on.

Each value has its own module (``emailaddr``, ``phone``, ``names``, ``company``, ``place``,
``website``, ``turkish``); this module picks the raw fields, decides once per record whether
Turkish casing applies, and assembles the candidate. It never raises on bad values: an invalid
email or phone keeps its raw text with the ``*_valid`` flag off.

Turkish casing matters only for I and i (``ISIL`` -> ``Isıl`` but ``ISABEL`` -> ``Isabel``), so
the decision weighs, in order: Turkish-only letters in the names, company or city; an explicit
country; a ``.tr`` email domain; an internationally written phone number; and finally, when
the default region is Turkey, whether the first or last name is a common Turkish name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ingest.candidate import LeadCandidate
from ingest.company import company_key
from ingest.emailaddr import canonical_email
from ingest.names import split_name, title_case
from ingest.phone import NO_PHONE, PhoneResult, parse_phone
from ingest.phone_rules import region_rules
from ingest.place import city_display, country_code
from ingest.records import RawRecord, slot_maker
from ingest.turkish import cased_name, has_turkish_letters
from ingest.turkish_names import is_common_turkish
from ingest.website import normalise_website

__all__ = ["build_candidate", "build_candidates"]

_make_candidate = slot_maker(LeadCandidate)  # positional, in field order


def _phone(record: RawRecord, region: str) -> tuple[str, PhoneResult]:
    """The phone (raw, parsed): ``phone``, else ``mobile``, else the first extra number.

    A mobile also replaces a phone that is not a valid number.
    """
    get = record.fields.get
    phone_raw = (get("phone") or "").strip()
    parsed = parse_phone(phone_raw, region) if phone_raw else NO_PHONE
    if not parsed.valid:
        mobile_raw = (get("mobile") or "").strip()
        if not mobile_raw and not phone_raw and record.extra_phones:
            mobile_raw = record.extra_phones[0].strip()
        if mobile_raw:
            mobile = parse_phone(mobile_raw, region)
            if mobile.valid or not phone_raw:
                return mobile_raw, mobile
    return phone_raw, parsed


def _written_internationally(phone_raw: str) -> bool:
    head = phone_raw.lower().removeprefix("tel:").lstrip("( ")[:2]
    return head[:1] == "+" or head == "00"


class _Signals(NamedTuple):
    """What a record says about its origin, for the Turkish casing decision."""

    written: str  # names, company and city as written
    country: str  # alpha-2 or ""
    email: str
    phone: PhoneResult
    phone_raw: str


def _is_turkish(signals: _Signals, first: str, last: str, default_region: str) -> bool:
    """Whether Turkish casing rules apply to this record (see the module docstring)."""
    if has_turkish_letters(signals.written):
        return True
    if signals.country:
        return signals.country == "TR"
    if signals.email.endswith(".tr"):
        return True
    if signals.phone.region and _written_internationally(signals.phone_raw):
        return signals.phone.region == "TR"
    return default_region == "TR" and any(
        is_common_turkish(word) for word in (first + " " + last).split()
    )


def _needs_casing(*values: str) -> bool:
    """Whether any value is single-case text with an I or i (where Turkish casing differs)."""
    for value in values:
        if ("I" in value or "i" in value) and (value.isupper() or value.islower()):
            return True
    return False


def _email(record: RawRecord) -> tuple[str, str, str, bool]:
    """(raw, email, key, valid) from ``email``, else the first extra address."""
    email_raw = (record.fields.get("email") or "").strip()
    if not email_raw and record.extra_emails:
        email_raw = record.extra_emails[0].strip()
    if not email_raw:
        return "", "", "", False
    email, key, valid = canonical_email(email_raw)
    return email_raw, email, key, valid


def _country(raw: str, default_region: str) -> tuple[str, str]:
    """(alpha-2 or "", phone region): a national number belongs to the record's country."""
    country = country_code(raw)
    return country, country if country and region_rules(country) is not None else default_region


def build_candidate(record: RawRecord, *, default_region: str = "TR") -> LeadCandidate:
    """Normalise one record; every field of the candidate is filled ("" when unknown).

    ``default_region`` (ISO alpha-2) reads nationally written phone numbers when the record
    names no recognisable country, and tips the Turkish casing decision for common Turkish names.
    """
    return _build(record, default_region.upper())


def _build(record: RawRecord, default_region: str) -> LeadCandidate:
    """``build_candidate`` with the default region already upper-case."""
    get = record.fields.get  # parsers trim values; the strips below guard hand-made records
    email_raw, email, email_key, email_valid = _email(record)
    country_raw = (get("country") or "").strip()
    country, region = _country(country_raw, default_region) if country_raw else ("", default_region)
    phone_raw, phone = _phone(record, region)
    first, last = split_name(
        (get("full_name") or "").strip(),
        (get("first_name") or "").strip(),
        (get("last_name") or "").strip(),
    )
    company, key = company_key((get("company") or "").strip())
    city_raw, title_raw = (get("city") or "").strip(), (get("title") or "").strip()
    website = (get("website") or "").strip()
    turkish = _needs_casing(first, last, city_raw, title_raw) and _is_turkish(
        _Signals(first + last + company + city_raw, country, email, phone, phone_raw),
        first,
        last,
        default_region,
    )
    return _make_candidate(  # LeadCandidate's fields, in order
        record,
        cased_name(first, turkish) if first else "",
        cased_name(last, turkish) if last else "",
        email,
        email_key,
        email_raw,
        email_valid,
        phone.e164,
        phone_raw,
        phone.valid,
        company,
        key,
        title_case(title_raw, turkish) if title_raw else "",
        normalise_website(website) if website else "",
        city_display(city_raw, turkish) if city_raw else "",
        country or " ".join(country_raw.split()) or phone.region,
        (get("notes") or "").strip(),
        record.interests,
    )


def build_candidates(
    records: Sequence[RawRecord], *, default_region: str = "TR"
) -> list[LeadCandidate]:
    """Normalise a batch. Repeated values (names, companies, cities) hit per-value caches."""
    region = default_region.upper()
    return [_build(record, region) for record in records]
