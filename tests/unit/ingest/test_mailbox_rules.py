"""The pure rules of the mailbox source: settings, Message-ID parsing and batch planning."""

from __future__ import annotations

import email
import email.policy
import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from ingest.errors import MailboxConfigError
from ingest.mailbox import (
    FetchedMessage,
    ImapSettings,
    MessageMeta,
    aware_internaldate,
    parse_message_id,
    plan_batches,
)

CORPUS = Path(
    os.environ.get("SALESFLOW_CORPUS")
    or Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"
)
T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _meta(uid: int, size: int) -> MessageMeta:
    return MessageMeta(uid, size, T0, None)


# --- settings ---------------------------------------------------------------------------------


def test_settings_repr_and_str_hide_the_password() -> None:
    settings = ImapSettings(host="imap.example.com", username="sales", password="p@ss-42!")
    assert "p@ss-42!" not in repr(settings)
    assert "p@ss-42!" not in str(settings)
    assert "sales" in repr(settings)


def test_settings_default_to_tls_on_port_993() -> None:
    settings = ImapSettings(host="imap.example.com", username="sales", password="x")
    assert (settings.port, settings.ssl, settings.verify_tls) == (993, True, True)
    assert (settings.processed_folder, settings.quarantine_folder) == ("Processed", "Quarantine")


def test_settings_refuse_ssl_and_starttls_together() -> None:
    with pytest.raises(MailboxConfigError, match="exclusive") as caught:
        ImapSettings(host="h", username="u", password="pw", ssl=True, starttls=True)
    assert caught.value.reason == "imap-settings"
    assert "pw" not in str(caught.value)


def test_settings_refuse_a_zero_batch_size() -> None:
    with pytest.raises(MailboxConfigError, match="positive"):
        ImapSettings(host="h", username="u", password="pw", batch_size=0)


def test_fetched_message_refuses_a_naive_internaldate() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FetchedMessage("INBOX", 1, 1, b"", None, None, datetime(2024, 1, 1), 0)


def test_internaldate_is_converted_to_utc() -> None:
    local = datetime(2024, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=3)))
    assert aware_internaldate(local) == datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    assert aware_internaldate(datetime(2024, 5, 1, 12, 0)).tzinfo is UTC


# --- Message-ID -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (b"Message-ID: <a.b@example.com>\r\n\r\n", "<a.b@example.com>"),
        (b"message-id:<x@y>\n\n", "<x@y>"),
        (b"Message-Id:\r\n <folded@example.com>\r\nSubject: s\r\n\r\n", "<folded@example.com>"),
        (b"Message-ID: bare-id@example.com\r\n\r\n", "<bare-id@example.com>"),
        (b"Message-ID: <first@x> <second@x>\r\n\r\n", "<first@x>"),
        (b"Message-ID: \r\n\r\n", None),
        (b"Message-ID: not an id\r\n\r\n", None),
        (b"Subject: none\r\n\r\n", None),
    ],
)
def test_message_id_is_read_from_the_header(headers: bytes, expected: str | None) -> None:
    assert parse_message_id(headers) == expected


def test_message_id_in_the_body_is_not_the_messages_own() -> None:
    raw = b"Subject: fwd\r\n\r\n> Message-ID: <quoted@example.com>\r\n"
    assert parse_message_id(raw) is None


def test_a_resent_message_id_header_is_not_taken_for_the_message_id() -> None:
    raw = b"Resent-Message-ID: <resent@x>\r\nMessage-ID: <own@x>\r\n\r\nbody"
    assert parse_message_id(raw) == "<own@x>"


def test_message_id_agrees_with_the_stdlib_parser_on_the_corpus() -> None:
    emails = CORPUS / "emails"
    if not emails.is_dir():
        pytest.skip("../shared/corpus not found; corpus tests need it")
    checked = 0
    for path in sorted(emails.glob("*.eml")):
        raw = path.read_bytes()
        header = email.message_from_bytes(raw, policy=email.policy.compat32)["Message-ID"]
        expected = " ".join(str(header).split()) if header is not None else None
        assert parse_message_id(raw) == expected, path.name
        checked += 1
    assert checked >= 20


# --- batch planning ---------------------------------------------------------------------------


def test_batches_hold_at_most_batch_size_messages_in_uid_order() -> None:
    metas = [_meta(uid, 10) for uid in (5, 1, 3, 2, 4)]
    planned = plan_batches(metas, batch_size=2, max_batch_bytes=10_000, max_message_bytes=100)
    assert [[m.uid for m in batch] for batch in planned] == [[1, 2], [3, 4], [5]]


def test_batches_hold_at_most_max_batch_bytes() -> None:
    metas = [_meta(1, 60), _meta(2, 60), _meta(3, 30), _meta(4, 10)]
    planned = plan_batches(metas, batch_size=10, max_batch_bytes=100, max_message_bytes=100)
    assert [[m.uid for m in batch] for batch in planned] == [[1], [2, 3, 4]]


def test_an_oversized_message_weighs_nothing_because_it_is_not_downloaded() -> None:
    metas = [_meta(1, 90), _meta(2, 5_000), _meta(3, 10)]
    planned = plan_batches(metas, batch_size=10, max_batch_bytes=100, max_message_bytes=1_000)
    assert [[m.uid for m in batch] for batch in planned] == [[1, 2, 3]]


def test_a_message_larger_than_a_batch_gets_a_batch_of_its_own() -> None:
    metas = [_meta(1, 10), _meta(2, 500), _meta(3, 10)]
    planned = plan_batches(metas, batch_size=10, max_batch_bytes=100, max_message_bytes=1_000)
    assert [[m.uid for m in batch] for batch in planned] == [[1], [2], [3]]


def test_no_messages_plan_no_batches() -> None:
    assert plan_batches([], batch_size=10, max_batch_bytes=100, max_message_bytes=100) == []
