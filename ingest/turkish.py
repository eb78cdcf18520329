"""Turkish-aware casing and general transliteration of person, place and company names.

Python's ``str.lower``/``str.upper`` follow the default Unicode mapping, which is wrong for
Turkish: ``"I".lower()`` must be dotless ``"ı"`` and ``"i".upper()`` must be dotted ``"İ"``
(and ``"İ".lower()`` gives ``"i̇"``, an ``i`` plus a combining dot, in the default mapping).
This module does the Turkish mapping when asked, and ``name_case`` turns ALL-CAPS or all-lower
names into name case while leaving names a person already cased ("McDonald") alone.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import filterfalse

from ingest.turkish_names import known_spelling

# Letters that only Turkish (among the languages we see) uses; their presence decides the question.
TURKISH_ONLY_LETTERS = frozenset("ğĞşŞıİ")

_TR_LOWER = str.maketrans({"I": "ı", "İ": "i"})
_TR_UPPER = str.maketrans({"i": "İ", "ı": "I"})
# Outside Turkish, a stray dotted capital İ still lower-cases to a plain i (not i + combining dot).
_LATIN_LOWER = str.maketrans({"İ": "i"})

# Letters NFKD does not decompose into a base letter plus marks.
_FOLD = str.maketrans(
    {
        "ı": "i",
        "İ": "I",
        "ß": "ss",
        "ẞ": "SS",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ł": "l",
        "Ł": "L",
        "ħ": "h",
        "Ħ": "H",
        "ŋ": "n",
        "Ŋ": "N",
        "ſ": "s",
    }
)

# Lower-case words that stay lower inside a multi-word name ("van der Berg", "de la Cruz").
PARTICLES = frozenset(
    "van von der den de del della dei di da das dos du la le ten ter zu bin ibn y".split()
)


def turkish_lower(s: str) -> str:
    """Lower-case with Turkish rules: ``I`` -> ``ı`` and ``İ`` -> ``i``."""
    return s.translate(_TR_LOWER).lower()


def turkish_upper(s: str) -> str:
    """Upper-case with Turkish rules: ``i`` -> ``İ`` and ``ı`` -> ``I``."""
    return s.translate(_TR_UPPER).upper()


def has_turkish_letters(s: str) -> bool:
    """Whether ``s`` holds a letter only Turkish uses (ğ, ş, ı, İ)."""
    return not s.isascii() and not TURKISH_ONLY_LETTERS.isdisjoint(s)


@lru_cache(maxsize=65536)
def transliterate(s: str) -> str:
    """Fold ``s`` to ASCII letters: ``"Şükrü Çağlar"`` -> ``"Sukru Caglar"``.

    Decomposes with NFKD and drops the combining marks, after mapping the letters NFKD keeps
    whole (ı, ß, ø, æ, œ, ł, ...). Characters with no ASCII form are kept as they are.
    Word by word: the words of names repeat far more than whole names do, and a space stops
    the reordering of marks, so folding each word gives what folding the whole does.
    """
    if s.isascii():
        return s
    if " " in s:
        return " ".join(map(_fold_word, s.split(" ")))
    return _fold_word(s)


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word.translate(_FOLD))
    return "".join(filterfalse(unicodedata.combining, decomposed))  # the marks, at C speed


def _is_single_case(s: str) -> bool:
    """True when ``s`` has cased letters and all of them are upper, or all lower."""
    return s.isupper() or s.islower()


def _dotted(word: str, spelling: str) -> str:
    """Name-case an ASCII word, dotting each I/i as the known Turkish ``spelling`` does."""
    out = []
    for i, (c, proper) in enumerate(zip(word, spelling, strict=True)):
        if c in "Ii":
            dotless = proper in "ıI"
            c = ("I" if dotless else "İ") if i == 0 else ("ı" if dotless else "i")
        out.append(c.upper() if i == 0 else c.lower())
    return "".join(out)


def _cap(word: str, turkish: bool) -> str:
    """``"şÜKRÜ"`` -> ``"Şükrü"``; Turkish rules decide the fate of I and i.

    An ASCII word that is a known Turkish name or city keeps the dotting of its proper
    spelling (``"ALI"`` -> ``"Ali"``, not ``"Alı"``); see ``ingest.turkish_names``.
    """
    if turkish:
        if word.isascii() and ("I" in word or "i" in word):
            spelling = known_spelling(word.upper())
            if spelling is not None and len(spelling) == len(word):
                return _dotted(word, spelling)
        return turkish_upper(word[:1]) + turkish_lower(word[1:])
    return word[:1].upper() + word[1:].translate(_LATIN_LOWER).lower()


def _case_word(word: str, turkish: bool) -> str:
    """Case one word, capitalising each hyphen part and the part after ``O'``/``D'``."""
    parts = word.split("-")
    out = []
    for part in parts:
        head, sep, tail = part.partition("'")
        if sep and len(head) == 1 and tail:
            out.append(_cap(head, turkish) + sep + _cap(tail, turkish))
        elif len(part) > 3 and part[:2].lower() == "mc":
            # "MCDONALD" -> "McDonald": the common Gaelic prefix keeps its capital.
            out.append("Mc" + _cap(part[2:], turkish))
        else:
            out.append(_cap(part, turkish))
    return "-".join(out)


@lru_cache(maxsize=65536)
def cased_name(s: str, turkish: bool) -> str:
    """``name_case`` once the Turkish question is decided (cached; the per-row entry point)."""
    words = s.split()
    if not words:
        return ""
    joined = " ".join(words)
    if not _is_single_case(joined):
        return joined  # already cased by a person (or no letters at all): keep as written
    last = len(words) - 1
    return " ".join(
        w.lower() if i < last and w.lower() in PARTICLES else _case_word(w, turkish)
        for i, w in enumerate(words)
    )


def name_case(s: str, *, turkish: bool | None = None) -> str:
    """Put a name written ALL-CAPS or all-lower into name case; keep mixed-case names as written.

    ``turkish=None`` decides from the letters (ğ, ş, ı, İ mean Turkish). With Turkish rules
    ``"ISIL"`` becomes ``"Isıl"`` and ``"İSMAİL"`` becomes ``"İsmail"``; without them
    ``"ISABEL"`` becomes ``"Isabel"``. Particles inside a longer name stay lower
    (``"VAN DER BERG"`` -> ``"van der Berg"``). Whitespace runs collapse to one space.
    """
    if turkish is None:
        turkish = has_turkish_letters(s)
    return cased_name(s, turkish)
