"""The mailbox source: settings, fetched messages, checkpoints and the client interface.

A nightly run asks a ``MailboxClient`` for the messages that arrived after its ``Checkpoint``
``(uidvalidity, last_uid)``, parses and stores them, commits, then moves them to the processed
(or quarantine) folder. Exactly-once comes from three parts working together:

- the checkpoint, so a normal run only asks for UIDs above the last one committed;
- ``BODY.PEEK[]`` fetches, so nothing is marked ``\\Seen`` before the database commit;
- a Message-ID / sha256 guard kept by the caller, which makes the full rescan after a
  UIDVALIDITY change (every UID is new then) skip what was already stored.

This module holds the shared vocabulary and the pure planning rules (which UIDs are new, how
they are cut into batches); ``imap_mailbox.ImapMailbox`` talks to a real server and
``fake_mailbox.FakeMailbox`` keeps messages in memory for tests of callers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import sha256
from typing import NamedTuple, Protocol

from ingest.errors import MailboxConfigError


@dataclass(frozen=True, kw_only=True)
class ImapSettings:
    """How to reach one IMAP mailbox; the password is kept out of ``repr``/``str``."""

    host: str
    port: int = 993
    username: str
    password: str = field(repr=False)
    mailbox: str = "INBOX"
    processed_folder: str = "Processed"
    quarantine_folder: str = "Quarantine"
    ssl: bool = True
    starttls: bool = False
    verify_tls: bool = True
    ca_file: str | None = None  # a private CA or self-signed server certificate to trust
    timeout: float = 30.0
    batch_size: int = 200
    max_message_bytes: int = 25_000_000
    max_batch_bytes: int = 100_000_000  # keeps one batch's memory bounded

    def __post_init__(self) -> None:
        if self.ssl and self.starttls:
            raise MailboxConfigError(
                "ssl and starttls are exclusive: ssl wraps the connection from the start, "
                "starttls upgrades a plain one",
                reason="imap-settings",
            )
        if self.batch_size < 1 or self.max_message_bytes < 1 or self.max_batch_bytes < 1:
            raise MailboxConfigError(
                "batch_size, max_message_bytes and max_batch_bytes must be positive",
                reason="imap-settings",
            )
        if self.timeout <= 0:
            raise MailboxConfigError("timeout must be positive", reason="imap-settings")


@dataclass(frozen=True, slots=True)
class FetchedMessage:
    """One message as fetched from the mailbox, not yet parsed.

    ``too_large`` messages (server size over ``max_message_bytes``) are not downloaded:
    ``raw`` is empty and ``sha256`` is ``None`` so the caller quarantines them by reason
    instead of comparing a meaningless hash.
    """

    mailbox: str
    uidvalidity: int
    uid: int
    raw: bytes
    message_id: str | None
    sha256: str | None
    internaldate: datetime
    size: int
    too_large: bool = False

    def __post_init__(self) -> None:
        if self.internaldate.tzinfo is None:
            raise ValueError("internaldate must be timezone-aware")

    @property
    def source_ref(self) -> str:
        """The ledger key of this message: ``imap://<mailbox>/<uidvalidity>/<uid>``."""
        return f"imap://{self.mailbox}/{self.uidvalidity}/{self.uid}"


class Checkpoint(NamedTuple):
    """The last UID committed in one UIDVALIDITY epoch of a mailbox."""

    uidvalidity: int
    last_uid: int


class MessageMeta(NamedTuple):
    """What the server says about a message before its body is downloaded."""

    uid: int
    size: int
    internaldate: datetime
    message_id: str | None


class MailboxClient(Protocol):
    """A mailbox the nightly run reads new messages from and files them away in."""

    def current_uidvalidity(self) -> int:
        """Return the UIDVALIDITY of the configured mailbox as the server reports it now."""
        ...

    def fetch_new(self, checkpoint: Checkpoint | None) -> Iterator[list[FetchedMessage]]:
        """Yield batches of messages after ``checkpoint`` (all of them on a new UIDVALIDITY)."""
        ...

    def move(self, uids: Sequence[int], folder: str, *, uidvalidity: int | None = None) -> None:
        """Move messages out of the mailbox into ``folder`` (refused on a UIDVALIDITY change)."""
        ...

    def close(self) -> None:
        """Release the connection; safe to call twice."""
        ...


