"""ImapMailbox against a real Dovecot: fetching once, peeking, moving, epochs and failures."""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path

import pytest
from imapclient import IMAPClient

from ingest.errors import MailboxConfigError, MailboxUnavailable
from ingest.imap_mailbox import ImapMailbox
from ingest.mailbox import Checkpoint, next_checkpoint, parse_message_id

pytestmark = pytest.mark.imap

CORPUS = Path(
    os.environ.get("SALESFLOW_CORPUS")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
)


def _mail(n: int, body: bytes = b"We would like a quote for 20 chairs.") -> bytes:
    return (
        b"From: Buyer %d <buyer%d@example.com>\r\nTo: sales@example.com\r\n"
        b"Subject: Inquiry %d\r\nMessage-ID: <inquiry-%d@example.com>\r\n\r\n%s\r\n"
    ) % (n, n, n, n, body)


def _fetch_all(mailbox: ImapMailbox, checkpoint: Checkpoint | None) -> list:
    return [message for batch in mailbox.fetch_new(checkpoint) for message in batch]


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- fetching ---------------------------------------------------------------------------------


def test_appended_messages_are_fetched_with_their_identity_and_bytes(imap_account) -> None:
    when = datetime(2024, 2, 29, 8, 15, tzinfo=UTC)
    uids = [imap_account.append(_mail(n), when=when) for n in (1, 2, 3)]
    with ImapMailbox(imap_account.settings()) as mailbox:
        uidvalidity = mailbox.current_uidvalidity()
        messages = _fetch_all(mailbox, None)
    assert [m.uid for m in messages] == uids == [1, 2, 3]
    assert {m.uidvalidity for m in messages} == {uidvalidity}
    assert [m.message_id for m in messages] == [f"<inquiry-{n}@example.com>" for n in (1, 2, 3)]
    assert [m.raw for m in messages] == [_mail(n) for n in (1, 2, 3)]
    assert messages[0].sha256 == sha256(_mail(1)).hexdigest()
    assert messages[0].internaldate == when
    assert messages[0].source_ref == f"imap://INBOX/{uidvalidity}/1"


def test_a_checkpoint_at_the_last_uid_fetches_nothing(imap_account) -> None:
    for n in (1, 2):
        imap_account.append(_mail(n))
    with ImapMailbox(imap_account.settings()) as mailbox:
        uidvalidity = mailbox.current_uidvalidity()
        assert _fetch_all(mailbox, Checkpoint(uidvalidity, 2)) == []
        assert [m.uid for m in _fetch_all(mailbox, Checkpoint(uidvalidity, 1))] == [2]
    # The server quirk the filter exists for: "UID 3:*" still answers the highest UID.
    client = IMAPClient("127.0.0.1", port=imap_account.server.port, ssl=False, timeout=10)
    with client:
        client.login(imap_account.username, imap_account.password)
        client.select_folder("INBOX", readonly=True)
        assert client.search(["UID", "3:*"]) == [2]


def test_messages_are_fetched_once_across_runs_with_batches(imap_account) -> None:
    for n in range(1, 6):
        imap_account.append(_mail(n))
    settings = imap_account.settings(batch_size=2)
    checkpoint = None
    seen = []
    for _run in range(2):
        with ImapMailbox(settings) as mailbox:
            for batch in mailbox.fetch_new(checkpoint):
                assert len(batch) <= 2
                seen.extend(m.uid for m in batch)
                checkpoint = next_checkpoint(batch, checkpoint)
    assert seen == [1, 2, 3, 4, 5]
    assert checkpoint is not None and checkpoint.last_uid == 5


def test_fetching_does_not_mark_messages_seen(imap_account) -> None:
    uid = imap_account.append(_mail(1), flags=[b"\\Flagged"])
    with ImapMailbox(imap_account.settings()) as mailbox:
        (message,) = _fetch_all(mailbox, None)
    assert message.raw == _mail(1)
    assert imap_account.flags(uid) == {b"\\Flagged"}


