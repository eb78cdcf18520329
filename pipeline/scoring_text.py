"""Turkish-aware text folding and phrase matching for lead scoring.

Titles and notes arrive as people typed them: "GENEL MÜDÜR", "Genel Müdürü", "genel mudur",
"Satınalma Müdürü". ``fold`` maps them onto one plain lower-case ASCII-ish spelling (Turkish
letters transliterated, dotted/dotless I folded, whitespace collapsed), and ``PhraseMatcher``
finds configured phrases in folded text at word starts, allowing the common Turkish
possessive/plural suffixes ("müdür-ü", "uzman-ı", "müdür-lüğü") and an English plural, but not
arbitrary continuations ("şef" does not match "sefer"; "kredi" does not match "akreditasyon").

Standard library only; this deliberately does not import ``ingest`` (pipeline scoring must not
depend on the ingest package's normalisers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# Applied after casefold, which already lowers "Ş" to "ş" and turns "İ" into "i" + U+0307
# (the dot is dropped here); "ı" (dotless) has no case mapping and must become "i" explicitly.
# A chain of str.replace on the few letters present is several times faster than str.translate
# with a dict on long non-ASCII text (scoring runs over tens of thousands of leads).
_TRANSLITERATION = (
    ("\u0307", ""),
    ("ı", "i"),
    ("ş", "s"),
    ("ğ", "g"),
    ("ç", "c"),
    ("ö", "o"),
    ("ü", "u"),
    ("â", "a"),
    ("î", "i"),
    ("û", "u"),
)

# Suffixes a Turkish title takes in running text ("Genel Müdürü", "Satın Alma Müdürlüğü",
# "Uzmanı", "Şefi"), after folding; "s"/"es" for English plurals.
_SUFFIX = r"(?:u|i|su|si|ler|lar|leri|lari|lugu|ligi|luk|lik|s|es)?"

# Words of a phrase may be joined by spaces, hyphens, dots or nothing ("satin alma",
# "satin-alma", "satinalma").
_JOINER = r"[\W_]*"


def fold_letters(text: str) -> str:
    """Lower-case and transliterate Turkish letters, leaving spacing as it is (for long text)."""
    folded = text.casefold()
    if not folded.isascii():
        for letter, plain in _TRANSLITERATION:
            if letter in folded:
                folded = folded.replace(letter, plain)
    return folded


def fold(text: str) -> str:
    """Lower-case, transliterate Turkish letters and collapse whitespace.

    >>> fold("GENEL  MÜDÜRÜ İstanbul")
    'genel muduru istanbul'
    """
    return " ".join(fold_letters(text).split())


def _phrase_pattern(phrase: str) -> str:
    words = fold(phrase).split()
    return _JOINER.join(re.escape(word) for word in words)


# Folded titles repeat a lot across leads ("genel mudur", "satin alma muduru"); results for short
# texts are memoised per matcher, up to this many distinct texts.
_CACHE_LIMIT = 8192
_CACHEABLE_LENGTH = 80


class PhraseMatcher:
    """Finds configured phrases (with a value each) in folded text; longest match wins."""

    __slots__ = ("_cache", "_first_words", "_keys", "_pattern", "_values")

    def __init__(self, phrases: Mapping[str, int] | Iterable[str]) -> None:
        values = (
            dict(phrases.items()) if isinstance(phrases, Mapping) else dict.fromkeys(phrases, 0)
        )
        self._values: dict[str, int] = {}
        for phrase, value in values.items():
            key = fold(phrase)
            if key:
                self._values[key] = value
        # Longest phrases first so that, at one position, "genel mudur" beats "mudur".
        ordered = sorted(self._values, key=len, reverse=True)
        alternation = "|".join(f"(?P<p{i}>{_phrase_pattern(p)})" for i, p in enumerate(ordered))
        self._keys: list[str] = ordered
        self._pattern = re.compile(rf"\b(?:{alternation}){_SUFFIX}\b") if alternation else None
        # Every match starts with its phrase's first word verbatim: a cheap substring test on
        # these skips the (much slower) alternation scan for text that cannot match.
        self._first_words = tuple({p.split()[0] for p in ordered})
        self._cache: dict[str, tuple[str, ...]] = {}

    def find_all(self, folded: str) -> tuple[str, ...]:
        """All configured phrases found in ``folded`` text (each once, in text order)."""
        if len(folded) <= _CACHEABLE_LENGTH:
            cached = self._cache.get(folded)
            if cached is None:
                cached = self._scan(folded)
                if len(self._cache) < _CACHE_LIMIT:
                    self._cache[folded] = cached
            return cached
        return self._scan(folded)

    def _scan(self, folded: str) -> tuple[str, ...]:
        if self._pattern is None or not any(w in folded for w in self._first_words):
            return ()
        found: dict[str, None] = {}
        for match in self._pattern.finditer(folded):
            found[self._keys[int(str(match.lastgroup)[1:])]] = None
        return tuple(found)

    def longest(self, folded: str) -> tuple[str, int] | None:
        """The longest configured phrase in ``folded`` text and its value, or None."""
        found = self.find_all(folded)
        if not found:
            return None
        best = max(found, key=len)
        return best, self._values[best]
