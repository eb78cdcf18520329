"""Product catalogue and opportunity development (product lines, close date)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pipeline.domain.errors import InvalidValue
from pipeline.domain.lines import Discount
from pipeline.domain.opportunity import Opportunity
from pipeline.domain.parties import Product
from pipeline.services.results import Done, done
from pipeline.store.uow import UnitOfWork


def add_product(
    uow: UnitOfWork,
    sku: str,
    name: str,
    price: Decimal,
    *,
    currency: str,
    tax_rate: Decimal,
    unit: str = "pcs",
) -> Done:
    """Add a product with its price-list price, or update the price of an existing SKU."""
    with uow:
        existing = uow.session.query(Product).filter_by(sku=sku).one_or_none()
        if existing is not None:
            existing.name, existing.unit_price, existing.tax_rate = name, price, tax_rate
            existing.currency, existing.unit = currency, unit
            product = existing
        else:
            product = Product(
                sku=sku,
                name=name,
                unit_price=price,
                currency=currency,
                tax_rate=tax_rate,
                unit=unit,
            )
            uow.add(product)
        uow.commit()
        return Done(
            kind="product",
            ref=product.sku,
            id=product.id,
            message=f"Product {product.sku} at {product.unit_price} {currency}.",
        )


def add_line(
    uow: UnitOfWork, opp_ref: str, sku: str, quantity: Decimal, discount: Discount
) -> Done:
    """Add a product line to an open opportunity at the price-list price."""
    with uow:
        opp = uow.records.get(Opportunity, opp_ref)
        product = uow.records.product(sku)
        if product.currency != opp.currency:
            raise InvalidValue(
                f"Product {sku} is priced in {product.currency}, "
                f"opportunity {opp.ref} is in {opp.currency}."
            )
        line = opp.add_line(product, quantity, discount, uow.now())
        uow.commit()
        return done(
            "opportunity",
            opp,
            f"Line {line.line_no} added; estimated revenue {opp.estimated_revenue} {opp.currency}.",
            estimated_revenue=str(opp.estimated_revenue),
        )


def set_close_date(uow: UnitOfWork, opp_ref: str, when: date) -> Done:
    with uow:
        opp = uow.records.get(Opportunity, opp_ref)
        opp.set_close_date(when, uow.now())
        uow.commit()
        return done("opportunity", opp, f"Estimated close date {when.isoformat()}.")
