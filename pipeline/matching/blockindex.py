"""Block index: blocking-key hashes sorted once, so blocks are ranges and probes are searches.

``BlockIndex.build(records)`` hashes every record's blocking keys and sorts them; the pairs
within one batch come from the runs of equal hashes (``batch_pairs``) and a small batch of new
records is compared with a large stored set by binary search (``probe``), at a cost of
new records x block sizes, never the size of the store. A stored database version keeps the
same ``blocking_keys`` strings in an indexed table. Hashes are Python's string hash, so an
index lives inside one process; a rare collision only merges two blocks (more comparisons,
never a wrong merge: every pair is still scored).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from pipeline.matching.blocking import blocking_keys, refine_key
from pipeline.matching.person import Person

IntArray = npt.NDArray[np.int64]


@dataclass(slots=True)
class BlockStats:
    """What blocking did: blocks seen, oversize blocks split or skipped, records left out."""

    blocks: int = 0
    oversize_blocks: int = 0
    skipped_blocks: int = 0
    skipped_memberships: int = 0
    pairs_compared: int = 0

    def add(self, other: BlockStats) -> None:
        """Accumulate another batch's counts."""
        self.blocks += other.blocks
        self.oversize_blocks += other.oversize_blocks
        self.skipped_blocks += other.skipped_blocks
        self.skipped_memberships += other.skipped_memberships
        self.pairs_compared += other.pairs_compared


@dataclass(slots=True)
class _Sorted:
    """Key hashes sorted ascending, with the record index each belongs to."""

    hashes: IntArray = field(default_factory=lambda: np.empty(0, np.int64))
    members: IntArray = field(default_factory=lambda: np.empty(0, np.int64))

    @classmethod
    def of(cls, hashes: IntArray, members: IntArray) -> _Sorted:
        order = np.argsort(hashes, kind="stable")
        return cls(hashes[order], members[order])

    def runs(self) -> tuple[IntArray, IntArray]:
        """``(starts, sizes)`` of the runs of equal hashes."""
        if not len(self.hashes):
            return np.empty(0, np.int64), np.empty(0, np.int64)
        edges = np.flatnonzero(np.diff(self.hashes)) + 1
        starts = np.concatenate(([0], edges)).astype(np.int64)
        sizes = np.diff(np.concatenate((starts, [len(self.hashes)]))).astype(np.int64)
        return starts, sizes


def _key_hashes(records: Sequence[Person], offset: int) -> tuple[IntArray, IntArray, IntArray]:
    """Hashes of every record's keys, the record index of each, and each record's refine hash."""
    hashes: list[int] = []
    members: list[int] = []
    for i, p in enumerate(records, offset):
        keys = blocking_keys(p)
        hashes.extend(map(hash, keys))
        members.extend([i] * len(keys))
    refine = np.fromiter((hash(refine_key(p)) for p in records), np.int64, len(records))
    return np.array(hashes, np.int64), np.array(members, np.int64), refine


def _combine(a: IntArray, b: IntArray) -> IntArray:
    """A hash of two hash columns (wrapping multiply-add; collisions only merge blocks)."""
    with np.errstate(over="ignore"):
        return a * np.int64(1_000_003) ^ b


def pairs_within_runs(members: IntArray, starts: IntArray, sizes: IntArray) -> IntArray:
    """All member pairs inside each run, as rows ``(a, b)``; vectorised per run size."""
    chunks = [np.empty((0, 2), np.int64)]
    for size in np.unique(sizes):
        upper = np.triu_indices(int(size), 1)
        first = starts[sizes == size][:, None]
        a = members[(first + upper[0]).ravel()]
        b = members[(first + upper[1]).ravel()]
        chunks.append(np.column_stack((a, b)))
    return np.concatenate(chunks)


