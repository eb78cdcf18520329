"""The real mailbox: an IMAP server reached with imapclient.

``ImapMailbox`` implements ``mailbox.MailboxClient``. It connects with TLS by default, creates
the processed and quarantine folders when missing, fetches with ``BODY.PEEK[]`` (nothing is
marked ``\\Seen``) and moves with ``UID MOVE``, or ``UID COPY`` + ``\\Deleted`` + ``UID
EXPUNGE`` on servers without MOVE.

Errors are translated at this border: refused logins, unverifiable certificates and missing
mailboxes become ``MailboxConfigError`` (terminal); refused connections, timeouts, dropped
sockets and other server refusals become ``MailboxUnavailable`` (transient). The password never
appears in a repr, a log line or an exception message.
"""

from __future__ import annotations

import ipaddress
import logging
import ssl
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, suppress
from types import TracebackType
from typing import Any

from imapclient import DELETED, IMAPClient
from imapclient.exceptions import IMAPClientError

from ingest.errors import MailboxConfigError, MailboxUnavailable
from ingest.imap_errors import REFUSED, translated_errors
from ingest.mailbox import (
    Checkpoint,
    FetchedMessage,
    ImapSettings,
    MessageMeta,
    aware_internaldate,
    build_fetched_message,
    parse_message_id,
    plan_batches,
    start_after,
    uids_after,
)

log = logging.getLogger(__name__)

_META_ITEMS = ["RFC822.SIZE", "INTERNALDATE", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]
_HEADER_FIELDS_KEY = b"BODY[HEADER.FIELDS"  # servers differ in how they echo the field list


