"""Dedupe of leads: which records are one person, how sure we are, and why.

Pure functions over ``Person`` records (standard library, numpy, rapidfuzz). The steps:
blocking keys put records that could be one person into blocks (``matching.blocking``);
pairs within a block are scored field by field in arrays (``matching.scoring``); auto-merge
edges become clusters under a complete-linkage check (``matching.clustering``). Pairs between
the review and the auto-merge band are kept apart and listed for ops.

``find_matches(new, existing)`` also runs "new against stored": it probes a ``BlockIndex`` of
the stored records, so its cost grows with the new records and their block sizes, not with
the store. Pass a prebuilt ``index=`` to keep that index between batches.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from pipeline.matching.blockindex import BlockIndex, BlockStats
from pipeline.matching.blocking import blocking_keys
from pipeline.matching.clustering import build_clusters, component_pairs
from pipeline.matching.columns import Columns
from pipeline.matching.person import Person
from pipeline.matching.scoring import MatchConfig, PairScores, Weights, reasons, score_pairs

__all__ = [
    "BlockIndex",
    "DedupeResult",
    "MatchConfig",
    "MatchPair",
    "Person",
    "Weights",
    "blocking_keys",
    "dedupe_table",
    "find_matches",
]

DEFAULT_CONFIG = MatchConfig()
KEPT_APART = "kept apart: conflicts with a record of the other cluster"


@dataclass(frozen=True, slots=True)
class MatchPair:
    """A scored pair in the auto-merge or review band."""

    id_a: str
    id_b: str
    score: float
    band: str  # "auto" (in one cluster) or "review" (possible duplicate, kept apart)
    reasons: tuple[str, ...]


@dataclass(slots=True)
class DedupeResult:
    """Clusters of ids (a stored id first where there is one), banded pairs and run counts."""

    clusters: list[list[str]]
    pairs: list[MatchPair]
    stats: BlockStats
    seconds: float = 0.0
    rows: list[list[int]] = field(default_factory=list, repr=False)


def _candidates(
    new: Sequence[Person], index: BlockIndex | None, cap: int, stats: BlockStats
) -> tuple[list[Person], np.ndarray, int]:
    """Records to score (new first, then the stored ones they meet) and candidate pairs."""
    pairs, batch_stats = BlockIndex.build(new, cap).batch_pairs()
    stats.add(batch_stats)
    if index is None or not index.records:
        return list(new), pairs, len(new)
    rows, probe_stats = index.probe(new)
    stats.add(probe_stats)
    met = np.unique(rows[:, 1])
    records = list(new) + [index.records[int(j)] for j in met]
    stored_pairs = np.column_stack((rows[:, 0], len(new) + np.searchsorted(met, rows[:, 1])))
    return records, np.concatenate((pairs, stored_pairs)), len(new)


def _pair_list(
    s: PairScores, cols: Columns, kept: np.ndarray, same: np.ndarray, config: MatchConfig
) -> list[MatchPair]:
    out = []
    for k in np.flatnonzero(kept):
        merged = bool(same[k])
        why = reasons(s, int(k), cols)
        if s.score[k] >= config.auto_merge and not merged:
            why.append(KEPT_APART)
        out.append(
            MatchPair(
                cols.ids[s.a[k]],
                cols.ids[s.b[k]],
                round(float(s.score[k]), 4),
                "auto" if merged else "review",
                tuple(why),
            )
        )
    return out


def _score_map(s: PairScores, mask: np.ndarray) -> dict[tuple[int, int], float]:
    """``{(a, b): score}`` for the selected pairs."""
    keys = zip(s.a[mask].tolist(), s.b[mask].tolist(), strict=True)
    return dict(zip(keys, s.score[mask].tolist(), strict=True))


def _cluster(cols: Columns, s: PairScores, n_new: int, config: MatchConfig) -> list[list[int]]:
    """Clusters holding at least one new row, from the auto edges under complete linkage."""
    known = _score_map(s, s.score >= config.review)
    auto = s.score >= config.auto_merge
    # Pairs inside each auto component are scored in one batch, not one merge at a time.
    extra = component_pairs(len(cols.ids), s.a[auto], s.b[auto])
    if len(extra):
        more = score_pairs(cols, extra[:, 0], extra[:, 1], config)
        known.update(_score_map(more, np.ones(len(more.a), np.bool_)))

    def rescore(xs: Sequence[int], ys: Sequence[int]) -> list[float]:
        ax, bx = np.asarray(xs, np.int64), np.asarray(ys, np.int64)
        return score_pairs(cols, ax, bx, config).score.tolist()  # type: ignore[no-any-return]

    stored = np.arange(len(cols.ids)) >= n_new
    edges = (s.a[auto], s.b[auto], s.score[auto])
    groups, _ = build_clusters(len(cols.ids), edges, known, stored, config.review, rescore)
    return [g for g in groups if any(i < n_new for i in g)]


def _same_cluster(groups: list[list[int]], s: PairScores, size: int) -> npt.NDArray[np.bool_]:
    """Whether each scored pair ended in one cluster."""
    label = np.full(size, -1, np.int64)
    for number, members in enumerate(groups):
        label[members] = number
    same: npt.NDArray[np.bool_] = (label[s.a] >= 0) & (label[s.a] == label[s.b])
    return same


def find_matches(
    new: Sequence[Person],
    existing: Sequence[Person] = (),
    config: MatchConfig = DEFAULT_CONFIG,
    index: BlockIndex | None = None,
) -> DedupeResult:
    """Match ``new`` records among themselves and against ``existing`` (or a prebuilt index).

    Returns clusters covering every new record (singletons included; a stored id comes first),
    the auto and review pairs with reasons, and the blocking counts.
    """
    started = time.perf_counter()
    stats = BlockStats()
    if index is None and existing:
        index = BlockIndex.build(existing, config.block_cap)
    records, pairs, n_new = _candidates(new, index, config.block_cap, stats)
    cols = Columns.of(records)
    s = score_pairs(cols, pairs[:, 0], pairs[:, 1], config)
    stats.pairs_compared = len(s.score)
    groups = _cluster(cols, s, n_new, config)
    same = _same_cluster(groups, s, len(records))
    return DedupeResult(
        clusters=[[cols.ids[i] for i in g] for g in groups],
        pairs=_pair_list(s, cols, s.score >= config.review, same, config),
        stats=stats,
        seconds=time.perf_counter() - started,
        rows=groups,
    )


def dedupe_table(
    rows: list[Person], config: MatchConfig = DEFAULT_CONFIG
) -> list[tuple[str, float, str]]:
    """``(cluster_id, match_score, match_reason)`` per row, for ``salesflow dedupe``.

    The cluster id is the id of the cluster's first row. The score and reason are those of the
    row's strongest pair: an auto pair inside its cluster, or else a review pair
    ("possible duplicate of <id>: ..."); a row with neither gets ``(own id, 0.0, "")``.
    """
    result = find_matches(rows, (), config)
    cluster_of = {}
    for members in result.rows:
        for i in members:
            cluster_of[i] = rows[members[0]].id
    best: dict[str, tuple[float, str]] = {}
    for pair in result.pairs:
        for me, other in ((pair.id_a, pair.id_b), (pair.id_b, pair.id_a)):
            text = "; ".join(pair.reasons)
            if pair.band == "review":
                text = f"possible duplicate of {other}: {text}"
            if pair.score > best.get(me, (-1.0, ""))[0]:
                best[me] = (pair.score, text)
    return [(cluster_of[i], *best.get(p.id, (0.0, ""))) for i, p in enumerate(rows)]
