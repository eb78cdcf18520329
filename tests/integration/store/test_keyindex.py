"""The stored blocking-key index: probes skip keys past the block cap, and bulk ids stay free."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select

from pipeline.domain.status import LeadState, LeadStatus
from pipeline.store import tables as t
from pipeline.store.bulk import allocate_ids, insert_with_ids
from pipeline.store.keyindex import lead_ids_for_keys
from pipeline.store.ledger import lock_intake
from pipeline.store.uow import UnitOfWork

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _leads(uow: UnitOfWork, count: int) -> list[int]:
    row = {
        name: ""
        for name in (
            "first_name last_name email email_key phone company company_key title city "
            "country website notes disqualify_note rating"
        ).split()
    }
    row.update(source="test", state=LeadState.OPEN, status=LeadStatus.NEW, created_at=NOW)
    return insert_with_ids(uow.session, t.leads, [dict(row) for _ in range(count)])


def _index(uow: UnitOfWork, key: str, ids: list[int]) -> None:
    uow.session.execute(t.lead_keys.insert(), [{"key": key, "lead_id": i} for i in ids])


def test_keys_shared_by_more_leads_than_the_cap_are_skipped(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        lock_intake(uow.session)
        ids = _leads(uow, 7)
        _index(uow, "n:yilm|a", ids)  # 7 leads: over a cap of 5
        _index(uow, "n:kaya|m", ids[:5])  # exactly at the cap: still usable
        _index(uow, "e:ayse@example.com", ids[:1])
        keys = ["n:yilm|a", "n:kaya|m", "e:ayse@example.com", "p:+902120000000"]
        assert lead_ids_for_keys(uow.session, keys, cap=5) == set(ids[:5])
        assert lead_ids_for_keys(uow.session, ["n:yilm|a"], cap=7) == set(ids)
        assert lead_ids_for_keys(uow.session, ["n:yilm|a"], cap=6) == set()


def test_thousands_of_keys_are_probed_in_one_go(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        lock_intake(uow.session)
        ids = _leads(uow, 3000)
        for n, lead_id in enumerate(ids):
            _index(uow, f"e:person{n}@example.com", [lead_id])
        _index(uow, "d:firma.com.tr|kaya", ids[:3])  # three leads: over a cap of 2
        keys = [f"e:person{n}@example.com" for n in range(0, 3000, 2)] + ["d:firma.com.tr|kaya"]
        assert lead_ids_for_keys(uow.session, keys, cap=2) == set(ids[0::2])


def test_allocated_ids_follow_the_largest_and_later_inserts_do_not_collide(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        lock_intake(uow.session)
        first = _leads(uow, 3)
        second = allocate_ids(uow.session, t.leads, 2)
        assert second[0] > max(first) and second[1] == second[0] + 1
        uow.commit()
    with uow_factory() as uow:
        lock_intake(uow.session)
        third = _leads(uow, 2)
        assert min(third) > max(first)
        count = uow.session.execute(select(func.count()).select_from(t.leads)).scalar_one()
        assert count == 5
