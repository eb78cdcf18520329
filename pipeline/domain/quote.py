"""Quotes: offered prices. Draft (editable) → Active (frozen) → Won / Lost / Canceled / Revised."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import ClassVar

from pipeline.domain.document import NumberedDocument
from pipeline.domain.errors import InvalidValue, NotEditable
from pipeline.domain.events import Recorded, utcnow
from pipeline.domain.lines import NO_DISCOUNT, Discount, DiscountKind, Line
from pipeline.domain.money import ZERO
from pipeline.domain.numbering import DocType
from pipeline.domain.opportunity import Opportunity
from pipeline.domain.parties import Product
from pipeline.domain.status import QUOTE, Lifecycle, QuoteState, QuoteStatus


class QuoteLine(Line):
    """A product line on a quote."""


@dataclass(eq=False)
class Quote(NumberedDocument, Recorded[QuoteState, QuoteStatus]):
    """A quote for an opportunity; ``seq``/``year`` come from the QUO sequence."""

    DOC_TYPE: ClassVar[DocType] = DocType.QUOTE
    LIFECYCLE: ClassVar[Lifecycle[QuoteState, QuoteStatus]] = QUOTE

    seq: int
    year: int
    opportunity: Opportunity
    currency: str
    revision: int = 1
    lines: list[QuoteLine] = field(default_factory=list)
    discount_kind: DiscountKind = DiscountKind.NONE
    discount_value: Decimal = ZERO
    valid_until: date | None = None
    total: Decimal = ZERO
    state: QuoteState = QuoteState.DRAFT
    status: QuoteStatus = QuoteStatus.IN_PROGRESS
    previous: Quote | None = None
    close_note: str = ""
    created_at: datetime = field(default_factory=utcnow)
    activated_at: datetime | None = None
    id: int | None = None

    def _editable(self) -> None:
        if self.state is not QuoteState.DRAFT:
            raise NotEditable(
                f"Quote {self.number} is {self.state}; only Draft quotes can be edited."
            )

    def add_line(self, line: QuoteLine, at: datetime | None = None) -> None:
        self._editable()
        line.line_no = len(self.lines) + 1
        self.lines.append(line)
        self.total = self.totals().total
        self.record_event("add-line", at, sku=line.sku, quantity=str(line.quantity))

    def add_product(
        self,
        product: Product,
        quantity: Decimal,
        discount: Discount = NO_DISCOUNT,
        at: datetime | None = None,
    ) -> QuoteLine:
        line = QuoteLine(
            line_no=0,
            sku=product.sku,
            description=product.name,
            quantity=quantity,
            unit_price=product.unit_price,
            tax_rate=product.tax_rate,
            unit=product.unit,
            discount_kind=discount.kind,
            discount_value=discount.value,
        )
        self.add_line(line, at)
        return line

    def set_discount(self, discount: Discount, at: datetime | None = None) -> None:
        self._editable()
        self.discount_kind, self.discount_value = discount.kind, discount.value
        self.total = self.totals().total
        self.record_event("set-discount", at, discount=discount.label())

    def activate(self, validity_days: int = 30, at: datetime | None = None) -> None:
        """Offer the quote: lines freeze, validity starts."""
        if not self.lines and self.state is QuoteState.DRAFT:
            raise InvalidValue(f"Quote {self.number} has no lines; add a line before activating.")
        when = at or utcnow()
        self._step("activate", when, total=str(self.totals().total))
        self.activated_at = when
        self.valid_until = when.date() + timedelta(days=validity_days)

    def revise(self, at: datetime | None = None) -> Quote:
        """Close this Active quote as Revised and return a new Draft with the lines copied."""
        self._step("revise", at, next_revision=self.revision + 1)
        new = Quote(
            seq=self.seq,
            year=self.year,
            opportunity=self.opportunity,
            currency=self.currency,
            revision=self.revision + 1,
            lines=[line.copy_as(QuoteLine) for line in self.lines],
            discount_kind=self.discount_kind,
            discount_value=self.discount_value,
            previous=self,
            created_at=at or utcnow(),
        )
        new.total = new.totals().total
        new.record_event("created", at, revised_from=self.number)
        return new

    def win(self, at: datetime | None = None, **details: str) -> None:
        self._step("win", at, **details)

    def lose(self, note: str = "", at: datetime | None = None) -> None:
        self._step("lose", at, note=note)
        self.close_note = note

    def cancel(self, note: str = "", at: datetime | None = None) -> None:
        self._step("cancel", at, note=note)
        self.close_note = note
