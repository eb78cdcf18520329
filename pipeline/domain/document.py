"""What quotes, orders and invoices share: a printed number and totals from their lines."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import ClassVar

from pipeline.domain.lines import Discount, DiscountKind, Line, Totals, build_totals
from pipeline.domain.numbering import DocType, format_number


class NumberedDocument:
    """Mixin for documents numbered per type and year, priced by their lines."""

    DOC_TYPE: ClassVar[DocType]
    seq: int
    year: int
    currency: str
    lines: Sequence[Line]
    discount_kind: DiscountKind
    discount_value: Decimal

    @property
    def number(self) -> str:
        return format_number(self.DOC_TYPE, self.year, self.seq, getattr(self, "revision", 1))

    @property
    def ref(self) -> str:
        return self.number

    @property
    def overall_discount(self) -> Discount:
        return Discount(self.discount_kind, self.discount_value)

    def totals(self) -> Totals:
        return build_totals(self.lines, self.currency, self.overall_discount)
