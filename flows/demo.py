"""The demo: the nightly flow on ``examples/dropbox``, then sample leads to a paid invoice.

Used by ``make demo`` (``salesflow demo``) to show the whole process on an embedded SQLite.
Coarse tasks: one for the drop folder, one to load the catalogue, one per lead batch — never
one per lead.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.dropbox_run import stage_paths
from flows.exporting import export_document, export_report
from flows.leadinput import manual_lead
from flows.nightly import nightly
from flows.settings import load_settings
from flows.wiring import App
from ingest.dropfolder import DropFolder
from pipeline.domain.lead import DisqualifyReason
from pipeline.domain.lines import Discount
from pipeline.services import catalogue, documents, leads, queries


@task(name="load-catalogue", cache_policy=NO_CACHE)
def load_catalogue(app: App, products: list[dict[str, str]]) -> int:
    for p in products:
        catalogue.add_product(
            app.uow(),
            p["sku"],
            p["name"],
            Decimal(p["price"]),
            currency=app.settings.currency,
            tax_rate=Decimal(p["tax"]),
        )
    return len(products)


def _walk(app: App, spec: dict[str, Any]) -> dict[str, Any]:
    s = app.settings
    new = manual_lead(
        spec["first_name"],
        spec["last_name"],
        spec["email"],
        spec["company"],
        spec["phone"],
        spec["title"],
        s.default_region,
    )
    lead = leads.add_lead(app.uow(), new).ref
    if spec["outcome"] == "disqualified":
        leads.disqualify(app.uow(), lead, DisqualifyReason.CANNOT_CONTACT, "demo")
        return {
            "lead": lead,
            "name": new.first_name + " " + new.last_name,
            "final": queries.show(app.uow(), lead)["status"],
        }
    opp = leads.qualify(app.uow(), lead, currency=s.currency).related["opportunity"]
    for sku, qty, discount in spec["lines"]:
        catalogue.add_line(app.uow(), opp, sku, Decimal(qty), Discount.parse(discount))
    quote = documents.create(app.uow(), opp).ref
    documents.activate(app.uow(), quote, s.quote_validity_days)
    files = [export_document(app, "quote", quote)[0]]
    if spec["outcome"] == "revised-and-paid":
        quote = documents.revise(app.uow(), quote).ref
        documents.activate(app.uow(), quote, s.quote_validity_days)
        files.append(export_document(app, "quote", quote)[0])
    order = documents.accept(app.uow(), quote).ref
    documents.fulfil(app.uow(), order)
    invoice = documents.invoice(app.uow(), order, s.payment_days).ref
    files.append(export_document(app, "invoice", invoice)[0])
    paid = documents.pay(app.uow(), invoice)
    return {
        "lead": lead,
        "name": new.first_name + " " + new.last_name,
        "opportunity": opp,
        "quote": quote,
        "order": order,
        "invoice": invoice,
        "total": queries.show(app.uow(), invoice)["total"],
        "final": f"{paid.state} ({paid.status})",
        "files": [str(f) for f in files],
    }


@task(name="walk-lifecycle", cache_policy=NO_CACHE)
def walk_lifecycle(app: App, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [_walk(app, spec) for spec in batch]


@flow(name="salesflow-demo", log_prints=False)
def demo(
    samples: str, dropbox: str, home: str | None = None, database_url: str | None = None
) -> dict[str, Any]:
    """Load the catalogue, run the real nightly flow on the sample drop folder, then walk the
    sample leads from lead to paid invoice."""
    app = App(load_settings(Path(home) if home else None, database_url), actor="demo")
    try:
        app.migrate()
        data = json.loads(Path(samples).read_text(encoding="utf-8"))
        load_catalogue(app, data["products"])
        if Path(dropbox).exists():
            folder = DropFolder(app.settings.home)
            folder.ensure()
            stage_paths(folder, [Path(dropbox)])
        manifest = nightly(str(app.settings.home), database_url, use_imap=False, settle_seconds=0)
        lifecycle = walk_lifecycle(app, data["leads"])
        report = export_report(
            app, {k: v for k, v in manifest["counts"].items() if isinstance(v, int)}
        )
        return {"nightly": manifest, "lifecycle": lifecycle, "report": str(report)}
    finally:
        app.close()
