"""Invariant checks on a real database: each bad state is written directly, then found.

Every test starts from a consistent chain built by hand (qualified lead → won opportunity → won
quote → invoiced order → paid invoice), breaks one thing with a Core update or insert, and
expects exactly the findings that break causes. SQLite and PostgreSQL run the same tests.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import Connection, Engine, delete, insert, update
from typer.testing import CliRunner

from flows.commands import check
from flows.context import G
from flows.settings import load_settings
from flows.wiring import App
from pipeline.services.invariants import CHECKS, Finding, run_checks
from pipeline.store import tables as t
from tests.integration.store.test_use_cases import _to_paid_invoice

TODAY = date(2026, 3, 10)
AT = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)
HUNDRED = Decimal("100.00")


def _doc(seq: int, state: str, status: str, total: Decimal = HUNDRED) -> dict[str, Any]:
    return {
        "seq": seq,
        "year": 2026,
        "currency": "TRY",
        "discount_kind": "none",
        "discount_value": Decimal("0"),
        "total": total,
        "state": state,
        "status": status,
        "close_note": "",
        "created_at": AT,
    }


def _insert(conn: Connection, table: Any, **values: Any) -> int:
    return int(conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one())


def _lead(conn: Connection, account: int | None, contact: int | None) -> int:
    person = {"first_name": "Ayşe", "last_name": "Yılmaz", "email": "ayse@anadolu.com.tr"}
    return _insert(
        conn,
        t.leads,
        **person,
        email_key=person["email"],
        phone="+902125551234",
        company="Anadolu Makine",
        company_key="anadolu makine",
        **dict.fromkeys(("title", "city", "country", "website", "notes", "rating"), ""),
        source="manual",
        state="Qualified",
        status="Qualified",
        disqualify_note="",
        account_id=account,
        contact_id=contact,
        created_at=AT,
    )


def _chain(conn: Connection) -> dict[str, int]:
    """A qualified lead through to a paid invoice, every row consistent."""
    acc = _account(conn)
    con = _insert(
        conn,
        t.contacts,
        account_id=acc,
        first_name="Ayşe",
        last_name="Yılmaz",
        email="ayse@anadolu.com.tr",
        email_key="ayse@anadolu.com.tr",
        phone="",
        title="",
        created_at=AT,
    )
    lead = _lead(conn, acc, con)
    opp = _insert(
        conn,
        t.opportunities,
        name="Pumps",
        currency="TRY",
        lead_id=lead,
        account_id=acc,
        contact_id=con,
        estimated_revenue=HUNDRED,
        state="Won",
        status="Won",
        close_note="",
        created_at=AT,
    )
    quote = _quote(conn, opp, 1, "Won", "Won", valid_until=date(2026, 3, 3))
    order = _insert(
        conn, t.orders, **_doc(1, "Invoiced", "Invoiced"), quote_id=quote, opportunity_id=opp
    )
    invoice = _insert(
        conn,
        t.invoices,
        **_doc(1, "Paid", "Complete"),
        order_id=order,
        issued_on=date(2026, 2, 5),
        due_on=date(2026, 3, 7),
        amount_paid=HUNDRED,
    )
    ids = {"account": acc, "contact": con, "lead": lead, "opp": opp, "quote": quote}
    return {**ids, "order": order, "invoice": invoice}


def _account(conn: Connection) -> int:
    return _insert(
        conn,
        t.accounts,
        name="Anadolu Makine",
        company_key="anadolu makine",
        website="",
        city="İstanbul",
        country="TR",
        created_at=AT,
    )


def _quote(
    conn: Connection,
    opp: int,
    seq: int,
    state: str,
    status: str,
    revision: int = 1,
    valid_until: date | None = None,
) -> int:
    return _insert(
        conn,
        t.quotes,
        **_doc(seq, state, status),
        revision=revision,
        opportunity_id=opp,
        valid_until=valid_until,
    )


def _found(engine: Engine) -> set[tuple[str, str]]:
    with engine.connect() as conn:
        return {(f.check, f.record) for f in run_checks(conn, today=TODAY)}


def _messages(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [f.message for f in run_checks(conn, today=TODAY)]


@pytest.fixture
def chain(engine: Engine) -> dict[str, int]:
    with engine.begin() as conn:
        return _chain(conn)


def _change(engine: Engine, table: Any, row_id: int, **values: Any) -> None:
    with engine.begin() as conn:
        conn.execute(update(table).where(table.c.id == row_id).values(**values))


# --- a consistent database has nothing to report ----------------------------------------------


def test_consistent_chain_written_by_hand_has_no_findings(engine, chain):
    assert _found(engine) == set()


def test_full_lifecycle_through_the_use_cases_has_no_findings(engine, uow_factory):
    _to_paid_invoice(uow_factory)
    with engine.connect() as conn:
        assert run_checks(conn, today=datetime.now(UTC).date()) == []


def test_every_check_is_registered_under_its_own_code():
    assert len(CHECKS) == 13
    assert all(code == code.lower() and " " not in code for code in CHECKS)


# --- orders ------------------------------------------------------------------------------------


def test_order_whose_quote_was_lost_has_no_won_quote(engine, chain):
    _change(engine, t.quotes, chain["quote"], state="Closed", status="Lost")
    assert _found(engine) == {("order-without-won-quote", "ORD-2026-00001")}
    assert _messages(engine) == [
        "Order ORD-2026-00001 comes from quote QUO-2026-00001, which is Lost, not Won."
    ]


def test_order_total_differing_from_its_quote_is_found(engine, chain):
    _change(engine, t.quotes, chain["quote"], total=Decimal("90.5"))
    assert _found(engine) == {("order-total-differs-from-quote", "ORD-2026-00001")}
    assert "totals 100.00 TRY but its quote QUO-2026-00001 totals 90.5" in _messages(engine)[0]


def test_equal_totals_written_with_different_scale_are_not_a_difference(engine, chain):
    _change(engine, t.quotes, chain["quote"], total=Decimal("100.0000"))
    assert _found(engine) == set()


def test_invoiced_order_without_an_invoice_is_found(engine, chain):
    with engine.begin() as conn:
        conn.execute(delete(t.invoices).where(t.invoices.c.id == chain["invoice"]))
    assert _found(engine) == {("order-invoiced-without-invoice", "ORD-2026-00001")}


# --- invoices ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "status"),
    [("Active", "New"), ("Submitted", "In Progress"), ("Canceled", "No Money")],
)
def test_invoice_of_an_unfulfilled_order_is_found(engine, chain, state, status):
    _change(engine, t.orders, chain["order"], state=state, status=status)
    assert _found(engine) == {("invoice-for-unfulfilled-order", "INV-2026-00001")}
    assert f"which is {state}/{status}, not fulfilled" in _messages(engine)[0]


def test_invoice_whose_order_stayed_fulfilled_is_found(engine, chain):
    _change(engine, t.orders, chain["order"], state="Fulfilled", status="Complete")
    assert _found(engine) == {("invoice-order-not-invoiced", "INV-2026-00001")}


def test_invoice_total_differing_from_its_order_is_found(engine, chain):
    _change(engine, t.invoices, chain["invoice"], total=Decimal("120"), amount_paid=Decimal("120"))
    assert _found(engine) == {("invoice-total-differs-from-order", "INV-2026-00001")}


def test_invoice_paid_beyond_its_total_is_overpaid_and_nothing_else(engine, chain):
    _change(engine, t.invoices, chain["invoice"], amount_paid=Decimal("100.01"))
    assert _found(engine) == {("invoice-overpaid", "INV-2026-00001")}
    assert _messages(engine) == [
        "Invoice INV-2026-00001 has 100.01 paid against a total of 100.00."
    ]


@pytest.mark.parametrize(
    ("state", "status", "paid"),
    [
        ("Paid", "Complete", "99.99"),
        ("Paid", "Partial", "100.00"),
        ("Paid", "Partial", "0"),
        ("Active", "New", "40"),
        ("Canceled", "Canceled", "0.01"),
    ],
)
def test_payment_that_does_not_fit_the_invoice_status_is_found(engine, chain, state, status, paid):
    _change(
        engine, t.invoices, chain["invoice"], state=state, status=status, amount_paid=Decimal(paid)
    )
    assert _found(engine) == {("invoice-payment-status-mismatch", "INV-2026-00001")}


def test_partly_paid_invoice_marked_partial_is_fine(engine, chain):
    _change(engine, t.invoices, chain["invoice"], status="Partial", amount_paid=Decimal("40"))
    assert _found(engine) == set()


# --- opportunities and quotes ------------------------------------------------------------------


def test_open_opportunity_whose_quote_is_won_is_found(engine, chain):
    _change(engine, t.opportunities, chain["opp"], state="Open", status="In Progress")
    assert _found(engine) == {("open-opportunity-with-won-quote", f"OPP-{chain['opp']}")}


def test_active_revision_past_its_validity_date_is_found_by_its_revised_number(engine, chain):
    with engine.begin() as conn:
        _quote(conn, chain["opp"], 2, "Closed", "Revised")
        _quote(conn, chain["opp"], 2, "Active", "Open", revision=2, valid_until=date(2026, 3, 9))
    assert _found(engine) == {("active-quote-past-validity", "QUO-2026-00002-R2")}
    assert _messages(engine) == [
        "Quote QUO-2026-00002-R2 is still active but was valid only until 2026-03-09."
    ]


def test_active_quote_valid_until_today_is_not_past_its_date(engine, chain):
    with engine.begin() as conn:
        _quote(conn, chain["opp"], 2, "Active", "Open", valid_until=TODAY)
    assert _found(engine) == set()


# --- document numbers --------------------------------------------------------------------------


def test_missing_quote_numbers_are_reported_as_runs(engine, chain):
    with engine.begin() as conn:
        for seq in (3, 6):
            _quote(conn, chain["opp"], seq, "Draft", "In Progress")
    assert _found(engine) == {
        ("document-number-gap", "QUO-2026-00002"),
        ("document-number-gap", "QUO-2026-00004"),
    }
    assert (
        "Quote numbers QUO-2026-00004 to QUO-2026-00005 are missing; "
        "2026's quote numbers run to QUO-2026-00006."
    ) in _messages(engine)


def test_quote_revisions_share_one_number_and_leave_no_gap(engine, chain):
    with engine.begin() as conn:
        for revision, status in ((1, "Revised"), (2, "Revised"), (3, "Canceled")):
            _quote(conn, chain["opp"], 2, "Closed", status, revision=revision)
        _quote(conn, chain["opp"], 3, "Draft", "In Progress")
    assert _found(engine) == set()


def test_invoice_numbers_before_the_first_used_one_are_missing(engine, chain):
    _change(engine, t.invoices, chain["invoice"], seq=3)
    assert _found(engine) == {("document-number-gap", "INV-2026-00001")}
    assert _messages(engine) == [
        "Invoice numbers INV-2026-00001 to INV-2026-00002 are missing; "
        "2026's invoice numbers run to INV-2026-00003."
    ]


def test_numbers_the_counter_handed_out_but_no_document_carries_are_missing(engine, chain):
    with engine.begin() as conn:
        conn.execute(insert(t.doc_sequences).values(doc_type="ORD", year=2026, last_value=2))
    assert _found(engine) == {("document-number-gap", "ORD-2026-00002")}


def test_a_counter_matching_the_highest_number_is_no_gap(engine, chain):
    with engine.begin() as conn:
        conn.execute(insert(t.doc_sequences).values(doc_type="INV", year=2026, last_value=1))
    assert _found(engine) == set()


# --- leads -------------------------------------------------------------------------------------


def test_qualified_lead_without_contact_is_found(engine, chain):
    _change(engine, t.leads, chain["lead"], contact_id=None)
    assert _found(engine) == {("lead-qualified-without-account-contact", f"LEAD-{chain['lead']}")}
    assert _messages(engine) == [f"Lead LEAD-{chain['lead']} is qualified but has no contact."]


def test_qualified_lead_without_account_and_contact_names_both(engine, chain):
    with engine.begin() as conn:
        lead = _lead(conn, None, None)
    assert _found(engine) == {
        ("lead-qualified-without-account-contact", f"LEAD-{lead}"),
        ("lead-qualified-without-opportunity", f"LEAD-{lead}"),
    }
    assert f"Lead LEAD-{lead} is qualified but has no account and no contact." in _messages(engine)


def test_qualified_lead_without_an_opportunity_is_found(engine, chain):
    _change(engine, t.opportunities, chain["opp"], lead_id=None)
    assert _found(engine) == {("lead-qualified-without-opportunity", f"LEAD-{chain['lead']}")}


# --- logging and the command line --------------------------------------------------------------


def test_each_finding_is_logged_as_a_warning(engine, chain, caplog):
    _change(engine, t.opportunities, chain["opp"], state="Open", status="On Hold")
    with caplog.at_level(logging.WARNING, logger="pipeline.invariants"), engine.connect() as conn:
        findings = run_checks(conn, today=TODAY)
    assert findings == [
        Finding(
            "open-opportunity-with-won-quote",
            f"OPP-{chain['opp']}",
            f"Opportunity OPP-{chain['opp']} is still open although its quote "
            "QUO-2026-00001 is Won.",
        )
    ]
    assert [(r.name, r.levelname) for r in caplog.records] == [("pipeline.invariants", "WARNING")]
    assert f"open-opportunity-with-won-quote violated by OPP-{chain['opp']}" in caplog.text


def _cli(home: Path) -> typer.Typer:
    cli = typer.Typer()

    @cli.callback()
    def options() -> None:
        G.home, G.db, G.app = home, None, None

    check.register(cli)
    return cli


def _invoke(home: Path, *args: str) -> Any:
    try:
        return CliRunner().invoke(_cli(home), ["check", *args])
    finally:
        if G.app is not None:
            G.app.close()
        G.home, G.db, G.app = None, None, None


def test_check_command_exits_0_on_a_clean_database_and_1_with_findings(tmp_path):
    home = tmp_path / "home"
    application = App(load_settings(home))
    application.migrate()
    clean = _invoke(home)
    assert (clean.exit_code, clean.stdout.strip()) == (0, "No invariant violations.")
    with application.engine.begin() as conn:
        ids = _chain(conn)
        conn.execute(update(t.leads).where(t.leads.c.id == ids["lead"]).values(account_id=None))
    application.close()
    dirty = _invoke(home, "--json")
    assert dirty.exit_code == 1
    assert json.loads(dirty.stdout) == [
        {
            "check": "lead-qualified-without-account-contact",
            "record": f"LEAD-{ids['lead']}",
            "message": f"Lead LEAD-{ids['lead']} is qualified but has no account.",
        }
    ]


def test_check_command_on_an_uninitialised_home_says_to_run_init(tmp_path):
    result = _invoke(tmp_path / "empty")
    assert result.exit_code == 1
    assert "salesflow init" in result.stderr
