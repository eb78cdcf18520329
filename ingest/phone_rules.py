"""Per-region phone number rules taken from phonenumbers' metadata, compiled for speed.

``phonenumbers.is_valid_number`` walks ten number types per call through several layers of
Python (~9 µs). The answer only depends on the region metadata and the national significant
number, so ``RegionRules`` compiles, once per region and number length, one alternation of
all type patterns that admit that length; validity is then two regex matches. The order of
checks and the length rules mirror ``phonenumberutil._number_type_helper`` and
``_region_code_for_number_from_list`` exactly.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from typing import NamedTuple

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata
from phonenumbers.phonemetadata import PhoneNumberDesc

# The library's order of number types. Validity is one regex over all of them, where the order
# does not change the answer, so the pattern lists fixed-line and mobile first: most numbers
# are one of the two, and the regex stops at the first alternative that matches.
_TYPE_DESCS = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
    "mobile",
)
_COMMON_FIRST = {"fixed_line": 0, "mobile": 1}


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


def _literal(pattern: str | None) -> str | None:
    """The pattern itself when it is plain ASCII digits (it then matches just that text)."""
    return pattern if pattern and pattern.isascii() and pattern.isdigit() else None


class RegionRules:
    """Parsing and validity rules of one region, compiled lazily (per number length for the
    validity patterns): a calling code shared by many regions (+1) needs little of most."""

    def __init__(self, metadata: PhoneMetadata) -> None:
        self.region = str(metadata.id)
        self.country_code = int(metadata.country_code or 0)
        self._idd = metadata.international_prefix or None
        self._national_prefix = metadata.national_prefix_for_parsing or None
        self.has_national_prefix = self._national_prefix is not None
        # Most regions' prefixes are plain digits ("00", "0"): a string test, not a regex, then.
        self.idd_text = _literal(metadata.international_prefix)
        self.national_prefix_text = _literal(metadata.national_prefix_for_parsing)
        self.has_transform = bool(metadata.national_prefix_transform_rule)
        self.leading_digits: str | None = metadata.leading_digits or None  # a pattern
        general: PhoneNumberDesc | None = metadata.general_desc
        self._general_pattern = (general.national_number_pattern if general else None) or None
        self._lengths = tuple(general.possible_length) if general else ()
        self._local_lengths = tuple(general.possible_length_local_only) if general else ()
        # With identical fixed-line and mobile patterns the library never consults mobile.
        names = _TYPE_DESCS[:-1] if metadata.same_mobile_and_fixed_line_pattern else _TYPE_DESCS
        ordered = sorted(names, key=lambda name: _COMMON_FIRST.get(name, 2))
        self._descs = [getattr(metadata, name) for name in ordered]
        self._valid: dict[int, re.Pattern[str] | None] = {}

    @cached_property
    def idd(self) -> re.Pattern[str] | None:
        """The international prefix pattern."""
        return _compile(self._idd)

    @cached_property
    def national_prefix(self) -> re.Pattern[str] | None:
        """The national prefix pattern for parsing (``None`` when ``has_national_prefix`` is
        false)."""
        return _compile(self._national_prefix)

    @cached_property
    def _general(self) -> re.Pattern[str] | None:
        return _compile(self._general_pattern)

    def general_matches(self, number: str) -> bool:
        """The general pattern matches (``_match_national_number`` on the general desc)."""
        return self._general is not None and self._general.fullmatch(number) is not None

    def length_is_usable(self, number: str) -> bool:
        """``_test_number_length`` is neither too short, local-only nor an invalid length."""
        size = len(number)
        if size in self._local_lengths or not self._lengths:
            return False
        if size == self._lengths[0] or size > self._lengths[-1]:
            return True  # possible, or too long (parse accepts too long)
        return size > self._lengths[0] and size in self._lengths

    def _valid_pattern(self, size: int) -> re.Pattern[str] | None:
        """One regex per length: the general pattern (as a lookahead) and any type pattern."""
        if size not in self._valid:
            parts = [
                desc.national_number_pattern
                for desc in self._descs
                if desc is not None
                and desc.national_number_pattern
                and (not desc.possible_length or size in desc.possible_length)
            ]
            general = self._general_pattern
            usable = general is not None and (not self._lengths or size in self._lengths)
            self._valid[size] = None
            if parts and usable:
                typed = "|".join(f"(?:{p})" for p in parts)
                self._valid[size] = re.compile(f"(?=(?:{general})$)(?:{typed})")
        return self._valid[size]

    def is_valid(self, nsn: str) -> bool:
        """``_number_type_helper(nsn, metadata) != UNKNOWN``."""
        size = len(nsn)
        pattern = self._valid[size] if size in self._valid else self._valid_pattern(size)
        return pattern is not None and pattern.fullmatch(nsn) is not None


@lru_cache(maxsize=512)
def region_rules(region: str) -> RegionRules | None:
    """Rules for an ISO region code ("TR"), or ``None`` for an unknown or non-geographic one."""
    metadata = PhoneMetadata.metadata_for_region(region, None)
    return RegionRules(metadata) if metadata is not None else None


class _Region(NamedTuple):
    position: int  # in the library's list of regions for the calling code
    region: str
    rules: RegionRules


class _SharedCode(NamedTuple):
    """The regions sharing one calling code, prepared for ``valid_region``.

    ``leading`` is one alternation of the regions' leading-digit patterns, in region order, so
    a single ``match`` finds the first region whose leading digits fit (the regex tries the
    alternatives in order); ``plain`` are the regions without leading digits, by position.
    ``ahead`` are the plain regions listed before every region with leading digits: they are
    tried whatever the leading digits, so first (US for +1, GB for +44), and ``plain`` holds
    the rest.
    """

    leading: re.Pattern[str] | None
    by_group: dict[str, _Region]
    ahead: tuple[_Region, ...]
    plain: tuple[_Region, ...]


@lru_cache(maxsize=64)
def _shared_code(country_code: int) -> _SharedCode:
    parts: list[str] = []
    by_group: dict[str, _Region] = {}
    plain: list[_Region] = []
    regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code, ())
    for position, region in enumerate(regions):
        rules = region_rules(region)
        if rules is None:
            continue
        if rules.leading_digits is None:
            plain.append(_Region(position, region, rules))
        else:
            name = f"r{position}"
            parts.append(f"(?P<{name}>{rules.leading_digits})")
            by_group[name] = _Region(position, region, rules)
    leading = re.compile("|".join(parts)) if parts else None
    first_leading = min((r.position for r in by_group.values()), default=len(regions))
    ahead = tuple(r for r in plain if r.position < first_leading)
    return _SharedCode(leading, by_group, ahead, tuple(plain[len(ahead) :]))


# Calling codes of a single region: that region and its rules, by code (filled on first use).
_SINGLE: dict[int, tuple[str, RegionRules | None]] = {}


def valid_region(country_code: int, nsn: str) -> str:
    """The region a number is valid in, or ``""`` when ``is_valid_number`` would say False.

    As the library does: the regions of the code in order, the first one whose leading digits
    fit decides; a region without leading digits takes the number when it is valid there.
    """
    single = _SINGLE.get(country_code)
    if single is None:
        regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code, ())
        if len(regions) != 1:
            return _valid_shared(country_code, nsn, regions)
        single = _SINGLE[country_code] = (regions[0], region_rules(regions[0]))
    region, rules = single
    return region if rules is not None and rules.is_valid(nsn) else ""


def _valid_shared(country_code: int, nsn: str, regions: tuple[str, ...]) -> str:
    """``valid_region`` for a calling code that several regions share (or none has)."""
    shared = _shared_code(country_code)
    for plain in shared.ahead:
        if plain.rules.is_valid(nsn):
            return plain.region
    found = shared.leading.match(nsn) if shared.leading is not None else None
    fit = shared.by_group[found.lastgroup or ""] if found else None
    last = fit.position if fit is not None else len(regions)
    for plain in shared.plain:
        if plain.position > last:
            break
        if plain.rules.is_valid(nsn):
            return plain.region
    return fit.region if fit is not None and fit.rules.is_valid(nsn) else ""
