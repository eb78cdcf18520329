"""Benchmark: 1,000 quotes and 1,000 invoices from an SQLite file, written as workbooks.

Run: ``.venv/bin/python bench/exports.py [--sales 1000] [--out DIR]``. Prints one row per
phase: documents, seconds, documents per second, peak resident memory so far (MB). The goal is
at most 30 s per 1,000 workbooks.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would hide the
# ``exports`` package it measures; drop that folder before importing it.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from exports.documents import (  # noqa: E402
    InvoiceDocument,
    QuoteDocument,
    load_invoice_document,
    load_quote_document,
)
from exports.parties import SellerInfo  # noqa: E402
from exports.xlsx import write_document  # noqa: E402
from pipeline.domain.lead import Lead  # noqa: E402
from pipeline.domain.lines import Discount  # noqa: E402
from pipeline.domain.parties import Product  # noqa: E402
from pipeline.domain.process import accept_quote, create_quote, issue_invoice, qualify_lead  # noqa: E402
from pipeline.store.database import make_engine, make_session_factory  # noqa: E402
from pipeline.store.tables import metadata  # noqa: E402
from pipeline.store.uow import UnitOfWork  # noqa: E402

AT = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
SELLER = SellerInfo(
    name="Deniz Yazılım A.Ş.",
    address="Büyükdere Cd. 1\n34394 İstanbul",
    tax_id="1234567890",
    email="satis@deniz.example",
    phone="+90 212 555 00 00",
    iban="TR12 0006 4000 0011 2345 6789 01",
)
BATCH = 100


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def products() -> list[Product]:
    return [
        Product(
            f"P-{i:03d}",
            f"Product {i} — part",
            Decimal(f"{10 + i}.{i % 100:02d}"),
            "TRY",
            Decimal("20") if i % 3 else Decimal("10"),
        )
        for i in range(1, 9)
    ]


def add_sale(uow: UnitOfWork, n: int, catalogue: list[Product]) -> None:
    lead = Lead(
        first_name=f"Kişi{n}",
        last_name="Yılmaz",
        email=f"k{n}@example.com",
        company=f"Firma {n} A.Ş.",
        city="İzmir",
        country="TR",
        source="csv",
    )
    opp = qualify_lead(lead, currency="TRY", at=AT)
    for k in range(1 + n % 6):
        discount = Discount.parse("10%") if k % 2 else Discount()
        opp.add_line(catalogue[(n + k) % len(catalogue)], Decimal(1 + k), discount, at=AT)
    quote = create_quote(opp, seq=n, year=2026, at=AT)
    quote.set_discount(Discount.parse("5%") if n % 4 == 0 else Discount(), at=AT)
    quote.activate(at=AT)
    order = accept_quote(quote, seq=n, year=2026, at=AT)
    order.fulfil(at=AT)
    uow.add(issue_invoice(order, seq=n, year=2026, at=AT))


def create_sales(factory: Callable[[], object], count: int) -> None:
    catalogue = products()
    for start in range(1, count + 1, BATCH):
        with UnitOfWork(factory, clock=lambda: AT) as uow:  # type: ignore[arg-type]
            for n in range(start, min(start + BATCH, count + 1)):
                add_sale(uow, n, catalogue)
            uow.commit()


def export(factory: Callable[[], object], out: Path, kind: str, count: int) -> None:
    with UnitOfWork(factory) as uow:  # type: ignore[arg-type]
        for n in range(1, count + 1):
            doc: QuoteDocument | InvoiceDocument
            if kind == "quote":
                doc = load_quote_document(uow, f"QUO-2026-{n:05d}", SELLER, "tr")
            else:
                doc = load_invoice_document(uow, f"INV-2026-{n:05d}", SELLER, "tr")
            write_document(doc, out)
            if n % BATCH == 0:
                uow.session.expunge_all()  # keep memory flat: documents are plain values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="salesflow-bench-"))
    out = args.out or work / "exports"
    engine = make_engine(f"sqlite:///{work / 'bench.db'}")
    metadata.create_all(engine)
    factory = make_session_factory(engine)
    rows: list[tuple[str, int, float]] = []

    def phase(name: str, docs: int, run: Callable[[], None]) -> None:
        start = time.perf_counter()
        run()
        rows.append((name, docs, time.perf_counter() - start, peak_mb()))  # type: ignore[arg-type]

    n = args.sales
    phase("create sales in SQLite", n, lambda: create_sales(factory, n))
    phase("quotes -> xlsx", n, lambda: export(factory, out, "quote", n))
    phase("invoices -> xlsx", n, lambda: export(factory, out, "invoice", n))
    phase("invoices again (no-op)", n, lambda: export(factory, out, "invoice", n))
    print(f"{'phase':<26}{'docs':>7}{'seconds':>10}{'docs/s':>10}{'peak MB':>10}")
    for name, docs, seconds, mb in rows:  # type: ignore[misc]
        print(f"{name:<26}{docs:>7}{seconds:>10.2f}{docs / seconds:>10.1f}{mb:>10.1f}")
    print(f"workbooks in {out}")
    engine.dispose()


if __name__ == "__main__":
    main()