class ImapMailbox:
    """A ``MailboxClient`` on a real IMAP server; use it as a context manager.

    ``use_move=False`` forces the COPY + ``\\Deleted`` + EXPUNGE path even when the server
    offers MOVE (servers without MOVE exist; tests need to exercise that path).
    """

    def __init__(self, settings: ImapSettings, *, use_move: bool = True) -> None:
        self._settings = settings
        self._use_move = use_move
        self._client: Any = None  # imapclient ships no type information

    def __repr__(self) -> str:
        return f"ImapMailbox({self._settings!r})"

    def __enter__(self) -> ImapMailbox:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def open(self) -> None:
        """Connect, log in and create the processed/quarantine folders when missing."""
        if self._client is not None:
            return
        s = self._settings
        context = self._ssl_context() if s.ssl or s.starttls else None
        if context is None and not _is_loopback(s.host):
            log.warning("IMAP credentials for %s go to %s without TLS", s.username, s.host)
        with self._errors("connect"):
            client = IMAPClient(
                s.host, port=s.port, ssl=s.ssl, ssl_context=context, timeout=s.timeout
            )
        try:
            with self._errors("log in"):
                if s.starttls:
                    client.starttls(context)
                client.login(s.username, s.password)
            client.normalise_times = False  # keep the server's offset: aware datetimes
            self._client = client
            self._ensure_folders()
        except BaseException:
            self._client = None
            with suppress(Exception):
                client.shutdown()
            raise
        log.info("connected to IMAP %s:%d as %s", s.host, s.port, s.username)

    def close(self) -> None:
        """Log out and drop the connection; safe to call twice."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except (IMAPClientError, OSError):
            with suppress(Exception):
                client.shutdown()

    def current_uidvalidity(self) -> int:
        """Select the configured mailbox and return its UIDVALIDITY."""
        return self._select()

    def fetch_new(self, checkpoint: Checkpoint | None) -> Iterator[list[FetchedMessage]]:
        """Yield batches of messages after ``checkpoint``, oldest first, without marking them seen.

        A checkpoint from another UIDVALIDITY epoch means the server renumbered the mailbox:
        every message is yielded again and the caller skips those it already stored.
        """
        uidvalidity = self._select()
        after = start_after(checkpoint, uidvalidity)
        if checkpoint is not None and checkpoint.uidvalidity != uidvalidity:
            log.warning(
                "UIDVALIDITY of %s changed from %d to %d; rescanning every message",
                self._settings.mailbox,
                checkpoint.uidvalidity,
                uidvalidity,
            )
        with self._errors("search"):
            found = self._connected().search(["UID", f"{after + 1}:*"])
        uids = uids_after(found, after)
        log.info("%d new messages in %s", len(uids), self._settings.mailbox)
        s = self._settings
        for start in range(0, len(uids), s.batch_size):
            metas = self._fetch_metas(uids[start : start + s.batch_size])
            for planned in plan_batches(
                metas,
                batch_size=s.batch_size,
                max_batch_bytes=s.max_batch_bytes,
                max_message_bytes=s.max_message_bytes,
            ):
                yield self._download(planned, uidvalidity)

    def move(self, uids: Sequence[int], folder: str, *, uidvalidity: int | None = None) -> None:
        """Move messages to ``folder``, refusing when the UIDVALIDITY is not ``uidvalidity``.

        UIDs only mean something within one epoch: after a renumbering the same UIDs name
        other messages, so moving them would file away mail nobody has read.
        """
        if not uids:
            return
        current = self._select()
        if uidvalidity is not None and uidvalidity != current:
            raise MailboxUnavailable(
                f"UIDVALIDITY of {self._settings.mailbox} changed from {uidvalidity} to "
                f"{current}; not moving messages by stale UIDs",
                reason="imap-uidvalidity-changed",
            )
        ordered = sorted(set(uids))
        for start in range(0, len(ordered), self._settings.batch_size):
            chunk = ordered[start : start + self._settings.batch_size]
            with self._errors(f"move messages to {folder!r}"):
                client = self._connected()
                if self._use_move and client.has_capability("MOVE"):
                    client.move(chunk, folder)
                else:
                    _copy_delete_expunge(client, chunk, folder)
        log.info("moved %d messages to %s", len(ordered), folder)

    def _ssl_context(self) -> ssl.SSLContext:
        try:
            context = ssl.create_default_context(cafile=self._settings.ca_file)
        except OSError as exc:
            raise MailboxConfigError(
                f"IMAP ca_file {self._settings.ca_file!r} cannot be read: {exc.strerror}",
                reason="imap-settings",
            ) from None
        if not self._settings.verify_tls:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _connected(self) -> Any:
        if self._client is None:
            self.open()
        return self._client

    def _select(self) -> int:
        mailbox = self._settings.mailbox
        client = self._connected()
        try:
            with self._errors(f"select {mailbox!r}"):
                response = client.select_folder(mailbox)
        except MailboxUnavailable as exc:
            if exc.reason != REFUSED:
                raise
            # The server answered NO: the mailbox does not exist or is not ours to read.
            raise MailboxConfigError(str(exc), reason="imap-mailbox-missing") from None
        return int(response[b"UIDVALIDITY"])

    def _ensure_folders(self) -> None:
        for folder in (self._settings.processed_folder, self._settings.quarantine_folder):
            if not self._folder_exists(folder):
                self._create_folder(folder)

    def _folder_exists(self, folder: str) -> bool:
        with self._errors(f"look up folder {folder!r}"):
            return bool(self._client.folder_exists(folder))

    def _create_folder(self, folder: str) -> None:
        try:
            with self._errors(f"create folder {folder!r}"):
                self._client.create_folder(folder)
        except MailboxUnavailable as exc:
            # Another run may have created it meanwhile; otherwise the name is not allowed here
            # (some servers want folders under a namespace prefix such as "INBOX.").
            if exc.reason != REFUSED or self._folder_exists(folder):
                raise
            raise MailboxConfigError(str(exc), reason="imap-folder") from None
        log.info("created IMAP folder %s", folder)

    def _fetch_metas(self, uids: Sequence[int]) -> list[MessageMeta]:
        with self._errors("fetch message sizes"):
            response = self._connected().fetch(uids, _META_ITEMS)
        metas = []
        for uid in uids:
            data = response.get(uid)
            if not data or b"RFC822.SIZE" not in data:
                continue  # expunged by someone else since the search
            header = next((v for k, v in data.items() if k.startswith(_HEADER_FIELDS_KEY)), b"")
            when = aware_internaldate(data.get(b"INTERNALDATE"))
            metas.append(
                MessageMeta(uid, int(data[b"RFC822.SIZE"]), when, parse_message_id(header or b""))
            )
        return metas

    def _download(self, batch: Sequence[MessageMeta], uidvalidity: int) -> list[FetchedMessage]:
        limit = self._settings.max_message_bytes
        wanted = [meta.uid for meta in batch if meta.size <= limit]
        bodies: dict[int, bytes] = {}
        if wanted:
            with self._errors("fetch messages"):
                response = self._connected().fetch(wanted, ["BODY.PEEK[]"])
            bodies = {
                uid: response[uid][b"BODY[]"]
                for uid in wanted
                if b"BODY[]" in response.get(uid, {})
            }
        messages = []
        for meta in batch:
            raw = bodies.get(meta.uid)
            if meta.size <= limit and raw is None:
                continue  # expunged between the size fetch and the body fetch
            messages.append(
                build_fetched_message(self._settings.mailbox, uidvalidity, meta, raw, limit)
            )
        return messages

    def _errors(self, action: str) -> AbstractContextManager[None]:
        return translated_errors(self._settings, action, on_broken=self._drop)

    def _drop(self) -> None:
        """Forget a broken connection so the next call reconnects."""
        client, self._client = self._client, None
        if client is not None:
            with suppress(Exception):
                client.shutdown()


def _copy_delete_expunge(client: Any, uids: list[int], folder: str) -> None:
    """Move without RFC 6851 MOVE: copy, flag ``\\Deleted``, then expunge just those UIDs."""
    client.copy(uids, folder)
    client.add_flags(uids, [DELETED], silent=True)
    if client.has_capability("UIDPLUS"):
        client.uid_expunge(uids)
    else:
        # Without UIDPLUS only a plain EXPUNGE exists; the mailbox belongs to this pipeline, so
        # other \Deleted messages in it are ours to remove too.
        client.expunge()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
