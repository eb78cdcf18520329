"""From the drop folder to a decision: hot leads qualify themselves, unreachable ones close."""

from __future__ import annotations

import os
import time
from decimal import Decimal

import pytest
from sqlalchemy import select

from flows.ingestion import run_ingest
from flows.settings import load_settings
from flows.wiring import App
from pipeline.services import catalogue, queries
from pipeline.store import tables as t

pytestmark = pytest.mark.slow

HOT = (
    "From: Burak Demir <burak.demir@demirenerji.com.tr>\r\nTo: satis@example.com\r\n"
    "Subject: Teklif talebi: pompa\r\nMessage-ID: <hot-1@demirenerji.com.tr>\r\n"
    "Date: Thu, 26 Nov 2026 09:00:00 +0300\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    "Merhaba,\r\nProjemiz için 4 adet Centrifugal pump 10 kW ve 40 adet Ball valve DN50 "
    "için fiyat teklifi rica ederiz.\r\n\r\nBurak Demir\r\nGenel Müdür\r\n"
    "Demir Enerji Ltd. Şti.\r\nTel: 0312 444 12 12\r\n"
).encode()
UNREACHABLE = b"Ad;Soyad;E-posta\nAli;Veli;ali.veli@@nowhere\n"


@pytest.fixture
def app(tmp_path):
    application = App(load_settings(tmp_path / "home"), actor="test")
    application.migrate()
    for sku, name, price in (
        ("PMP-10", "Centrifugal pump 10 kW", "1250.50"),
        ("VLV-50", "Ball valve DN50", "86.40"),
    ):
        catalogue.add_product(
            application.uow(), sku, name, Decimal(price), currency="TRY", tax_rate=Decimal("20")
        )
    yield application
    application.close()


def drop(app: App, name: str, data: bytes) -> None:
    inbox = app.settings.dropbox / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / name).write_bytes(data)
    past = time.time() - 60
    os.utime(inbox / name, (past, past))


def test_hot_lead_qualifies_with_priced_lines_and_unreachable_lead_is_disqualified(app):
    drop(app, "talep.eml", HOT)
    drop(app, "form.csv", UNREACHABLE)
    summary = run_ingest(app, use_imap=False, settle_seconds=0).as_dict()
    assert (summary["qualified"], summary["disqualified"]) == (1, 1)
    with app.engine.connect() as conn:
        hot = conn.execute(select(t.leads).where(t.leads.c.email.like("burak%"))).one()
        cold = conn.execute(select(t.leads).where(t.leads.c.first_name == "Ali")).one()
        score = conn.execute(select(t.lead_scores).where(t.lead_scores.c.lead_id == hot.id)).one()
    assert (hot.state, hot.rating) == ("Qualified", "Hot")
    assert score.version and any(c["rule"] == "title" for c in score.contributions)
    assert (cold.state, cold.status) == ("Disqualified", "Cannot Contact")
    opp = queries.show(app.uow(), f"LEAD-{hot.id}")["opportunity"]
    shown = queries.show(app.uow(), opp)
    lines = [(x["sku"], x["quantity"], x["unit_price"]) for x in shown["lines"]]
    assert sorted(lines) == [("PMP-10", "4", "1250.50"), ("VLV-50", "40", "86.40")]
    # 4 x 1250.50 + 40 x 86.40 = 5002.00 + 3456.00
    assert Decimal(shown["estimated_revenue"]) == Decimal("8458.00")
    assert shown["estimated_close_date"]


def test_score_explain_lists_every_stored_contribution(app):
    import subprocess
    import sys

    drop(app, "talep.eml", HOT)
    run_ingest(app, use_imap=False, settle_seconds=0)
    with app.engine.connect() as conn:
        lead_id, stored = conn.execute(
            select(t.lead_scores.c.lead_id, t.lead_scores.c.contributions)
        ).one()
    env = {**os.environ, "SALESFLOW_HOME": str(app.settings.home), "COLUMNS": "200"}
    proc = subprocess.run(
        [sys.executable, "-m", "flows.cli", "score", f"LEAD-{lead_id}", "--explain"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "(Hot)" in proc.stdout
    for c in stored:
        assert c["reason"] in proc.stdout