def start_after(checkpoint: Checkpoint | None, uidvalidity: int) -> int:
    """Return the UID to fetch after: the checkpoint's, or 0 (everything) on a new epoch."""
    if checkpoint is None or checkpoint.uidvalidity != uidvalidity:
        return 0
    return checkpoint.last_uid


def uids_after(found: Iterable[int], after: int) -> list[int]:
    """Return the sorted distinct UIDs strictly greater than ``after``.

    ``UID SEARCH n:*`` always matches the highest UID even when it is below ``n`` (``*`` is
    the largest UID in use and a range is unordered), so the server's answer is filtered here.
    """
    return sorted({uid for uid in found if uid > after})


def next_checkpoint(batch: Sequence[FetchedMessage], previous: Checkpoint | None) -> Checkpoint:
    """Return the checkpoint to store once ``batch`` has been committed."""
    if not batch:
        if previous is None:
            raise ValueError("an empty batch and no previous checkpoint give no checkpoint")
        return previous
    epoch = batch[0].uidvalidity
    last = max(message.uid for message in batch)
    if previous is not None and previous.uidvalidity == epoch:
        last = max(last, previous.last_uid)
    return Checkpoint(epoch, last)


def plan_batches(
    metas: Sequence[MessageMeta], *, batch_size: int, max_batch_bytes: int, max_message_bytes: int
) -> list[list[MessageMeta]]:
    """Cut messages into batches of at most ``batch_size`` messages and ``max_batch_bytes``.

    Oversized messages are never downloaded, so they count as zero bytes; a single message
    larger than ``max_batch_bytes`` (but within ``max_message_bytes``) gets a batch of its own.
    """
    batches: list[list[MessageMeta]] = []
    current: list[MessageMeta] = []
    current_bytes = 0
    for meta in sorted(metas, key=lambda m: m.uid):
        weight = 0 if meta.size > max_message_bytes else meta.size
        if current and (len(current) >= batch_size or current_bytes + weight > max_batch_bytes):
            batches.append(current)
            current, current_bytes = [], 0
        current.append(meta)
        current_bytes += weight
    if current:
        batches.append(current)
    return batches


_MESSAGE_ID_HEADER = re.compile(rb"^message-id[ \t]*:(.*(?:\r?\n[ \t].*)*)", re.I | re.M)


def build_fetched_message(
    mailbox: str, uidvalidity: int, meta: MessageMeta, raw: bytes | None, limit: int
) -> FetchedMessage:
    """Build the message to yield; ``raw=None`` means the body was not downloaded (too large)."""
    too_large = raw is None or len(raw) > limit  # a server may understate RFC822.SIZE
    body = b"" if too_large or raw is None else raw
    return FetchedMessage(
        mailbox=mailbox,
        uidvalidity=uidvalidity,
        uid=meta.uid,
        raw=body,
        message_id=meta.message_id,
        sha256=None if too_large else sha256(body).hexdigest(),
        internaldate=aware_internaldate(meta.internaldate),
        size=meta.size if raw is None else max(meta.size, len(raw)),
        too_large=too_large,
    )


def aware_internaldate(value: object) -> datetime:
    """Return the server's INTERNALDATE in UTC (naive values are taken as UTC)."""
    if not isinstance(value, datetime):
        return datetime.now(UTC)  # no INTERNALDATE: the time we saw it is the best we have
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


_HEADER_END = re.compile(rb"\r?\n\r?\n")
_ANGLE_ADDR = re.compile(r"<([^<>\s]+)>")


def parse_message_id(header_block: bytes) -> str | None:
    """Return the Message-ID (``<left@right>``) from raw message headers, or ``None``.

    Only the header section is searched (a quoted message in the body has its own
    Message-ID). Folded values are unfolded; a value without angle brackets is kept as one
    bracketed token when it has no spaces, because some mailers omit the brackets.
    """
    end = _HEADER_END.search(header_block)
    head = header_block if end is None else header_block[: end.start()]
    match = _MESSAGE_ID_HEADER.search(head)
    if match is None:
        return None
    value = match.group(1).decode("ascii", "replace")
    value = " ".join(value.split())
    angle = _ANGLE_ADDR.search(value)
    if angle is not None:
        return f"<{angle.group(1)}>"
    if value and " " not in value and "\ufffd" not in value:
        return f"<{value}>"
    return None
