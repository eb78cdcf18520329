"""Ops decisions on identity: review possible duplicates, merge, keep apart, unmerge."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from pipeline.domain.errors import IllegalTransition, InvalidValue, NotFound
from pipeline.domain.lead import DisqualifyReason, Lead
from pipeline.domain.merge import merge_values
from pipeline.domain.status import LeadState, LeadStatus
from pipeline.services.resolve import LEAD_COLUMNS, index_lead, person
from pipeline.services.results import Done, done
from pipeline.store import tables as t
from pipeline.store.ledger import upsert_ignore
from pipeline.store.uow import UnitOfWork

SIDE = ("first_name", "last_name", "email", "phone", "company", "title", "city", "source", "status")


def open_pairs(uow: UnitOfWork, limit: int = 200) -> list[dict[str, Any]]:
    """Possible duplicates waiting for a decision, both leads side by side."""
    with uow:
        rp = t.review_pairs.c
        pairs = uow.session.execute(
            select(rp.lead_a, rp.lead_b, rp.score, rp.reasons)
            .where(rp.status == "open")
            .order_by(rp.score.desc(), rp.id)
            .limit(limit)
        ).all()
        out = []
        for p in pairs:
            a, b = _side(uow, p.lead_a), _side(uow, p.lead_b)
            out.append(
                {
                    "a": f"LEAD-{p.lead_a}",
                    "b": f"LEAD-{p.lead_b}",
                    "score": str(p.score),
                    "reasons": p.reasons,
                    "lead_a": a,
                    "lead_b": b,
                }
            )
        return out


def scans_to_check(uow: UnitOfWork, limit: int = 200) -> list[dict[str, Any]]:
    """Card scans read with low confidence: kept in the ledger, waiting for a person."""
    sr = t.source_records.c
    with uow:
        rows = uow.session.execute(
            select(sr.source_ref, sr.origin, sr.fields)
            .where(sr.outcome == "review")
            .order_by(sr.id)
            .limit(limit)
        )
        return [
            {
                "record": r.source_ref,
                "file": r.origin,
                "why": r.fields.get("review", ""),
                "name": r.fields.get("full_name", ""),
                "email": r.fields.get("email", ""),
                "phone": r.fields.get("phone", ""),
            }
            for r in rows
        ]


def _side(uow: UnitOfWork, lead_id: int) -> dict[str, str]:
    row = uow.session.execute(
        select(*(t.leads.c[c] for c in SIDE)).where(t.leads.c.id == lead_id)
    ).one()
    return {c: str(getattr(row, c) or "") for c in SIDE}


def keep_apart(uow: UnitOfWork, a_ref: str, b_ref: str) -> Done:
    """Remember that two leads are different people."""
    with uow:
        a, b = _pair(uow, a_ref, b_ref)
        _decide(uow, a.id, b.id, "kept-apart")  # type: ignore[arg-type]
        a.record_event("keep-apart", uow.now(), other=b.ref)
        b.record_event("keep-apart", uow.now(), other=a.ref)
        uow.commit()
        return done("lead", a, f"{a.ref} and {b.ref} are kept apart.", other=b.ref)


def merge(uow: UnitOfWork, keep_ref: str, other_ref: str) -> Done:
    """Merge lead ``other`` into ``keep``: values by survivorship, records re-pointed."""
    with uow:
        keep, other = _pair(uow, keep_ref, other_ref)
        if other.opportunity is not None:
            raise IllegalTransition(
                "lead",
                other.ref,
                "merge away",
                str(other.state),
                f"{other.status}, has an opportunity",
            )
        current = {c: str(getattr(keep, c) or "") for c in LEAD_COLUMNS}
        outcome = merge_values(current, {c: str(getattr(other, c) or "") for c in LEAD_COLUMNS})
        for name, value in outcome.updates.items():
            setattr(keep, name, value)
        uow.session.execute(
            update(t.source_records)
            .where(t.source_records.c.lead_id == other.id)
            .values(lead_id=keep.id, outcome="merged")
        )
        other.disqualify(DisqualifyReason.CANCELED, f"merged into {keep.ref}", uow.now())
        keep.record_event(
            "merge",
            uow.now(),
            merged_lead=other.ref,
            updates=outcome.updates,
            before={k: current[k] for k in outcome.updates},
            replaced=outcome.replaced,
        )
        _decide(uow, keep.id, other.id, "merged")  # type: ignore[arg-type]
        uow.flush()
        index_lead(uow.session, keep.id, person(f"L{keep.id}", current))  # type: ignore[arg-type]
        uow.commit()
        return done("lead", keep, f"{other.ref} merged into {keep.ref}.", merged=other.ref)


def unmerge(uow: UnitOfWork, lead_ref: str, source_ref: str | None = None) -> Done:
    """Split a merged record out of a lead again: the lead gets its old values back and the
    record becomes its own lead."""
    with uow:
        lead = uow.records.get(Lead, lead_ref)
        sr = t.source_records.c
        q = select(sr.source_ref, sr.fields).where(sr.lead_id == lead.id, sr.outcome == "merged")
        if source_ref:
            q = q.where(sr.source_ref == source_ref)
        row = uow.session.execute(q.order_by(sr.id.desc()).limit(1)).first()
        if row is None or "lead" not in (row.fields or {}):
            raise NotFound("merged record of " + lead.ref, source_ref or "(latest)")
        _restore(uow, lead, row.source_ref)
        values = {k: v for k, v in row.fields["lead"].items() if k in LEAD_COLUMNS + ("source",)}
        new_id = _insert_lead(uow, values, row.source_ref, lead.ref)
        uow.session.execute(
            update(t.source_records)
            .where(sr.source_ref == row.source_ref)
            .values(lead_id=new_id, outcome="lead")
        )
        lead.record_event(
            "unmerge", uow.now(), source_ref=row.source_ref, new_lead=f"LEAD-{new_id}"
        )
        _decide(uow, lead.id, new_id, "kept-apart")  # type: ignore[arg-type]
        uow.commit()
        return done(
            "lead",
            lead,
            f"{row.source_ref} split out of {lead.ref} into LEAD-{new_id}.",
            new_lead=f"LEAD-{new_id}",
        )


def _restore(uow: UnitOfWork, lead: Lead, source_ref: str) -> None:
    ev = t.events.c
    for details in uow.session.scalars(
        select(ev.details)
        .where(ev.record_type == "lead", ev.record_id == lead.id, ev.action == "merge")
        .order_by(ev.id.desc())
    ):
        if details.get("source_ref") == source_ref:
            for name, old in details.get("before", {}).items():
                if getattr(lead, name) == details["updates"].get(name):
                    setattr(lead, name, old)
            return


def _insert_lead(uow: UnitOfWork, values: dict[str, Any], source_ref: str, was: str) -> int:
    now = uow.now()
    row: dict[str, Any] = {c: str(values.get(c) or "") for c in LEAD_COLUMNS}
    row.update(
        source=str(values.get("source") or "unmerge"),
        state=LeadState.OPEN,
        status=LeadStatus.NEW,
        disqualify_note="",
        rating="",
        created_at=now,
    )
    new_id = int(uow.session.execute(insert(t.leads).returning(t.leads.c.id), row).scalar_one())
    uow.session.execute(
        insert(t.events),
        [
            {
                "record_type": "lead",
                "record_id": new_id,
                "action": "created",
                "from_state": "",
                "from_status": "",
                "to_state": "Open",
                "to_status": "New",
                "actor": uow.actor,
                "at": now,
                "details": {"unmerged_from": was, "source_ref": source_ref},
            }
        ],
    )
    index_lead(uow.session, new_id, person(f"L{new_id}", row))
    return new_id


def _pair(uow: UnitOfWork, a_ref: str, b_ref: str) -> tuple[Lead, Lead]:
    a, b = uow.records.get(Lead, a_ref), uow.records.get(Lead, b_ref)
    if a.id == b.id:
        raise InvalidValue("A lead cannot be paired with itself.")
    return a, b


def _decide(uow: UnitOfWork, a: int, b: int, status: str) -> None:
    lo, hi = sorted((a, b))
    rp = t.review_pairs.c
    uow.session.execute(
        upsert_ignore(uow.session, t.review_pairs, ["lead_a", "lead_b"]),
        [
            {
                "lead_a": lo,
                "lead_b": hi,
                "score": 0,
                "reasons": ["decided by ops"],
                "status": status,
                "created_at": uow.now(),
            }
        ],
    )
    uow.session.execute(
        update(t.review_pairs)
        .where(rp.lead_a == lo, rp.lead_b == hi)
        .values(status=status, decided_at=uow.now())
    )
