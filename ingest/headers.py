"""Header mapping: which sheet column holds which canonical field (``records.FIELDS``).

Matching is case-, space-, punctuation- and diacritic-insensitive ("E-Posta Adresi", "e_posta",
"EPOSTA" are one header) and understands the shapes exports use: camelCase ("FirstName"),
numbered columns ("Phone 2", "street2", "E-mail 1 - Value"), qualifier words ("Work Phone",
"Mailing City"). Unknown columns stay unmapped: the sheet parser keeps their values in notes, so
nothing is lost. Per-source ``overrides`` from the config file win over the vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ingest.headernames import ALIASES, QUALIFIED_FIELDS, QUALIFIERS, SUFFIXES
from ingest.records import FIELDS

IGNORE = "ignore"
"""Override value that drops a column entirely (its values are not kept in notes)."""

IDENTITY_FIELDS = frozenset({"full_name", "first_name", "last_name", "email", "phone", "mobile"})
"""A row needs one of these to become a lead."""

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class HeaderMap:
    """How the columns of one sheet map to canonical fields.

    ``headers`` are the header cells as written (trimmed; "" for an empty header cell),
    ``fields`` maps a column index to its canonical field, ``ignored`` holds the indexes an
    override dropped. Every other column is unmapped and its values go to notes.
    """

    headers: tuple[str, ...]
    fields: Mapping[int, str]
    ignored: frozenset[int] = frozenset()

    @property
    def unmapped(self) -> tuple[int, ...]:
        """Indexes of columns that are neither mapped nor ignored (kept as "Header: value")."""
        return tuple(
            i for i in range(len(self.headers)) if i not in self.fields and i not in self.ignored
        )

    @property
    def has_identity(self) -> bool:
        """True when some column can carry a name, an email or a phone."""
        return any(field in IDENTITY_FIELDS for field in self.fields.values())

    def label(self, index: int) -> str:
        """A unique, readable name for column ``index`` (for raw dicts and notes).

        Empty and repeated headers get the column number ("column 7", "Last Name (column 16)")
        so two columns never collapse into one key.
        """
        header = self.headers[index] if index < len(self.headers) else ""
        if not header:
            return f"column {index + 1}"
        if self.headers.count(header) > 1 and self.headers.index(header) != index:
            return f"{header} (column {index + 1})"
        return header


def normalise_header(text: str) -> str:
    """Fold a header to its matching key: "E-Posta Adresi *" -> "e posta adresi"."""
    text = _BRACKETED.sub(" ", _CAMEL.sub(" ", text))
    # casefold turns "İ" into "i" + combining dot, which NFKD + dropping marks removes; the
    # Turkish dotless "ı" has no decomposition, so it is folded by hand.
    folded = unicodedata.normalize("NFKD", text.casefold().replace("ı", "i"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", plain).strip()


def match_header(text: str) -> str | None:
    """The canonical field a header names, or None when it is not in the vocabulary."""
    key = normalise_header(text)
    if key in ALIASES:
        return ALIASES[key]
    words = _DIGITS.sub(" ", key).split()
    while words and words[-1] in SUFFIXES:
        words.pop()
    if " ".join(words) in ALIASES:
        return ALIASES[" ".join(words)]
    while len(words) > 1 and words[0] in QUALIFIERS:
        words.pop(0)
        field = ALIASES.get(" ".join(words))
        if field in QUALIFIED_FIELDS:
            return field
    return None


def map_headers(headers: Sequence[str], overrides: Mapping[str, str] | None = None) -> HeaderMap:
    """Map header cells to canonical fields.

    ``overrides`` map header text (matched like headers, so case and accents do not matter) to a
    canonical field or ``"ignore"``. Raises ``ValueError`` for an override naming an unknown
    field, so a config typo fails loudly instead of silently dropping a column.
    """
    wanted = normalise_overrides(overrides or {})
    cleaned = tuple(str(h).strip() for h in headers)
    fields: dict[int, str] = {}
    ignored: set[int] = set()
    for index, header in enumerate(cleaned):
        if not header:
            continue
        target = wanted.get(normalise_header(header)) or match_header(header)
        if target == IGNORE:
            ignored.add(index)
        elif target is not None:
            fields[index] = target
    return HeaderMap(headers=cleaned, fields=fields, ignored=frozenset(ignored))


def normalise_overrides(overrides: Mapping[str, str]) -> dict[str, str]:
    """Overrides keyed by normalised header; ``ValueError`` on an unknown target field.

    Settings can call this when the config is loaded, to fail before any file is read.
    """
    result: dict[str, str] = {}
    for header, target in overrides.items():
        target = target.strip().lower()
        if target != IGNORE and target not in FIELDS:
            allowed = ", ".join((*FIELDS, IGNORE))
            raise ValueError(f"header override {header!r} -> {target!r}: use one of {allowed}")
        result[normalise_header(header)] = target
    return result
