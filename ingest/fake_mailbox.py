"""An in-memory ``MailboxClient`` for unit tests of the code that drives a mailbox.

``FakeMailbox`` follows the same rules as ``imap_mailbox.ImapMailbox`` (it shares the planning
functions of ``mailbox``): UIDs grow per folder, a UIDVALIDITY change renumbers the mailbox,
fetching never sets ``\\Seen``, oversized messages come back with ``too_large=True``, moving
takes messages out of the mailbox, and moving by UIDs of an old epoch is refused. Set
``unavailable`` to make every call fail like a server that cannot be reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType

from ingest.errors import MailboxUnavailable
from ingest.mailbox import (
    Checkpoint,
    FetchedMessage,
    ImapSettings,
    MessageMeta,
    build_fetched_message,
    parse_message_id,
    plan_batches,
    start_after,
    uids_after,
)

_DEFAULT_SETTINGS = ImapSettings(host="fake.invalid", username="fake", password="")


@dataclass
class _Stored:
    raw: bytes
    internaldate: datetime
    flags: set[str] = field(default_factory=set)


@dataclass
class _Folder:
    uidvalidity: int
    next_uid: int = 1
    messages: dict[int, _Stored] = field(default_factory=dict)

    def add(self, message: _Stored) -> int:
        uid = self.next_uid
        self.messages[uid] = message
        self.next_uid += 1
        return uid


class FakeMailbox:
    """A mailbox kept in memory that behaves like ``ImapMailbox`` for its callers."""

    def __init__(self, settings: ImapSettings | None = None, *, uidvalidity: int = 1) -> None:
        self.settings = settings or _DEFAULT_SETTINGS
        self.unavailable = False
        self.closed = False
        self.moves: list[tuple[tuple[int, ...], str]] = []  # what callers asked to move, in order
        names = (self.settings.mailbox, self.settings.processed_folder)
        self._folders = {
            name: _Folder(uidvalidity) for name in (*names, self.settings.quarantine_folder)
        }

    def __repr__(self) -> str:
        return f"FakeMailbox({self.settings!r})"

    def __enter__(self) -> FakeMailbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def append(
        self,
        raw: bytes,
        *,
        folder: str | None = None,
        internaldate: datetime | None = None,
        flags: Iterable[str] = (),
    ) -> int:
        """Deliver a message to ``folder`` (the mailbox by default) and return its UID."""
        stored = _Stored(raw, internaldate or datetime.now(UTC), set(flags))
        return self._folder(folder).add(stored)

    def set_uidvalidity(self, uidvalidity: int) -> None:
        """Renumber the mailbox from UID 1 under a new UIDVALIDITY, as a rebuilt server does."""
        old = self._folder(None)
        renumbered = _Folder(uidvalidity)
        for uid in sorted(old.messages):
            renumbered.add(old.messages[uid])
        self._folders[self.settings.mailbox] = renumbered

    def uids(self, folder: str | None = None) -> list[int]:
        """Return the UIDs now in ``folder`` (the mailbox by default)."""
        return sorted(self._folder(folder).messages)

    def raw_messages(self, folder: str | None = None) -> list[bytes]:
        """Return the raw messages now in ``folder``, in UID order."""
        messages = self._folder(folder).messages
        return [messages[uid].raw for uid in sorted(messages)]

    def flags(self, uid: int, folder: str | None = None) -> frozenset[str]:
        """Return the flags of one message."""
        return frozenset(self._folder(folder).messages[uid].flags)

    def current_uidvalidity(self) -> int:
        """Return the mailbox's UIDVALIDITY."""
        self._check_available()
        return self._folder(None).uidvalidity

    def fetch_new(self, checkpoint: Checkpoint | None) -> Iterator[list[FetchedMessage]]:
        """Yield batches of messages after ``checkpoint`` exactly as ``ImapMailbox`` does."""
        self._check_available()
        s = self.settings
        inbox = self._folder(None)
        uidvalidity = inbox.uidvalidity
        uids = uids_after(inbox.messages, start_after(checkpoint, uidvalidity))
        metas = [self._meta(uid, inbox.messages[uid]) for uid in uids]
        for planned in plan_batches(
            metas,
            batch_size=s.batch_size,
            max_batch_bytes=s.max_batch_bytes,
            max_message_bytes=s.max_message_bytes,
        ):
            self._check_available()
            yield [self._fetched(inbox, meta, uidvalidity) for meta in planned]

    def move(self, uids: Sequence[int], folder: str, *, uidvalidity: int | None = None) -> None:
        """Move messages to ``folder``; unknown UIDs are ignored like on a server."""
        self._check_available()
        inbox = self._folder(None)
        if uidvalidity is not None and uidvalidity != inbox.uidvalidity:
            raise MailboxUnavailable(
                f"UIDVALIDITY of {self.settings.mailbox} changed from {uidvalidity} to "
                f"{inbox.uidvalidity}; not moving messages by stale UIDs",
                reason="imap-uidvalidity-changed",
            )
        if folder not in self._folders:
            raise MailboxUnavailable(
                f"fake server: cannot move messages to {folder!r}: [TRYCREATE] no such mailbox",
                reason="imap-refused",
            )
        target = self._folders[folder]
        for uid in sorted(set(uids)):
            message = inbox.messages.pop(uid, None)
            if message is not None:
                target.add(message)
        self.moves.append((tuple(uids), folder))

    def close(self) -> None:
        """Mark the fake closed; calls after it still work, as the real one reconnects."""
        self.closed = True

    def _folder(self, name: str | None) -> _Folder:
        return self._folders[name or self.settings.mailbox]

    def _check_available(self) -> None:
        if self.unavailable:
            raise MailboxUnavailable(
                "fake server: cannot connect: Connection refused", reason="imap-unavailable"
            )

    @staticmethod
    def _meta(uid: int, message: _Stored) -> MessageMeta:
        return MessageMeta(
            uid, len(message.raw), message.internaldate, parse_message_id(message.raw)
        )

    def _fetched(self, inbox: _Folder, meta: MessageMeta, uidvalidity: int) -> FetchedMessage:
        limit = self.settings.max_message_bytes
        raw = None if meta.size > limit else inbox.messages[meta.uid].raw
        return build_fetched_message(self.settings.mailbox, uidvalidity, meta, raw, limit)
