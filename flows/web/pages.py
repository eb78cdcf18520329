"""The HTML pages: documents, one document, leads and opportunities, runs, funnel."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from flows.web import documents as docs
from flows.web import funnel as fn
from flows.web.auth import page_user
from flows.web.labels import labels
from flows.web.leads import list_leads, list_opportunities
from flows.web.runs import manifest, manifests, quarantined_files
from flows.web.runtime import lang_of, render, web
from flows.web.svg import Bar, build_funnel_svg
from flows.web.users import User
from pipeline.domain import status as st
from pipeline.domain.errors import NotFound
from pipeline.domain.invoice import Invoice
from pipeline.domain.quote import Quote
from pipeline.services import queries

router = APIRouter()
Login = Annotated[User, Depends(page_user)]


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/")
def home(request: Request, user: Login) -> Response:
    """The documents list is the start page."""
    return RedirectResponse(request.url_for("documents_page").path, status_code=303)


@router.get("/documents", name="documents_page")
def documents_page(
    request: Request,
    user: Login,
    kind: str = "",
    status: str = "",
    date_from: str = "",
    date_to: str = "",
    customer: str = "",
    q: str = "",
) -> Response:
    """Quotes and invoices, filtered by type, status, date and customer."""
    f = docs.DocFilter(
        kind=kind if kind in docs.KINDS else "",
        status=status[:40],
        date_from=_date(date_from),
        date_to=_date(date_to),
        customer=customer[:200],
        q=q[:200],
    )
    with web(request).app.engine.connect() as conn:
        rows = docs.list_documents(conn, f)
    statuses = sorted(set(docs.STATUSES["quote"]) | set(docs.STATUSES["invoice"]))
    return render(
        request,
        "documents.html",
        user=user,
        rows=rows,
        f=f,
        statuses=statuses,
        limit=docs.LIMIT,
    )


@router.get("/documents/{kind}/{number}", name="document_page")
def document_page(request: Request, user: Login, kind: str, number: str) -> Response:
    """One quote or invoice: lines, totals, status, history and its files."""
    classes: dict[str, type[Quote] | type[Invoice]] = {"quote": Quote, "invoice": Invoice}
    if kind not in classes:
        return _not_found(request, user)
    app = web(request).app
    try:
        with app.uow() as uow:
            record: Any = uow.records.get(classes[kind], number)
            detail = queries.describe(record)
        events = queries.history(app.uow(), detail["ref"])
    except NotFound:
        return _not_found(request, user)
    with app.engine.connect() as conn:
        files = docs.files_of(conn, kind, int(detail["id"]))
    return render(
        request, "document.html", user=user, kind=kind, d=detail, events=events, files=files
    )


def _not_found(request: Request, user: User) -> Response:
    return render(request, "not_found.html", 404, user=user)


@router.get("/leads", name="leads_page")
def leads_page(request: Request, user: Login, status: str = "") -> Response:
    """Leads with status and score, and the opportunities they became."""
    with web(request).app.engine.connect() as conn:
        leads = list_leads(conn, status[:40])
        opportunities = list_opportunities(conn)
    return render(
        request,
        "leads.html",
        user=user,
        leads=leads,
        opportunities=opportunities,
        status=status,
        statuses=[s.value for s in st.LeadStatus],
    )


@router.get("/runs", name="runs_page")
def runs_page(request: Request, user: Login) -> Response:
    """Every run manifest and the files in quarantine."""
    state = web(request)
    return render(
        request,
        "runs.html",
        user=user,
        runs=manifests(state.runs),
        quarantined=quarantined_files(state.quarantine),
    )


@router.get("/runs/{run_id}", name="run_page")
def run_page(request: Request, user: Login, run_id: str) -> Response:
    """One run: its counts and the invariant findings."""
    data = manifest(web(request).runs, run_id)
    if data is None:
        return _not_found(request, user)
    counts = {k: v for k, v in data.get("counts", {}).items() if not isinstance(v, dict | list)}
    return render(request, "run.html", user=user, run=data, counts=counts)


@router.get("/funnel", name="funnel_page")
def funnel_page(request: Request, user: Login) -> Response:
    """Count and value per stage, with a bar chart."""
    state = web(request)
    with state.app.uow() as uow:
        stages = fn.load_stages(uow.session, state.clock().date())
    value = {s.name: "  ".join(f"{amount:,.2f} {cur}" for cur, amount in s.amounts) for s in stages}
    t = labels(lang_of(request))
    names = {s.name: t.get(f"stage_{s.name}", s.name) for s in stages}
    bars = [Bar(names[s.name], s.count, value[s.name]) for s in stages]
    chart = Markup(build_funnel_svg(bars, t["funnel"]))  # every text is escaped in svg.py
    return render(
        request, "funnel.html", user=user, stages=stages, value=value, names=names, chart=chart
    )
