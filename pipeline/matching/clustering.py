"""Clusters from auto-merge edges, refusing joins that would chain different people together.

Edges are taken strongest first. Two clusters join only when every record of one scores at
least the review band with every record of the other (complete linkage), so A~B and B~C do not
put A with C when A and C are different people. A cluster holds at most one stored record:
two stored leads are never merged here. A refused edge is reported for review instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

PairScorer = Callable[[Sequence[int], Sequence[int]], Sequence[float]]


class _Clusters:
    """Union-find with member lists (clusters here are a handful of records)."""

    def __init__(self, size: int) -> None:
        self.root = list(range(size))
        self.members: dict[int, list[int]] = {}

    def find(self, i: int) -> int:
        root = i
        while self.root[root] != root:
            root = self.root[root]
        while self.root[i] != root:
            self.root[i], i = root, self.root[i]
        return root

    def group(self, r: int) -> list[int]:
        return self.members.get(r, [r])

    def join(self, ra: int, rb: int) -> None:
        self.members[ra] = self.group(ra) + self.group(rb)
        self.members.pop(rb, None)
        self.root[rb] = ra


def build_clusters(
    size: int,
    edges: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]],
    known: dict[tuple[int, int], float],
    stored: npt.NDArray[np.bool_],
    floor: float,
    scorer: PairScorer,
) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """Clusters of rows ``0..size-1`` and the auto edges refused by the linkage check.

    ``edges`` are auto-merge pairs; ``known`` holds scores already computed (keys ``(a, b)``
    with a < b); ``scorer`` scores pairs not in it; ``floor`` is the review threshold.
    """
    a, b, score = edges
    sets = _Clusters(size)
    refused: list[tuple[int, int]] = []
    for k in np.argsort(-score, kind="stable"):
        ra, rb = sets.find(int(a[k])), sets.find(int(b[k]))
        if ra == rb:
            continue
        left, right = sets.group(ra), sets.group(rb)
        if _compatible(left, right, known, stored, floor, scorer):
            sets.join(ra, rb)
        else:
            refused.append((int(a[k]), int(b[k])))
    roots: dict[int, list[int]] = {}
    for i in range(size):
        roots.setdefault(sets.find(i), []).append(i)
    return [sorted(g, key=lambda i: (not stored[i], i)) for g in roots.values()], refused


def _compatible(
    left: list[int],
    right: list[int],
    known: dict[tuple[int, int], float],
    stored: npt.NDArray[np.bool_],
    floor: float,
    scorer: PairScorer,
) -> bool:
    """Complete linkage: no cross pair below the review band, at most one stored record."""
    if sum(bool(stored[i]) for i in left) + sum(bool(stored[i]) for i in right) > 1:
        return False
    missing: list[tuple[int, int]] = []
    for x in left:
        for y in right:
            pair = (x, y) if x < y else (y, x)
            found = known.get(pair)
            if found is None:
                missing.append(pair)
            elif found < floor:
                return False
    if not missing:
        return True
    scores = scorer([p[0] for p in missing], [p[1] for p in missing])
    return all(s >= floor for s in scores)


def component_pairs(
    size: int, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64], limit: int = 40
) -> npt.NDArray[np.int64]:
    """All pairs inside each connected component of the edges (components up to ``limit``).

    Scoring these in one batch up front spares ``build_clusters`` scoring one merge at a time.
    """
    sets = _Clusters(size)
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        rx, ry = sets.find(x), sets.find(y)
        if rx != ry:
            sets.join(rx, ry)
    pairs = [
        (x, y)
        for members in sets.members.values()
        if 2 < len(members) <= limit
        for i, x in enumerate(sorted(members))
        for y in sorted(members)[i + 1 :]
    ]
    return np.array(pairs, np.int64).reshape(-1, 2)
