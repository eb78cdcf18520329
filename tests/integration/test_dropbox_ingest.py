"""The drop folder end to end on SQLite: exactly once, nothing lost, bad input quarantined."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from flows.ingestion import run_ingest
from flows.settings import load_settings
from flows.wiring import App
from pipeline.store import tables as t

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def app(tmp_path):
    application = App(load_settings(tmp_path / "home"), actor="test")
    application.migrate()
    yield application
    application.close()


def drop(app: App, source: Path | bytes, name: str, *, age: float = 60.0) -> Path:
    inbox = app.settings.dropbox / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    target = inbox / name
    if isinstance(source, Path):
        shutil.copyfile(source, target)
    else:
        target.write_bytes(source)
    past = time.time() - age
    os.utime(target, (past, past))
    return target


def all_files(app: App) -> list[Path]:
    return sorted(p for p in app.settings.dropbox.rglob("*") if p.is_file())


def lead_names(app: App) -> list[tuple[str, str, str]]:
    with app.engine.connect() as conn:
        rows = conn.execute(
            select(t.leads.c.first_name, t.leads.c.last_name, t.leads.c.email).order_by(
                t.leads.c.id
            )
        )
        return [tuple(r) for r in rows]


def ingest(app: App):
    return run_ingest(app, use_imap=False, settle_seconds=0).as_dict()


def test_turkish_cp1254_semicolon_csv_keeps_good_rows_and_reports_the_bad_one(app):
    drop(app, FIXTURES / "sheet" / "turkish-cp1254.csv", "fuar-formu.csv")
    summary = ingest(app)
    assert summary["files_seen"] == 1 and summary["leads_created"] == 4
    assert summary["records_rejected"] == 1  # "Gölge Ticaret" has no name, email or phone
    assert lead_names(app) == [
        ("Işıl", "Yıldız", "isil.yildiz@anadolumakine.com.tr"),
        ("Şükrü Çağlar", "Doğan", "sukru@ozcelik.com.tr"),
        ("Ömer", "Ağaoğlu", "omer.agaoglu@example.com.tr"),
        ("Gülşen", "Öztürk", ""),
    ]
    processed = list((app.settings.dropbox / "processed").rglob("*fuar-formu.csv"))
    errors = list((app.settings.dropbox / "quarantine").rglob("*.errors.xlsx"))
    assert len(processed) == 1 and len(errors) == 1
    from openpyxl import load_workbook

    rows = list(load_workbook(errors[0]).active.iter_rows(values_only=True))
    assert any("row 5" in " ".join(str(c) for c in row if c) for row in rows)


def test_redropping_the_same_bytes_is_a_no_op(app):
    drop(app, FIXTURES / "sheet" / "turkish-cp1254.csv", "a.csv")
    assert ingest(app)["leads_created"] == 4
    drop(app, FIXTURES / "sheet" / "turkish-cp1254.csv", "a-again.csv")
    again = ingest(app)
    assert (again["leads_created"], again["files_already_seen"]) == (0, 1)
    assert again["duplicates_skipped"] >= 1
    assert len(lead_names(app)) == 4
    assert list((app.settings.dropbox / "processed").rglob("*a-again.csv*"))


def test_corrected_file_is_processed_normally(app):
    drop(app, b"Ad,E-posta\nAyse,ayse@firma.com.tr\n", "form.csv")
    ingest(app)
    drop(app, b"Ad,E-posta\nAyse,ayse@firma.com.tr\nBurak,burak@firma.com.tr\n", "form.csv")
    second = ingest(app)
    # a new file: its rows are new records; Ayse is the same person, so she merges
    assert second["files_done"] == 1
    assert (second["leads_created"], second["merged"]) == (1, 1)
    assert len(lead_names(app)) == 2


def test_half_written_file_is_not_taken(app):
    path = drop(app, b"Ad,E-posta\nAyse,ayse@firma.com.tr\n", "yaziliyor.csv", age=0)
    first = run_ingest(app, use_imap=False, settle_seconds=30).as_dict()
    assert first["files_seen"] == 0 and path.exists()


def test_bad_files_are_quarantined_with_a_reason_and_nothing_is_deleted(app):
    drop(app, os.urandom(4096) + b"\x00" * 64, "junk.csv")
    drop(app, bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 600, "mesaj.msg")
    drop(app, b"", "empty.vcf")
    before = len(all_files(app))
    summary = ingest(app)
    assert summary["files_quarantined"] == 3
    reasons = [
        p.read_text(encoding="utf-8")
        for p in (app.settings.dropbox / "quarantine").rglob("*.error.txt")
    ]
    assert len(reasons) == 3 and all("reason" in r.lower() for r in reasons)
    assert len(all_files(app)) >= before  # moved, with reason files added; never fewer


def test_vcard_21_iso_8859_9_quoted_printable_gives_correct_turkish_names(app):
    pytest.importorskip("ingest.vcard")
    fixture = FIXTURES / "vcard" / "turkish-21-qp.vcf"
    if not fixture.exists():
        pytest.skip("vCard fixture not present")
    drop(app, fixture, "kartvizit.vcf")
    summary = ingest(app)
    assert summary["leads_created"] >= 1
    names = lead_names(app)
    assert any(first == "Işıl" for first, _, _ in names), names


def test_email_inquiry_in_the_drop_folder_becomes_a_lead_with_its_signature(app):
    drop(app, FIXTURES / "email" / "turkish_inquiry_windows1254.eml", "talep.eml")
    summary = ingest(app)
    assert summary["leads_created"] == 1
    with app.engine.connect() as conn:
        lead = conn.execute(select(t.leads)).one()
        ledger = conn.execute(select(t.source_records)).one()
    assert (lead.first_name, lead.last_name, lead.title) == ("Ayşe", "Yılmaz", "Satın Alma Müdürü")
    assert (lead.email, lead.phone) == ("ayse.yilmaz@anadolumakine.example", "+902125551234")
    assert ledger.provenance and ledger.source_ref.startswith("file://")
