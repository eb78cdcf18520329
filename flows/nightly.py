"""The nightly flow and the smaller ``dropbox`` flow (Prefect only orchestrates).

Coarse tasks, whatever the input size: mailbox (retried on transient errors only), drop folder
(files, decisions), exports of issued documents, invariant checks, pipeline report — about ten
task runs per night. Results are never reused, so nothing is cached (``NO_CACHE``: no hashing of
``App``) or persisted (``persist_result=False``: no pickling of the summaries, whatever
``PREFECT_RESULTS_PERSIST_BY_DEFAULT`` says); the manifest is the run's record. Every run writes
a manifest under ``<home>/runs/`` and publishes a table artifact of the counts, a markdown
summary and a link artifact per exported document.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)
from prefect.cache_policies import NO_CACHE

from flows.dropbox_run import process_dropbox
from flows.exporting import export_document, export_report
from flows.ingestion import IngestSummary, imap_settings
from flows.mailbox_run import Folders, MailSummary, process_mailbox
from flows.manifest import Manifest
from flows.settings import load_settings
from flows.wiring import App
from ingest.errors import TransientIngestError
from pipeline.services import document_files
from pipeline.services.invariants import run_checks

log = logging.getLogger("flows.nightly")
SECRET_BLOCK = "salesflow-imap-password"


def only_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a failed task only when it failed for a transient reason (network, server)."""
    try:
        state.result()
    except TransientIngestError:
        return True
    except Exception:  # noqa: BLE001 - anything else is terminal
        return False
    return False


def imap_password() -> str | None:
    """The mailbox password from the Prefect Secret block, when one exists."""
    try:
        from prefect.blocks.system import Secret

        block: Any = Secret.load(SECRET_BLOCK)
        return str(block.get())
    except Exception:  # noqa: BLE001 - no block (or no server): settings/env apply
        return None


@task(
    name="fetch-mailbox",
    retries=3,
    retry_delay_seconds=[10, 60, 300],
    retry_condition_fn=only_transient,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def fetch_mailbox(app: App) -> MailSummary | None:
    settings = imap_settings(app, imap_password())
    if settings is None:
        return None
    from ingest.imap_mailbox import ImapMailbox

    with ImapMailbox(settings) as client:
        return process_mailbox(
            app,
            client,
            Folders(settings.mailbox, settings.processed_folder, settings.quarantine_folder),
        )


@task(name="scan-dropbox", cache_policy=NO_CACHE, persist_result=False)
def scan_dropbox(app: App, settle_seconds: float | None) -> IngestSummary:
    summary = IngestSummary()
    summary.drop = process_dropbox(app, settle_seconds=settle_seconds)
    return summary


@task(name="export-documents", cache_policy=NO_CACHE, persist_result=False)
def export_issued(app: App) -> list[dict[str, str]]:
    """Write the workbook of every issued document that has none yet."""
    written = []
    for kind, ref in document_files.missing(app.uow()):
        path, sha256 = export_document(app, kind, ref)
        written.append({"kind": kind, "ref": ref, "path": str(path), "sha256": sha256})
    return written


@task(name="check-invariants", cache_policy=NO_CACHE, persist_result=False)
def check_invariants(app: App) -> list[dict[str, str]]:
    with app.engine.connect() as conn:
        return [f.as_dict() for f in run_checks(conn, today=datetime.now(UTC).date())]


@task(name="pipeline-report", cache_policy=NO_CACHE, persist_result=False)
def pipeline_report(app: App, counts: dict[str, Any]) -> str:
    return str(export_report(app, {k: v for k, v in counts.items() if isinstance(v, int)}))


def _run_id() -> str:
    try:
        from prefect.runtime import flow_run

        return str(flow_run.id or uuid.uuid4())
    except Exception:  # noqa: BLE001 - outside a flow run
        return str(uuid.uuid4())


def _record_ingest(manifest: Manifest, summary: IngestSummary) -> None:
    data = summary.as_dict()
    manifest.inputs["files"] = [
        {k: v for k, v in f.items() if k in ("file", "sha256", "outcome", "reason")}
        for f in data.pop("files")
    ]
    manifest.inputs["messages"] = [{"message_id": m} for m in summary.mail.message_ids]
    manifest.counts.update(data)


def run_nightly(
    app: App, flow_name: str, *, use_imap: bool, settle_seconds: float | None, full: bool
) -> dict[str, Any]:
    """The body shared by both flows; returns the manifest as a dict."""
    manifest = Manifest(run_id=_run_id(), flow=flow_name)
    summary = IngestSummary()
    if use_imap:
        with manifest.stage("mailbox"):
            summary.mail = fetch_mailbox(app) or MailSummary()
    with manifest.stage("dropbox"):
        summary.drop = scan_dropbox(app, settle_seconds).drop
    _record_ingest(manifest, summary)
    with manifest.stage("exports"):
        manifest.documents = export_issued(app)
    manifest.counts["documents_exported"] = len(manifest.documents)
    if full:
        with manifest.stage("invariants"):
            manifest.findings = check_invariants(app)
        with manifest.stage("report"):
            manifest.counts["report"] = pipeline_report(app, manifest.counts)
    for f in manifest.findings:
        log.warning("invariant %s on %s: %s", f["check"], f["record"], f["message"])
    path = manifest.write(app.settings.home / "runs")
    _publish(manifest, path)
    return {**manifest.as_dict(), "manifest": str(path)}


def _publish(manifest: Manifest, path: Path) -> None:
    counts = [{"count": k, "value": v} for k, v in manifest.counts.items() if isinstance(v, int)]
    create_table_artifact(counts, key=f"{manifest.flow}-counts", description="What this run did")
    lines = [
        f"# {manifest.flow} run {manifest.run_id}",
        "",
        f"- manifest: `{path}`",
        f"- changed anything: {'yes' if manifest.changed_anything else 'no'}",
        f"- invariant findings: {len(manifest.findings)}",
    ]
    lines += [f"  - **{f['check']}** {f['record']}: {f['message']}" for f in manifest.findings]
    create_markdown_artifact("\n".join(lines), key=f"{manifest.flow}-summary")
    for doc in manifest.documents:
        key = "doc-" + "".join(ch if ch.isalnum() else "-" for ch in doc["ref"].lower())
        create_link_artifact(Path(doc["path"]).resolve().as_uri(), link_text=doc["ref"], key=key)


def _app(home: str | None, database_url: str | None, actor: str) -> App:
    app = App(load_settings(Path(home) if home else None, database_url), actor=actor)
    app.migrate()
    return app


@flow(name="nightly", log_prints=False, persist_result=False)
def nightly(
    home: str | None = None,
    database_url: str | None = None,
    use_imap: bool = True,
    settle_seconds: float | None = None,
) -> dict[str, Any]:
    """Mailbox, drop folder, intake (dedupe, score, auto-qualify), decisions, exports,
    invariant checks and the pipeline report; writes a run manifest."""
    app = _app(home, database_url, "nightly")
    try:
        return run_nightly(
            app, "nightly", use_imap=use_imap, settle_seconds=settle_seconds, full=True
        )
    finally:
        app.close()


@flow(name="dropbox", log_prints=False, persist_result=False)
def dropbox(
    home: str | None = None, database_url: str | None = None, settle_seconds: float | None = None
) -> dict[str, Any]:
    """Only the drop folder (for frequent polling), with exports of what it issued."""
    app = _app(home, database_url, "dropbox")
    try:
        return run_nightly(
            app, "dropbox", use_imap=False, settle_seconds=settle_seconds, full=False
        )
    finally:
        app.close()
