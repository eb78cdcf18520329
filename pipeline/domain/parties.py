"""Accounts (companies), contacts (people) and products with their price-list price."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from pipeline.domain.errors import InvalidValue
from pipeline.domain.events import HasEvents, utcnow
from pipeline.domain.money import ZERO


@dataclass(eq=False)
class Account(HasEvents):
    """A customer company; keeps the lead it was created from."""

    name: str
    company_key: str = ""
    website: str = ""
    city: str = ""
    country: str = ""
    origin_lead_id: int | None = None
    created_at: datetime = field(default_factory=utcnow)
    id: int | None = None

    @property
    def ref(self) -> str:
        return f"ACC-{self.id}" if self.id else self.name


@dataclass(eq=False)
class Contact(HasEvents):
    """A person at an account; keeps the lead it was created from."""

    first_name: str
    last_name: str
    email: str = ""
    email_key: str = ""
    phone: str = ""
    title: str = ""
    account: Account | None = None
    origin_lead_id: int | None = None
    created_at: datetime = field(default_factory=utcnow)
    id: int | None = None

    @property
    def ref(self) -> str:
        return f"CON-{self.id}" if self.id else self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


@dataclass(eq=False)
class Product:
    """A sellable product and its price on the price list."""

    sku: str
    name: str
    unit_price: Decimal
    currency: str
    tax_rate: Decimal
    unit: str = "pcs"
    active: bool = True
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.sku.strip():
            raise InvalidValue("A product needs a SKU.")
        if self.unit_price < ZERO:
            raise InvalidValue(f"Price of {self.sku} cannot be negative.")
        if self.tax_rate < ZERO:
            raise InvalidValue(f"Tax rate of {self.sku} cannot be negative.")
