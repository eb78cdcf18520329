"""One pass over the inquiry mailbox: fetch (peek) → parse → store → move, exactly once.

Order per batch: fetch with ``BODY.PEEK[]`` → parse and normalise → one transaction with the
records, the Message-ID/sha256 guard rows and the checkpoint → move to Processed/Quarantine
→ mark moved. A crash after the commit leaves the messages in INBOX but recorded; the next
pass moves them first (``pending_moves``) and the checkpoint keeps them from being fetched
again. After a UIDVALIDITY change everything is fetched again and the guard skips what was
stored before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flows.collector import bulk_work
from flows.convert import Collected, convert
from flows.wiring import App
from ingest.mailbox import Checkpoint, FetchedMessage, MailboxClient
from ingest.message import parse_message
from ingest.records import ParsedItem, Rejected
from pipeline.services import intake
from pipeline.services.intake import IncomingRecord, IntakeCounts


@dataclass
class MailSummary:
    messages_seen: int = 0
    already_seen: int = 0
    moved: int = 0
    counts: IntakeCounts = field(default_factory=IntakeCounts)
    message_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Folders:
    mailbox: str = "INBOX"
    processed: str = "Processed"
    quarantine: str = "Quarantine"


def message_key(m: FetchedMessage) -> str:
    return m.message_id or f"sha256:{m.sha256 or m.source_ref}"


def process_mailbox(
    app: App,
    client: MailboxClient,
    folders: Folders,
    *,
    after_commit: Callable[[], None] | None = None,
) -> MailSummary:
    """Ingest new mail once; ``after_commit`` is a test hook (crash injection)."""
    summary = MailSummary()
    uidvalidity = client.current_uidvalidity()
    state = intake.mailbox_state(app.uow(), folders.mailbox, uidvalidity)
    _move(app, client, folders, uidvalidity, state.pending_moves, summary)
    checkpoint = Checkpoint(*state.checkpoint) if state.checkpoint else None
    with bulk_work():
        for batch in client.fetch_new(checkpoint):
            _process_batch(app, client, folders, uidvalidity, batch, summary, after_commit)
    return summary


def _process_batch(
    app: App,
    client: MailboxClient,
    folders: Folders,
    uidvalidity: int,
    batch: Sequence[FetchedMessage],
    summary: MailSummary,
    after_commit: Callable[[], None] | None,
) -> None:
    summary.messages_seen += len(batch)
    seen = intake.seen_messages(
        app.uow(), [message_key(m) for m in batch], [m.sha256 for m in batch if m.sha256]
    )
    items: list[IncomingRecord] = []
    rows: list[dict[str, Any]] = []
    moves: list[tuple[int, str]] = []
    for m in batch:
        if message_key(m) in seen or (m.sha256 and m.sha256 in seen):
            summary.already_seen += 1
            moves.append((m.uid, folders.processed))
            continue
        parsed = _parse(m)
        bad = any(isinstance(p, Rejected) and p.source_ref == m.source_ref for p in parsed)
        target = folders.quarantine if bad else folders.processed
        items.extend(
            convert(
                parsed,
                region=app.settings.default_region,
                received_at=m.internaldate,
                collected=Collected(),
            )
        )
        rows.append(
            {
                "message_key": message_key(m)[:600],
                "sha256": m.sha256 or "",
                "mailbox": folders.mailbox,
                "uidvalidity": uidvalidity,
                "uid": m.uid,
                "outcome": "quarantine" if bad else "processed",
                "target_folder": target,
                "moved": False,
            }
        )
        moves.append((m.uid, target))
        if m.message_id:
            summary.message_ids.append(m.message_id)
    last_uid = max(m.uid for m in batch)
    summary.counts.add(
        intake.intake_messages(
            app.uow(), folders.mailbox, uidvalidity, last_uid, items, rows, app.policy
        )
    )
    if after_commit:
        after_commit()
    _move(app, client, folders, uidvalidity, moves, summary)


def _parse(m: FetchedMessage) -> list[ParsedItem]:
    origin = f"{m.mailbox} uid {m.uid}"
    if m.too_large:
        return [
            Rejected(
                source_ref=m.source_ref,
                origin=origin,
                reason="email-too-large",
                message=f"The message is {m.size} bytes, over the size limit.",
            )
        ]
    return list(
        parse_message(m.raw, source_ref=m.source_ref, origin=origin, received_at=m.internaldate)
    )


def _move(
    app: App,
    client: MailboxClient,
    folders: Folders,
    uidvalidity: int,
    moves: Sequence[tuple[int, str]],
    summary: MailSummary,
) -> None:
    by_folder: dict[str, list[int]] = defaultdict(list)
    for uid, folder in moves:
        by_folder[folder].append(uid)
    for folder, uids in by_folder.items():
        client.move(uids, folder, uidvalidity=uidvalidity)
        intake.mark_moved(app.uow(), folders.mailbox, uidvalidity, uids)
        summary.moved += len(uids)
