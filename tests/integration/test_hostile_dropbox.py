"""Hostile files through the real drop-folder run: refused with reasons, good data still kept."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from flows.ingestion import run_ingest
from flows.settings import load_settings
from flows.wiring import App
from pipeline.store import tables as t


@pytest.fixture
def app(tmp_path: Path):
    application = App(load_settings(tmp_path / "home"), actor="test")
    application.migrate()
    yield application
    application.close()


def drop(app: App, data: bytes, name: str) -> Path:
    inbox = app.settings.dropbox / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    target = inbox / name
    target.write_bytes(data)
    past = time.time() - 60
    os.utime(target, (past, past))
    return target


def xlsx_members() -> dict[str, bytes]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ad Soyad", "E-posta"])
    sheet.append(["Ayşe Yılmaz", "ayse@firma.example"])
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def ratio_bomb() -> bytes:
    """A workbook whose image member is 50 MB of zeros (~50 KB compressed)."""
    out = io.BytesIO(zipped(xlsx_members()))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/image1.png", "w") as handle:
            for _ in range(50):
                handle.write(b"\0" * 1_000_000)
    return out.getvalue()


def quarantine_reasons(app: App) -> dict[str, str]:
    notes = (app.settings.dropbox / "quarantine").rglob("*.error.txt")
    return {
        p.name.removesuffix(".error.txt"): p.read_text(encoding="utf-8").split("\n")[0]
        for p in notes
    }


def test_hostile_files_are_quarantined_with_their_reasons_and_good_files_still_load(app) -> None:
    members = xlsx_members()
    lol = b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    members["xl/worksheets/sheet1.xml"] = lol + members["xl/worksheets/sheet1.xml"]
    drop(app, zipped(members), "lol.xlsx")
    drop(app, ratio_bomb(), "bomb.xlsx")
    drop(app, os.urandom(4096), "cards.vcf")
    drop(app, os.urandom(4096), "mail.eml")
    message = "Merhaba " * 1_250_000  # 10 MB on one line
    drop(app, f'Ad Soyad,E-posta,Mesaj\nAli Can,ali@x.example,"{message}"\n'.encode(), "form.csv")
    card = (  # one stray NUL in a real-sized card (more would make it binary junk)
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Veli\x00 Kaya\r\nEMAIL:veli@y.example\r\n"
        + b"NOTE:"
        + b"Fuarda tanistik. " * 20
        + b"\r\nEND:VCARD\r\n"
    )
    drop(app, card, "veli.vcf")

    summary = run_ingest(app, use_imap=False, settle_seconds=0).as_dict()

    assert quarantine_reasons(app) == {
        "lol.xlsx": "reason: xml-entities",
        "bomb.xlsx": "reason: zip-bomb",
        "cards.vcf": "reason: binary-junk",
        "mail.eml": "reason: binary-junk",
    }
    assert summary["files_quarantined"] == 4
    with app.engine.connect() as conn:
        rows = conn.execute(select(t.leads.c.email, t.leads.c.last_name).order_by(t.leads.c.id))
        leads = sorted(tuple(r) for r in rows)
    assert leads == [("ali@x.example", "Can"), ("veli@y.example", "Kaya")]
