"""The web interface over HTTP (FastAPI TestClient) on a real SQLite home with exported files."""

from __future__ import annotations

import hashlib
import re
import warnings
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import select, update
from starlette.exceptions import StarletteDeprecationWarning

from flows.exporting import export_document
from flows.settings import load_settings
from flows.web.app import create_app
from flows.web.downloads import safe_filename
from flows.web.store import ensure_tables
from flows.web.throttle import lock_end
from flows.web.users import UserError, add_user
from flows.wiring import App
from pipeline.domain.lines import Discount
from pipeline.services import catalogue, documents, leads
from pipeline.services.leads import NewLead
from pipeline.store import tables as t

with warnings.catch_warnings():
    # Starlette 1.x asks for the "httpx2" fork; the installed httpx works the same here.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AYSE = NewLead(
    first_name="Ayşe",
    last_name="Yılmaz",
    email="ayse@anadolu.com.tr",
    email_key="ayse@anadolu.com.tr",
    company="Anadolu Makine A.Ş.",
    company_key="anadolu makine",
    phone="+902125551234",
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def seed_sale(app: App) -> dict[str, str]:
    """A lead taken to a paid invoice, with the quote and invoice workbooks exported."""
    uow = app.uow_factory()
    lead = leads.add_lead(uow(), AYSE).ref
    opp = leads.qualify(uow(), lead, currency="TRY").related["opportunity"]
    catalogue.add_product(
        uow(), "PMP-10", "Pump 10 kW", Decimal("1250.50"), currency="TRY", tax_rate=Decimal("20")
    )
    catalogue.add_line(uow(), opp, "PMP-10", Decimal("3"), Discount.parse("10%"))
    quote = documents.create(uow(), opp).ref
    documents.activate(uow(), quote)
    order = documents.accept(uow(), quote).ref
    documents.fulfil(uow(), order)
    invoice = documents.invoice(uow(), order).ref
    documents.pay(uow(), invoice, Decimal("1000"))
    export_document(app, "quote", quote)
    export_document(app, "invoice", invoice)
    return {"lead": lead, "quote": quote, "invoice": invoice}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def app(home: Path):
    application = App(load_settings(home))
    application.migrate()
    yield application
    application.close()


@pytest.fixture
def sale(app: App) -> dict[str, str]:
    refs = seed_sale(app)
    ensure_tables(app.engine)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    add_user(app.engine, "alice", PASSWORD, now)
    add_user(app.engine, "bob", PASSWORD + "!", now)
    return refs


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def api(app: App, sale: dict[str, str], clock: Clock) -> FastAPI:
    return create_app(app, clock=clock)


@pytest.fixture
def client(api: FastAPI) -> TestClient:
    return TestClient(api, follow_redirects=False)


def csrf_of(client: TestClient) -> str:
    page = client.get("/login")
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def login(client: TestClient, name: str = "alice", password: str = PASSWORD, **headers: str):
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf": csrf_of(client), "next": "/documents"},
        headers=headers,
    )


def file_id(app: App, number: str) -> int:
    with app.engine.connect() as conn:
        return int(
            conn.execute(
                select(t.document_files.c.id).where(t.document_files.c.number == number)
            ).scalar_one()
        )


def sample_path(route: APIRoute) -> str:
    values = {"file_id": "1", "key": "0" * 24, "kind": "invoice", "number": "INV-2026-00001"}
    values["run_id"] = "nightly-1"
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], route.path)


