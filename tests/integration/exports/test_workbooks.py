"""Quote and invoice workbooks from a real SQLite store, read back with openpyxl and pandas."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.chart import BarChart

from exports.documents import SellerInfo, load_invoice_document, load_quote_document
from exports.errors import DocumentNotFound, IssuedInvoiceChanged, OverwriteRefused
from exports.files import OverwritePolicy
from exports.labels import labels_for, tax_name
from exports.report import build_pipeline_report
from exports.xlsx import write_document, write_pipeline_report
from pipeline.domain.invoice import Invoice
from pipeline.domain.lead import DisqualifyReason, Lead
from pipeline.domain.lines import Discount
from pipeline.domain.parties import Product
from pipeline.domain.process import accept_quote, create_quote, issue_invoice, qualify_lead
from pipeline.domain.quote import Quote
from pipeline.store.database import make_engine, make_session_factory
from pipeline.store.tables import metadata
from pipeline.store.uow import UnitOfWork

AT = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
CENT = Decimal("0.01")
SELLER = SellerInfo(
    name="Deniz Yazılım A.Ş.",
    address="Büyükdere Cd. 1\n34394 İstanbul",
    tax_id="1234567890",
    email="satis@deniz.example",
    iban="TR12 0006 4000 0011 2345 6789 01",
)
INJECTIONS = ['=HYPERLINK("http://x","y")', "+cmd", "-2+3", "@SUM(A1)"]


@pytest.fixture
def factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sales.db'}")
    metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


def _products() -> list[Product]:
    return [
        Product("W-1", "Widget, blue", Decimal("19.99"), "TRY", Decimal("20")),
        Product("S-1", "Installation service", Decimal("150"), "TRY", Decimal("10"), unit="h"),
        Product("B-9", "Manual (printed)", Decimal("7.125"), "TRY", Decimal("1")),
    ]


def make_sale(factory, *, company="Anadolu Makine A.Ş.", seq=1, source="csv") -> tuple[str, str]:
    """A revised quote (R2), won, fulfilled and invoiced; returns (quote, invoice) numbers."""
    with UnitOfWork(factory, clock=lambda: AT) as uow:
        lead = Lead(
            first_name="Ayşe",
            last_name="Yılmaz",
            email="ayse@example.com",
            company=company,
            city="Ankara",
            country="TR",
            source=source,
        )
        opp = qualify_lead(lead, currency="TRY", at=AT)
        widget, service, manual = _products()
        opp.add_line(widget, Decimal("3"), Discount.parse("10%"), at=AT)
        opp.add_line(service, Decimal("2.5"), Discount.parse("15.50"), at=AT)
        opp.add_line(manual, Decimal("7"), at=AT)
        first = create_quote(opp, seq=seq, year=2026, at=AT)
        first.activate(at=AT)
        quote = first.revise(at=AT)
        quote.set_discount(Discount.parse("5%"), at=AT)
        quote.activate(at=AT)
        order = accept_quote(quote, seq=seq, year=2026, at=AT)
        order.fulfil(at=AT)
        invoice = issue_invoice(order, seq=seq, year=2026, payment_days=14, at=AT)
        uow.add(invoice)
        uow.commit()
        return quote.number, invoice.number


def _invoice_total(factory, ref: str) -> Decimal:
    with UnitOfWork(factory) as uow:
        return uow.records.get(Invoice, ref).totals().total


def _rows(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path).active
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def _money(value: object) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def _line_rows(rows, sku_label: str) -> list[list[object]]:
    header = next(i for i, row in enumerate(rows) if row[1] == sku_label)
    lines = []
    for row in rows[header + 1 :]:
        if row[0] is None:
            break
        lines.append(row)
    return lines


def _totals_by_label(rows) -> dict[str, tuple[object, object]]:
    return {row[5]: (row[8], row[9]) for row in rows if isinstance(row[5], str) and row[9]}


def test_quote_workbook_matches_the_domain_line_by_line_and_total_by_total(factory, tmp_path):
    quote_no, _ = make_sale(factory)
    assert quote_no == "QUO-2026-00001-R2"
    with UnitOfWork(factory) as uow:
        doc = load_quote_document(uow, quote_no, SELLER, lang="tr")
        quote = uow.records.get(Quote, quote_no)
        totals = quote.totals()
        expected_lines = [(ln.sku, ln.quantity, ln.unit_price, ln.net("TRY")) for ln in quote.lines]
    path, digest = write_document(doc, tmp_path)
    assert path == tmp_path / "quotes" / "QUO-2026-00001-R2.xlsx" and len(digest) == 64
    rows = _rows(path)
    lines = _line_rows(rows, labels_for("tr")["sku"])
    assert [(r[1], Decimal(str(r[3])), Decimal(str(r[5])), _money(r[9])) for r in lines] == (
        expected_lines
    )
    assert [_money(r[7]) if r[7] is not None else None for r in lines] == [
        Decimal("6.00"),
        Decimal("15.50"),
        None,
    ]
    found = _totals_by_label(rows)
    words = labels_for("tr")
    assert _money(found[words["subtotal"]][1]) == totals.subtotal
    assert _money(found[words["line_discounts"]][1]) == totals.line_discounts
    assert _money(found["İndirim (%5)"][1]) == totals.overall_discount
    assert _money(found[words["tax_total"]][1]) == totals.tax_total
    assert _money(found[words["total"]][1]) == totals.total
    for band in totals.taxes:
        base, tax = found[tax_name(band.rate, "tr")]
        assert (_money(base), _money(tax)) == (band.base, band.tax)


def test_invoice_workbook_read_with_pandas_shows_totals_paid_and_balance(factory, tmp_path):
    _, invoice_no = make_sale(factory)
    with UnitOfWork(factory) as uow:
        invoice = uow.records.get(Invoice, invoice_no)
        invoice.pay(Decimal("100.00"), at=AT)
        uow.commit()
    with UnitOfWork(factory) as uow:
        doc = load_invoice_document(uow.session, invoice_no, SELLER, lang="en")
        totals = uow.records.get(Invoice, invoice_no).totals()
    path, _ = write_document(doc, tmp_path)
    grid = pd.read_excel(path, header=None, dtype=object)
    by_label = {
        grid.iat[r, 5]: grid.iat[r, 9] for r in range(len(grid)) if isinstance(grid.iat[r, 5], str)
    }
    assert _money(by_label["Grand Total"]) == totals.total
    assert _money(by_label["Amount paid"]) == Decimal("100.00")
    assert _money(by_label["Balance due"]) == totals.total - Decimal("100.00")
    assert _money(by_label["Net amount"]) == totals.net
    skus = [grid.iat[r, 1] for r in range(len(grid)) if grid.iat[r, 1] in {"W-1", "S-1", "B-9"}]
    assert skus == ["W-1", "S-1", "B-9"]


def test_invoice_dates_are_real_dates(factory, tmp_path):
    _, invoice_no = make_sale(factory)
    doc = load_invoice_document(UnitOfWork(factory), invoice_no, SELLER)
    path, _ = write_document(doc, tmp_path)
    ws = openpyxl.load_workbook(path).active
    dates = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, datetime)]
    assert [d.date() for d in dates] == [date(2026, 3, 4), date(2026, 3, 18)]


@pytest.mark.parametrize("company", INJECTIONS)
def test_formula_like_customer_name_reads_back_as_literal_text(factory, tmp_path, company):
    quote_no, invoice_no = make_sale(factory, company=company)
    with UnitOfWork(factory) as uow:
        paths = [
            write_document(load_quote_document(uow, quote_no, SELLER), tmp_path)[0],
            write_document(load_invoice_document(uow, invoice_no, SELLER), tmp_path)[0],
        ]
    for path in paths:
        ws = openpyxl.load_workbook(path).active
        cell = next(c for row in ws.iter_rows() for c in row if c.value == company)
        assert cell.data_type == "s" and cell.quotePrefix is True
        with zipfile.ZipFile(path) as package:
            assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")
        assert company in set(pd.read_excel(path, header=None, dtype=object).stack())


def test_regenerating_a_document_gives_identical_bytes(factory, tmp_path):
    quote_no, invoice_no = make_sale(factory)
    hashes = []
    for folder in ("first", "second"):
        with UnitOfWork(factory) as uow:
            quote = write_document(load_quote_document(uow, quote_no, SELLER), tmp_path / folder)
            inv = write_document(load_invoice_document(uow, invoice_no, SELLER), tmp_path / folder)
        hashes.append((quote[1], inv[1]))
    assert hashes[0] == hashes[1]
    first, second = (tmp_path / f / "invoices" / f"{invoice_no}.xlsx" for f in ("first", "second"))
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as package:
        assert {info.date_time for info in package.infolist()} == {(2026, 3, 4, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert core.count("2026-03-04T00:00:00Z") == 2  # created and modified


def test_rewriting_an_unchanged_invoice_is_a_no_op(factory, tmp_path):
    _, invoice_no = make_sale(factory)
    doc = load_invoice_document(UnitOfWork(factory), invoice_no, SELLER)
    path, digest = write_document(doc, tmp_path)
    stamp = path.stat().st_mtime_ns
    assert write_document(doc, tmp_path) == (path, digest)
    assert path.stat().st_mtime_ns == stamp


def test_an_issued_invoice_file_is_never_overwritten_with_different_content(factory, tmp_path):
    _, invoice_no = make_sale(factory)
    issued = load_invoice_document(UnitOfWork(factory), invoice_no, SELLER)
    path, digest = write_document(issued, tmp_path)
    with UnitOfWork(factory) as uow:
        uow.records.get(Invoice, invoice_no).pay(Decimal("50"), at=AT)
        uow.commit()
    changed = load_invoice_document(UnitOfWork(factory), invoice_no, SELLER)
    with pytest.raises(IssuedInvoiceChanged) as raised:
        write_document(changed, tmp_path, overwrite_policy=OverwritePolicy.REPLACE)
    assert raised.value.number == invoice_no and raised.value.existing_sha256 == digest
    assert isinstance(raised.value, OverwriteRefused)
    assert raised.value.new_sha256 != digest
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_a_changed_quote_is_replaced_or_refused_as_the_policy_says(factory, tmp_path):
    quote_no, _ = make_sale(factory)
    doc = load_quote_document(UnitOfWork(factory), quote_no, SELLER, lang="en")
    path, english = write_document(doc, tmp_path)
    with pytest.raises(OverwriteRefused):
        write_document(doc, tmp_path, lang="tr", overwrite_policy=OverwritePolicy.REFUSE)
    _, turkish = write_document(doc, tmp_path, lang="tr")
    assert turkish != english
    assert openpyxl.load_workbook(path).active["A1"].value == "Teklif"


def test_an_unknown_reference_raises_document_not_found(factory):
    with pytest.raises(DocumentNotFound) as raised:
        load_quote_document(UnitOfWork(factory), "QUO-2026-00099", SELLER)
    assert raised.value.ref == "QUO-2026-00099"


def test_pipeline_report_counts_every_stage_and_has_a_funnel_chart(factory, tmp_path):
    make_sale(factory, seq=1, source="csv")
    make_sale(factory, seq=2, source="imap")
    with UnitOfWork(factory, clock=lambda: AT) as uow:
        dropped = Lead(first_name="Can", email="can@example.com", source="vcard")
        dropped.disqualify(DisqualifyReason.CANNOT_CONTACT, at=AT)
        waiting = Lead(first_name="Ece", email="ece@example.com", company="Ece Ltd", source="csv")
        uow.add(dropped)
        uow.add(qualify_lead(waiting, currency="EUR", at=AT))
        uow.commit()
    with factory() as session:
        report = build_pipeline_report(session, run_stats={"duplicates": 4}, today=date(2026, 3, 5))
    assert [(s.stage, s.count) for s in report.funnel] == [
        ("Leads", 4),
        ("Opportunities", 3),
        ("Quoted", 2),
        ("Ordered", 2),
        ("Invoiced", 2),
    ]
    assert report.funnel[1].rate == Decimal("0.7500")
    assert {f.label: f.count for f in report.leads_by_source} == {"csv": 2, "imap": 1, "vcard": 1}
    assert [(f.label, f.count) for f in report.quotes] == [("Won", 2), ("Closed", 2)]
    totals = {f.label: f.amounts for f in report.invoices}
    invoice_total = _invoice_total(factory, "INV-2026-00001")
    assert totals == {"Unpaid": (("TRY", invoice_total * 2),)}
    path, _ = write_pipeline_report(report, tmp_path)
    assert path == tmp_path / "reports" / "pipeline-2026-03-05.xlsx"
    ws = openpyxl.load_workbook(path).active
    assert len(ws._charts) == 1 and isinstance(ws._charts[0], BarChart)
    funnel = {row[0]: row[1] for row in _rows(path)[5:10]}
    assert funnel == {"Leads": 4, "Opportunities": 3, "Quoted": 2, "Ordered": 2, "Invoiced": 2}
    assert write_pipeline_report(report, tmp_path)[1] == write_pipeline_report(report, path)[1]


def _office() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(_office() is None, reason="LibreOffice is not installed; PDF check skipped")
def test_libreoffice_prints_quote_and_invoice_on_one_page_each(factory, tmp_path):
    quote_no, invoice_no = make_sale(factory)
    with UnitOfWork(factory) as uow:
        paths = [
            write_document(load_quote_document(uow, quote_no, SELLER), tmp_path)[0],
            write_document(load_invoice_document(uow, invoice_no, SELLER), tmp_path)[0],
        ]
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    for path in paths:
        subprocess.run(
            [
                _office(),
                profile,
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdf = (tmp_path / path.with_suffix(".pdf").name).read_bytes()
        pages = pdf.count(b"/Type /Page") + pdf.count(b"/Type/Page")
        pages -= pdf.count(b"/Type /Pages") + pdf.count(b"/Type/Pages")
        assert pages == 1
