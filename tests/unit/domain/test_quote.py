"""Quotes: drafts are editable, activation freezes, revision copies, acceptance creates orders."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.domain.errors import InvalidValue, NotEditable
from pipeline.domain.lines import Discount
from pipeline.domain.process import accept_quote, create_quote
from pipeline.domain.status import OpportunityStatus, OrderStatus, QuoteState, QuoteStatus
from tests.support.builders import active_quote, draft_quote, opportunity_with_line, product


def test_quote_copies_the_opportunity_lines():
    opp = opportunity_with_line()
    quote = create_quote(opp, seq=12, year=2026)
    assert quote.number == "QUO-2026-00012"
    assert [(x.sku, x.quantity, x.unit_price) for x in quote.lines] == [
        ("W-1", Decimal("2"), Decimal("100.00"))
    ]
    assert quote.total == Decimal("240.00")


def test_draft_quote_is_editable_and_active_quote_is_frozen():
    quote = draft_quote()
    quote.add_product(product("W-2", "10.00"), Decimal("1"))
    assert len(quote.lines) == 2
    quote.activate(validity_days=15)
    with pytest.raises(NotEditable, match="only Draft quotes can be edited"):
        quote.add_product(product("W-3"), Decimal("1"))
    with pytest.raises(NotEditable):
        quote.set_discount(Discount.parse("5%"))
    assert len(quote.lines) == 2


def test_activation_sets_validity_from_the_activation_date():
    quote = draft_quote()
    quote.activate(validity_days=15)
    assert quote.activated_at is not None
    assert quote.valid_until == quote.activated_at.date() + __import__("datetime").timedelta(15)


def test_quote_without_lines_cannot_be_activated():
    quote = create_quote(opportunity_with_line(), seq=1, year=2026)
    quote.lines.clear()
    with pytest.raises(InvalidValue, match="has no lines"):
        quote.activate()


def test_revise_closes_active_quote_and_opens_next_revision_with_lines_copied():
    quote = active_quote()
    new = quote.revise()
    assert (quote.state, quote.status) == (QuoteState.CLOSED, QuoteStatus.REVISED)
    assert (new.state, new.status) == (QuoteState.DRAFT, QuoteStatus.IN_PROGRESS)
    assert new.revision == 2 and new.number == "QUO-2026-00001-R2"
    assert new.previous is quote
    assert [(x.sku, x.quantity) for x in new.lines] == [(x.sku, x.quantity) for x in quote.lines]
    assert all(a is not b for a, b in zip(new.lines, quote.lines, strict=True))
    new.add_product(product("W-9", "1.00"), Decimal("1"))  # the new draft is editable
    assert len(quote.lines) == 1


def test_revision_of_a_revision_counts_up():
    first = active_quote()
    second = first.revise()
    second.activate()
    third = second.revise()
    assert third.number == "QUO-2026-00001-R3"


def test_draft_quote_cannot_be_revised():
    with pytest.raises(Exception, match="Cannot revise quote"):
        draft_quote().revise()


def test_accepting_creates_order_and_closes_quote_and_opportunity_as_won():
    quote = active_quote()
    order = accept_quote(quote, seq=7, year=2026)
    assert order.number == "ORD-2026-00007"
    assert (quote.state, quote.status) == (QuoteState.WON, QuoteStatus.WON)
    assert quote.opportunity.status is OpportunityStatus.WON
    assert order.status is OrderStatus.NEW
    assert order.total == quote.total == Decimal("240.00")
    assert [x.sku for x in order.lines] == ["W-1"]


def test_accepting_a_draft_quote_is_refused_and_changes_nothing():
    quote = draft_quote()
    with pytest.raises(Exception, match="Cannot win quote"):
        accept_quote(quote, seq=1, year=2026)
    assert quote.status is QuoteStatus.IN_PROGRESS
    assert quote.opportunity.status is OpportunityStatus.IN_PROGRESS
