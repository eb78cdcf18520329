"""Decisions by file on SQLite: each row applied once with the file as actor, refusals
reported in a result workbook, a re-drop changes nothing."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from flows.ingestion import run_ingest
from flows.settings import load_settings
from flows.wiring import App
from pipeline.domain.lines import Discount
from pipeline.services import catalogue, documents, leads, queries
from pipeline.services.decisions import Decision, DecisionFile, apply_decisions
from pipeline.services.leads import NewLead
from pipeline.store import tables as t
from pipeline.store.database import make_session_factory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "decisions"


@pytest.fixture
def app(tmp_path):
    application = App(load_settings(tmp_path / "home"), actor="test")
    application.migrate()
    catalogue.add_product(
        application.uow(),
        "PMP-10",
        "Pump 10 kW",
        Decimal("1000"),
        currency="TRY",
        tax_rate=Decimal("20"),
    )
    yield application
    application.close()


def _quote(app: App, who: str, *, active: bool = True) -> str:
    lead = leads.add_lead(
        app.uow(),
        NewLead(
            first_name=who,
            last_name="Demir",
            email=f"{who}@example.com.tr",
            email_key=f"{who}@example.com.tr",
        ),
    )
    opp = leads.qualify(app.uow(), lead.ref, currency="TRY").related["opportunity"]
    catalogue.add_line(app.uow(), opp, "PMP-10", Decimal("1"), Discount.parse("0%"))
    quote = documents.create(app.uow(), opp).ref
    if active:
        documents.activate(app.uow(), quote)
    return quote


@pytest.fixture
def refs(app) -> dict[str, str]:
    order = documents.accept(app.uow(), _quote(app, "cem")).ref
    shipped = documents.accept(app.uow(), _quote(app, "deniz")).ref
    documents.fulfil(app.uow(), shipped)
    return {
        "active": _quote(app, "ali"),
        "draft": _quote(app, "berk", active=False),
        "order": order,
        "invoice": documents.invoice(app.uow(), shipped).ref,  # total 1200.00
    }


def drop_sheet(app: App, refs: dict[str, str], name: str = "decisions-nov.csv") -> Path:
    template = (FIXTURES / "decisions-nov.csv").read_text(encoding="utf-8")
    inbox = app.settings.dropbox / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    target = inbox / name
    target.write_text(template.format(**refs), encoding="utf-8")
    past = time.time() - 60
    os.utime(target, (past, past))
    return target


def ingest(app: App):
    return run_ingest(app, use_imap=False, settle_seconds=0).as_dict()


def status(app: App, ref: str) -> tuple[str, str]:
    shown = queries.show(app.uow(), ref)
    return shown["state"], shown["status"]


def event_count(app: App) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.events)).scalar_one())


def result_rows(app: App) -> list[tuple]:
    books = list((app.settings.dropbox / "quarantine").rglob("*.result.xlsx"))
    assert len(books) == 1
    assert books[0].name.endswith("-decisions-nov.csv.result.xlsx")
    return list(load_workbook(books[0]).active.iter_rows(values_only=True))


def test_valid_rows_are_applied_and_move_each_record_on(app, refs):
    drop_sheet(app, refs)
    summary = ingest(app)
    assert summary["files_done"] == 1 and summary["files_quarantined"] == 0
    assert summary["files"][0]["applied"] == "4" and summary["files"][0]["refused"] == "5"
    assert status(app, refs["active"]) == ("Won", "Won")
    assert status(app, refs["order"])[1] == "Invoiced"
    invoice = queries.show(app.uow(), refs["invoice"])
    assert (invoice["status"], invoice["balance"]) == ("Partial", "950.00")
    assert status(app, refs["draft"]) == ("Draft", "In Progress")
    assert list((app.settings.dropbox / "processed").rglob("*decisions-nov.csv"))


def test_refused_rows_are_listed_with_their_reasons_in_the_result_workbook(app, refs):
    drop_sheet(app, refs)
    ingest(app)
    rows = result_rows(app)
    assert rows[0] == ("Row", "Reference", "Action", "Outcome", "Message")
    by_row = {r[0]: r for r in rows[1:]}
    assert [by_row[n][3] for n in range(2, 11)] == ["applied"] * 4 + ["refused"] * 5
    assert by_row[6][4] == f"Cannot win quote {refs['draft']}: it is Draft (In Progress)."
    assert by_row[7][4] == "No quote found for reference 'QUO-2026-09999'."
    assert "Unknown action 'explode'" in by_row[8][4]
    assert by_row[9][4] == f"Payment 999999.00 exceeds the balance 950.00 of {refs['invoice']}."
    assert "not a number" in by_row[10][4]


def test_history_of_an_applied_row_names_the_file_and_row_as_actor(app, refs):
    drop_sheet(app, refs)
    ingest(app)
    events = queries.history(app.uow(), refs["invoice"])
    assert (events[-1]["action"], events[-1]["actor"]) == (
        "pay-partial",
        "decisions:decisions-nov.csv#row-5",
    )
    assert queries.history(app.uow(), refs["active"])[-1]["actor"] == (
        "decisions:decisions-nov.csv#row-2"
    )


def test_redropping_the_same_file_changes_nothing(app, refs):
    drop_sheet(app, refs)
    ingest(app)
    before = (event_count(app), queries.show(app.uow(), refs["invoice"])["balance"])
    drop_sheet(app, refs, name="decisions-nov.csv")
    summary = ingest(app)
    assert summary["files_already_seen"] == 1 and summary["files_done"] == 0
    assert (event_count(app), queries.show(app.uow(), refs["invoice"])["balance"]) == before
    assert list((app.settings.dropbox / "processed").rglob("*.already-seen.txt"))


def test_a_sheet_without_reference_and_action_columns_is_quarantined(app):
    inbox = app.settings.dropbox / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / "decisions-bad.csv").write_text("name,email\nAli,ali@example.com\n")
    past = time.time() - 60
    os.utime(inbox / "decisions-bad.csv", (past, past))
    summary = ingest(app)
    assert summary["quarantine_reasons"] == {"decisions-no-header": 1}


def test_rows_applied_before_a_crash_are_not_applied_again(app, refs):
    sheet = drop_sheet(app, refs)
    crashed = DecisionFile(
        hashlib.sha256(sheet.read_bytes()).hexdigest(), sheet.name, received_at=datetime.now(UTC)
    )
    first = Decision(row=5, reference=refs["invoice"], action="pay", amount="250.00")
    apply_decisions(make_session_factory(app.engine), crashed, [first], currency="TRY")
    events_after_crash = event_count(app)
    ingest(app)
    assert queries.show(app.uow(), refs["invoice"])["balance"] == "950.00"
    by_row = {r[0]: r for r in result_rows(app)[1:]}
    assert by_row[5][3:] == ("applied", "Applied by an earlier run.")
    pays = [e for e in queries.history(app.uow(), refs["invoice"]) if e["action"] == "pay-partial"]
    assert len(pays) == 1 and event_count(app) > events_after_crash


def test_turkish_headers_in_a_workbook_are_understood(app, refs):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Referans", "İşlem", "Neden", "Tutar", "Tarih"])
    sheet.append([refs["draft"], "cancel", "müşteri vazgeçti", None, None])
    sheet.append([refs["invoice"], "pay", None, 1200, None])
    inbox = app.settings.dropbox / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    book.save(inbox / "decisions-aralik.xlsx")
    past = time.time() - 60
    os.utime(inbox / "decisions-aralik.xlsx", (past, past))
    summary = ingest(app)
    assert summary["files"][0]["applied"] == "2"
    assert status(app, refs["draft"]) == ("Closed", "Canceled")
    assert queries.show(app.uow(), refs["invoice"])["status"] == "Complete"


def test_leads_are_qualified_and_disqualified_with_a_known_reason_only(app):
    def new_lead(who: str) -> str:
        return leads.add_lead(
            app.uow(),
            NewLead(
                first_name=who, email=f"{who}@example.com.tr", email_key=f"{who}@example.com.tr"
            ),
        ).ref

    keep, drop_, vague = new_lead("ece"), new_lead("fikret"), new_lead("gul")
    sheet = (
        f"Reference;Action;Reason\n{keep};qualify;\n{drop_};disqualify;Cannot contact\n"
        f"{vague};disqualify;not sure\n"
    )
    inbox = app.settings.dropbox / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / "decisions-leads.csv").write_text(sheet, encoding="utf-8")
    past = time.time() - 60
    os.utime(inbox / "decisions-leads.csv", (past, past))
    ingest(app)
    assert status(app, keep)[0] == "Qualified"
    assert status(app, drop_) == ("Disqualified", "Cannot Contact")
    assert status(app, vague)[0] == "Open"
