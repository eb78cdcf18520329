"""Small files are stored many to a transaction, and still each exactly once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select

from flows import dropbox_groups
from flows.ingestion import run_ingest
from flows.settings import load_settings
from flows.wiring import App
from pipeline.services.intake import IncomingFile, IncomingRecord, intake_files
from pipeline.services.leads import NewLead
from pipeline.store import tables as t
from pipeline.store.uow import UnitOfWork
from tests.integration.test_dropbox_ingest import all_files, drop

WHEN = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def _file(n: int) -> tuple[IncomingFile, list[IncomingRecord]]:
    sha = f"{n:02d}" * 32
    record = IncomingRecord(
        source="email",
        source_ref=f"file://{sha}",
        origin=f"m{n}.eml",
        received_at=WHEN,
        outcome="lead",
        lead=NewLead(first_name=f"Kişi{n}", email=f"kisi{n}@firma.com.tr",
                     email_key=f"kisi{n}@firma.com.tr", source="email"),
    )  # fmt: skip
    return IncomingFile(sha256=sha, name=f"m{n}.eml", size=100, kind="email"), [record]


def _count(uow_factory: Callable[[], UnitOfWork], table: t.Table) -> int:
    with uow_factory() as uow:
        return uow.session.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_group_stores_each_file_once_and_reports_files_already_stored(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    status, counts = intake_files(uow_factory(), [_file(1), _file(2)], worker="w1")
    assert status == ["done", "done"] and counts.leads_created == 2
    # file 2 again, the same bytes twice in one group, and a new file 3
    status, counts = intake_files(uow_factory(), [_file(2), _file(3), _file(3)], worker="w2")
    assert status == ["already-seen", "done", "already-seen"]
    assert counts.leads_created == 1
    assert _count(uow_factory, t.leads) == 3
    assert _count(uow_factory, t.ingest_files) == 3
    with uow_factory() as uow:
        rows = uow.session.execute(select(t.ingest_files.c.status, t.ingest_files.c.records))
        assert sorted(tuple(r) for r in rows) == [("done", 1)] * 3


def _eml(n: int) -> bytes:
    return (
        f"From: Kişi {n} <kisi{n}@firma{n}.com.tr>\r\nTo: satis@example.com\r\n"
        f"Subject: Teklif {n}\r\nMessage-ID: <{n}@firma.com.tr>\r\n"
        f"Date: Fri, 27 Nov 2026 09:30:00 +0300\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"\r\nMerhaba, 10 adet fiyat rica ederim.\r\nKişi {n}\r\n+90 532 000 00 {n:02d}\r\n"
    ).encode()


def test_many_small_files_in_several_groups_are_each_stored_and_filed_once(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(dropbox_groups, "GROUP_FILES", 4)  # 10 files: groups of 4, 4 and 2
    app = App(load_settings(tmp_path / "home"), actor="test")
    app.migrate()
    try:
        for n in range(10):
            drop(app, _eml(n), f"m{n}.eml")
        drop(app, b"\x00\x01binary junk", "junk.eml")
        first = run_ingest(app, use_imap=False, settle_seconds=0).as_dict()
        assert (first["files_done"], first["files_quarantined"]) == (10, 1)
        assert first["leads_created"] == 10
        for n in range(3):
            drop(app, _eml(n), f"again-{n}.eml")
        second = run_ingest(app, use_imap=False, settle_seconds=0).as_dict()
        assert (second["files_already_seen"], second["leads_created"]) == (3, 0)
        names = [p.name for p in all_files(app)]
        assert sum(name.endswith(".eml") for name in names) == 14  # nothing deleted
        assert not list((app.settings.dropbox / "inbox").rglob("*.eml"))
    finally:
        app.close()
