"""Money: Decimal arithmetic with half-up rounding to the currency's minor unit."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pipeline.domain.errors import InvalidValue
from pipeline.domain.lines import Discount, DiscountKind, Line, build_totals
from pipeline.domain.money import allocate, round_money, to_decimal


def line(qty: str, price: str, tax: str = "20", discount: str | None = None, no: int = 1) -> Line:
    d = Discount.parse(discount)
    return Line(
        line_no=no,
        sku=f"S{no}",
        description="x",
        quantity=D(qty),
        unit_price=D(price),
        tax_rate=D(tax),
        discount_kind=d.kind,
        discount_value=d.value,
    )


def test_rounding_is_half_up_to_the_minor_unit():
    assert round_money(D("2.345"), "TRY") == D("2.35")
    assert round_money(D("2.344"), "EUR") == D("2.34")
    assert round_money(D("-2.345"), "TRY") == D("-2.35")
    assert round_money(D("1234.5"), "JPY") == D("1235")
    assert round_money(D("1.0005"), "KWD") == D("1.001")


def test_floats_are_refused_as_money():
    with pytest.raises(TypeError):
        to_decimal(0.1)
    assert to_decimal("12,50") == D("12.50")


def test_percent_discount_is_rounded_per_line():
    item = line("3", "33.33", discount="10%")
    assert item.gross("TRY") == D("99.99")
    assert item.discount_amount("TRY") == D("10.00")  # 9.999 -> 10.00
    assert item.net("TRY") == D("89.99")


def test_amount_discount_never_exceeds_the_line():
    item = line("1", "5.00", discount="7.50")
    assert item.discount_amount("TRY") == D("5.00")
    assert item.net("TRY") == D("0.00")


def test_totals_with_two_tax_rates_and_an_overall_percent_discount():
    lines = [
        line("2", "100.00", "20", no=1),
        line("1", "50.00", "10", "10%", no=2),
        line("3", "0.99", "20", no=3),
    ]
    totals = build_totals(lines, "TRY", Discount(DiscountKind.PERCENT, D("5")))
    assert totals.gross == D("252.97")
    assert totals.line_discounts == D("5.00")
    assert totals.subtotal == D("247.97")
    assert totals.overall_discount == D("12.40")  # 5 % of 247.97 = 12.3985
    # overall discount spread by net share: 20 % band 202.97, 10 % band 45.00
    assert [(b.rate, b.base, b.tax) for b in totals.taxes] == [
        (D("10"), D("42.75"), D("4.28")),
        (D("20"), D("192.82"), D("38.56")),
    ]
    assert totals.net == D("235.57")
    assert totals.tax_total == D("42.84")
    assert totals.total == D("278.41")


def test_allocation_sums_exactly_to_the_total():
    parts = allocate(D("0.10"), [D("1"), D("1"), D("1")], "TRY")
    assert parts == [D("0.04"), D("0.03"), D("0.03")]
    assert sum(parts) == D("0.10")


def test_zero_tax_and_fixed_overall_discount():
    totals = build_totals([line("1", "19.99", "0")], "EUR", Discount.parse("4.99"))
    assert (totals.net, totals.tax_total, totals.total) == (D("15.00"), D("0.00"), D("15.00"))


@pytest.mark.parametrize("bad", ["-5%", "101%", "abc", "-1"])
def test_bad_discounts_are_refused(bad):
    with pytest.raises(InvalidValue):
        Discount.parse(bad)


def test_lines_refuse_non_positive_quantity():
    with pytest.raises(InvalidValue, match="Quantity must be positive"):
        line("0", "1.00")
