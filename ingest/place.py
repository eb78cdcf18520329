"""Countries to ISO 3166 alpha-2 codes, and city names cased for display.

Country names are looked up in babel's territory names for the languages our leads write in
(English, Turkish, German, French, Spanish, Italian, Dutch), compared transliterated and
lower-case without punctuation, plus the usual abbreviations (USA, UK, U.S.) and alpha-3 codes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale
from phonenumbers import SUPPORTED_REGIONS

from ingest.turkish import name_case, transliterate

_LOCALES = ("en", "tr", "de", "fr", "es", "it", "nl")
# Babel territory codes that are not countries.
_NOT_COUNTRIES = frozenset(("EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"))
_ALIASES = {
    "usa": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "turkey": "TR",
    "turkiye": "TR",
    "republic of turkey": "TR",
    "turkiye cumhuriyeti": "TR",
    "holland": "NL",
    "the netherlands": "NL",
    "brd": "DE",
    "russia": "RU",
    "south korea": "KR",
    "korea": "KR",
    "uae": "AE",
    "emirates": "AE",
    "ksa": "SA",
    # Alpha-3 codes seen in exports.
    # Frequent names, so that babel's data is only loaded for the rare ones.
    "germany": "DE",
    "deutschland": "DE",
    "almanya": "DE",
    "united states": "US",
    "amerika": "US",
    "abd": "US",
    "amerika birlesik devletleri": "US",
    "united kingdom": "GB",
    "ingiltere": "GB",
    "birlesik krallik": "GB",
    "france": "FR",
    "fransa": "FR",
    "frankreich": "FR",
    "netherlands": "NL",
    "hollanda": "NL",
    "italy": "IT",
    "italya": "IT",
    "spain": "ES",
    "ispanya": "ES",
    "austria": "AT",
    "osterreich": "AT",
    "avusturya": "AT",
    "switzerland": "CH",
    "schweiz": "CH",
    "isvicre": "CH",
    "azerbaijan": "AZ",
    "azerbaycan": "AZ",
    "tur": "TR",
    "deu": "DE",
    "ger": "DE",
    "gbr": "GB",
    "fra": "FR",
    "nld": "NL",
    "ita": "IT",
    "esp": "ES",
    "aut": "AT",
    "che": "CH",
    "bel": "BE",
    "aze": "AZ",
    "rus": "RU",
    "chn": "CN",
    "can": "CA",
}
_PUNCT = re.compile(r"[^0-9a-z]+")


def _key(name: str) -> str:
    return _PUNCT.sub(" ", transliterate(name).lower()).strip()


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    """Lookup key -> alpha-2 code, built on first use (babel loads its data lazily too)."""
    index: dict[str, str] = {}
    for locale_name in _LOCALES:
        for code, name in Locale.parse(locale_name).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                index.setdefault(_key(name), code)
                index.setdefault(code.lower(), code)
    index.update(_ALIASES)
    # "U.S.A." and "U. K." lose their dots to become "u s a": index the spaced form as well.
    index.update({" ".join(k): v for k, v in _ALIASES.items() if len(k) <= 3})
    return index


@lru_cache(maxsize=4096)
def country_code(raw: str) -> str:
    """ISO 3166 alpha-2 for a written country (``"Türkiye"`` -> ``"TR"``), ``""`` if unknown."""
    key = _key(raw)
    if not key:
        return ""
    if key in _ALIASES:
        return _ALIASES[key]
    if len(key) == 2 and key.upper() in SUPPORTED_REGIONS:
        return key.upper()
    return _country_index().get(key, "")


def country_display(raw: str) -> str:
    """The alpha-2 code when recognisable, else the text as written (trimmed)."""
    return country_code(raw) or " ".join(raw.split())


@lru_cache(maxsize=16384)
def city_display(raw: str, turkish: bool) -> str:
    """A city trimmed and name-cased when written in one case (``"İSTANBUL"`` -> ``"İstanbul"``).

    Turkish records get Turkish casing, so ``"IZMIR"`` becomes ``"İzmir"``; a city a person
    wrote in mixed case is kept.
    """
    return name_case(raw, turkish=turkish)
