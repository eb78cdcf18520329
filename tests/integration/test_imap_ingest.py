"""Mailbox ingestion against a real Dovecot: exactly once, crash-safe, UIDVALIDITY-safe."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from flows.mailbox_run import Folders, process_mailbox
from flows.settings import load_settings
from flows.wiring import App
from ingest.imap_mailbox import ImapMailbox
from pipeline.store import tables as t

pytestmark = pytest.mark.imap


def inquiry(n: int, *, auto: bool = False) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Müşteri {n} <musteri{n}@firma{n}.com.tr>"
    msg["To"] = "satis@example.com"
    msg["Subject"] = "Otomatik yanıt: teklif" if auto else f"Teklif talebi {n}"
    msg["Message-ID"] = f"<inq-{n}-{'auto' if auto else 'x'}@firma{n}.com.tr>"
    msg["Date"] = "Thu, 26 Nov 2026 09:00:00 +0300"
    if auto:
        msg["Auto-Submitted"] = "auto-replied"
    msg.set_content(
        f"Merhaba,\n{n * 10} adet pompa için teklif rica ederim.\n\n"
        f"Saygılarımla,\nMüşteri {n}\nSatın Alma Müdürü\nTel: 0212 555 12 {n:02d}\n"
    )
    return msg.as_bytes()


@pytest.fixture
def app(tmp_path):
    application = App(load_settings(tmp_path / "home"), actor="test")
    application.migrate()
    yield application
    application.close()


def leads(app: App) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.leads)).scalar_one())


def run_once(app, account, **kw):
    with ImapMailbox(account.settings()) as client:
        return process_mailbox(app, client, Folders(), **kw)


def test_new_mail_is_ingested_once_and_moved(app, imap_account):
    for n in (1, 2, 3):
        imap_account.append(inquiry(n))
    first = run_once(app, imap_account)
    assert (first.messages_seen, first.counts.leads_created, first.moved) == (3, 3, 3)
    assert imap_account.uids("INBOX") == []
    assert len(imap_account.uids("Processed")) == 3
    second = run_once(app, imap_account)
    assert (second.messages_seen, second.counts.leads_created) == (0, 0)
    assert leads(app) == 3


def test_auto_replies_never_become_leads(app, imap_account):
    imap_account.append(inquiry(1))
    imap_account.append(inquiry(2, auto=True))
    result = run_once(app, imap_account)
    assert (result.counts.leads_created, result.counts.auto_replies) == (1, 1)
    assert leads(app) == 1


def test_crash_after_commit_before_move_does_not_double_the_lead(app, imap_account):
    imap_account.append(inquiry(1))
    imap_account.append(inquiry(2))

    def crash() -> None:
        raise RuntimeError("killed after commit")

    with pytest.raises(RuntimeError, match="killed after commit"):
        run_once(app, imap_account, after_commit=crash)
    assert leads(app) == 2
    assert len(imap_account.uids("INBOX")) == 2  # not moved yet
    again = run_once(app, imap_account)
    assert again.counts.leads_created == 0
    assert again.moved == 2 and imap_account.uids("INBOX") == []
    assert leads(app) == 2


def test_uidvalidity_change_does_not_double_anything(app, imap_account):
    imap_account.append(inquiry(1))
    imap_account.append(inquiry(2))
    with pytest.raises(RuntimeError):
        run_once(
            app, imap_account, after_commit=lambda: (_ for _ in ()).throw(RuntimeError("crash"))
        )
    imap_account.set_uidvalidity(777)
    imap_account.append(inquiry(3))
    after = run_once(app, imap_account)
    assert after.already_seen == 2
    assert after.counts.leads_created == 1
    assert leads(app) == 3
    assert imap_account.uids("INBOX") == []
    with app.engine.connect() as conn:
        refs = conn.execute(select(t.source_records.c.source_ref)).scalars().all()
    assert sorted(r.split("/")[3] for r in refs).count("777") == 1
