"""Excel number formats for money, percents, quantities and dates, per language.

Decimal and group separators are the viewer's own in Excel, so a format only places the
currency symbol (Babel's symbol for the language, on the side the language's currency pattern
puts it) and the currency's minor units (the domain's ISO 4217 table, the same one amounts are
rounded with). Percents are written as value/100 with a ``0%``/``0.00%`` format.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import get_currency_symbol

from exports.labels import language_of
from pipeline.domain.money import minor_units

HUNDRED = Decimal(100)
_DATE_FORMATS = {"en": "d mmm yyyy", "tr": "dd.mm.yyyy"}
INTEGER_FORMAT = "#,##0"


def _digits(places: int) -> str:
    return INTEGER_FORMAT + ("." + "0" * places if places > 0 else "")


@lru_cache(maxsize=256)
def money_format(currency: str, lang: str) -> str:
    """``"₺"#,##0.00``, ``"TRY "#,##0.00``, ``#,##0.00 "€"``, ``"¥"#,##0`` …"""
    code = language_of(lang)
    symbol = get_currency_symbol(currency.upper(), locale=code).replace('"', "")
    pattern = Locale.parse(code).currency_formats["standard"].pattern.split(";")[0]
    number = _digits(minor_units(currency))
    # A code-like symbol ("TRY") needs a space; a sign ("₺") sits next to the number.
    spaced = any(ch.isalpha() for ch in symbol) and len(symbol) > 1
    if pattern.strip().startswith("\u00a4"):
        gap = " " if spaced or "\u00a4\u00a0" in pattern or "\u00a4 " in pattern else ""
        return f'"{symbol}{gap}"{number}'
    return f'{number} "{symbol}"'


def percent_value(rate: Decimal) -> Decimal:
    """A rate given in percent (``20``) as the fraction Excel formats (``0.2``)."""
    return rate / HUNDRED


def percent_format(rate: Decimal) -> str:
    """``0%`` for whole rates, ``0.00%`` when the rate has a fraction (``8.5`` %)."""
    return "0%" if rate == rate.to_integral_value() else "0.00%"


def quantity_format(quantity: Decimal) -> str:
    """As many decimals as the quantity has (``2`` -> ``#,##0``, ``2.5`` -> ``#,##0.0``)."""
    exponent = quantity.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return _digits(min(places, 6))


def date_format(lang: str) -> str:
    """The date format of ``lang`` (month names are the viewer's)."""
    return _DATE_FORMATS[language_of(lang)]
