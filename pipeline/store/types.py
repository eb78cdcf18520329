"""Column types that keep Python semantics on every backend.

- ``Money``: Decimal in, Decimal out. PostgreSQL stores NUMERIC; SQLite stores the exact decimal
  text (SQLite's NUMERIC affinity would turn it into a float).
- ``UTCDateTime``: timezone-aware datetimes in and out; SQLite keeps no zone, so values are
  stored in UTC and the zone is put back on load.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Dialect, Numeric, String, TypeDecorator
from sqlalchemy.types import TypeEngine


class Money(TypeDecorator[Decimal]):
    """Exact decimal amounts (NUMERIC(18, 4) on PostgreSQL, text on SQLite)."""

    impl = Numeric(18, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(18, 4, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("float is not a money value; use Decimal")
        value = Decimal(value)
        return format(value, "f") if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
        return _canonical(amount) if dialect.name != "sqlite" else amount


_CENT = Decimal("0.01")


def _canonical(amount: Decimal) -> Decimal:
    """NUMERIC(18, 4) pads to 4 places; show cents when the value has no finer digits."""
    cents = amount.quantize(_CENT)
    return cents if cents == amount else amount.normalize()


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware timestamps on every backend (naive values are refused)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused; use a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EnumText(TypeDecorator[StrEnum]):
    """A string enum stored as its value (CHECK constraints guard the allowed values)."""

    impl = String(32)
    cache_ok = True

    def __init__(self, enum: type[StrEnum]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: StrEnum | str | None, dialect: Dialect) -> Any:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.enum(value)
