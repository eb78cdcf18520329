"""Phone numbers to E.164, with a fast path that gives exactly what phonenumbers gives.

``phonenumbers.parse`` plus ``is_valid_number`` costs ~30 µs a number, more than the whole
per-row budget of the CSV ingest. Most numbers in lead files are plain digits with spaces,
dashes, dots or brackets, optionally starting with ``+`` or an international prefix; for those
``fast_parse`` repeats the library's parsing decisions on the digits (international prefix,
country code, national prefix) and ``ingest.phone_rules`` checks validity against the same
metadata patterns, compiled once per region and number length. Anything unusual (letters,
extensions, ``tel:`` URIs, a national-prefix transform rule, Italian leading zeros) goes to the
library. ``tests/unit/ingest/test_phone_fast_path.py`` compares both paths on generated input.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, NumberParseException, PhoneNumberFormat

from ingest.phone_rules import RegionRules, region_rules, valid_region

# Digits with the separators people type; anything else (letters, "#", "ext", ";") -> library.
_SIMPLE = re.compile(r"\+?[0-9(][0-9 ()./\-]{3,38}")
_DROP_SEPARATORS = str.maketrans("", "", " ()./-+")
# Several numbers in one cell ("0212 555 12 34 / 0532 123 45 67"): the first one is the phone.
_LIST_SEPARATOR = re.compile(r"\s*(?:[;,|]|\s/\s|\bveya\b|\bor\b)\s*")
# A trailing extension ("x12", "ext. 12", "#12", Turkish "dahili 12"): E.164 drops it anyway,
# and removing it first lets the number take the fast path.
_EXTENSION = re.compile(
    r"\s*[,;]?\s*(?:ext\.?|extn\.?|extension|x|\#|dahili|dah\.?)\s*:?\s*\d{1,7}\#?\s*$",
    re.IGNORECASE,
)
_MIN_NSN = 2
_MAX_NSN = 17


class PhoneResult(NamedTuple):
    """A parsed phone number: E.164 text ("" when unparseable), validity, ISO region if valid."""

    e164: str
    valid: bool
    region: str


NO_PHONE = PhoneResult("", False, "")
_new_result = tuple.__new__  # PhoneResult's own __new__ is a Python function: 3x the cost


# Calling codes by their digits, so that reading one is a dict lookup, not an int() per size.
_CODES_BY_DIGITS = {str(code): code for code in COUNTRY_CODE_TO_REGION_CODE}


def _country_code(digits: str) -> int:
    """The leading country calling code of international digits, 0 when none is known."""
    if digits[:1] == "0":
        return 0
    for size in (1, 2, 3):
        code = _CODES_BY_DIGITS.get(digits[:size])
        if code is not None:
            return code
    return 0


# A calling code has one to three digits, so the first three digits decide it: (code, its
# length, rules of its main region) by those three, filled on first use (at most 1,000 keys).
_Calling = tuple[int, int, RegionRules]
_CALLING_BY_HEAD: dict[str, _Calling | None] = {}


def _calling_code(head: str) -> _Calling | None:
    """(code, digits in it, main-region rules) for the first three international digits."""
    if head not in _CALLING_BY_HEAD:
        code = _country_code(head)
        rules = region_rules(COUNTRY_CODE_TO_REGION_CODE[code][0]) if code else None
        # Non-geographic codes ("800") have no region rules: those numbers go to the library.
        _CALLING_BY_HEAD[head] = (code, len(str(code)), rules) if rules is not None else None
    return _CALLING_BY_HEAD[head]


def _strip_national_prefix(number: str, rules: RegionRules) -> str | None:
    """The national significant number after the trunk prefix, as ``phonenumbers.parse`` does.

    ``None`` means "ask the library" (a prefix transform rule is involved).
    """
    if rules.national_prefix is None:
        return number
    if rules.national_prefix_text is not None:
        if not number.startswith(rules.national_prefix_text):
            return number
        end = len(rules.national_prefix_text)
    else:
        match = rules.national_prefix.match(number)
        if match is None:
            return number
        end = match.end()
    if rules.has_transform:
        return None
    stripped = number[end:]
    # The library keeps the prefix when the number was viable with it and is not without it.
    if not rules.general_matches(stripped) and rules.general_matches(number):
        return number
    return stripped if rules.length_is_usable(stripped) else number


def _idd_length(digits: str, home: RegionRules) -> int | None:
    """How many leading digits are the home region's international prefix (None: not one)."""
    if home.idd_text is not None:
        return len(home.idd_text) if digits.startswith(home.idd_text) else None
    match = home.idd.match(digits) if home.idd is not None else None
    return match.end() if match is not None else None