def api_routes(routes) -> list[APIRoute]:
    """Every endpoint, also inside included routers (FastAPI ≥0.150 keeps them nested)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(api_routes(route.original_router.routes))
    return found


def test_every_route_refuses_anonymous_visitors(api, client):
    routes = [r for r in api_routes(api.routes) if r.path != "/login"]
    assert len(routes) >= 9
    for route in routes:
        for method in route.methods:
            response = client.request(method, sample_path(route))
            if route.path.startswith(("/files", "/quarantine")):
                assert response.status_code == 401, route.path
            else:
                assert response.status_code == 303, route.path
                assert response.headers["location"].startswith("/login?next="), route.path


def test_login_sets_a_hardened_cookie_and_opens_the_documents(client, sale):
    response = login(client)
    assert response.status_code == 303
    assert response.headers["location"] == "/documents"
    cookie = response.headers["set-cookie"].lower()
    assert "sf_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie
    page = client.get("/documents")
    assert page.status_code == 200
    assert sale["invoice"] in page.text and sale["quote"] in page.text


def test_session_cookie_is_secure_behind_an_https_proxy(client):
    response = login(client, **{"X-Forwarded-Proto": "https"})
    assert "secure" in response.headers["set-cookie"].lower()


def test_login_without_the_csrf_token_is_refused(client):
    client.get("/login")
    response = client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf": "x"})
    assert response.status_code == 403
    assert "sf_session" not in response.headers.get("set-cookie", "")


def test_logout_without_the_session_csrf_token_is_refused(client):
    login(client)
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    assert client.get("/documents").status_code == 200


def logout(client: TestClient) -> None:
    page = client.get("/documents")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    response = client.post("/logout", data={"csrf": token.group(1)})
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_a_session_cannot_be_reused_after_logout(api, client, app):
    login(client)
    stolen = client.cookies["sf_session"]
    logout(client)
    other = TestClient(api, follow_redirects=False)
    login(other, "bob", PASSWORD + "!")
    other.cookies.set("sf_session", stolen)
    assert other.get("/documents").status_code == 303
    assert other.get(f"/files/{file_id(app, 'QUO-2026-00001')}").status_code == 401


def test_five_failures_lock_the_name_for_fifteen_minutes(client, clock):
    for _ in range(5):
        assert login(client, password="wrong password").status_code == 401
        clock.now += timedelta(seconds=10)
    locked = login(client)  # even the right password is not checked while locked
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) == 15 * 60 - 10
    assert "sf_session" not in locked.headers.get("set-cookie", "")
    clock.now += timedelta(minutes=14)
    assert login(client).status_code == 429
    clock.now += timedelta(minutes=1)
    assert login(client).status_code == 303


def test_failures_from_one_client_lock_every_name(client):
    for name in ("carol", "dave", "erin", "frank", "grace"):
        assert login(client, name=name, password="wrong password").status_code == 401
    assert login(client, "bob", PASSWORD + "!").status_code == 429


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(client, clock):
    for _ in range(6):
        assert login(client, password="wrong password").status_code == 401
        clock.now += timedelta(minutes=4)
    assert login(client).status_code == 303


def test_downloaded_invoice_equals_the_stored_bytes(client, app, sale):
    login(client)
    fid = file_id(app, sale["invoice"])
    response = client.get(f"/files/{fid}")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{sale["invoice"]}.xlsx"'
    )
    with app.engine.connect() as conn:
        row = conn.execute(select(t.document_files).where(t.document_files.c.id == fid)).one()
    assert response.content == Path(row.path).read_bytes()
    assert hashlib.sha256(response.content).hexdigest() == row.sha256


def test_a_tampered_file_is_refused_with_409(client, app, sale, caplog):
    login(client)
    fid = file_id(app, sale["invoice"])
    with app.engine.connect() as conn:
        path = Path(
            conn.execute(
                select(t.document_files.c.path).where(t.document_files.c.id == fid)
            ).scalar_one()
        )
    path.write_bytes(path.read_bytes() + b"\0")
    response = client.get(f"/files/{fid}")
    assert response.status_code == 409
    assert "changed after it was issued" in response.text
    assert any("sha256 mismatch" in r.getMessage() for r in caplog.records)


def test_a_file_row_pointing_outside_the_exports_folder_is_not_sent(client, app, home, sale):
    login(client)
    fid = file_id(app, sale["invoice"])
    db = home / "salesflow.db"
    with app.engine.begin() as conn:
        conn.execute(
            update(t.document_files)
            .where(t.document_files.c.id == fid)
            .values(path=str(db), sha256=hashlib.sha256(db.read_bytes()).hexdigest())
        )
    assert client.get(f"/files/{fid}").status_code == 409


@pytest.mark.parametrize(
    "path",
    [
        "/files/..%2Fsalesflow.db",
        "/files/../../salesflow.db",
        "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/files/1%2F..%2F..%2Fsalesflow.db",
        "/quarantine/..%2F..%2Fsalesflow.db",
        "/quarantine/../salesflow.db",
        "/documents/invoice/..%2F..%2Fsalesflow.db",
        "/runs/..%2F..%2Fsalesflow.db",
    ],
)
def test_no_path_parameter_escapes_the_exports_folder(client, home, path):
    login(client)
    response = client.get(path)
    assert response.status_code in (303, 404, 422)
    assert b"SQLite format" not in response.content
    assert b"root:" not in response.content


def test_quarantined_files_are_offered_by_key_and_links_out_are_not(client, home):
    folder = home / "dropbox" / "quarantine" / "2026-03-01"
    folder.mkdir(parents=True)
    (folder / "bad form.csv").write_bytes(b"name;email\n\xff\xfe broken\n")
    (folder / "escape.csv").symlink_to(home / "salesflow.db")
    login(client)
    page = client.get("/runs")
    keys = re.findall(r'href="/quarantine/([0-9a-f]{24})"', page.text)
    assert len(keys) == 1 and "escape.csv" not in page.text
    response = client.get(f"/quarantine/{keys[0]}")
    assert response.content == b"name;email\n\xff\xfe broken\n"
    assert response.headers["content-disposition"] == 'attachment; filename="bad_form.csv"'
    assert response.headers["content-type"] == "application/octet-stream"


def test_security_headers_are_on_every_response(client):
    responses = [client.get("/login"), client.get("/files/1"), client.get("/nowhere")]
    login(client)
    responses.append(client.get("/funnel"))
    for response in responses:
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"


def test_document_page_shows_lines_totals_history_and_download(client, app, sale):
    login(client)
    page = client.get(f"/documents/invoice/{sale['invoice']}")
    assert page.status_code == 200
    assert "Pump 10 kW" in page.text and "4051.62 TRY" in page.text
    assert "pay-partial" in page.text and "3051.62 TRY" in page.text  # history and balance
    assert f'href="/files/{file_id(app, sale["invoice"])}"' in page.text
    assert client.get("/documents/invoice/INV-2026-09999").status_code == 404


def test_documents_filter_by_type_status_and_search(client, sale):
    login(client)
    invoices = client.get("/documents", params={"kind": "invoice"}).text
    assert sale["invoice"] in invoices and sale["quote"] not in invoices
    won = client.get("/documents", params={"status": "Won"}).text
    assert sale["quote"] in won and sale["invoice"] not in won
    by_number = client.get("/documents", params={"q": sale["invoice"]}).text
    assert sale["invoice"] in by_number and sale["quote"] not in by_number
    by_customer = client.get("/documents", params={"customer": "anadolu"}).text
    assert sale["invoice"] in by_customer and sale["quote"] in by_customer
    nobody = client.get("/documents", params={"customer": "Ege Tekstil"}).text
    assert sale["invoice"] not in nobody
    later = client.get("/documents", params={"date_from": "2999-01-01"}).text
    assert sale["invoice"] not in later


def test_pages_speak_turkish_when_asked(client):
    login(client)
    page = client.get("/funnel", params={"lang": "tr"})
    assert "Satış hunisi" in page.text and "Faturalandı" in page.text
    assert "Belgeler" in client.get("/documents", params={"lang": "tr"}).text


def test_funnel_shows_counts_values_and_an_inline_chart(client):
    login(client)
    page = client.get("/funnel").text
    assert "<svg" in page and "<script" not in page
    assert "4,051.62 TRY" in page  # the invoiced value
    assert page.count("<rect") == 5


def test_leads_page_lists_status_and_score(client, sale):
    login(client)
    page = client.get("/leads").text
    assert sale["lead"] in page and "Qualified" in page and "Anadolu Makine" in page


def test_runs_page_lists_manifests_and_their_findings(client, home):
    runs = home / "runs"
    runs.mkdir()
    (runs / "20260301T013000-abc.json").write_text(
        '{"run_id": "abc", "flow": "nightly", "started_at": "2026-03-01T01:30:00",'
        ' "counts": {"leads_created": 7}, "findings": [{"check": "number-gap",'
        ' "record": "INV-2026-00004", "message": "gap before INV-2026-00004"}]}',
        encoding="utf-8",
    )
    (runs / "20260302T013000-cut.json").write_text('{"run_id": "cut", "cou', encoding="utf-8")
    login(client)
    listing = client.get("/runs").text
    assert "abc" in listing
    assert "20260302T013000-cut" in listing and "unreadable: JSONDecodeError" in listing
    run = client.get("/runs/abc").text
    assert "leads_created" in run and "gap before INV-2026-00004" in run
    assert client.get("/runs/missing").status_code == 404


def test_a_redirect_after_login_never_leaves_the_site(client):
    response = client.post(
        "/login",
        data={
            "name": "alice",
            "password": PASSWORD,
            "csrf": csrf_of(client),
            "next": "//evil.example",
        },
    )
    assert response.headers["location"] == "/"


def test_users_need_a_unique_name_and_a_long_enough_password(app, sale):
    with pytest.raises(UserError, match="exists already"):
        add_user(app.engine, "alice", PASSWORD, datetime.now(UTC))
    with pytest.raises(UserError, match="at least 8"):
        add_user(app.engine, "zoe", "short", datetime.now(UTC))


def test_lock_ends_fifteen_minutes_after_the_fifth_close_failure():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    times = [start + timedelta(minutes=m) for m in (0, 1, 2, 3, 14)]
    assert lock_end(times) == start + timedelta(minutes=29)
    assert lock_end(times[:4]) is None


def test_download_names_keep_only_safe_characters():
    assert safe_filename("INV-2026-00001", ".xlsx") == "INV-2026-00001.xlsx"
    assert safe_filename('a"; b\r\n/../c', ".xlsx") == "a_b_._c.xlsx"
