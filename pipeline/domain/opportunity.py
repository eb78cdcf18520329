"""Opportunities: a qualified lead being developed with products, revenue and a timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from pipeline.domain.errors import NotEditable
from pipeline.domain.events import Recorded, utcnow
from pipeline.domain.lines import NO_DISCOUNT, Discount, Line, Totals, build_totals
from pipeline.domain.money import ZERO
from pipeline.domain.parties import Account, Contact, Product
from pipeline.domain.status import OPPORTUNITY, Lifecycle, OpportunityState, OpportunityStatus

if TYPE_CHECKING:
    from pipeline.domain.lead import Lead


class OpportunityLine(Line):
    """A product line on an opportunity."""


@dataclass(eq=False)
class Opportunity(Recorded[OpportunityState, OpportunityStatus]):
    """A potential sale with an account, a contact and product lines."""

    LIFECYCLE: ClassVar[Lifecycle[OpportunityState, OpportunityStatus]] = OPPORTUNITY

    name: str
    currency: str
    account: Account | None = None
    contact: Contact | None = None
    lead: Lead | None = None
    lines: list[OpportunityLine] = field(default_factory=list)
    estimated_revenue: Decimal = ZERO
    estimated_close_date: date | None = None
    state: OpportunityState = OpportunityState.OPEN
    status: OpportunityStatus = OpportunityStatus.IN_PROGRESS
    close_note: str = ""
    created_at: datetime = field(default_factory=utcnow)
    id: int | None = None

    @property
    def ref(self) -> str:
        return f"OPP-{self.id}" if self.id else self.name

    def totals(self) -> Totals:
        return build_totals(self.lines, self.currency)

    def add_line(
        self,
        product: Product,
        quantity: Decimal,
        discount: Discount = NO_DISCOUNT,
        at: datetime | None = None,
    ) -> OpportunityLine:
        """Add a product line at the price-list price; only while the opportunity is open."""
        if self.state is not OpportunityState.OPEN:
            raise NotEditable(f"Opportunity {self.ref} is {self.state}; its lines are frozen.")
        line = OpportunityLine(
            line_no=len(self.lines) + 1,
            sku=product.sku,
            description=product.name,
            quantity=quantity,
            unit_price=product.unit_price,
            tax_rate=product.tax_rate,
            unit=product.unit,
            discount_kind=discount.kind,
            discount_value=discount.value,
        )
        self.lines.append(line)
        self.estimated_revenue = self.totals().net
        self.record_event(
            "add-line",
            at,
            sku=product.sku,
            quantity=str(quantity),
            estimated_revenue=str(self.estimated_revenue),
        )
        return line

    def set_close_date(self, when: date, at: datetime | None = None) -> None:
        self.estimated_close_date = when
        self.record_event("set-close-date", at, estimated_close_date=when.isoformat())

    def hold(self, at: datetime | None = None) -> None:
        self._step("hold", at)

    def resume(self, at: datetime | None = None) -> None:
        self._step("resume", at)

    def win(self, at: datetime | None = None, **details: str) -> None:
        self._step("win", at, **details)

    def lose(self, out_sold: bool = False, note: str = "", at: datetime | None = None) -> None:
        self._step("lose-out-sold" if out_sold else "lose-canceled", at, note=note)
        self.close_note = note
