"""The record dedupe compares, and the folding of names into comparable ASCII lower case.

Values arrive normalised upstream (lower-case emails with an ``email_key`` that drops
plus-tags, E.164 phones, a company key without legal suffixes). Names arrive in display case;
``fold`` transliterates them (Turkish ş/ğ/ı/ç/ö/ü and other Latin letters) to plain ASCII.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Person:
    """One lead record as dedupe sees it; empty values are ``""``."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    email_key: str = ""
    phone: str = ""
    company_key: str = ""
    city: str = ""
    source: str = ""


# Letters NFKD leaves whole; "İ".lower() would give "i" plus a combining dot, so map it first.
_FOLD = str.maketrans(
    {
        "ı": "i",
        "İ": "i",
        "I": "i",
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
    }
)
_NON_LETTER = re.compile(r"[^a-z ]+")


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """ASCII lower case with marks, digits and punctuation gone: ``"Şükrü"`` -> ``"sukru"``.

    Hyphens and apostrophes join ("O'Neil" -> "oneil"); other runs of non-letters become one
    space.
    """
    if not text:
        return ""
    s = text.translate(_FOLD)
    if not s.isascii():
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = s.lower().replace("-", "").replace("'", "").replace("\u2019", "")
    return " ".join(_NON_LETTER.sub(" ", s).split())
