"""Read queries behind the leads page: leads with their score, opportunities with theirs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from pipeline.store import tables as t

LIMIT = 200


def list_leads(conn: Connection, status: str = "", limit: int = LIMIT) -> list[dict[str, Any]]:
    """Leads newest first, with the latest score (the scoring table wins over the column)."""
    le, sc = t.leads, t.lead_scores
    stmt = (
        select(
            le.c.id,
            le.c.first_name,
            le.c.last_name,
            le.c.email,
            le.c.company,
            le.c.source,
            le.c.state,
            le.c.status,
            func.coalesce(sc.c.score, le.c.score).label("score"),
            func.coalesce(sc.c.rating, le.c.rating).label("rating"),
            le.c.created_at,
        )
        .select_from(le.outerjoin(sc, sc.c.lead_id == le.c.id))
        .order_by(le.c.id.desc())
        .limit(limit)
    )
    if status:
        stmt = stmt.where(le.c.status == status)
    return [
        {
            "ref": f"LEAD-{r.id}",
            "name": f"{r.first_name} {r.last_name}".strip(),
            "email": r.email,
            "company": r.company,
            "source": r.source,
            "state": str(r.state),
            "status": str(r.status),
            "score": r.score,
            "rating": r.rating or "",
        }
        for r in conn.execute(stmt)
    ]


def list_opportunities(conn: Connection, limit: int = LIMIT) -> list[dict[str, Any]]:
    """Opportunities newest first, with their customer and the score of their lead."""
    o, a, sc, le = t.opportunities, t.accounts, t.lead_scores, t.leads
    stmt = (
        select(
            o.c.id,
            o.c.name,
            o.c.state,
            o.c.status,
            o.c.estimated_revenue,
            o.c.currency,
            o.c.estimated_close_date,
            o.c.lead_id,
            a.c.name.label("account"),
            func.coalesce(sc.c.score, le.c.score).label("score"),
        )
        .select_from(
            o.outerjoin(a, a.c.id == o.c.account_id)
            .outerjoin(le, le.c.id == o.c.lead_id)
            .outerjoin(sc, sc.c.lead_id == o.c.lead_id)
        )
        .order_by(o.c.id.desc())
        .limit(limit)
    )
    return [
        {
            "ref": f"OPP-{r.id}",
            "name": r.name,
            "customer": r.account or "",
            "state": str(r.state),
            "status": str(r.status),
            "revenue": r.estimated_revenue,
            "currency": r.currency,
            "close_date": r.estimated_close_date or "",
            "lead": f"LEAD-{r.lead_id}" if r.lead_id else "",
            "score": r.score,
        }
        for r in conn.execute(stmt)
    ]
