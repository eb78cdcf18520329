"""Document lines and totals: line discounts, an overall discount, tax per rate.

All amounts are Decimal, rounded ROUND_HALF_UP to the currency's minor unit at each step a
person would see on paper (line gross, line discount, line net, tax per rate, total), so the
document and its workbook always show the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from pipeline.domain.errors import InvalidValue
from pipeline.domain.money import HUNDRED, ZERO, allocate, percent_of, round_money, to_decimal


class DiscountKind(StrEnum):
    NONE = "none"
    AMOUNT = "amount"
    PERCENT = "percent"


@dataclass(frozen=True)
class Discount:
    """A discount as an amount of money or a percent."""

    kind: DiscountKind = DiscountKind.NONE
    value: Decimal = ZERO

    def __post_init__(self) -> None:
        if self.value < ZERO:
            raise InvalidValue("A discount cannot be negative.")
        if self.kind is DiscountKind.PERCENT and self.value > HUNDRED:
            raise InvalidValue("A percent discount cannot exceed 100 %.")

    @classmethod
    def parse(cls, text: str | None) -> Discount:
        """``"10%"`` -> 10 percent, ``"15.50"`` -> an amount, empty -> none."""
        if text is None or not str(text).strip():
            return cls()
        raw = str(text).strip()
        try:
            if raw.endswith("%"):
                return cls(DiscountKind.PERCENT, to_decimal(raw[:-1], "discount"))
            return cls(DiscountKind.AMOUNT, to_decimal(raw, "discount"))
        except ValueError as exc:
            raise InvalidValue(str(exc)) from exc

    def amount_on(self, base: Decimal, currency: str) -> Decimal:
        """The discount in money on ``base``, never more than ``base``."""
        if self.kind is DiscountKind.PERCENT:
            return percent_of(base, self.value, currency)
        if self.kind is DiscountKind.AMOUNT:
            return min(round_money(self.value, currency), base)
        return ZERO

    def label(self) -> str:
        if self.kind is DiscountKind.PERCENT:
            return f"{self.value.normalize():f}%"
        return f"{self.value:f}" if self.kind is DiscountKind.AMOUNT else ""


LineT = TypeVar("LineT", bound="Line")


@dataclass(eq=False)
class Line:
    """One product line. Subclassed per document type so each maps to its own table."""

    line_no: int
    sku: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    unit: str = "pcs"
    discount_kind: DiscountKind = DiscountKind.NONE
    discount_value: Decimal = ZERO
    id: int | None = None

    def __post_init__(self) -> None:
        if self.quantity <= ZERO:
            raise InvalidValue(f"Quantity must be positive (line {self.line_no}).")
        if self.unit_price < ZERO:
            raise InvalidValue(f"Unit price cannot be negative (line {self.line_no}).")
        if self.tax_rate < ZERO:
            raise InvalidValue(f"Tax rate cannot be negative (line {self.line_no}).")
        Discount(self.discount_kind, self.discount_value)  # validates

    @property
    def discount(self) -> Discount:
        return Discount(self.discount_kind, self.discount_value)

    def gross(self, currency: str) -> Decimal:
        return round_money(self.quantity * self.unit_price, currency)

    def discount_amount(self, currency: str) -> Decimal:
        return self.discount.amount_on(self.gross(currency), currency)

    def net(self, currency: str) -> Decimal:
        return self.gross(currency) - self.discount_amount(currency)

    def copy_as(self, cls: type[LineT]) -> LineT:
        """The same values as a line of another document type."""
        return cls(
            line_no=self.line_no,
            sku=self.sku,
            description=self.description,
            quantity=self.quantity,
            unit_price=self.unit_price,
            tax_rate=self.tax_rate,
            unit=self.unit,
            discount_kind=self.discount_kind,
            discount_value=self.discount_value,
        )


NO_DISCOUNT = Discount()


@dataclass(frozen=True)
class TaxBand:
    rate: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    """Every figure a document shows, computed once in the domain."""

    currency: str
    gross: Decimal
    line_discounts: Decimal
    subtotal: Decimal
    overall_discount: Decimal
    net: Decimal
    taxes: tuple[TaxBand, ...]
    tax_total: Decimal
    total: Decimal


def build_totals(lines: Sequence[Line], currency: str, overall: Discount = NO_DISCOUNT) -> Totals:
    """Totals of ``lines``; the overall discount is spread over tax rates by their net share."""
    gross = sum((line.gross(currency) for line in lines), ZERO)
    subtotal = sum((line.net(currency) for line in lines), ZERO)
    overall_amount = overall.amount_on(subtotal, currency)
    by_rate = _net_by_rate(lines, currency)
    rates = sorted(by_rate)
    shares = allocate(overall_amount, [by_rate[r] for r in rates], currency)
    bands = tuple(
        TaxBand(rate=r, base=by_rate[r] - s, tax=percent_of(by_rate[r] - s, r, currency))
        for r, s in zip(rates, shares, strict=True)
    )
    tax_total = sum((b.tax for b in bands), ZERO)
    net = subtotal - overall_amount
    return Totals(
        currency=currency,
        gross=gross,
        line_discounts=gross - subtotal,
        subtotal=subtotal,
        overall_discount=overall_amount,
        net=net,
        taxes=bands,
        tax_total=tax_total,
        total=net + tax_total,
    )


def _net_by_rate(lines: Iterable[Line], currency: str) -> dict[Decimal, Decimal]:
    result: dict[Decimal, Decimal] = {}
    for line in lines:
        key = line.tax_rate.normalize()
        result[key] = result.get(key, ZERO) + line.net(currency)
    return result
