"""Money arithmetic: Decimal only, ROUND_HALF_UP to the currency's minor unit."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 minor units for currencies that differ from 2; everything else has 2.
_MINOR_UNITS = {
    "JPY": 0,
    "KRW": 0,
    "CLP": 0,
    "ISK": 0,
    "VND": 0,
    "HUF": 2,
    "BHD": 3,
    "KWD": 3,
    "OMR": 3,
    "JOD": 3,
    "TND": 3,
    "LYD": 3,
    "IQD": 3,
}

ZERO = Decimal("0")
HUNDRED = Decimal("100")


def minor_units(currency: str) -> int:
    """Number of decimal places of ``currency`` (ISO 4217)."""
    return _MINOR_UNITS.get(currency.upper(), 2)


def quantum(currency: str) -> Decimal:
    """The smallest amount of ``currency`` as a Decimal exponent, e.g. ``0.01``."""
    return Decimal(1).scaleb(-minor_units(currency))


def round_money(value: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit."""
    return value.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def to_decimal(value: object, what: str = "amount") -> Decimal:
    """Parse a user value ("12.50", "12,50", Decimal, int) into a finite Decimal; never float."""
    if isinstance(value, float):
        raise TypeError(f"{what} must not be a float")
    text = str(value).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        result = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"{what} {value!r} is not a number") from exc
    if not result.is_finite():
        raise ValueError(f"{what} {value!r} is not a finite number")
    return result


def percent_of(amount: Decimal, percent: Decimal, currency: str) -> Decimal:
    """``percent`` % of ``amount``, rounded to the currency."""
    return round_money(amount * percent / HUNDRED, currency)


def allocate(total: Decimal, weights: list[Decimal], currency: str) -> list[Decimal]:
    """Split ``total`` over ``weights`` proportionally so the parts sum exactly to ``total``.

    Largest-remainder method on the currency's minor unit; ties go to the earlier weight.
    """
    if not weights:
        return []
    weight_sum = sum(weights, ZERO)
    if weight_sum == ZERO:
        return [total] + [ZERO] * (len(weights) - 1)
    q = quantum(currency)
    units_total = int((total / q).to_integral_value(rounding=ROUND_HALF_UP))
    exact = [Decimal(units_total) * w / weight_sum for w in weights]
    floors = [int(e.to_integral_value(rounding="ROUND_FLOOR")) for e in exact]
    remainder = units_total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:remainder]:
        floors[i] += 1
    return [Decimal(units) * q for units in floors]
