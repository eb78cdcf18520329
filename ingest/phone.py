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
_NSN_SIZES = frozenset(range(_MIN_NSN, _MAX_NSN + 1))


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


# A calling code as the fast path needs it: (code, its digits, "+" and its digits, the rules
# that parse the number, the code's only region or "" when several share it, the trunk
# prefix). Only that region's rules then decide validity. The trunk prefix is the rules'
# literal prefix, "" when it is a pattern (every number goes to ``_strip_national_prefix``)
# and None when there is none. A plain tuple: unpacking it is cheaper than attributes.
_Numbering = tuple[int, int, str, RegionRules, str, str | None]


def _numbering(code: int, rules: RegionRules | None) -> _Numbering | None:
    """``None`` without rules (a non-geographic code such as "800": the library decides).

    ``rules`` parse the number: the default region's for national numbers, else those of the
    code's main region.
    """
    if rules is None:
        return None
    regions = COUNTRY_CODE_TO_REGION_CODE.get(code, ())
    single = regions[0] if len(regions) == 1 else ""
    prefix = (rules.national_prefix_text or "") if rules.has_national_prefix else None
    return code, len(str(code)), f"+{code}", rules, single, prefix


# A calling code has one to three digits, so the first three digits decide it; filled on
# first use (at most 1,000 keys). And per default region: its numbering and its code's digits.
_CALLING_BY_HEAD: dict[str, _Numbering | None] = {}
_HOMES: dict[str, tuple[_Numbering, str] | None] = {}


def _calling_code(head: str) -> _Numbering | None:
    """The calling code the first three international digits start with."""
    if head not in _CALLING_BY_HEAD:
        code = _country_code(head)
        main = COUNTRY_CODE_TO_REGION_CODE[code][0] if code else ""
        _CALLING_BY_HEAD[head] = _numbering(code, region_rules(main)) if code else None
    return _CALLING_BY_HEAD[head]


def _home(region: str) -> tuple[_Numbering, str] | None:
    """The numbering of national numbers in ``region``; ``None`` for an unknown region."""
    if region not in _HOMES:
        rules = region_rules(region)
        home = _numbering(rules.country_code, rules) if rules is not None else None
        _HOMES[region] = (home, str(home[0])) if home is not None else None
    return _HOMES[region]


def _strip_national_prefix(number: str, rules: RegionRules) -> str | None:
    """The national significant number after the trunk prefix, as ``phonenumbers.parse`` does.

    ``None`` means "ask the library" (a prefix transform rule is involved).
    """
    if not rules.has_national_prefix:
        return number
    if rules.national_prefix_text is not None:
        if not number.startswith(rules.national_prefix_text):
            return number
        end = len(rules.national_prefix_text)
    else:
        match = rules.national_prefix.match(number) if rules.national_prefix else None
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
    found = _fast_parse_simple(raw, region) if _SIMPLE.fullmatch(raw) else None
    return (found[0][0], found[1]) if found is not None else None


def _fast_parse_simple(raw: str, region: str) -> tuple[_Numbering, str] | None:
    """``fast_parse`` for a ``raw`` already known to match ``_SIMPLE``, with its numbering."""
    home = _HOMES[region] if region in _HOMES else _home(region)
    if home is None:
        return None
    # ``_SIMPLE`` allows "+" only in front. Spaces are the usual separators, and
    # str.replace is much cheaper than translate.
    if raw[0] == "+":  # the usual international form
        intl = raw[1:].replace(" ", "")
        if not intl.isdigit():  # brackets, dots, dashes or slashes as well
            intl = intl.translate(_DROP_SEPARATORS)
    else:
        numbering, code_digits = home
        digits = raw.replace(" ", "")
        if not digits.isdigit():
            digits = digits.translate(_DROP_SEPARATORS)
        idd = _idd_length(digits, numbering[3])
        if idd is not None:
            intl = digits[idd:]
            if intl[:1] in ("0", ""):
                return None  # the library does not strip an IDD followed by 0
        elif digits.startswith(code_digits):
            return None  # maybe a country code without "+": the library weighs both readings
        else:
            intl, rest = "", digits  # a national number
    if intl:
        if len(intl) <= _MIN_NSN:
            return None
        head = intl[:3]
        try:  # (free in 3.11 unless raised)
            found = _CALLING_BY_HEAD[head]
        except KeyError:
            found = _calling_code(head)
        if found is None:
            return None  # no known calling code, or a non-geographic one: the library decides
        numbering, rest = found, intl[found[1] :]
    prefix = numbering[5]
    # Most numbers do not start with the trunk prefix (written with "+", or it is not "0").
    if prefix is None or rest[: len(prefix)] != prefix:
        nsn: str | None = rest
    else:
        nsn = _strip_national_prefix(rest, numbering[3])
    if nsn is None or len(nsn) not in _NSN_SIZES or nsn[0] == "0":
        return None
    return numbering, nsn


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
    found = phone_fields(raw, region)
    return found if type(found) is PhoneResult else _new_result(PhoneResult, found)


def phone_fields(raw: str, region: str) -> tuple[str, bool, str]:
    """``parse_phone``'s fields (E.164, valid, region) in a plain tuple, for per-row callers:
    building the named tuple would cost a tenth of the whole fast path."""
    raw = raw.strip()
    if len(raw) <= 20 and _SIMPLE.fullmatch(raw):
        fast = _fast_parse_simple(raw, region)  # the common case: skip the clean-up
    else:
        raw = first_number(raw)
        if not raw:
            return NO_PHONE
        fast = _fast_parse_simple(raw, region) if _SIMPLE.fullmatch(raw) else None
    if fast is None:
        return _library_parse(raw, region)
    (code, _, plus, rules, single, _), nsn = fast
    if single:  # the code's only region decides, as in ``valid_region``
        found = single if rules.is_valid(nsn) else ""
    else:
        found = valid_region(code, nsn)
    return plus + nsn, found != "", found


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