def test_an_oversized_message_is_flagged_and_not_downloaded(imap_account) -> None:
    imap_account.append(_mail(1, b"x" * 5_000))
    imap_account.append(_mail(2))
    with ImapMailbox(imap_account.settings(max_message_bytes=1_000)) as mailbox:
        big, small = _fetch_all(mailbox, None)
    assert (big.too_large, big.raw, big.sha256) == (True, b"", None)
    assert big.message_id == "<inquiry-1@example.com>"
    assert big.size > 5_000
    assert (small.too_large, small.raw) == (False, _mail(2))


def test_corpus_messages_survive_the_round_trip(imap_account) -> None:
    emails = CORPUS / "emails"
    if not emails.is_dir():
        pytest.skip("../shared/corpus not found; corpus tests need it")
    originals = [path.read_bytes() for path in sorted(emails.glob("*.eml"))]
    for raw in originals:
        imap_account.append(raw)
    with ImapMailbox(imap_account.settings(batch_size=7)) as mailbox:
        fetched = _fetch_all(mailbox, None)
    assert len(fetched) == len(originals)
    for original, message in zip(originals, fetched, strict=True):
        # Dovecot hands bodies back with CRLF line ends whatever was appended, and NUL bytes
        # (which an IMAP literal may not carry) as 0x80.
        expected = original.replace(b"\r\n", b"\n").replace(b"\x00", b"\x80")
        assert message.raw.replace(b"\r\n", b"\n") == expected
        assert message.message_id == parse_message_id(original)


# --- moving -----------------------------------------------------------------------------------


def test_connecting_creates_the_processed_and_quarantine_folders(imap_account) -> None:
    with ImapMailbox(imap_account.settings()):
        pass
    assert {"Processed", "Quarantine"} <= imap_account.folders()


@pytest.mark.parametrize("use_move", [True, False], ids=["move", "copy-delete-expunge"])
def test_moved_messages_leave_the_inbox_for_the_folder(imap_account, use_move: bool) -> None:
    for n in (1, 2, 3):
        imap_account.append(_mail(n))
    with ImapMailbox(imap_account.settings(), use_move=use_move) as mailbox:
        uidvalidity = mailbox.current_uidvalidity()
        mailbox.move([1, 3], "Processed", uidvalidity=uidvalidity)
        mailbox.move([2], "Quarantine")
        assert _fetch_all(mailbox, None) == []
    assert imap_account.uids("INBOX") == []
    assert imap_account.uids("Processed") == [1, 2]
    assert imap_account.uids("Quarantine") == [1]
    assert b"\\Deleted" not in imap_account.flags(1, "Processed")


def test_moving_after_the_epoch_changed_under_an_open_session_is_refused(imap_account) -> None:
    imap_account.append(_mail(1))
    with ImapMailbox(imap_account.settings()) as mailbox:
        (message,) = _fetch_all(mailbox, None)
        imap_account.set_uidvalidity(message.uidvalidity + 5)
        with pytest.raises(MailboxUnavailable) as caught:
            mailbox.move([message.uid], "Processed", uidvalidity=message.uidvalidity)
    assert caught.value.reason == "imap-uidvalidity-changed"
    assert imap_account.uids("INBOX") == [1]
    assert imap_account.uids("Processed") == []


# --- UIDVALIDITY ------------------------------------------------------------------------------


def test_a_uidvalidity_change_is_reported_and_everything_is_fetched_again(imap_account) -> None:
    for n in (1, 2):
        imap_account.append(_mail(n))
    with ImapMailbox(imap_account.settings()) as mailbox:
        old = mailbox.current_uidvalidity()
        checkpoint = next_checkpoint(_fetch_all(mailbox, None), None)
    imap_account.set_uidvalidity(old + 1000)
    with ImapMailbox(imap_account.settings()) as mailbox:
        assert mailbox.current_uidvalidity() == old + 1000
        rescanned = _fetch_all(mailbox, checkpoint)
    assert [(m.uidvalidity, m.message_id) for m in rescanned] == [
        (old + 1000, "<inquiry-1@example.com>"),
        (old + 1000, "<inquiry-2@example.com>"),
    ]


# --- failures ---------------------------------------------------------------------------------


