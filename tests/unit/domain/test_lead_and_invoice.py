"""Qualification creates or links account + contact + opportunity; invoices take payments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.domain.errors import InvalidValue
from pipeline.domain.numbering import DocType, format_number, parse_number
from pipeline.domain.parties import Account, Contact
from pipeline.domain.process import qualify_lead
from pipeline.domain.status import InvoiceStatus, LeadStatus, OrderStatus
from tests.support.builders import fulfilled_order, lead, new_invoice


def test_qualify_creates_account_contact_and_opportunity_that_point_back_to_the_lead():
    new = lead()
    opp = qualify_lead(new, currency="TRY", close_in_days=45)
    assert new.status is LeadStatus.QUALIFIED
    assert opp.lead is new and new.opportunity is opp
    assert opp.account is not None and opp.account.name == "Anadolu Makine A.Ş."
    assert opp.contact is not None and opp.contact.email == "ayse@anadolu.com.tr"
    assert opp.contact.account is opp.account
    assert new.account is opp.account and new.contact is opp.contact
    assert opp.estimated_close_date == opp.created_at.date() + __import__("datetime").timedelta(45)
    assert [e.action for e in opp.account.pending_events()] == ["created"]


def test_qualify_links_existing_account_and_contact_instead_of_creating():
    account = Account(name="Anadolu Makine A.Ş.", company_key="anadolu makine", id=4)
    contact = Contact(
        first_name="Ayşe", last_name="Yılmaz", email="ayse@anadolu.com.tr", account=account, id=9
    )
    opp = qualify_lead(lead(), currency="TRY", account=account, contact=contact)
    assert opp.account is account and opp.contact is contact
    assert account.pending_events() == [] and contact.pending_events() == []


def test_lead_without_company_gets_an_account_named_after_the_person():
    opp = qualify_lead(lead(company="", company_key=""), currency="TRY")
    assert opp.account is not None and opp.account.name == "Ayşe Yılmaz"


def test_invoice_copies_order_lines_and_moves_order_to_invoiced():
    order = fulfilled_order()
    from pipeline.domain.process import issue_invoice

    inv = issue_invoice(order, seq=3, year=2026, payment_days=14)
    assert inv.number == "INV-2026-00003"
    assert order.status is OrderStatus.INVOICED
    assert inv.total == order.total == Decimal("240.00")
    assert (inv.due_on - inv.issued_on).days == 14


def test_partial_then_full_payment():
    inv = new_invoice()
    assert inv.pay(Decimal("100")) == Decimal("140.00")
    assert inv.status is InvoiceStatus.PARTIAL
    assert inv.pay() == Decimal("0.00")
    assert inv.status is InvoiceStatus.COMPLETE and inv.amount_paid == Decimal("240.00")


def test_overpayment_is_refused():
    inv = new_invoice()
    with pytest.raises(InvalidValue, match="exceeds the balance"):
        inv.pay(Decimal("240.01"))
    assert inv.amount_paid == Decimal("0")


def test_document_numbers_round_trip():
    assert format_number(DocType.QUOTE, 2026, 12, 2) == "QUO-2026-00012-R2"
    assert format_number(DocType.INVOICE, 2026, 7) == "INV-2026-00007"
    parsed = parse_number("quo-2026-00012-r2")
    assert parsed is not None and (parsed.seq, parsed.revision) == (12, 2)
    assert parse_number("LEAD-5") is None