def fast_parse(raw: str, region: str) -> tuple[int, str] | None:
    """(country code, national significant number) for simply written numbers, else ``None``.

    ``None`` never means "invalid": it means the library must decide.
    """
    return _fast_parse_simple(raw, region) if _SIMPLE.fullmatch(raw) else None


def _fast_parse_simple(raw: str, region: str) -> tuple[int, str] | None:
    """``fast_parse`` for a ``raw`` already known to match ``_SIMPLE``."""
    home = region_rules(region)
    if home is None:
        return None
    # Spaces and "+" are the usual separators and str.replace is much cheaper than translate.
    digits = raw.replace(" ", "").replace("+", "")
    if not digits.isdigit():  # brackets, dots, dashes or slashes as well
        digits = digits.translate(_DROP_SEPARATORS)
    intl: str | None = None
    if raw[0] == "+":
        intl = digits
    elif (idd := _idd_length(digits, home)) is not None:
        intl = digits[idd:]
        if intl[:1] in ("0", ""):
            return None  # the library does not strip an IDD followed by 0
    if intl is not None:
        if len(intl) <= _MIN_NSN:
            return None
        head = intl[:3]
        calling = _CALLING_BY_HEAD.get(head) or _calling_code(head)
        if calling is None:
            return None  # no known calling code, or a non-geographic one: the library decides
        code, size, rules = calling
        rest = intl[size:]
    else:
        if digits.startswith(str(home.country_code)):
            return None  # maybe a country code without "+": the library weighs both readings
        code, rest, rules = home.country_code, digits, home
    nsn = _strip_national_prefix(rest, rules)
    if nsn is None or not _MIN_NSN <= len(nsn) <= _MAX_NSN or nsn[0] == "0":
        return None
    return code, nsn


def _library_parse(raw: str, region: str) -> PhoneResult:
    """The slow, complete path through phonenumbers."""
    try:
        number = phonenumbers.parse(raw, region or None)
    except NumberParseException:
        return NO_PHONE
    text = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    found = phonenumbers.region_code_for_number(number)
    valid = found is not None and phonenumbers.is_valid_number_for_region(number, found)
    return PhoneResult(text, valid, found if valid and found else "")


def first_number(raw: str) -> str:
    """The first of several numbers in one cell, trimmed, without ``tel:`` or an extension."""
    raw = raw.strip()
    if not raw or (len(raw) <= 20 and _SIMPLE.fullmatch(raw)):
        return raw
    if raw[:4].lower() == "tel:" and ";" not in raw:
        raw = raw[4:]  # a plain RFC 3966 URI; with parameters the library reads it
    if len(raw) > 20 and _LIST_SEPARATOR.search(raw) is not None:
        raw = next((p for p in _LIST_SEPARATOR.split(raw) if any(c.isdigit() for c in p)), raw)
    return _EXTENSION.sub("", raw).strip()


def parse_phone(raw: str, region: str) -> PhoneResult:
    """Parse ``raw`` (any common format, ``tel:`` URI, with extension) for default ``region``.

    ``region`` is an upper-case ISO code ("TR").
    """
    raw = raw.strip()
    if len(raw) <= 20 and _SIMPLE.fullmatch(raw):
        fast = _fast_parse_simple(raw, region)  # the common case: skip the clean-up
    else:
        raw = first_number(raw)
        if not raw:
            return NO_PHONE
        fast = fast_parse(raw, region)
    if fast is None:
        return _library_parse(raw, region)
    code, nsn = fast
    found = valid_region(code, nsn)
    return _new_result(PhoneResult, (f"+{code}{nsn}", bool(found), found))


def library_e164(raw: str, region: str) -> tuple[str, bool]:
    """``e164`` computed by phonenumbers alone (the reference for the fast path)."""
    result = _library_parse(first_number(raw), region.upper())
    return result.e164, result.valid


def e164(raw: str, region: str) -> tuple[str, bool]:
    """``(E.164 text, is_valid_number)`` for a phone written in any common way.

    ``e164("0212 555 12 34", "TR") == ("+902125551234", True)``; extensions are dropped;
    an unparseable value gives ``("", False)``. ``region`` is an ISO code in any case.
    """
    result = parse_phone(raw, region.upper())
    return result.e164, result.valid
