"""The stored blocking-key index: probes skip keys past the block cap, and bulk ids stay free."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select

from pipeline.domain.status import LeadState, LeadStatus
from pipeline.services.resolve import stored_people
from pipeline.store import tables as t
from pipeline.store.bulk import allocate_ids, insert_with_ids
from pipeline.store.keyindex import block_sizes, lead_ids_for
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


def test_block_sizes_are_counted_up_to_one_past_the_cap(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        lock_intake(uow.session)
        ids = _leads(uow, 7)
        _index(uow, "n:yilm|a", ids)  # 7 leads: over a cap of 5
        _index(uow, "n:kaya|m", ids[:5])  # exactly at the cap
        _index(uow, "e:ayse@example.com", ids[:1])
        keys = ["n:yilm|a", "n:kaya|m", "e:ayse@example.com", "p:+902120000000"]
        sizes = block_sizes(uow.session, keys, cap=5)
        assert sizes == {"n:yilm|a": 6, "n:kaya|m": 5, "e:ayse@example.com": 1,
                         "p:+902120000000": 0}  # fmt: skip
        assert lead_ids_for(uow.session, ["n:kaya|m", "e:ayse@example.com"]) == set(ids[:5])


def test_thousands_of_keys_are_probed_in_one_go(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        lock_intake(uow.session)
        ids = _leads(uow, 3000)
        for n, lead_id in enumerate(ids):
            _index(uow, f"e:person{n}@example.com", [lead_id])
        keys = [f"e:person{n}@example.com" for n in range(0, 3000, 2)]
        assert set(block_sizes(uow.session, keys, cap=2).values()) == {1}
        assert lead_ids_for(uow.session, keys) == set(ids[0::2])


def test_a_record_takes_its_smallest_blocks_first_within_its_budget(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        lock_intake(uow.session)
        ids = _leads(uow, 40)
        _index(uow, "e:ayse@firma.com.tr", ids[:1])  # 1 lead
        _index(uow, "s:ayse|kaya", ids[1:9])  # 8 leads
        _index(uow, "d:firma.com.tr|kaya", ids[9:39])  # 30 leads: over what is left
        _index(uow, "n:kaya|a", ids)  # 40 leads: over the cap
        record = ["e:ayse@firma.com.tr", "s:ayse|kaya", "d:firma.com.tr|kaya", "n:kaya|a"]
        found = stored_people(uow.session, [record], cap=35, budget=20)
        assert {int(p.id[1:]) for p in found} == set(ids[:9])
        wider = stored_people(uow.session, [record], cap=35, budget=39)
        assert {int(p.id[1:]) for p in wider} == set(ids[:39])


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
