"""Scoring and auto-qualification of leads touched by an intake (same transaction).

Each lead gets facts from its stored values and its ledger records (interests, inquiries,
undeliverable addresses), a score with rule contributions and the rules version, and a
decision: qualify (account, contact, opportunity with product lines from the matched interest),
disqualify as Cannot Contact, or stay open.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from pipeline.domain.errors import InvalidValue
from pipeline.domain.lead import DisqualifyReason, Lead
from pipeline.domain.opportunity import Opportunity
from pipeline.domain.parties import Product
from pipeline.domain.process import qualify_lead
from pipeline.domain.status import LeadState
from pipeline.scoring import DEFAULT_RULES, Decision, LeadFacts, Score, decide, score_many
from pipeline.scoring_rules import ScoringRules
from pipeline.store import tables as t
from pipeline.store.bulk import (
    detached_lead,
    insert_rows,
    one_of,
    update_leads,
    write_events,
    write_qualified,
)
from pipeline.store.uow import UnitOfWork

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_CHUNK = 900


@dataclass(frozen=True)
class QualifyPolicy:
    rules: ScoringRules = DEFAULT_RULES
    currency: str = "TRY"
    close_in_days: int = 30
    auto_qualify: bool = True


@dataclass
class QualifyCounts:
    scored: int = 0
    qualified: int = 0
    disqualified: int = 0
    kept_open: int = 0
    opportunity_lines: int = 0
    refs: list[str] = field(default_factory=list)


def score_leads(
    session: Session,
    lead_ids: Sequence[int],
    policy: QualifyPolicy,
    now: datetime,
    actor: str = "system",
) -> QualifyCounts:
    """Score open leads among ``lead_ids``; decide and apply when auto-qualification is on."""
    counts = QualifyCounts()
    products = list(session.scalars(select(Product)))
    for i in range(0, len(lead_ids), _CHUNK):
        chunk = list(lead_ids[i : i + _CHUNK])
        facts, interests = _facts(session, chunk, products, policy.currency)
        ids = list(facts)
        scores = score_many([facts[x] for x in ids], policy.rules)
        _store_scores(session, ids, scores, now)
        counts.scored += len(ids)
        if policy.auto_qualify:
            _decide_all(session, ids, facts, scores, interests, policy, now, counts, actor)
    return counts


def _decide_all(
    session: Session,
    ids: list[int],
    facts: dict[int, LeadFacts],
    scores: list[Score],
    interests: dict[int, list[tuple[Product, int]]],
    policy: QualifyPolicy,
    now: datetime,
    counts: QualifyCounts,
    actor: str,
) -> None:
    """Decide every scored lead; the domain applies each decision to a detached lead and the
    results are written in bulk (``pipeline.store.bulk``), not flushed one object at a time."""
    decisions = {x: decide(facts[x], sc, policy.rules) for x, sc in zip(ids, scores, strict=True)}
    acting = [x for x, d in decisions.items() if d is not Decision.KEEP_OPEN]
    counts.kept_open += len(ids) - len(acting)
    if not acting:
        return
    rows = session.execute(select(t.leads).where(one_of(session, t.leads.c.id, acting))).mappings()
    leads = {row["id"]: detached_lead(dict(row)) for row in rows}
    dropped: list[Lead] = []
    opportunities: list[Opportunity] = []
    for x in acting:
        opp = _apply(leads[x], decisions[x], interests.get(x, []), policy, now, counts)
        if opp is None:
            dropped.append(leads[x])
        else:
            opportunities.append(opp)
    update_leads(session, dropped)
    write_events(session, dropped, actor)
    write_qualified(session, opportunities, actor)


def _facts(
    session: Session, ids: list[int], products: list[Product], currency: str
) -> tuple[dict[int, LeadFacts], dict[int, list[tuple[Product, int]]]]:
    lc = t.leads.c
    rows = session.execute(
        select(
            lc.id,
            lc.email,
            lc.email_key,
            lc.phone,
            lc.company,
            lc.title,
            lc.country,
            lc.source,
            lc.notes,
        ).where(one_of(session, lc.id, ids), lc.state == LeadState.OPEN.value)
    ).all()
    records: dict[int, list[dict[str, Any]]] = {}
    sr = t.source_records.c
    for lead_id, fields in session.execute(
        select(sr.lead_id, sr.fields).where(one_of(session, sr.lead_id, ids))
    ):
        records.setdefault(lead_id, []).append(fields or {})
    emails = [r.email for r in rows if r.email]
    bounced = (
        set(
            session.scalars(
                select(t.undeliverable.c.email).where(
                    one_of(session, t.undeliverable.c.email, emails)
                )
            )
        )
        if emails
        else set()
    )
    facts: dict[int, LeadFacts] = {}
    matched: dict[int, list[tuple[Product, int]]] = {}
    for r in rows:
        recs = records.get(r.id, [])
        wanted = [i for rec in recs for i in rec.get("interests", [])]
        matched[r.id] = match_interests(wanted, products, currency)
        qty = sum(int(i.get("quantity") or 0) for i in wanted) or None
        text = " ".join([r.notes or ""] + [str(rec.get("subject", "")) for rec in recs])
        facts[r.id] = LeadFacts(
            email=r.email,
            email_valid=bool(r.email_key),
            phone=r.phone,
            phone_valid=bool(E164.match(r.phone or "")),
            company=r.company,
            title=r.title,
            country=r.country,
            source=r.source,
            interests_matched=len(matched[r.id]),
            quantity_total=qty,
            inquiries=max(1, len(recs)),
            undeliverable=r.email.lower() in bounced,
            text=text[:4000],
        )
    return facts, matched


def match_interests(
    interests: Sequence[dict[str, Any]], products: Sequence[Product], currency: str
) -> list[tuple[Product, int]]:
    """Catalogue products named in the interests: SKU in the phrase, else a fuzzy name match."""
    usable = [p for p in products if p.active and p.currency == currency]
    names = [p.name.casefold() for p in usable]
    found: dict[str, tuple[Product, int]] = {}
    for item in interests:
        phrase = str(item.get("phrase") or "").casefold()
        if not phrase or not usable:
            continue
        qty = int(item.get("quantity") or 1)
        product = next((p for p in usable if p.sku.casefold() in phrase.split()), None)
        if product is None:
            best = process.extractOne(phrase, names, scorer=fuzz.token_set_ratio, score_cutoff=80)
            product = usable[best[2]] if best else None
        if product is not None and product.sku not in found:
            found[product.sku] = (product, max(qty, 1))
    return list(found.values())


def _store_scores(session: Session, ids: list[int], scores: list[Score], now: datetime) -> None:
    rows = [
        {
            "lead_id": i,
            "score": s.value,
            "rating": s.rating,
            "version": s.version,
            "contributions": [
                {"rule": c.rule, "points": c.points, "reason": c.reason} for c in s.contributions
            ],
            "scored_at": now,
        }
        for i, s in zip(ids, scores, strict=True)
    ]
    if not rows:
        return
    session.execute(t.lead_scores.delete().where(one_of(session, t.lead_scores.c.lead_id, ids)))
    insert_rows(session, t.lead_scores, rows)  # the old scores of these leads are gone
    session.execute(
        update(t.leads)
        .where(t.leads.c.id == bindparam("b_id"))
        .values(score=bindparam("b_score"), rating=bindparam("b_rating")),
        [
            {"b_id": i, "b_score": s.value, "b_rating": s.rating}
            for i, s in zip(ids, scores, strict=True)
        ],
    )


def _apply(
    lead: Lead,
    decision: Decision,
    products: list[tuple[Product, int]],
    policy: QualifyPolicy,
    now: datetime,
    counts: QualifyCounts,
) -> Opportunity | None:
    """Apply one decision through the domain; the new opportunity when the lead qualified."""
    if decision is Decision.DISQUALIFY_CANNOT_CONTACT:
        lead.disqualify(DisqualifyReason.CANNOT_CONTACT, "no valid email or phone", now)
        counts.disqualified += 1
        return None
    opp = qualify_lead(lead, currency=policy.currency, close_in_days=policy.close_in_days, at=now)
    for product, qty in products:
        opp.add_line(product, Decimal(qty), at=now)
        counts.opportunity_lines += 1
    counts.qualified += 1
    counts.refs.append(lead.ref)
    return opp


def stored_score(uow: UnitOfWork, ref: str, policy: QualifyPolicy) -> dict[str, Any]:
    """The lead's stored score with its rule contributions (scored now if it has none)."""
    with uow:
        lead = uow.records.get(Lead, ref)
        ls = t.lead_scores.c
        row = uow.session.execute(
            select(ls.score, ls.rating, ls.version, ls.contributions, ls.scored_at).where(
                ls.lead_id == lead.id
            )
        ).first()
        if row is None:
            fresh = replace(policy, auto_qualify=False)
            score_leads(uow.session, [lead.id], fresh, uow.now())  # type: ignore[list-item]
            uow.commit()
            row = uow.session.execute(
                select(ls.score, ls.rating, ls.version, ls.contributions, ls.scored_at).where(
                    ls.lead_id == lead.id
                )
            ).first()
        if row is None:
            raise InvalidValue(f"{lead.ref} is {lead.state}; only open leads are scored.")
        contributions = sorted(row.contributions, key=lambda c: -abs(int(c["points"])))
        return {
            "lead": lead.ref,
            "score": row.score,
            "rating": row.rating,
            "version": row.version,
            "scored_at": row.scored_at.isoformat(),
            "contributions": contributions,
        }
