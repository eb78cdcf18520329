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

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple

from ingest.candidate import LeadCandidate
from ingest.company import company_key
from ingest.emailaddr import canonical_email
from ingest.names import family_name, given_name, split_name, title_case
from ingest.phone import NO_PHONE, phone_fields
from ingest.phone_rules import region_rules
from ingest.place import country_code
from ingest.records import RawRecord, slot_maker
from ingest.turkish import cased_name, has_turkish_letters
from ingest.turkish_names import is_common_turkish
from ingest.website import normalise_website

__all__ = ["build_candidate", "build_candidates"]

_make_candidate = slot_maker(LeadCandidate)  # positional, in field order
_NO_EMAIL = ("", "", False)
_CACHE_LIMIT = 65536  # distinct values each per-value table below remembers
_Phone = tuple[str, bool, str]  # E.164, valid, region (``phone_fields``)


def _other_phone(
    record: RawRecord, region: str, phone_raw: str, parsed: _Phone
) -> tuple[str, _Phone]:
    """(raw, parsed) when ``phone`` is missing or invalid: ``mobile``, else the first extra
    number; a mobile replaces an invalid phone only when it is valid itself."""
    mobile_raw = (record.fields.get("mobile") or "").strip()
    if not mobile_raw and not phone_raw and record.extra_phones:
        mobile_raw = record.extra_phones[0].strip()
    if mobile_raw:
        mobile = phone_fields(mobile_raw, region)
        if mobile[1] or not phone_raw:  # valid
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
    phone_region: str  # where the phone is a valid number, or ""
    phone_raw: str


def _is_turkish(signals: _Signals, first: str, last: str, default_region: str) -> bool:
    """Whether Turkish casing rules apply to this record (see the module docstring)."""
    if has_turkish_letters(signals.written):
        return True
    if signals.country:
        return signals.country == "TR"
    if signals.email.endswith(".tr"):
        return True
    if signals.phone_region and _written_internationally(signals.phone_raw):
        return signals.phone_region == "TR"
    return default_region == "TR" and any(
        is_common_turkish(word) for word in (first + " " + last).split()
    )


# Whether a value is single-case text with an I or i (where Turkish casing differs), by value:
# names, cities and titles repeat down a file, so each is looked at once. ``_build`` asks with
# ``_ASK`` as the default, which stops its ``or`` chain at the first value not seen yet.
_SINGLE_CASE_I: dict[str, bool] = {}
_ASK = object()


def _needs_casing(*values: str) -> bool:
    """Whether any of ``values`` is single-case text with an I or i; remembers each."""
    found = False
    for value in values:
        known = _SINGLE_CASE_I.get(value)
        if known is None:
            known = ("I" in value or "i" in value) and (value.isupper() or value.islower())
            if len(_SINGLE_CASE_I) < _CACHE_LIMIT:
                _SINGLE_CASE_I[value] = known
        found = found or known
    return found


# Cased names (and cities: ``city_display`` is name casing) and titles by value, one table per
# answer to the Turkish question: a dict lookup costs less than an lru_cache call keyed by
# (value, flag). ``_case`` fills them, up to ``_CACHE_LIMIT`` values each.
_NAMES: tuple[dict[str, str], dict[str, str]] = ({}, {})
_TITLES: tuple[dict[str, str], dict[str, str]] = ({}, {})


def _case(
    table: dict[str, str], value: str, turkish: bool, case: Callable[[str, bool], str]
) -> str:
    cased = case(value, turkish)
    if len(table) < _CACHE_LIMIT:
        table[value] = cased
    return cased


@lru_cache(maxsize=4096)
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
    # The email: ``email``, else the first extra address.
    email_raw = (get("email") or "").strip()
    if not email_raw and record.extra_emails:
        email_raw = record.extra_emails[0].strip()
    email, email_key, email_valid = canonical_email(email_raw) if email_raw else _NO_EMAIL
    country_raw = (get("country") or "").strip()
    country, region = _country(country_raw, default_region) if country_raw else ("", default_region)
    # The phone: ``phone`` when it is a valid number, else see ``_other_phone``.
    phone_raw = (get("phone") or "").strip()
    phone = phone_fields(phone_raw, region) if phone_raw else NO_PHONE
    if not phone[1]:  # not valid
        phone_raw, phone = _other_phone(record, region, phone_raw, phone)
    e164, phone_valid, phone_region = phone
    first = (get("first_name") or "").strip()
    last = (get("last_name") or "").strip()
    if first and last:  # what ``split_name`` does then, without the call or the full name
        first, last = given_name(first), family_name(last)
    else:
        first, last = split_name((get("full_name") or "").strip(), first, last)
    company, key = company_key((get("company") or "").strip())
    city_raw, title_raw = (get("city") or "").strip(), (get("title") or "").strip()
    website = (get("website") or "").strip()
    known = _SINGLE_CASE_I.get
    casing = (
        known(first, _ASK) or known(last, _ASK) or known(city_raw, _ASK) or known(title_raw, _ASK)
    )
    if casing is _ASK:
        casing = _needs_casing(first, last, city_raw, title_raw)
    turkish = casing is True and _is_turkish(
        _Signals(first + last + company + city_raw, country, email, phone_region, phone_raw),
        first,
        last,
        default_region,
    )
    names, titles = _NAMES[turkish], _TITLES[turkish]
    return _make_candidate(  # LeadCandidate's fields, in order
        record,
        (names.get(first) or _case(names, first, turkish, cased_name)) if first else "",
        (names.get(last) or _case(names, last, turkish, cased_name)) if last else "",
        email,
        email_key,
        email_raw,
        email_valid,
        e164,
        phone_raw,
        phone_valid,
        company,
        key,
        (titles.get(title_raw) or _case(titles, title_raw, turkish, title_case))
        if title_raw
        else "",
        normalise_website(website) if website else "",
        (names.get(city_raw) or _case(names, city_raw, turkish, cased_name)) if city_raw else "",
        country or " ".join(country_raw.split()) or phone_region,
        (get("notes") or "").strip(),
        record.interests,
    )


def build_candidates(
    records: Sequence[RawRecord], *, default_region: str = "TR"
) -> list[LeadCandidate]:
    """Normalise a batch. Repeated values (names, companies, cities) hit per-value caches."""
    region = default_region.upper()
    return [_build(record, region) for record in records]
