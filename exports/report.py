"""The pipeline report as data: counts and money per stage, the funnel, and run statistics.

Reads the tables with SQLAlchemy Core. Counts are grouped in SQL; money is summed in Python
with Decimal, because SQLite stores money as text (summing it in SQL would go through floats).
Amounts are kept per currency: a TRY total and a EUR total are never added together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from pipeline.domain import status as st
from pipeline.store import tables as t

RATE_QUANTUM = Decimal("0.0001")
# Invoice states as a reader asks about them: is it paid?
INVOICE_GROUPS = {"Active": "Unpaid", "Paid": "Paid", "Canceled": "Canceled"}


@dataclass(frozen=True)
class Figure:
    """One row of a section: a label, how many, and money per currency (sorted by code)."""

    label: str
    count: int
    amounts: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class FunnelStep:
    """A funnel stage; ``rate`` is its share of the previous stage (None when that is 0)."""

    stage: str
    count: int
    rate: Decimal | None


@dataclass(frozen=True)
class PipelineReport:
    """Everything the pipeline workbook shows, as of ``today``."""

    today: date
    funnel: tuple[FunnelStep, ...]
    leads_by_state: tuple[Figure, ...]
    leads_by_status: tuple[Figure, ...]
    leads_by_source: tuple[Figure, ...]
    opportunities: tuple[Figure, ...]
    quotes: tuple[Figure, ...]
    orders: tuple[Figure, ...]
    invoices: tuple[Figure, ...]
    outstanding: tuple[tuple[str, Decimal], ...]
    run_stats: tuple[tuple[str, int], ...] = ()


def build_pipeline_report(
    session: Session, *, run_stats: Mapping[str, int] | None, today: date
) -> PipelineReport:
    """Count and sum every stage of the pipeline in the database behind ``session``."""
    return PipelineReport(
        today=today,
        funnel=build_funnel(_funnel_counts(session)),
        leads_by_state=_counts(session, t.leads, "state"),
        leads_by_status=_counts(session, t.leads, "status"),
        leads_by_source=_counts(session, t.leads, "source"),
        opportunities=_money_by_state(
            session, t.opportunities, "estimated_revenue", st.OpportunityState
        ),
        quotes=_money_by_state(session, t.quotes, "total", st.QuoteState),
        orders=_money_by_state(session, t.orders, "total", st.OrderState),
        invoices=_invoice_groups(session),
        outstanding=_outstanding(session),
        run_stats=tuple(sorted((str(k), int(v)) for k, v in (run_stats or {}).items())),
    )


def build_funnel(counts: Iterable[tuple[str, int]]) -> tuple[FunnelStep, ...]:
    """Funnel steps with each stage's conversion from the one before."""
    steps: list[FunnelStep] = []
    previous: int | None = None
    for stage, count in counts:
        rate = None
        if previous:
            rate = (Decimal(count) / Decimal(previous)).quantize(RATE_QUANTUM)
        steps.append(FunnelStep(stage, count, rate))
        previous = count
    return tuple(steps)


def _scalar(session: Session, stmt: Any) -> int:
    return int(session.execute(stmt).scalar_one() or 0)


def _funnel_counts(session: Session) -> list[tuple[str, int]]:
    """Leads, then opportunities that reached each later stage (counted once each)."""
    opp_ids = t.quotes.c.opportunity_id
    invoiced = select(func.count(func.distinct(t.orders.c.opportunity_id))).select_from(
        t.orders.join(t.invoices, t.invoices.c.order_id == t.orders.c.id)
    )
    return [
        ("Leads", _scalar(session, select(func.count()).select_from(t.leads))),
        ("Opportunities", _scalar(session, select(func.count()).select_from(t.opportunities))),
        ("Quoted", _scalar(session, select(func.count(func.distinct(opp_ids))))),
        ("Ordered", _scalar(session, select(func.count(func.distinct(t.orders.c.opportunity_id))))),
        ("Invoiced", _scalar(session, invoiced)),
    ]


def _counts(session: Session, table: Table, column: str) -> tuple[Figure, ...]:
    col = table.c[column]
    rows = session.execute(select(col, func.count()).group_by(col).order_by(col)).all()
    return tuple(Figure(str(value), int(n)) for value, n in rows)


def _money_by_state(
    session: Session, table: Table, money: str, states: type[StrEnum]
) -> tuple[Figure, ...]:
    rows = session.execute(select(table.c.state, table.c.currency, table.c[money]))
    order = [s.value for s in states]
    return _tally(((str(state), currency, amount) for state, currency, amount in rows), order)


def _invoice_groups(session: Session) -> tuple[Figure, ...]:
    t_inv = t.invoices
    rows = session.execute(select(t_inv.c.state, t_inv.c.currency, t_inv.c.total))
    grouped = ((INVOICE_GROUPS.get(str(s), str(s)), currency, total) for s, currency, total in rows)
    return _tally(grouped, list(INVOICE_GROUPS.values()))


def _outstanding(session: Session) -> tuple[tuple[str, Decimal], ...]:
    """What customers still owe: total minus paid on invoices that are not canceled."""
    t_inv = t.invoices
    stmt = select(t_inv.c.currency, t_inv.c.total, t_inv.c.amount_paid).where(
        t_inv.c.state != "Canceled"
    )
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for currency, total, paid in session.execute(stmt):
        sums[currency] += total - paid
    return tuple(sorted(sums.items()))


def _tally(
    rows: Iterable[tuple[str, str, Decimal]], order: Sequence[str] = ()
) -> tuple[Figure, ...]:
    counts: dict[str, int] = defaultdict(int)
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for label, currency, amount in rows:
        counts[label] += 1
        sums[label][currency] += amount
    # Lifecycle order (Open, Won, Lost) reads better than the alphabet; unknown labels last.
    rank = {label: i for i, label in enumerate(order)}
    labels = sorted(counts, key=lambda label: (rank.get(label, len(rank)), label))
    return tuple(Figure(lb, counts[lb], tuple(sorted(sums[lb].items()))) for lb in labels)
