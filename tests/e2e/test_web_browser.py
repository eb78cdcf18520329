"""The web interface in a real browser (Playwright + Debian Chromium) against uvicorn.

Logs in, opens the documents, downloads an invoice (its sha256 must be the recorded one) and
screenshots the funnel into the test's tmp folder.
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from flows.exporting import export_document
from flows.settings import load_settings
from flows.wiring import App
from pipeline.domain.lines import Discount
from pipeline.services import catalogue, documents, leads
from pipeline.services.leads import NewLead
from pipeline.store import tables as t

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery"

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
)
if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)


def _seed(app: App) -> str:
    uow = app.uow_factory()
    for name in ("ayse", "mehmet", "zeynep"):  # three leads, one goes all the way
        email = f"{name}@anadolu.com.tr"
        lead = NewLead(
            first_name=name.title(),
            last_name="Yılmaz",
            email=email,
            email_key=email,
            company="Anadolu Makine A.Ş.",
            company_key="anadolu makine",
        )
        ref = leads.add_lead(uow(), lead).ref
    opp = leads.qualify(uow(), ref, currency="TRY").related["opportunity"]
    catalogue.add_product(
        uow(), "PMP-10", "Pump 10 kW", Decimal("1250.50"), currency="TRY", tax_rate=Decimal("20")
    )
    catalogue.add_line(uow(), opp, "PMP-10", Decimal("3"), Discount.parse("10%"))
    quote = documents.create(uow(), opp).ref
    documents.activate(uow(), quote)
    order = documents.accept(uow(), quote).ref
    documents.fulfil(uow(), order)
    invoice = documents.invoice(uow(), order).ref
    export_document(app, "invoice", invoice)
    return invoice


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path):
    import uvicorn

    from flows.web.app import create_app
    from flows.web.users import add_user

    app = App(load_settings(tmp_path / "home"))
    app.migrate()
    invoice = _seed(app)
    api = create_app(app)
    add_user(app.engine, "alice", PASSWORD, datetime.now(UTC))
    port = _free_port()
    config = uvicorn.Config(api, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", app, invoice
    uv.should_exit = True
    thread.join(10)
    app.close()


def test_a_user_logs_in_downloads_an_invoice_and_sees_the_funnel(server, tmp_path):
    base, app, invoice = server
    with app.engine.connect() as conn:
        stored = conn.execute(
            select(t.document_files.c.sha256).where(t.document_files.c.number == invoice)
        ).scalar_one()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_context(accept_downloads=True).new_page()
            page.goto(f"{base}/documents")
            assert "/login" in page.url
            page.fill("input[name=name]", "alice")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/documents")
            page.click(f"text={invoice}")
            with page.expect_download() as info:
                page.click("a.button")
            download = info.value
            assert download.suggested_filename == f"{invoice}.xlsx"
            data = Path(download.path()).read_bytes()
            assert hashlib.sha256(data).hexdigest() == stored
            page.goto(f"{base}/funnel")
            assert page.locator("svg rect").count() == 5
            shot = tmp_path / "funnel.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 5000
        finally:
            browser.close()