def distinct(values: IntArray) -> IntArray:
    """Sorted distinct values (a sort and a diff: faster than ``np.unique`` on big arrays)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def unique_pairs_ordered(rows: IntArray) -> IntArray:
    """Distinct rows ``(x, y)`` of non-negative ints, keeping each row's order."""
    if not len(rows):
        return rows.reshape(0, 2)
    width = np.int64(int(rows[:, 1].max()) + 1)
    codes = distinct(rows[:, 0] * width + rows[:, 1])
    return np.column_stack((codes // width, codes % width))


def unique_pairs(pairs: IntArray) -> IntArray:
    """Pairs ordered ``a < b``, self-pairs dropped, each pair once."""
    if not len(pairs):
        return pairs.reshape(0, 2)
    a = np.minimum(pairs[:, 0], pairs[:, 1])
    b = np.maximum(pairs[:, 0], pairs[:, 1])
    keep = a != b
    width = np.int64(int(b.max()) + 1)
    codes = distinct(a[keep] * width + b[keep])
    return np.column_stack((codes // width, codes % width))


def _expand(lo: IntArray, sizes: IntArray, owners: IntArray, members: IntArray) -> IntArray:
    """Rows ``(owner, member)`` for each query range ``members[lo : lo + size]``."""
    total = int(sizes.sum())
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return np.column_stack((np.repeat(owners, sizes), members[np.repeat(lo, sizes) + offsets]))


class BlockIndex:
    """Blocking-key index over stored records; ``add`` more, ``probe`` with new ones."""

    def __init__(self, cap: int = 300) -> None:
        self.cap = cap
        self.records: list[Person] = []
        self._keys = _Sorted()
        self._refine: IntArray = np.empty(0, np.int64)
        self._split = _Sorted()

    @classmethod
    def build(cls, records: Sequence[Person], cap: int = 300) -> BlockIndex:
        """Index ``records`` (positions in the index are positions in ``records``)."""
        index = cls(cap)
        index.add(records)
        return index

    def add(self, batch: Sequence[Person]) -> None:
        """Append records to the index (they get the next positions)."""
        hashes, members, refine = _key_hashes(batch, len(self.records))
        self.records.extend(batch)
        self._refine = np.concatenate((self._refine, refine))
        self._keys = _Sorted.of(
            np.concatenate((self._keys.hashes, hashes)),
            np.concatenate((self._keys.members, members)),
        )
        starts, sizes = self._keys.runs()
        # Members of oversize blocks are indexed again under (key, refine key): the split.
        big = np.repeat(sizes > self.cap, sizes)
        big_members = self._keys.members[big]
        self._split = _Sorted.of(
            _combine(self._keys.hashes[big], self._refine[big_members]), big_members
        )

    def batch_pairs(self) -> tuple[IntArray, BlockStats]:
        """Every candidate pair among the indexed records, each once as ``(a, b)``, a < b."""
        starts, sizes = self._keys.runs()
        fine = (sizes >= 2) & (sizes <= self.cap)
        split_starts, split_sizes = self._split.runs()
        split_fine = (split_sizes >= 2) & (split_sizes <= self.cap)
        pairs = np.concatenate(
            (
                pairs_within_runs(self._keys.members, starts[fine], sizes[fine]),
                pairs_within_runs(
                    self._split.members, split_starts[split_fine], split_sizes[split_fine]
                ),
            )
        )
        over = split_sizes > self.cap
        stats = BlockStats(
            blocks=int((sizes >= 2).sum()),
            oversize_blocks=int((sizes > self.cap).sum()),
            skipped_blocks=int(over.sum()),
            skipped_memberships=int(split_sizes[over].sum()),
        )
        return unique_pairs(pairs), stats

    def probe(self, batch: Sequence[Person]) -> tuple[IntArray, BlockStats]:
        """Rows ``(batch position, index position)`` for records sharing a block with ``batch``."""
        hashes, owners, refine = _key_hashes(batch, 0)
        lo = np.searchsorted(self._keys.hashes, hashes, "left").astype(np.int64)
        sizes = np.searchsorted(self._keys.hashes, hashes, "right") - lo
        fine = (sizes > 0) & (sizes <= self.cap)
        big = sizes > self.cap
        combined = _combine(hashes[big], refine[owners[big]])
        lo2 = np.searchsorted(self._split.hashes, combined, "left").astype(np.int64)
        sizes2 = np.searchsorted(self._split.hashes, combined, "right") - lo2
        fine2 = (sizes2 > 0) & (sizes2 <= self.cap)
        rows = np.concatenate(
            (
                _expand(lo[fine], sizes[fine], owners[fine], self._keys.members),
                _expand(lo2[fine2], sizes2[fine2], owners[big][fine2], self._split.members),
            )
        )
        over = sizes2 > self.cap
        stats = BlockStats(
            blocks=int(fine.sum() + big.sum()),
            oversize_blocks=int(big.sum()),
            skipped_blocks=int(over.sum()),
            skipped_memberships=int(sizes2[over].sum()),
        )
        return unique_pairs_ordered(rows), stats
