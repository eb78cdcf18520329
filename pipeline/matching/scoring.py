"""Pair scores: per-field agreement levels, log-odds weights, a probability and its reasons.

A Fellegi-Sunter style score: each field lands on a level (same, similar, different, missing),
each level adds a weight in bits of evidence, and the sum less ``offset`` is turned into a
probability. Name agreement is weighted by how common the name is (term frequency): two
"Mehmet Yılmaz" prove less than two "Şükrü Çağlar". Shared role addresses count as barely any
evidence, and a first-name or surname clash counts strongly against, so a shared info@ or
switchboard number never makes two people one. Every level is computed over arrays of pairs
with rapidfuzz's ``cpdist`` (parallel, in C), never a Python loop over pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

from pipeline.matching.columns import Columns

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
LevelArray = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]

NAME_LEVELS = (
    "",
    "same name",
    "nickname",
    "swapped names",
    "similar name",
    "partial name",
    "first name differs",
    "surname differs",
    "name weakly similar",
)
EMAIL_LEVELS = (
    "",
    "same email",
    "same shared address (not identity)",
    "similar email",
    "different email",
)
PHONE_LEVELS = ("", "same phone", "different phone", "same shared phone (not identity)")
COMPANY_LEVELS = ("", "same company", "different company")
CITY_LEVELS = ("", "same city", "different city")


@dataclass(frozen=True, slots=True)
class Weights:
    """Evidence in bits per level; ``offset`` is the prior against a random candidate pair."""

    name_exact_max: float = 6.5
    name_exact_min: float = 3.0
    nickname: float = 5.0
    swapped: float = 5.0
    name_similar: float = 4.5
    name_partial: float = 2.5
    first_differs: float = -6.0
    surname_differs: float = -5.0
    name_weak: float = -2.0
    email_same: float = 9.0
    email_shared: float = 0.5
    email_similar: float = 3.0
    email_differs: float = -1.5
    phone_same: float = 5.0
    phone_differs: float = -1.5
    phone_shared: float = 0.5
    company_same: float = 2.5
    company_differs: float = -1.0
    city_same: float = 0.5
    city_differs: float = -0.5
    offset: float = 4.0


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Score bands and blocking cap: ``score >= auto_merge`` merges, ``>= review`` is listed."""

    auto_merge: float = 0.8
    review: float = 0.6
    block_cap: int = 100
    weights: Weights = Weights()


@dataclass(frozen=True, slots=True)
class PairScores:
    """Scores of pairs ``(a[k], b[k])`` (rows of one ``Columns``) with their field levels."""

    a: IntArray
    b: IntArray
    score: FloatArray
    name: LevelArray
    email: LevelArray
    phone: LevelArray
    company: LevelArray
    city: LevelArray
    first_jw: FloatArray
    last_jw: FloatArray


def _jw(x: npt.NDArray[np.object_], y: npt.NDArray[np.object_]) -> FloatArray:
    if not len(x):
        return np.empty(0, np.float64)
    # Threads pay off on big batches only; a handful of pairs is faster on one.
    workers = -1 if len(x) > 20_000 else 1
    scores = cpdist(x, y, scorer=JaroWinkler.normalized_similarity, workers=workers)
    return scores.astype(np.float64)


def _jw_pairs(
    column: npt.NDArray[np.object_], a: IntArray, b: IntArray, equal: BoolArray, wanted: BoolArray
) -> FloatArray:
    """Jaro-Winkler of ``column[a]`` and ``column[b]`` where wanted; equal values are 1.0."""
    out = equal.astype(np.float64)
    todo = wanted & ~equal
    out[todo] = _jw(column[a[todo]], column[b[todo]])
    return out


def _three(same: npt.NDArray[np.bool_], present: npt.NDArray[np.bool_]) -> LevelArray:
    """0 missing, 1 same, 2 different."""
    return np.where(present, np.where(same, 1, 2), 0).astype(np.int8)


def _name_levels(c: Columns, a: IntArray, b: IntArray) -> tuple[LevelArray, FloatArray, FloatArray]:
    has_f = (c.first_code[a] >= 0) & (c.first_code[b] >= 0)
    has_l = (c.last_code[a] >= 0) & (c.last_code[b] >= 0)
    same_f = has_f & (c.first_code[a] == c.first_code[b])
    same_l = has_l & (c.last_code[a] == c.last_code[b])
    jf = _jw_pairs(c.first, a, b, same_f, has_f)
    jl = _jw_pairs(c.last, a, b, same_l, has_l)
    swapped = (c.first_word[a] == c.last_word[b]) & (c.last_word[a] == c.first_word[b])
    near_l = has_l & (jl >= 0.92)
    nick = has_f & ~same_f & (c.canon_code[a] == c.canon_code[b])
    initial = has_f & (c.is_initial[a] | c.is_initial[b]) & (c.initial_code[a] == c.initial_code[b])
    one_side = (has_f & ~has_l & same_f) | (has_l & ~has_f & same_l) | (near_l & (~has_f | initial))
    level = np.select(
        [
            same_f & same_l,
            nick & near_l,
            has_f & has_l & swapped,
            has_f & has_l & (jf >= 0.9) & (jl >= 0.9),
            one_side,
            near_l & has_f & (jf < 0.75),
            has_l & (jl < 0.75),
            has_f & has_l,
        ],
        [1, 2, 3, 4, 5, 6, 7, 8],
        0,
    ).astype(np.int8)
    return level, jf, jl


