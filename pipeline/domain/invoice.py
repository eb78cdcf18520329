"""Invoices: issued for a fulfilled order; paid in full or in parts, or canceled."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from pipeline.domain.document import NumberedDocument
from pipeline.domain.errors import InvalidValue
from pipeline.domain.events import Recorded, utcnow
from pipeline.domain.lines import DiscountKind, Line
from pipeline.domain.money import ZERO, round_money
from pipeline.domain.numbering import DocType
from pipeline.domain.order import Order
from pipeline.domain.status import INVOICE, InvoiceState, InvoiceStatus, Lifecycle


class InvoiceLine(Line):
    """A product line on an invoice (copied from the order)."""


@dataclass(eq=False)
class Invoice(NumberedDocument, Recorded[InvoiceState, InvoiceStatus]):
    """A bill for a fulfilled order."""

    DOC_TYPE: ClassVar[DocType] = DocType.INVOICE
    LIFECYCLE: ClassVar[Lifecycle[InvoiceState, InvoiceStatus]] = INVOICE

    seq: int
    year: int
    order: Order
    currency: str
    issued_on: date
    due_on: date
    lines: list[InvoiceLine] = field(default_factory=list)
    discount_kind: DiscountKind = DiscountKind.NONE
    discount_value: Decimal = ZERO
    total: Decimal = ZERO
    amount_paid: Decimal = ZERO
    state: InvoiceState = InvoiceState.ACTIVE
    status: InvoiceStatus = InvoiceStatus.NEW
    close_note: str = ""
    created_at: datetime = field(default_factory=utcnow)
    id: int | None = None

    @property
    def balance(self) -> Decimal:
        return self.total - self.amount_paid

    def bill(self, at: datetime | None = None) -> None:
        self._step("bill", at)

    def pay(self, amount: Decimal | None = None, at: datetime | None = None) -> Decimal:
        """Record a payment (default: the whole balance); returns the balance left."""
        paying = self.balance if amount is None else round_money(amount, self.currency)
        if paying <= ZERO:
            raise InvalidValue(f"A payment on {self.number} must be positive.")
        if paying > self.balance:
            raise InvalidValue(
                f"Payment {paying} exceeds the balance {self.balance} of {self.number}."
            )
        left = self.balance - paying
        self._step(
            "pay" if left == ZERO else "pay-partial", at, amount=str(paying), balance=str(left)
        )
        self.amount_paid += paying
        return left

    def cancel(self, note: str = "", at: datetime | None = None) -> None:
        self._step("cancel", at, note=note)
        self.close_note = note
