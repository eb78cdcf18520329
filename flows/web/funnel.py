"""The funnel page's data: count and value per stage, from the pipeline report.

Values per stage: opportunities by estimated revenue; quoted by live or won quotes (a revised
or lost quote is not money in play); ordered and invoiced by their totals, canceled ones left
out. Currencies are never added together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from exports.report import Figure, PipelineReport, build_pipeline_report

VALUE_OF = {
    "Opportunities": ("opportunities", None),
    "Quoted": ("quotes", {"Active", "Won"}),
    "Ordered": ("orders", {"Active", "Submitted", "Fulfilled", "Invoiced"}),
    "Invoiced": ("invoices", {"Unpaid", "Paid"}),
}


@dataclass(frozen=True)
class Stage:
    """One bar of the funnel."""

    name: str
    count: int
    rate: Decimal | None
    amounts: tuple[tuple[str, Decimal], ...]


def _sum(figures: Iterable[Figure], labels: set[str] | None) -> tuple[tuple[str, Decimal], ...]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for fig in figures:
        if labels is None or fig.label in labels:
            for currency, amount in fig.amounts:
                sums[currency] += amount
    return tuple(sorted(sums.items()))


def build_stages(report: PipelineReport) -> list[Stage]:
    """Funnel stages with their value per currency."""
    stages = []
    for step in report.funnel:
        amounts: tuple[tuple[str, Decimal], ...] = ()
        if step.stage in VALUE_OF:
            section, labels = VALUE_OF[step.stage]
            amounts = _sum(getattr(report, section), labels)
        stages.append(Stage(step.stage, step.count, step.rate, amounts))
    return stages


def load_stages(session: Session, today: date) -> list[Stage]:
    """Count and value the funnel in the database behind ``session``."""
    return build_stages(build_pipeline_report(session, run_stats=None, today=today))
