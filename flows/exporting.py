"""Writing documents: load the frozen document, write its workbook, remember its sha256."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from exports.documents import load_invoice_document, load_quote_document
from exports.parties import SellerInfo
from exports.report import build_pipeline_report
from exports.xlsx import write_document, write_pipeline_report
from flows.wiring import App
from pipeline.services import document_files


def seller(app: App) -> SellerInfo:
    s = app.settings.seller
    return SellerInfo(
        name=s.name,
        address=s.address,
        tax_id=s.tax_id,
        email=s.email,
        phone=s.phone,
        iban=s.iban,
        quote_payment_days=app.settings.payment_days,
    )


def export_document(
    app: App, kind: str, ref: str, *, out: Path | None = None, lang: str | None = None
) -> tuple[Path, str]:
    """Write the quote or invoice workbook (byte-identical on regeneration) and record it."""
    language = lang or app.settings.language
    loader = load_quote_document if kind == "quote" else load_invoice_document
    doc = loader(app.uow(), ref, seller(app), language)
    path, sha256 = write_document(doc, out or app.settings.exports, lang=language)
    if out is None:  # only files in the exports folder are the issued ones
        document_files.record_file(app.uow(), kind, ref, language, str(path), sha256)
    return path, sha256


def export_report(app: App, run_stats: dict[str, int] | None = None) -> Path:
    """Write ``exports/reports/pipeline-<date>.xlsx``."""
    today = datetime.now(UTC).date()
    with app.uow() as uow:
        report = build_pipeline_report(uow.session, run_stats=run_stats, today=today)
    path, _ = write_pipeline_report(report, app.settings.exports)
    return path
