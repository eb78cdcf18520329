"""Person names: honorifics stripped, a full name split into first and last.

Casing is not done here (see ``ingest.turkish.name_case``): splitting works on the words as
written, so the caller can decide on Turkish or default casing once per record.
"""

from __future__ import annotations

from functools import lru_cache

from ingest.turkish import PARTICLES, name_case, turkish_upper

# Compared lower-cased, without a trailing dot: "Dr." == "dr", "SAYIN" == "sayın".
HONORIFICS = frozenset(
    """mr mrs ms miss mx dr prof sir madam dame herr frau mme mlle sr sra srta dott ing
    bay bayan sn sayın sayin""".split()
)
# Generational and degree suffixes; dropped so that they are not taken for a last name.
SUFFIXES = frozenset("jr sr ii iii iv phd md mba msc bsc esq".split())


def _bare(word: str) -> str:
    """The comparison form of a word: lower-cased without dots or a trailing comma."""
    return word.replace(".", "").rstrip(",").lower().replace("i̇", "i")


def _strip_honorifics(words: list[str]) -> list[str]:
    """Drop leading honorifics ("Dr. Prof. Ayşe") and trailing suffixes ("Jr.", "PhD")."""
    start = 0
    while start < len(words) - 1 and _bare(words[start]) in HONORIFICS:
        start += 1
    end = len(words)
    while end > start + 1 and _bare(words[end - 1]) in SUFFIXES:
        end -= 1
    return words[start:end]


def clean_given(name: str) -> str:
    """A first-name field without honorifics: ``"Sayın Ahmet"`` -> ``"Ahmet"``."""
    words = name.split()
    return " ".join(_strip_honorifics(words)) if words else ""


# First and last names repeat across a file far more than whole names do: cache each part.
@lru_cache(maxsize=65536)
def given_name(name: str) -> str:
    """A first-name field as ``split_name`` takes it: ``clean_given``, cached."""
    return clean_given(name)


@lru_cache(maxsize=65536)
def family_name(name: str) -> str:
    """A last-name field as ``split_name`` takes it (honorifics and suffixes dropped), cached."""
    return " ".join(_strip_honorifics(name.split()))


def _last_name_start(words: list[str]) -> int:
    """Index where the last name begins: the last word plus particles before it ("van der")."""
    i = len(words) - 1
    while i > 1 and _bare(words[i - 1]) in PARTICLES:
        i -= 1
    return i


@lru_cache(maxsize=65536)
def split_full_name(full_name: str) -> tuple[str, str]:
    """Split a full name into (first, last) as written.

    ``"Dr. Ayşe Gül Yılmaz"`` -> ``("Ayşe Gül", "Yılmaz")``; ``"Yılmaz, Ayşe"`` ->
    ``("Ayşe", "Yılmaz")``; ``"Jan van der Berg"`` -> ``("Jan", "van der Berg")``; a single
    word is a first name.
    """
    head, comma, tail = full_name.partition(",")
    if comma and head.strip() and tail.strip() and _bare(tail.strip()) not in SUFFIXES:
        # "Last, First" -- the way address books and CRMs export names.
        first = clean_given(tail.replace(",", " "))
        last = " ".join(_strip_honorifics(head.split()))
        return first, last
    words = _strip_honorifics(full_name.replace(",", " ").split())
    if not words:
        return "", ""
    if len(words) == 1:
        return words[0], ""
    cut = _last_name_start(words)
    return " ".join(words[:cut]), " ".join(words[cut:])


def split_name(full_name: str, first: str, last: str) -> tuple[str, str]:
    """First and last name from the fields a record has, honorifics removed.

    Separate first/last fields win; the full name is split when either is missing and only
    fills the missing one (``first="Ahmet"``, ``full_name="Ahmet Yılmaz"`` gives the last name).
    """
    if first:
        first = given_name(first)
    if last:
        last = family_name(last)
    if (first and last) or not full_name:
        return first, last
    split_first, split_last = split_full_name(full_name)
    return first or split_first, last or split_last


# Upper-case abbreviations that stay upper when a title is re-cased.
_TITLE_ACRONYMS = frozenset(
    "ceo cfo cto coo cio cmo cso ciso vp svp evp avp hr it pr qa qc r&d gm md mba phd ik".split()
)
_TITLE_SMALL = frozenset("and of for the ve ile of in und de du des et".split())


@lru_cache(maxsize=16384)
def title_case(title: str, turkish: bool) -> str:
    """A job title trimmed; re-cased only when written in one case.

    ``"SATIN ALMA MÜDÜRÜ"`` -> ``"Satın Alma Müdürü"`` (Turkish), ``"head of it"`` ->
    ``"Head of IT"``, ``"CEO"`` stays ``"CEO"``; ``"Sales Manager"`` is kept as written.
    """
    words = title.split()
    joined = " ".join(words)
    if not (joined.isupper() or joined.islower()):
        return joined
    out = []
    for i, word in enumerate(words):
        bare = word.strip(",.()/").lower()
        if bare in _TITLE_ACRONYMS or (len(words) == 1 and joined.isupper() and len(word) <= 4):
            out.append(turkish_upper(word) if turkish else word.upper())
        elif i > 0 and bare in _TITLE_SMALL:
            out.append(word.lower())
        else:
            out.append(name_case(word, turkish=turkish))
    return " ".join(out)
