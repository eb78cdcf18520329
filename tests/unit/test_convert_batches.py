"""Batching parsed items: one batch held at a time, so a long file's memory stays flat."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any, cast

from flows.convert import batched


class _Item:
    """Stands in for a parsed record (weak-referenceable, so its lifetime can be observed)."""


def test_batches_have_the_size_asked_for_and_keep_the_order() -> None:
    got = list(batched(cast(Any, iter(range(7))), 3))
    assert got == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batched(cast(Any, iter([])), 3)) == []


def test_the_previous_batch_is_let_go_before_the_next_is_read() -> None:
    alive_when_reading: list[int] = []
    refs: list[weakref.ref[_Item]] = []

    def source() -> Iterator[_Item]:
        for i in range(9):
            if i and i % 3 == 0:  # the first item of a new batch is being read
                gc.collect()
                alive_when_reading.append(sum(r() is not None for r in refs[:i]))
            item = _Item()
            refs.append(weakref.ref(item))
            yield item
            del item

    sizes = []
    for chunk in batched(cast(Any, source()), 3):
        sizes.append(len(chunk))
        del chunk  # what the intake does once a batch is stored
    assert sizes == [3, 3, 3]
    assert alive_when_reading == [0, 0]
