"""Intake: store parsed records, their provenance and the leads they create — exactly once.

One input unit (a file, or a batch of mail messages) is one transaction: the claim row, every
ledger row (``source_records``, keyed by a unique ``source_ref``) and every lead commit together
or not at all. A rerun finds the refs and skips them; a crash leaves nothing half-done.
Writes are Core bulk inserts, never one ORM object per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.services.leads import NewLead
from pipeline.services.qualification import QualifyPolicy, score_leads
from pipeline.services.resolve import Candidate, resolve
from pipeline.store import ledger
from pipeline.store import tables as t
from pipeline.store.bulk import one_of
from pipeline.store.maintenance import refresh_statistics
from pipeline.store.uow import UnitOfWork


@dataclass(frozen=True)
class IncomingRecord:
    """One parsed item, already normalised, as the pipeline stores it."""

    source: str
    source_ref: str
    origin: str
    received_at: datetime
    outcome: str  # "lead" (a candidate), "rejected", "auto-reply", "bounce"
    reason: str = ""
    lead: NewLead | None = None
    message_id: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    undeliverable: tuple[str, ...] = ()


@dataclass
class IntakeCounts:
    """What one intake did; the CLI and run manifest add these up."""

    records_parsed: int = 0
    leads_created: int = 0
    duplicates_skipped: int = 0
    rejected: int = 0
    merged: int = 0
    attached: int = 0
    review_pairs: int = 0
    scored: int = 0
    qualified: int = 0
    disqualified: int = 0
    auto_replies: int = 0
    bounces: int = 0

    def add(self, other: IntakeCounts) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)


@dataclass(frozen=True)
class IncomingFile:
    sha256: str
    name: str
    size: int
    kind: str


def intake_file(
    uow: UnitOfWork,
    file: IncomingFile,
    batches: Iterable[Sequence[IncomingRecord]],
    *,
    worker: str,
    policy: QualifyPolicy | None = None,
) -> tuple[str, IntakeCounts]:
    """Store a whole file in one transaction. Returns ("done" | "already-seen", counts).

    The claim row is inserted first: a second worker on the same bytes waits for this
    transaction on PostgreSQL (or SQLite's write lock) and then finds the file taken. Then
    the intake lock: workers storing different files that name the same people take turns.
    """
    counts = IntakeCounts()
    with uow:
        now = uow.now()
        if not ledger.claim_file(
            uow.session, file.sha256, file.name, file.size, file.kind, worker, now
        ):
            return "already-seen", counts
        ledger.lock_intake(uow.session)  # after the claim: a taken file does not wait
        for batch in batches:
            counts.add(store_records(uow.session, batch, now, uow.actor, policy))
            del batch  # stored: let it go before the next batch is read and converted
        ledger.finish_file(uow.session, file.sha256, "done", now, records=counts.records_parsed)
        uow.commit()
    _refresh(uow, counts)
    return "done", counts


def intake_files(
    uow: UnitOfWork,
    files: Sequence[tuple[IncomingFile, Sequence[IncomingRecord]]],
    *,
    worker: str,
    policy: QualifyPolicy | None = None,
    batch: int = 2000,
) -> tuple[list[str], IntakeCounts]:
    """Store several small files (already parsed) in one transaction: one claim row each,
    one pass of matching and scoring for all their records. Returns one status per file, in
    order ("done" | "already-seen"), and the counts of them all.

    A file per transaction costs a commit, a claim and a matching pass for a single email;
    a night of thousands of emails spent most of its time there. Claims are taken in sha256
    order, so two workers claiming overlapping groups cannot wait on each other in a cycle.
    """
    counts = IntakeCounts()
    status = ["already-seen"] * len(files)
    with uow:
        now = uow.now()
        wanted = [(f.sha256, f.name, f.size, f.kind) for f, _ in files]
        claimed = ledger.claim_files(uow.session, wanted, worker, now)
        for i, (f, _) in enumerate(files):
            if f.sha256 in claimed:
                status[i] = "done"
                claimed.discard(f.sha256)  # the same bytes twice in a group: the first one
        ledger.lock_intake(uow.session)
        records = [r for (_, rs), st in zip(files, status, strict=True) if st == "done" for r in rs]
        for start in range(0, len(records), batch):
            chunk = records[start : start + batch]
            counts.add(store_records(uow.session, chunk, now, uow.actor, policy))
        done = {
            f.sha256: len(rs) for (f, rs), st in zip(files, status, strict=True) if st == "done"
        }
        ledger.finish_files(uow.session, done, now)
        uow.commit()
    _refresh(uow, counts)
    return status, counts


def _refresh(uow: UnitOfWork, counts: IntakeCounts) -> None:
    """After a commit that qualified leads: fresh planner statistics where they went stale."""
    if counts.qualified:
        with uow:
            refresh_statistics(uow.session.connection())
            uow.commit()


def quarantine_file(
    uow: UnitOfWork, file: IncomingFile, reason: str, detail: str, *, worker: str
) -> bool:
    """Record a file that could not be read at all; False when it was already known."""
    with uow:
        now = uow.now()
        if not ledger.claim_file(
            uow.session, file.sha256, file.name, file.size, file.kind, worker, now
        ):
            return False
        ledger.finish_file(
            uow.session, file.sha256, "quarantined", now, reason=reason, detail=detail
        )
        uow.commit()
    return True


def file_seen(uow: UnitOfWork, sha256: str) -> str | None:
    with uow:
        return ledger.file_status(uow.session, sha256)


def quarantine_reason(uow: UnitOfWork, sha256: str) -> str | None:
    """The reason a file with these bytes was quarantined; None when it was not."""
    with uow:
        c = t.ingest_files.c
        row = uow.session.execute(
            select(c.reason).where(c.sha256 == sha256, c.status == "quarantined")
        ).first()
        return None if row is None else str(row.reason)


def store_records(
    session: Session,
    items: Sequence[IncomingRecord],
    now: datetime,
    actor: str,
    policy: QualifyPolicy | None = None,
) -> IntakeCounts:
    """Ledger rows for every new item, a New lead for every new lead candidate."""
    counts = IntakeCounts(records_parsed=len(items))
    known = ledger.known_refs(session, (i.source_ref for i in items))
    fresh: dict[str, IncomingRecord] = {}
    for item in items:
        if item.source_ref in known or item.source_ref in fresh:
            counts.duplicates_skipped += 1
        else:
            fresh[item.source_ref] = item
    cands = [_candidate(i) for i in fresh.values() if i.outcome == "lead" and i.lead]
    res = resolve(session, cands, now, actor)
    counts.leads_created = len(res.created)
    counts.review_pairs += res.review_pairs
    rows = []
    for item in fresh.values():
        lead_id, outcome = res.outcome.get(item.source_ref, (None, item.outcome))
        counts.merged += outcome == "merged"
        counts.attached += outcome == "attached"
        rows.append(_ledger_row(item, lead_id, now, outcome))
    ledger.add_source_records(session, rows)
    for item in fresh.values():
        counts.rejected += item.outcome == "rejected"
        counts.auto_replies += item.outcome == "auto-reply"
        counts.bounces += item.outcome == "bounce"
        if item.undeliverable:
            ledger.mark_undeliverable(
                session, item.undeliverable, item.source_ref, item.reason, now
            )
    if policy is not None:
        bounced = [e.lower() for i in fresh.values() for e in i.undeliverable]
        _qualify(
            session, sorted(res.touched | _leads_with(session, bounced)), policy, now, counts, actor
        )
    return counts


def _leads_with(session: Session, emails: list[str]) -> set[int]:
    if not emails:
        return set()
    return set(
        session.scalars(select(t.leads.c.id).where(one_of(session, t.leads.c.email, emails)))
    )


def _qualify(
    session: Session,
    ids: list[int],
    policy: QualifyPolicy,
    now: datetime,
    counts: IntakeCounts,
    actor: str,
) -> None:
    done = score_leads(session, ids, policy, now, actor)
    counts.scored += done.scored
    counts.qualified += done.qualified
    counts.disqualified += done.disqualified


def _candidate(item: IncomingRecord) -> Candidate:
    assert item.lead is not None
    summary = str(item.fields.get("subject") or item.lead.notes or "")[:500]
    return Candidate(
        source_ref=item.source_ref,
        source=item.source,
        location=dict(item.provenance),
        lead=item.lead,
        summary=summary,
    )


def _ledger_row(
    item: IncomingRecord, lead_id: int | None, now: datetime, outcome: str
) -> dict[str, Any]:
    return {
        "source_ref": item.source_ref[:500],
        "source": item.source,
        "origin": item.origin[:500],
        "received_at": item.received_at,
        "message_id": (item.message_id or None) and item.message_id[:500],
        "outcome": outcome,
        "reason": item.reason[:64],
        "fields": {**item.fields, "lead": item.lead.values()} if item.lead else item.fields,
        "provenance": item.provenance,
        "lead_id": lead_id,
        "created_at": now,
    }


@dataclass(frozen=True)
class MailboxState:
    """What the ledger knows of a mailbox: its checkpoint and committed-but-unmoved mail."""

    checkpoint: tuple[int, int] | None
    pending_moves: list[tuple[int, str]]


def mailbox_state(uow: UnitOfWork, mailbox: str, uidvalidity: int) -> MailboxState:
    with uow:
        return MailboxState(
            ledger.checkpoint(uow.session, mailbox),
            ledger.pending_moves(uow.session, mailbox, uidvalidity),
        )


def seen_messages(uow: UnitOfWork, keys: Sequence[str], shas: Sequence[str]) -> set[str]:
    with uow:
        return ledger.seen_messages(uow.session, keys, shas)


def intake_messages(
    uow: UnitOfWork,
    mailbox: str,
    uidvalidity: int,
    last_uid: int,
    items: Sequence[IncomingRecord],
    messages: Sequence[dict[str, Any]],
    policy: QualifyPolicy | None = None,
) -> IntakeCounts:
    """Store one batch of mail: records, message guard rows and the checkpoint together."""
    with uow:
        now = uow.now()
        ledger.lock_intake(uow.session)
        counts = store_records(uow.session, items, now, uow.actor, policy)
        ledger.record_messages(uow.session, [{**m, "created_at": now} for m in messages])
        ledger.save_checkpoint(uow.session, mailbox, uidvalidity, last_uid, now)
        uow.commit()
    _refresh(uow, counts)
    return counts


def mark_moved(uow: UnitOfWork, mailbox: str, uidvalidity: int, uids: Sequence[int]) -> None:
    with uow:
        ledger.mark_moved(uow.session, mailbox, uidvalidity, uids)
        uow.commit()
