"""Every allowed transition of every record type, and a refused example for each type."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.domain import status as st
from pipeline.domain.errors import IllegalTransition
from pipeline.domain.events import Recorded
from pipeline.domain.lead import DisqualifyReason, Lead
from pipeline.domain.opportunity import Opportunity
from tests.support.builders import (
    active_quote,
    draft_quote,
    fulfilled_order,
    lead,
    new_invoice,
    opportunity_with_line,
)

LIFECYCLES = [st.LEAD, st.OPPORTUNITY, st.QUOTE, st.ORDER, st.INVOICE]


def _all_transitions() -> list[tuple[st.Lifecycle[Any, Any], str, Any]]:
    return [
        (lc, action, source)
        for lc in LIFECYCLES
        for action, (sources, _) in lc.transitions.items()
        for source in sorted(sources)
    ]


class _Probe(Recorded[Any, Any]):
    """A bare record placed in any status, to drive the tables directly."""

    def __init__(self, lc: st.Lifecycle[Any, Any], status: Any) -> None:
        self.LIFECYCLE = lc  # type: ignore[misc]
        self.status, self.state = status, lc.state_of[status]

    @property
    def ref(self) -> str:
        return "probe"


@pytest.mark.parametrize(
    ("lc", "action", "source"), _all_transitions(), ids=lambda v: getattr(v, "record", str(v))
)
def test_every_allowed_transition_moves_to_its_target_and_leaves_an_event(lc, action, source):
    probe = _Probe(lc, source)
    probe._step(action)
    _, target = lc.transitions[action]
    assert probe.status == target
    assert probe.state == lc.state_of[target]
    event = probe.pending_events()[-1]
    assert (event.action, event.from_status, event.to_status) == (action, source, target)


@pytest.mark.parametrize("lc", LIFECYCLES, ids=lambda lc: lc.record)
def test_every_status_has_exactly_one_state_and_every_target_is_known(lc):
    for _, (sources, target) in lc.transitions.items():
        assert target in lc.state_of
        assert all(s in lc.state_of for s in sources)


@pytest.mark.parametrize(
    ("lc", "action", "source"),
    [
        (lc, action, status)
        for lc in LIFECYCLES
        for action, (sources, _) in lc.transitions.items()
        for status in lc.state_of
        if status not in sources
    ],
    ids=lambda v: getattr(v, "record", str(v)),
)
def test_every_other_status_refuses_the_action_without_changing(lc, action, source):
    probe = _Probe(lc, source)
    with pytest.raises(IllegalTransition):
        probe._step(action)
    assert probe.status == source and probe.pending_events() == []


def test_lead_cannot_be_disqualified_after_qualification():
    opp = opportunity_with_line()
    assert opp.lead is not None
    with pytest.raises(IllegalTransition, match="Cannot disqualify lead"):
        opp.lead.disqualify(DisqualifyReason.CANNOT_CONTACT)
    assert opp.lead.status is st.LeadStatus.QUALIFIED


def test_lead_with_an_opportunity_cannot_be_disqualified_even_if_reopened():
    opp = opportunity_with_line()
    the_lead = opp.lead
    assert isinstance(the_lead, Lead)
    the_lead.status, the_lead.state = st.LeadStatus.NEW, st.LeadState.OPEN  # simulate bad data
    with pytest.raises(IllegalTransition, match="has an opportunity"):
        the_lead.disqualify(DisqualifyReason.LOST)


def test_open_lead_is_disqualified_with_the_reason_as_status():
    new = lead()
    new.disqualify(DisqualifyReason.NO_LONGER_INTERESTED, note="bought elsewhere")
    assert (new.state, new.status) == (
        st.LeadState.DISQUALIFIED,
        st.LeadStatus.NO_LONGER_INTERESTED,
    )
    assert new.pending_events()[-1].details == {
        "reason": "no-longer-interested",
        "note": "bought elsewhere",
    }


def test_draft_quote_cannot_be_won():
    with pytest.raises(IllegalTransition, match="Cannot win quote QUO-2026-00001"):
        draft_quote().win()


def test_won_opportunity_refuses_hold():
    opp: Opportunity = opportunity_with_line()
    opp.win()
    with pytest.raises(IllegalTransition):
        opp.hold()


def test_active_order_cannot_be_invoiced_before_fulfilment():
    from pipeline.domain.process import accept_quote, issue_invoice

    order = accept_quote(active_quote(), seq=1, year=2026)
    with pytest.raises(IllegalTransition, match="Cannot invoice order ORD-2026-00001"):
        issue_invoice(order, seq=1, year=2026)


def test_canceled_invoice_cannot_be_paid():
    inv = new_invoice()
    inv.cancel("duplicate")
    with pytest.raises(IllegalTransition):
        inv.pay()


def test_partially_fulfilled_order_can_be_completed_then_invoiced():
    order = fulfilled_order(partial=True)
    assert order.status is st.OrderStatus.PARTIAL
    order.fulfil()
    assert order.status is st.OrderStatus.COMPLETE