def test_a_wrong_password_is_a_config_error(imap_account) -> None:
    with pytest.raises(MailboxConfigError) as caught:
        ImapMailbox(imap_account.settings(password="wrong-password-123")).open()
    assert caught.value.reason == "imap-login"
    assert caught.value.transient is False
    assert imap_account.username in str(caught.value)
    assert "wrong-password-123" not in str(caught.value)


def test_a_closed_port_is_transient_unavailability(imap_account) -> None:
    settings = imap_account.settings(port=_unused_port(), timeout=2.0)
    with pytest.raises(MailboxUnavailable) as caught:
        ImapMailbox(settings).open()
    assert caught.value.reason == "imap-unavailable"
    assert caught.value.transient is True


def test_a_server_that_never_greets_times_out_as_unavailable(imap_account) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        settings = imap_account.settings(port=silent.getsockname()[1], timeout=0.5)
        with pytest.raises(MailboxUnavailable, match="cannot connect") as caught:
            ImapMailbox(settings).open()
    assert caught.value.reason == "imap-unavailable"


def test_a_missing_mailbox_is_a_config_error(imap_account) -> None:
    with ImapMailbox(imap_account.settings(mailbox="NoSuchBox")) as mailbox:
        with pytest.raises(MailboxConfigError) as caught:
            mailbox.current_uidvalidity()
    assert caught.value.reason == "imap-mailbox-missing"


def test_a_dropped_connection_is_unavailable_and_the_next_call_reconnects(imap_account) -> None:
    imap_account.append(_mail(1))
    with ImapMailbox(imap_account.settings()) as mailbox:
        mailbox.current_uidvalidity()
        imap_account.server.doveadm("kick", imap_account.username)
        with pytest.raises(MailboxUnavailable) as caught:
            _fetch_all(mailbox, None)
        assert caught.value.reason == "imap-unavailable"
        assert [m.uid for m in _fetch_all(mailbox, None)] == [1]


def test_the_password_never_reaches_reprs_errors_or_logs(imap_account, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    password = imap_account.password
    imap_account.append(_mail(1))
    mailbox = ImapMailbox(imap_account.settings())
    with mailbox:
        for batch in mailbox.fetch_new(None):
            mailbox.move([m.uid for m in batch], "Processed")
        texts = [repr(mailbox), str(mailbox), repr(imap_account.settings())]
    with pytest.raises(MailboxConfigError) as caught:
        ImapMailbox(imap_account.settings(password=password + "x")).open()
    texts += [str(caught.value), repr(caught.value)]
    assert "LOGIN" in caplog.text  # the client's protocol log was captured, redacted
    assert password not in caplog.text
    assert not [text for text in texts if password in text]


# --- TLS --------------------------------------------------------------------------------------


def _needs_tls(imap_account) -> None:
    if imap_account.server.tls_port is None:
        pytest.skip("openssl missing: the test server has no TLS port")


def test_tls_with_the_servers_certificate_trusted_works(imap_account) -> None:
    _needs_tls(imap_account)
    imap_account.append(_mail(1))
    with ImapMailbox(imap_account.tls_settings()) as mailbox:
        assert [m.message_id for m in _fetch_all(mailbox, None)] == ["<inquiry-1@example.com>"]


def test_an_untrusted_certificate_is_a_config_error(imap_account) -> None:
    _needs_tls(imap_account)
    with pytest.raises(MailboxConfigError) as caught:
        ImapMailbox(imap_account.tls_settings(ca_file=None)).open()
    assert caught.value.reason == "imap-tls-verify"


def test_verification_can_be_switched_off_for_a_self_signed_server(imap_account) -> None:
    _needs_tls(imap_account)
    settings = imap_account.tls_settings(ca_file=None, verify_tls=False)
    with ImapMailbox(settings) as mailbox:
        assert mailbox.current_uidvalidity() > 0


def test_starttls_upgrades_the_plain_port(imap_account) -> None:
    _needs_tls(imap_account)
    ca_file = str(imap_account.server.ca_file)
    settings = imap_account.settings(ssl=False, starttls=True, ca_file=ca_file)
    with ImapMailbox(settings) as mailbox:
        assert mailbox.current_uidvalidity() > 0
