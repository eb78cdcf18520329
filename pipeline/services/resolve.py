"""Identity resolution at intake: one person is one lead.

New lead candidates are matched among themselves and against stored leads through the indexed
``lead_keys`` table (blocking keys), so the cost follows the new records, not the store. Per
cluster: a stored lead takes the new records in (merge, survivorship rules); a qualified lead's
person gets an activity on their contact instead of a new lead; otherwise one new lead is
created from the earliest record and the rest merge into it. Possible duplicates (review band)
are listed in ``review_pairs`` for ops.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from pipeline.dedupe import DedupeResult, Person, blocking_keys, find_matches
from pipeline.domain.merge import merge_values
from pipeline.domain.status import LeadState, LeadStatus
from pipeline.services.leads import NewLead
from pipeline.store import tables as t
from pipeline.store.bulk import insert_rows, insert_with_ids, one_of
from pipeline.store.keyindex import MAX_KEY, block_sizes, lead_ids_for
from pipeline.store.ledger import upsert_ignore

LEAD_COLUMNS = (
    "first_name",
    "last_name",
    "email",
    "email_key",
    "phone",
    "company",
    "company_key",
    "title",
    "city",
    "country",
    "website",
    "notes",
)
_CHUNK = 900
BLOCK_CAP = 100  # the engine's default block cap
STORED_BUDGET = 50  # stored leads one new record is compared with, at most (smallest blocks first)


@dataclass(frozen=True)
class Candidate:
    """A lead candidate from one ledger item."""

    source_ref: str
    source: str
    location: dict[str, str]
    lead: NewLead
    summary: str = ""


@dataclass
class Resolution:
    """Where each candidate went: ``outcome[source_ref] = (lead_id, "lead"|"merged"|...)``."""

    outcome: dict[str, tuple[int, str]] = field(default_factory=dict)
    created: list[int] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)
    review_pairs: int = 0
    stats: dict[str, int] = field(default_factory=dict)


def person(pid: str, lead: NewLead | dict[str, Any], source: str = "") -> Person:
    v = lead.values() if isinstance(lead, NewLead) else lead
    return Person(
        id=pid,
        first_name=v["first_name"],
        last_name=v["last_name"],
        email=v["email"],
        email_key=v["email_key"],
        phone=v["phone"],
        company_key=v["company_key"],
        city=v["city"],
        source=source,
    )


def stored_people(
    session: Session,
    keys_per_record: Sequence[Sequence[str]],
    cap: int = BLOCK_CAP,
    budget: int = STORED_BUDGET,
) -> list[Person]:
    """Stored leads that share a blocking key with the new records.

    Keys shared by more than ``cap`` stored leads are too common to decide anything and are
    not used (as in the engine). Each record then takes its most selective blocks first (the
    smallest) while they add up to at most ``budget`` stored leads, so the comparisons per
    record stay bounded however large the store grows; exact keys (email, phone) are nearly
    always blocks of one and come first.
    """
    sizes = block_sizes(session, (k for ks in keys_per_record for k in ks), cap)
    chosen: set[str] = set()
    for ks in keys_per_record:
        total = 0
        for key in sorted({k[:MAX_KEY] for k in ks}, key=lambda k: sizes.get(k, 0)):
            size = sizes.get(key, 0)
            if size == 0:
                continue
            if size > cap or total + size > budget:
                break
            chosen.add(key)
            total += size
    ids = lead_ids_for(session, chosen)
    people: list[Person] = []
    id_list = sorted(ids)
    cols = [t.leads.c.id] + [t.leads.c[c] for c in LEAD_COLUMNS]
    for i in range(0, len(id_list), _CHUNK):
        for row in session.execute(
            select(*cols).where(one_of(session, t.leads.c.id, id_list[i : i + _CHUNK]))
        ):
            people.append(person(f"L{row.id}", row._asdict(), "stored"))
    return people


def index_lead(session: Session, lead_id: int, p: Person) -> None:
    rows = [{"key": k[:400], "lead_id": lead_id} for k in set(blocking_keys(p))]
    if rows:
        session.execute(upsert_ignore(session, t.lead_keys, ["key", "lead_id"]), rows)


def resolve(session: Session, cands: Sequence[Candidate], now: datetime, actor: str) -> Resolution:
    """Match, then create, merge or attach; every change leaves an event."""
    res = Resolution()
    if not cands:
        return res
    people = [person(f"n{i}", c.lead, c.source) for i, c in enumerate(cands)]
    keys = [blocking_keys(p) for p in people]
    stored = stored_people(session, keys)
    matched = find_matches(people, stored)
    res.stats = {"pairs_compared": matched.stats.pairs_compared, "stored_candidates": len(stored)}
    plan = [_plan(cluster) for cluster in matched.clusters]
    founders = [first for _, first, _ in plan if first is not None]
    created = iter(
        _create_many(session, [cands[i] for i in founders], [keys[i] for i in founders], now, actor)
    )
    for target, first, rest in plan:
        if first is not None:
            target = next(created)
            res.outcome[cands[first].source_ref] = (target, "lead")
            res.created.append(target)
        assert target is not None
        for i in rest:
            res.outcome[cands[i].source_ref] = (
                target,
                _merge_or_attach(session, target, cands[i], now, actor),
            )
            index_lead(session, target, people[i])
        res.touched.add(target)
    lead_of = {
        f"n{i}": res.outcome[c.source_ref][0]
        for i, c in enumerate(cands)
        if c.source_ref in res.outcome
    }
    _record_reviews(session, matched, lead_of, res, now)
    return res


def _plan(cluster: list[str]) -> tuple[int | None, int | None, list[int]]:
    """(stored target or None, new record that founds a lead or None, records to merge)."""
    new = [int(x[1:]) for x in cluster if x.startswith("n")]
    stored = [int(x[1:]) for x in cluster if x.startswith("L")]
    if stored:
        return stored[0], None, new
    return None, new[0], new[1:]


def _create_many(
    session: Session,
    cands: Sequence[Candidate],
    keys_of: Sequence[list[str]],
    now: datetime,
    actor: str,
) -> list[int]:
    """Bulk insert new leads with their events, blocking keys and provenance (Core)."""
    if not cands:
        return []
    rows = [
        {
            **c.lead.values(),
            "state": LeadState.OPEN,
            "status": LeadStatus.NEW,
            "disqualify_note": "",
            "score": None,
            "rating": "",
            "created_at": now,
        }
        for c in cands
    ]
    ids = insert_with_ids(session, t.leads, rows)
    insert_rows(
        session,
        t.events,
        [
            {
                "record_type": "lead",
                "record_id": lead_id,
                "action": "created",
                "from_state": "",
                "from_status": "",
                "to_state": "Open",
                "to_status": "New",
                "actor": actor,
                "at": now,
                "details": {"source": c.source, "source_ref": c.source_ref},
            }
            for lead_id, c in zip(ids, cands, strict=True)
        ],
    )
    keys = [
        {"key": k[:400], "lead_id": lead_id}
        for lead_id, ks in zip(ids, keys_of, strict=True)
        for k in set(ks)
    ]
    if keys:
        insert_rows(session, t.lead_keys, keys)
    prov = [
        {
            "lead_id": lead_id,
            "field": f,
            "source_ref": c.source_ref[:500],
            "location": (c.location.get(f) or c.source_ref)[:500],
        }
        for lead_id, c in zip(ids, cands, strict=True)
        for f, v in c.lead.values().items()
        if v and f in LEAD_COLUMNS
    ]
    insert_rows(session, t.lead_provenance, prov)
    return ids


def _merge_or_attach(
    session: Session, lead_id: int, c: Candidate, now: datetime, actor: str
) -> str:
    cols = [t.leads.c[n] for n in LEAD_COLUMNS] + [t.leads.c.contact_id, t.leads.c.state]
    row = session.execute(select(*cols).where(t.leads.c.id == lead_id)).one()
    if row.contact_id is not None:  # an existing customer: an activity, not a lead change
        opp = session.execute(
            select(t.opportunities.c.id).where(t.opportunities.c.lead_id == lead_id)
        ).scalar_one_or_none()
        session.execute(
            upsert_ignore(session, t.activities, ["source_ref"]),
            [
                {
                    "lead_id": lead_id,
                    "contact_id": row.contact_id,
                    "opportunity_id": opp,
                    "source_ref": c.source_ref[:500],
                    "kind": "inquiry",
                    "summary": c.summary[:2000],
                    "created_at": now,
                }
            ],
        )
        _event(session, lead_id, "inquiry", actor, now, {"source_ref": c.source_ref})
        return "attached"
    current = {n: getattr(row, n) or "" for n in LEAD_COLUMNS}
    merged = merge_values(current, {k: v for k, v in c.lead.values().items() if isinstance(v, str)})
    if merged.updates:
        session.execute(update(t.leads).where(t.leads.c.id == lead_id).values(**merged.updates))
        _provenance(session, lead_id, c, list(merged.updates))
    _event(
        session,
        lead_id,
        "merge",
        actor,
        now,
        {
            "source_ref": c.source_ref,
            "source": c.source,
            "updates": merged.updates,
            "before": {k: current.get(k, "") for k in merged.updates},
            "replaced": merged.replaced,
            "incoming": c.lead.values(),
        },
    )
    return "merged"


def _provenance(session: Session, lead_id: int, c: Candidate, fields: list[str]) -> None:
    rows = [
        {
            "lead_id": lead_id,
            "field": f,
            "source_ref": c.source_ref[:500],
            "location": (c.location.get(f) or c.source_ref)[:500],
        }
        for f in fields
    ]
    if not rows:
        return
    session.execute(
        t.lead_provenance.delete().where(
            t.lead_provenance.c.lead_id == lead_id, t.lead_provenance.c.field.in_(fields)
        )
    )
    session.execute(insert(t.lead_provenance), rows)


def _event(
    session: Session,
    lead_id: int,
    action: str,
    actor: str,
    at: datetime,
    details: dict[str, Any],
    to: tuple[str, str] = ("", ""),
) -> None:
    session.execute(
        insert(t.events),
        [
            {
                "record_type": "lead",
                "record_id": lead_id,
                "action": action,
                "from_state": "",
                "from_status": "",
                "to_state": to[0],
                "to_status": to[1],
                "actor": actor,
                "at": at,
                "details": details,
            }
        ],
    )


def _record_reviews(
    session: Session, matched: DedupeResult, lead_of: dict[str, int], res: Resolution, now: datetime
) -> None:
    rows = []
    for pair in matched.pairs:
        if pair.band != "review":
            continue
        a, b = _lead_id(pair.id_a, lead_of), _lead_id(pair.id_b, lead_of)
        if a is None or b is None or a == b:
            continue
        lo, hi = sorted((a, b))
        rows.append(
            {
                "lead_a": lo,
                "lead_b": hi,
                "score": Decimal(str(pair.score)),
                "reasons": list(pair.reasons),
                "status": "open",
                "created_at": now,
            }
        )
    if rows:
        session.execute(upsert_ignore(session, t.review_pairs, ["lead_a", "lead_b"]), rows)
        res.review_pairs += len(rows)


def _lead_id(pid: str, lead_of: dict[str, int]) -> int | None:
    if pid.startswith("L"):
        return int(pid[1:])
    return lead_of.get(pid)
