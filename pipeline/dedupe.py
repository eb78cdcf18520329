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
    kept = s.score >= config.review
    known = dict(
        zip(
            zip(s.a[kept].tolist(), s.b[kept].tolist(), strict=True),
            s.score[kept].tolist(),
            strict=True,
        )
    )
    auto = s.score >= config.auto_merge
    extra = component_pairs(len(records), s.a[auto], s.b[auto])
    if len(extra):
        more = score_pairs(cols, extra[:, 0], extra[:, 1], config)
        known.update(
            zip(
                zip(more.a.tolist(), more.b.tolist(), strict=True), more.score.tolist(), strict=True
            )
        )
    stored = np.arange(len(records)) >= n_new

    def rescore(xs: Sequence[int], ys: Sequence[int]) -> list[float]:
        ax, bx = np.asarray(xs, np.int64), np.asarray(ys, np.int64)
        return score_pairs(cols, ax, bx, config).score.tolist()  # type: ignore[no-any-return]

    groups, _ = build_clusters(
        len(records), (s.a[auto], s.b[auto], s.score[auto]), known, stored, config.review, rescore
    )
    groups = [g for g in groups if any(i < n_new for i in g)]
    label = np.empty(len(records), np.int64)
    for g_no, g in enumerate(groups):
        label[g] = g_no
    same = np.zeros(len(s.a), np.bool_)
    in_groups = np.zeros(len(records), np.bool_)
    in_groups[[i for g in groups for i in g]] = True
    both = in_groups[s.a] & in_groups[s.b]
    same[both] = label[s.a[both]] == label[s.b[both]]
    return DedupeResult(
        clusters=[[cols.ids[i] for i in g] for g in groups],
        pairs=_pair_list(s, cols, kept, same, config),
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
