"""A card photo and a vCard of the same person, dropped together, become one lead."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from sqlalchemy import select

from flows.ingestion import run_ingest
from flows.settings import load_settings
from flows.wiring import App
from pipeline.store import tables as t

pytestmark = pytest.mark.slow

if shutil.which("tesseract") is None:
    pytest.skip(
        "tesseract is not installed; `make test` installs tesseract-ocr", allow_module_level=True
    )

from bench.cards import CardSpec, render_card  # noqa: E402  (needs Pillow/tesseract)

SPEC = CardSpec(
    name="Gülşen Yıldırım",
    title="Satın Alma Müdürü",
    company="Kuzey Makine A.Ş.",
    email="gulsen.yildirim@kuzeymakine.com.tr",
    phone="+90 212 555 44 33",
    mobile="+90 532 444 55 66",
    street="Büyükdere Cad. 12",
    city="İstanbul",
    website="www.kuzeymakine.com.tr",
    layout="left",
    font="DejaVuSans.ttf",
)
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Yıldırım;Gülşen;;;\r\nFN:Gülşen Yıldırım\r\n"
    "ORG:Kuzey Makine A.Ş.\r\nEMAIL:gulsen.yildirim@kuzeymakine.com.tr\r\n"
    "TEL;TYPE=WORK:0212 555 44 33\r\nEND:VCARD\r\n"
).encode()


def ingest_both(tmp_path, **settings) -> tuple[App, dict]:
    app = App(load_settings(tmp_path / "home", auto_qualify=False, **settings), actor="test")
    app.migrate()
    inbox = app.settings.dropbox / "inbox"
    inbox.mkdir(parents=True)
    (inbox / "kartvizit.png").write_bytes(render_card(SPEC))
    (inbox / "kartvizit.vcf").write_bytes(VCARD)
    past = time.time() - 60
    for f in inbox.iterdir():
        os.utime(f, (past, past))
    summary = run_ingest(app, use_imap=False, settle_seconds=0).as_dict()
    app.close()
    return app, summary


def test_card_image_and_vcard_of_one_person_are_one_lead_with_two_provenance_entries(tmp_path):
    app, summary = ingest_both(tmp_path)  # the default confidence threshold
    assert summary["files_seen"] == 2 and summary["files_quarantined"] == 0
    assert (summary["leads_created"], summary["merged"]) == (1, 1)
    with app.engine.connect() as conn:
        lead = conn.execute(select(t.leads)).one()
        sources = conn.execute(
            select(t.source_records.c.source, t.source_records.c.outcome).where(
                t.source_records.c.lead_id == lead.id
            )
        ).all()
    assert lead.email == "gulsen.yildirim@kuzeymakine.com.tr"
    assert sorted(s for s, _ in sources) == ["scan", "vcard"]


def test_a_doubtful_scan_waits_in_the_review_list_instead_of_becoming_a_lead(tmp_path):
    from pipeline.services.review import scans_to_check

    app, summary = ingest_both(tmp_path, scan_min_confidence=99)
    assert (summary["leads_created"], summary["merged"]) == (1, 0)  # the vCard only
    waiting = scans_to_check(app.uow())
    assert len(waiting) == 1 and waiting[0]["why"].startswith("low-confidence")
    assert waiting[0]["email"] == "gulsen.yildirim@kuzeymakine.com.tr"
