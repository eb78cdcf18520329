"""Lead-scoring rules: weights, lists and thresholds, read from the ``[scoring]`` config section.

``ScoringRules.from_mapping`` takes the plain dict of the TOML section and validates it; every
error names the offending key ("scoring.points.company must be an integer, got 'ten'"). Lists
(``free_mail_domains``, ``competitor_domains``, ``target_countries``, ``spam_words``) replace the
defaults; tables (``points``, ``source_weights``, ``titles``) are merged onto the defaults, so a
config can add one title or change one weight without restating the rest (set a title to 0 to
neutralise it). ``version`` is required in config and is stored with every score, so a score
can always be traced to the rules that made it.

Example::

    [scoring]
    version = "2026-11-1"
    hot_threshold = 70
    competitor_domains = ["rakipmakine.com.tr"]
    [scoring.points]
    company = 8
    [scoring.titles]
    "satın alma uzmanı" = 15
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

from pipeline import scoring_defaults as defaults
from pipeline.scoring_text import PhraseMatcher, fold


@dataclass(frozen=True, slots=True)
class Points:
    """Points per signal (negative for signals against a lead)."""

    corporate_email: int = 15
    free_mail: int = 0
    invalid_email: int = -20
    undeliverable: int = -15
    competitor: int = -50
    company: int = 10
    phone_valid: int = 10
    phone_unverified: int = 3  # present but not a valid number
    interest_each: int = 10
    interest_max: int = 20
    quantity: int = 10
    budget: int = 10
    repeat_each: int = 5  # per inquiry after the first
    repeat_max: int = 15
    target_country: int = 5
    spam: int = -30


def _frozen(table: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(table))


@dataclass(frozen=True)
class ScoringRules:
    """All weights, lists and thresholds that scoring uses; immutable and versioned."""

    version: str = "default-1"
    hot_threshold: int = 70
    warm_threshold: int = 40
    qualify_threshold: int = 75
    free_mail_domains: frozenset[str] = frozenset(defaults.FREE_MAIL_DOMAINS)
    competitor_domains: frozenset[str] = frozenset()
    target_countries: frozenset[str] = frozenset({"TR"})
    spam_words: tuple[str, ...] = defaults.SPAM_WORDS
    source_weights: Mapping[str, int] = field(
        default_factory=lambda: _frozen(defaults.SOURCE_WEIGHTS)
    )
    titles: Mapping[str, int] = field(default_factory=lambda: _frozen(defaults.TITLES))
    points: Points = field(default_factory=Points)
    # Compiled once per rules object: scoring runs over tens of thousands of leads.
    title_matcher: PhraseMatcher = field(init=False, repr=False, compare=False)
    spam_matcher: PhraseMatcher = field(init=False, repr=False, compare=False)
    country_keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.version.strip():
            raise ValueError("scoring.version must not be empty.")
        for key in ("hot_threshold", "warm_threshold", "qualify_threshold"):
            if not 0 <= getattr(self, key) <= 100:
                raise ValueError(f"scoring.{key} must be between 0 and 100.")
        if self.warm_threshold > self.hot_threshold:
            raise ValueError("scoring.warm_threshold must not exceed scoring.hot_threshold.")
        lower = frozenset(d.strip().lower() for d in self.free_mail_domains)
        object.__setattr__(self, "free_mail_domains", lower)
        comp = frozenset(d.strip().lower().lstrip("@") for d in self.competitor_domains)
        object.__setattr__(self, "competitor_domains", comp)
        object.__setattr__(self, "source_weights", _frozen(self.source_weights))
        object.__setattr__(self, "titles", _frozen(self.titles))
        object.__setattr__(self, "title_matcher", PhraseMatcher(self.titles))
        object.__setattr__(self, "spam_matcher", PhraseMatcher(self.spam_words))
        countries = frozenset(fold(c) for c in self.target_countries)
        object.__setattr__(self, "country_keys", countries)

    @classmethod
    def from_mapping(cls, section: Mapping[str, Any]) -> ScoringRules:
        """Rules from the ``[scoring]`` section of the config file (``version`` is required).

        Raises ``ValueError`` naming the key for unknown keys and wrong types or ranges.
        """
        if not isinstance(section, Mapping):
            raise ValueError("scoring must be a table.")
        unknown = sorted(set(section) - _KNOWN_KEYS)
        if unknown:
            known = ", ".join(sorted(_KNOWN_KEYS))
            raise ValueError(f"scoring.{unknown[0]} is not a known scoring key (known: {known}).")
        if "version" not in section:
            raise ValueError("scoring.version is required (it is stored with every score).")
        kwargs: dict[str, Any] = {"version": _string("version", section["version"])}
        for key in ("hot_threshold", "warm_threshold", "qualify_threshold"):
            if key in section:
                kwargs[key] = _integer(key, section[key])
        for key in ("free_mail_domains", "competitor_domains", "target_countries"):
            if key in section:
                kwargs[key] = frozenset(_strings(key, section[key]))
        if "spam_words" in section:
            kwargs["spam_words"] = _strings("spam_words", section["spam_words"])
        for key, base in (
            ("source_weights", defaults.SOURCE_WEIGHTS),
            ("titles", defaults.TITLES),
        ):
            if key in section:
                kwargs[key] = {**base, **_int_table(key, section[key])}
        if "points" in section:
            kwargs["points"] = _points(section["points"])
        return cls(**kwargs)


_KNOWN_KEYS = frozenset(
    f.name for f in fields(ScoringRules) if f.init
)  # version, thresholds, lists, tables, points
_POINT_KEYS = frozenset(f.name for f in fields(Points))


def _integer(key: str, value: object) -> int:
    # bool is an int subclass; "true" is never a weight.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"scoring.{key} must be an integer, got {value!r}.")
    return value


def _string(key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"scoring.{key} must be a non-empty string, got {value!r}.")
    return value.strip()


def _strings(key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValueError(f"scoring.{key} must be a list of strings, got {value!r}.")
    return tuple(_string(f"{key}[{i}]", item) for i, item in enumerate(value))


def _int_table(key: str, value: object) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise ValueError(f"scoring.{key} must be a table of integers, got {value!r}.")
    return {str(name): _integer(f"{key}.{name}", points) for name, points in value.items()}


def _points(value: object) -> Points:
    table = _int_table("points", value)
    unknown = sorted(set(table) - _POINT_KEYS)
    if unknown:
        known = ", ".join(sorted(_POINT_KEYS))
        raise ValueError(f"scoring.points.{unknown[0]} is not a known signal (known: {known}).")
    return replace(Points(), **table)


DEFAULT_RULES = ScoringRules()
