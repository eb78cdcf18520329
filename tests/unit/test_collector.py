"""Bulk work collects garbage less often and puts the collector back as it found it."""

from __future__ import annotations

import gc

import pytest

from flows.collector import YOUNG_THRESHOLD, bulk_work


def test_bulk_work_raises_the_young_threshold_and_restores_it() -> None:
    before = gc.get_threshold()
    with bulk_work():
        assert gc.get_threshold()[0] == max(before[0], YOUNG_THRESHOLD)
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_bulk_work_restores_the_collector_when_the_work_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), bulk_work():
        raise RuntimeError("a file failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
