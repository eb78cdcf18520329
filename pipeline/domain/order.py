"""Orders: an accepted quote. Fulfil (complete or partial), then invoice; or cancel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from pipeline.domain.document import NumberedDocument
from pipeline.domain.events import Recorded, utcnow
from pipeline.domain.lines import DiscountKind, Line
from pipeline.domain.money import ZERO
from pipeline.domain.numbering import DocType
from pipeline.domain.opportunity import Opportunity
from pipeline.domain.status import ORDER, Lifecycle, OrderState, OrderStatus

if TYPE_CHECKING:
    from pipeline.domain.quote import Quote


class OrderLine(Line):
    """A product line on an order (copied from the won quote)."""


@dataclass(eq=False)
class Order(NumberedDocument, Recorded[OrderState, OrderStatus]):
    """A sales order created when the customer accepts a quote."""

    DOC_TYPE: ClassVar[DocType] = DocType.ORDER
    LIFECYCLE: ClassVar[Lifecycle[OrderState, OrderStatus]] = ORDER

    seq: int
    year: int
    quote: Quote
    opportunity: Opportunity
    currency: str
    lines: list[OrderLine] = field(default_factory=list)
    discount_kind: DiscountKind = DiscountKind.NONE
    discount_value: Decimal = ZERO
    total: Decimal = ZERO
    state: OrderState = OrderState.ACTIVE
    status: OrderStatus = OrderStatus.NEW
    close_note: str = ""
    created_at: datetime = field(default_factory=utcnow)
    fulfilled_at: datetime | None = None
    id: int | None = None

    def hold(self, at: datetime | None = None) -> None:
        self._step("hold", at)

    def submit(self, at: datetime | None = None) -> None:
        self._step("submit", at)

    def fulfil(self, partial: bool = False, at: datetime | None = None) -> None:
        when = at or utcnow()
        self._step("fulfil-partial" if partial else "fulfil", when)
        self.fulfilled_at = when

    def cancel(self, note: str = "", at: datetime | None = None) -> None:
        self._step("cancel", at, note=note)
        self.close_note = note

    def mark_invoiced(self, invoice_number: str, at: datetime | None = None) -> None:
        self._step("invoice", at, invoice=invoice_number)