def _email_levels(c: Columns, a: IntArray, b: IntArray) -> LevelArray:
    present = (c.email_code[a] >= 0) & (c.email_code[b] >= 0)
    same = present & (c.email_code[a] == c.email_code[b])
    shared = same & (c.role[a] | c.role[b])
    personal = ~c.role[a] & ~c.role[b]
    short = c.short_local[a] | c.short_local[b]
    # "mehmet.yilmaz4" and "mehmet.yilmaz11" are two people's numbered addresses, not a typo.
    same_digits = c.digits_code[a] == c.digits_code[b]
    similar = (
        present & ~same & personal & ~short & same_digits & (c.domain_code[a] == c.domain_code[b])
    )
    similar[similar] = _jw(c.local[a[similar]], c.local[b[similar]]) >= 0.93
    return np.select([shared, same, similar, present & personal], [2, 1, 3, 4], 0).astype(np.int8)


def _phone_levels(c: Columns, a: IntArray, b: IntArray) -> LevelArray:
    """A switchboard number (shared by several surnames) is weak when same, mute when not."""
    present = (c.phone_code[a] >= 0) & (c.phone_code[b] >= 0)
    same = present & (c.phone_code[a] == c.phone_code[b])
    shared = c.phone_shared[a] | c.phone_shared[b]
    return np.select([same & shared, same, present & ~shared], [3, 1, 2], 0).astype(np.int8)


def score_pairs(c: Columns, a: IntArray, b: IntArray, config: MatchConfig) -> PairScores:
    """Score the pairs ``(a[k], b[k])`` of rows of ``c``."""
    w = config.weights
    name, jf, jl = _name_levels(c, a, b)
    email = _email_levels(c, a, b)
    phone = _phone_levels(c, a, b)
    company = _three(c.org_code[a] == c.org_code[b], (c.org_code[a] >= 0) & (c.org_code[b] >= 0))
    city = _three(c.city_code[a] == c.city_code[b], (c.city_code[a] >= 0) & (c.city_code[b] >= 0))
    # Term frequency: the more records share this exact name, the less its agreement proves.
    tf = np.clip(
        w.name_exact_max - np.log2(np.maximum(c.name_count[a], 1)),
        w.name_exact_min,
        w.name_exact_max,
    )
    name_w = np.array(
        [
            0,
            0,
            w.nickname,
            w.swapped,
            w.name_similar,
            w.name_partial,
            w.first_differs,
            w.surname_differs,
            w.name_weak,
        ]
    )[name]
    name_w = np.where(name == 1, tf, name_w)
    # A nickname or a swap of a common name proves no more than the name itself would.
    name_w = np.where((name == 2) | (name == 3), np.minimum(name_w, tf - 1.0), name_w)
    total = (
        name_w
        + np.array([0, w.email_same, w.email_shared, w.email_similar, w.email_differs])[email]
        + np.array([0, w.phone_same, w.phone_differs, w.phone_shared])[phone]
        + np.array([0, w.company_same, w.company_differs])[company]
        + np.array([0, w.city_same, w.city_differs])[city]
    )
    score = 1.0 / (1.0 + np.exp2(w.offset - total))
    return PairScores(a, b, score, name, email, phone, company, city, jf, jl)


def reasons(s: PairScores, k: int, c: Columns) -> list[str]:
    """Short sentences saying why pair ``k`` scored as it did."""
    out: list[str] = []
    name = int(s.name[k])
    if name == 2:
        out.append(f"nickname {c.first[s.a[k]]}~{c.first[s.b[k]]}")
    elif name == 4:
        out.append(f"name jw {s.first_jw[k]:.2f}/{s.last_jw[k]:.2f}")
    elif name:
        out.append(NAME_LEVELS[name])
    for table, level in (
        (EMAIL_LEVELS, s.email),
        (PHONE_LEVELS, s.phone),
        (COMPANY_LEVELS, s.company),
        (CITY_LEVELS, s.city),
    ):
        if level[k]:
            out.append(table[int(level[k])])
    return out
