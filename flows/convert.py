"""Glue between ingest and pipeline: parsed items → normalised ``IncomingRecord``s."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from ingest.candidate import LeadCandidate
from ingest.normalise import build_candidates
from ingest.records import AutoReply, Bounce, ParsedItem, RawRecord, Rejected
from pipeline.services.intake import IncomingRecord
from pipeline.services.leads import NewLead


@dataclass
class Collected:
    """Rejected parts seen while converting (for the error workbook of a file)."""

    rejected: list[Rejected] = field(default_factory=list)


def batched(items: Iterable[ParsedItem], size: int) -> Iterator[list[ParsedItem]]:
    """Lists of ``size`` items; the previous one is let go before the next is read, so at most
    one batch is held here (a ``while chunk := ...`` loop would hold two at its peak)."""
    it = iter(items)
    while True:
        chunk = list(islice(it, size))
        if not chunk:
            return
        yield chunk
        del chunk


def convert_batches(
    items: Iterable[ParsedItem],
    *,
    region: str,
    received_at: datetime,
    collected: Collected,
    size: int = 2000,
) -> Iterator[list[IncomingRecord]]:
    """Normalise parsed items batch by batch (streamed: memory stays flat)."""
    for chunk in batched(items, size):
        converted = convert(chunk, region=region, received_at=received_at, collected=collected)
        del chunk  # the parsed batch is not needed while the converted one is stored
        yield converted
        del converted  # nor the converted one while the next batch is read


def convert(
    chunk: Sequence[ParsedItem], *, region: str, received_at: datetime, collected: Collected
) -> list[IncomingRecord]:
    raws = [i for i in chunk if isinstance(i, RawRecord)]
    candidates = iter(build_candidates(raws, default_region=region))
    out: list[IncomingRecord] = []
    for item in chunk:
        if isinstance(item, RawRecord):
            out.append(_from_candidate(next(candidates), collected))
        elif isinstance(item, Rejected):
            collected.rejected.append(item)
            out.append(
                IncomingRecord(
                    source="file" if item.source_ref.startswith("file:") else "email",
                    source_ref=_part_ref(item.source_ref, item.location),
                    origin=item.origin,
                    received_at=received_at,
                    outcome="rejected",
                    reason=item.reason,
                    fields=dict(item.raw),
                    provenance={"location": item.location, "message": item.message},
                )
            )
        elif isinstance(item, AutoReply):
            out.append(
                IncomingRecord(
                    source="email",
                    source_ref=item.source_ref,
                    origin=item.origin,
                    received_at=received_at,
                    outcome="auto-reply",
                    reason=item.reason,
                    fields={"sender": item.sender},
                )
            )
        elif isinstance(item, Bounce):
            out.append(
                IncomingRecord(
                    source="email",
                    source_ref=item.source_ref,
                    origin=item.origin,
                    received_at=received_at,
                    outcome="bounce",
                    reason=item.status or "bounce",
                    fields={"recipients": list(item.recipients)},
                    undeliverable=item.recipients,
                )
            )
    return out


def _from_candidate(c: LeadCandidate, collected: Collected) -> IncomingRecord:
    r = c.record
    fields: dict[str, Any] = dict(r.fields)
    if r.extra_emails:
        fields["extra_emails"] = list(r.extra_emails)
    if r.extra_phones:
        fields["extra_phones"] = list(r.extra_phones)
    if r.interests:
        fields["interests"] = [{"phrase": i.phrase, "quantity": i.quantity} for i in r.interests]
    if not c.has_identity:
        rejected = Rejected(
            source_ref=r.source_ref,
            origin=r.origin,
            reason="no-identity",
            message="The record has no name, no email and no phone.",
            raw={k: str(v) for k, v in r.fields.items()},
        )
        collected.rejected.append(rejected)
        return _incoming(r, fields, "rejected", "no-identity")
    if r.fields.get("review"):  # a doubtful scan: listed for ops, not a lead yet
        return _incoming(r, fields, "review", "scan-to-check")
    lead = NewLead(
        first_name=c.first_name,
        last_name=c.last_name,
        email=c.email or c.email_raw,
        email_key=c.email_key,
        phone=c.phone or c.phone_raw,
        company=c.company,
        company_key=c.company_key,
        title=c.title,
        city=c.city,
        country=c.country,
        website=c.website,
        notes=c.notes,
        source=str(r.source),
    )
    return _incoming(r, fields, "lead", "", lead)


def _incoming(
    r: RawRecord, fields: dict[str, Any], outcome: str, reason: str, lead: NewLead | None = None
) -> IncomingRecord:
    return IncomingRecord(
        source=str(r.source),
        source_ref=r.source_ref,
        origin=r.origin,
        received_at=r.received_at,
        outcome=outcome,
        reason=reason,
        lead=lead,
        message_id=r.message_id,
        fields=fields,
        provenance=dict(r.provenance),
    )


def _part_ref(source_ref: str, location: str) -> str:
    """A rejected part gets its own ledger key (``…#row-17``) unless it already has one."""
    if "#" in source_ref or not location:
        return source_ref
    return f"{source_ref}#{location.replace(' ', '-')}"
