"""Identity at intake: one person is one lead, customers get activities, merges can be undone."""

from __future__ import annotations

import csv
import os
import time

import pytest
from sqlalchemy import func, select

from flows.ingestion import run_ingest
from flows.settings import load_settings
from flows.wiring import App
from pipeline.services import leads, review
from pipeline.store import tables as t

EMAIL = (
    "From: =?utf-8?q?Ay=C5=9Fe_Y=C4=B1lmaz?= <ayse.yilmaz@anadolumakine.com.tr>\r\n"
    "To: satis@example.com\r\nSubject: Teklif talebi\r\n"
    "Message-ID: <talep-1@anadolumakine.com.tr>\r\nDate: Thu, 26 Nov 2026 09:00:00 +0300\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    "Merhaba,\r\n10 adet pompa için teklif rica ederim.\r\n\r\n"
    "Ayşe Yılmaz\r\nSatın Alma Müdürü\r\nTel: 0212 555 12 34\r\n"
).encode()
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Yılmaz;Ayşe;;;\r\nFN:Ayşe Yılmaz\r\n"
    "ORG:Anadolu Makine A.Ş.\r\nEMAIL:AYSE.YILMAZ@ANADOLUMAKINE.COM.TR\r\n"
    "TEL;TYPE=CELL:+90 532 111 22 33\r\nEND:VCARD\r\n"
).encode()


@pytest.fixture
def app(tmp_path):
    application = App(load_settings(tmp_path / "home", auto_qualify=False), actor="test")
    application.migrate()
    yield application
    application.close()


def drop(app: App, name: str, data: bytes) -> None:
    inbox = app.settings.dropbox / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / name).write_bytes(data)
    past = time.time() - 60
    os.utime(inbox / name, (past, past))


def ingest(app: App) -> dict:
    return run_ingest(app, use_imap=False, settle_seconds=0).as_dict()


def count(app: App, table) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_same_person_from_email_vcard_and_csv_is_one_lead_with_three_provenance_entries(app):
    drop(app, "a-talep.eml", EMAIL)
    drop(app, "b-kart.vcf", VCARD)
    drop(
        app,
        "c-form.csv",
        "Ad;Soyad;E-posta;Firma\nAYŞE;YILMAZ;"
        "Ayse.Yilmaz+fuar@anadolumakine.com.tr;Anadolu Makine\n".encode("cp1254"),
    )
    summary = ingest(app)
    assert (summary["leads_created"], summary["merged"]) == (1, 2)
    with app.engine.connect() as conn:
        lead = conn.execute(select(t.leads)).one()
        refs = conn.execute(
            select(t.source_records.c.source_ref, t.source_records.c.outcome).where(
                t.source_records.c.lead_id == lead.id
            )
        ).all()
        merges = (
            conn.execute(
                select(t.events.c.details).where(
                    t.events.c.record_id == lead.id, t.events.c.action == "merge"
                )
            )
            .scalars()
            .all()
        )
        prov = dict(
            conn.execute(
                select(t.lead_provenance.c.field, t.lead_provenance.c.source_ref).where(
                    t.lead_provenance.c.lead_id == lead.id
                )
            ).all()
        )
    assert len(refs) == 3 and {o for _, o in refs} == {"lead", "merged"}
    assert len(merges) == 2
    assert (lead.first_name, lead.last_name) == ("Ayşe", "Yılmaz")
    assert lead.title == "Satın Alma Müdürü"
    assert lead.phone == "+905321112233"  # newest non-empty phone wins (the card came later)
    assert prov["phone"].endswith("#card-1") and prov["email"].startswith("file://")
    assert any(m["replaced"].get("phone") == "+902125551234" for m in merges)  # loser kept


def test_inquiry_from_an_existing_customer_becomes_an_activity_not_a_lead(app):
    drop(app, "a-talep.eml", EMAIL)
    ingest(app)
    with app.engine.connect() as conn:
        lead_id = conn.execute(select(t.leads.c.id)).scalar_one()
    leads.qualify(app.uow(), str(lead_id), currency="TRY")
    drop(app, "b-kart.vcf", VCARD)
    summary = ingest(app)
    assert (summary["leads_created"], summary["attached_to_existing"]) == (0, 1)
    assert count(app, t.leads) == 1
    with app.engine.connect() as conn:
        activity = conn.execute(select(t.activities)).one()
    assert activity.contact_id is not None and activity.opportunity_id is not None


def test_unmerge_restores_both_people(app):
    drop(app, "a-talep.eml", EMAIL)
    drop(app, "b-kart.vcf", VCARD)
    ingest(app)
    with app.engine.connect() as conn:
        lead_id = conn.execute(select(t.leads.c.id)).scalar_one()
    result = review.unmerge(app.uow(), str(lead_id))
    assert count(app, t.leads) == 2
    with app.engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(t.leads))}
        owners = conn.execute(select(t.source_records.c.lead_id)).scalars().all()
        pair = conn.execute(select(t.review_pairs.c.status)).scalar_one()
    assert rows[lead_id].phone == "+902125551234"  # the email's phone is back
    new_id = int(result.related["new_lead"].split("-")[1])
    assert rows[new_id].phone == "+905321112233"
    assert sorted(owners) == sorted([lead_id, new_id])
    assert pair == "kept-apart"


def test_a_weak_match_is_listed_for_review_and_ops_can_merge_it(app):
    drop(app, "a.csv", "Ad;Soyad\nŞükrü;Çağlar\n".encode())
    ingest(app)
    drop(app, "b.csv", b"First Name,Last Name\nSukru,Caglar\n")  # a name alone is no proof
    summary = ingest(app)
    pairs = review.open_pairs(app.uow())
    assert (summary["leads_created"], summary["review_pairs"]) == (1, 1)
    assert len(pairs) == 1 and pairs[0]["lead_a"]["last_name"] == "Çağlar"
    merged = review.merge(app.uow(), pairs[0]["a"], pairs[0]["b"])
    assert merged.related["merged"] == pairs[0]["b"]
    assert review.open_pairs(app.uow()) == []


def test_dedupe_file_adds_cluster_columns_without_a_database(tmp_path):
    from flows.dedupe_file import dedupe_file

    src = tmp_path / "list.csv"
    src.write_text(
        "id;Ad;Soyad;E-posta;Telefon\n"
        "A1;Şükrü;Çağlar;sukru@ege.com.tr;0232 555 12 34\n"
        "A2;Sukru;Caglar;sukru@ege.com.tr;+90 232 5551234\n"
        "A3;Ayşe;Kaya;ayse@kuzey.com.tr;\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    counts = dedupe_file(src, out, region="TR")
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][-3:] == ["cluster_id", "match_score", "match_reason"]
    assert rows[1][-3] == rows[2][-3] == "A1" and rows[3][-3] == "A3"
    assert float(rows[2][-2]) > 0.9 and rows[2][-1]
    assert counts == {"rows": 3, "leads": 3, "clusters": 2, "duplicates": 1}
