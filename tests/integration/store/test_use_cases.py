"""The use cases on a real database: SQLite and PostgreSQL run the same tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from pipeline.domain.errors import IllegalTransition, NotFound
from pipeline.domain.lead import DisqualifyReason
from pipeline.domain.lines import Discount
from pipeline.services import catalogue, documents, leads, queries
from pipeline.services.leads import NewLead
from pipeline.store import tables as t

AYSE = NewLead(
    first_name="Ayşe",
    last_name="Yılmaz",
    email="ayse@anadolu.com.tr",
    email_key="ayse@anadolu.com.tr",
    company="Anadolu Makine A.Ş.",
    company_key="anadolu makine",
    phone="+902125551234",
)


def _count(uow_factory, table) -> int:
    with uow_factory() as uow:
        return int(uow.session.execute(select(func.count()).select_from(table)).scalar_one())


def _to_paid_invoice(uow_factory) -> dict[str, str]:
    ref = leads.add_lead(uow_factory(), AYSE).ref
    opp = leads.qualify(uow_factory(), ref, currency="TRY").related["opportunity"]
    catalogue.add_product(
        uow_factory(),
        "PMP-10",
        "Pump 10 kW",
        Decimal("1250.50"),
        currency="TRY",
        tax_rate=Decimal("20"),
    )
    catalogue.add_line(uow_factory(), opp, "PMP-10", Decimal("3"), Discount.parse("10%"))
    quote = documents.create(uow_factory(), opp).ref
    documents.activate(uow_factory(), quote)
    revised = documents.revise(uow_factory(), quote).ref
    documents.activate(uow_factory(), revised)
    order = documents.accept(uow_factory(), revised).ref
    documents.fulfil(uow_factory(), order)
    invoice = documents.invoice(uow_factory(), order).ref
    documents.pay(uow_factory(), invoice, Decimal("1000"))
    documents.pay(uow_factory(), invoice)
    return {
        "lead": ref,
        "opp": opp,
        "quote": quote,
        "revised": revised,
        "order": order,
        "invoice": invoice,
    }


def test_lead_reaches_a_paid_invoice(uow_factory):
    refs = _to_paid_invoice(uow_factory)
    assert refs["revised"].endswith("-R2")
    invoice = queries.show(uow_factory(), refs["invoice"])
    # 3 x 1250.50 = 3751.50; -10 % = 3376.35; +20 % tax 675.27 = 4051.62
    assert (invoice["state"], invoice["status"], invoice["total"]) == (
        "Paid",
        "Complete",
        "4051.62",
    )
    assert invoice["balance"] == "0.00"
    assert queries.show(uow_factory(), refs["opp"])["status"] == "Won"
    assert queries.show(uow_factory(), refs["revised"])["status"] == "Won"
    assert queries.show(uow_factory(), refs["quote"])["status"] == "Revised"


def test_history_lists_every_event_in_order(uow_factory):
    refs = _to_paid_invoice(uow_factory)
    actions = [e["action"] for e in queries.history(uow_factory(), refs["invoice"])]
    assert actions == ["created", "pay-partial", "pay"]
    quote_events = queries.history(uow_factory(), refs["quote"])
    assert [(e["action"], e["to"]) for e in quote_events] == [
        ("created", "Draft/In Progress"),
        ("activate", "Active/Open"),
        ("revise", "Closed/Revised"),
    ]
    lead_events = queries.history(uow_factory(), refs["lead"])
    assert [e["action"] for e in lead_events] == ["created", "qualify"]
    assert all(e["actor"] == "test" for e in lead_events)


def test_second_lead_of_same_company_and_person_links_account_and_contact(uow_factory):
    first = leads.add_lead(uow_factory(), AYSE).ref
    leads.qualify(uow_factory(), first, currency="TRY")
    second = leads.add_lead(uow_factory(), AYSE).ref
    result = leads.qualify(uow_factory(), second, currency="TRY")
    assert result.related["account_linked"] == "yes"
    assert result.related["contact_linked"] == "yes"
    assert _count(uow_factory, t.accounts) == 1
    assert _count(uow_factory, t.contacts) == 1
    assert _count(uow_factory, t.opportunities) == 2


def test_disqualify_after_qualification_is_refused_and_nothing_changes(uow_factory):
    ref = leads.add_lead(uow_factory(), AYSE).ref
    leads.qualify(uow_factory(), ref, currency="TRY")
    before = queries.history(uow_factory(), ref)
    with pytest.raises(IllegalTransition, match="Cannot disqualify lead"):
        leads.disqualify(uow_factory(), ref, DisqualifyReason.CANNOT_CONTACT)
    assert queries.show(uow_factory(), ref)["status"] == "Qualified"
    assert queries.history(uow_factory(), ref) == before


def test_accepting_a_draft_quote_writes_nothing(uow_factory):
    ref = leads.add_lead(uow_factory(), AYSE).ref
    opp = leads.qualify(uow_factory(), ref, currency="TRY").related["opportunity"]
    catalogue.add_product(
        uow_factory(), "X", "X", Decimal("1"), currency="TRY", tax_rate=Decimal("20")
    )
    catalogue.add_line(uow_factory(), opp, "X", Decimal("1"), Discount())
    quote = documents.create(uow_factory(), opp).ref
    orders_before = _count(uow_factory, t.orders)
    with pytest.raises(IllegalTransition):
        documents.accept(uow_factory(), quote)
    assert _count(uow_factory, t.orders) == orders_before
    with uow_factory() as uow:  # the order number taken inside the failed step was given back
        taken = uow.session.execute(
            select(t.doc_sequences.c.last_value).where(t.doc_sequences.c.doc_type == "ORD")
        ).scalar_one_or_none()
    assert taken is None


def test_unknown_reference_is_a_clear_not_found(uow_factory):
    with pytest.raises(NotFound, match="No quote found for reference 'QUO-2026-00999'"):
        documents.activate(uow_factory(), "QUO-2026-00999")


def test_database_refuses_an_impossible_state_status_pair(uow_factory):
    from sqlalchemy.exc import IntegrityError

    leads.add_lead(uow_factory(), AYSE)
    with uow_factory() as uow, pytest.raises(IntegrityError):
        uow.session.execute(t.leads.update().values(state="Qualified", status="New"))
        uow.session.flush()


def test_money_round_trips_exactly(uow_factory):
    catalogue.add_product(
        uow_factory(), "P", "P", Decimal("0.10"), currency="TRY", tax_rate=Decimal("18.5")
    )
    with uow_factory() as uow:
        row = uow.session.execute(select(t.products.c.unit_price, t.products.c.tax_rate)).one()
    assert (row.unit_price, row.tax_rate) == (Decimal("0.10"), Decimal("18.5"))
    assert isinstance(row.unit_price, Decimal)
