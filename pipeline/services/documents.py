"""Quote, order and invoice use cases: each takes numbers from the gapless sequences."""

from __future__ import annotations

from decimal import Decimal

from pipeline.domain.invoice import Invoice
from pipeline.domain.numbering import DocType
from pipeline.domain.opportunity import Opportunity
from pipeline.domain.order import Order
from pipeline.domain.process import accept_quote, create_quote, issue_invoice
from pipeline.domain.quote import Quote
from pipeline.services.results import Done, done
from pipeline.store.uow import UnitOfWork


def create(uow: UnitOfWork, opp_ref: str) -> Done:
    """A Draft quote for an opportunity, lines copied."""
    with uow:
        opp = uow.records.get(Opportunity, opp_ref)
        year = uow.now().year
        quote = create_quote(opp, seq=uow.next_number(DocType.QUOTE, year), year=year, at=uow.now())
        uow.add(quote)
        uow.commit()
        return done("quote", quote, f"Quote {quote.number} created (Draft).")


def activate(uow: UnitOfWork, ref: str, validity_days: int = 30) -> Done:
    """Offer the quote: lines freeze, validity starts."""
    with uow:
        quote = uow.records.get(Quote, ref)
        quote.activate(validity_days, uow.now())
        uow.commit()
        return done(
            "quote",
            quote,
            f"Quote {quote.number} is Active until {quote.valid_until}.",
            total=str(quote.total),
        )


def revise(uow: UnitOfWork, ref: str) -> Done:
    """Close an Active quote as Revised; a new Draft revision takes its place."""
    with uow:
        quote = uow.records.get(Quote, ref)
        new = quote.revise(uow.now())
        uow.add(new)
        uow.commit()
        return done(
            "quote",
            new,
            f"Quote {quote.number} revised; draft {new.number} created.",
            revised=quote.number,
        )


def accept(uow: UnitOfWork, ref: str) -> Done:
    """The customer accepted: an order is created; quote and opportunity close as Won."""
    with uow:
        quote = uow.records.get(Quote, ref)
        year = uow.now().year
        order = accept_quote(
            quote, seq=uow.next_number(DocType.ORDER, year), year=year, at=uow.now()
        )
        uow.add(order)
        uow.commit()
        return done(
            "order",
            order,
            f"Quote {quote.number} won; order {order.number} created.",
            quote=quote.number,
            opportunity=quote.opportunity.ref,
        )


def lose(uow: UnitOfWork, ref: str, note: str = "") -> Done:
    with uow:
        quote = uow.records.get(Quote, ref)
        quote.lose(note, uow.now())
        uow.commit()
        return done("quote", quote, f"Quote {quote.number} closed as Lost.")


def fulfil(uow: UnitOfWork, ref: str, partial: bool = False) -> Done:
    with uow:
        order = uow.records.get(Order, ref)
        order.fulfil(partial, uow.now())
        uow.commit()
        return done("order", order, f"Order {order.number} fulfilled ({order.status}).")


def cancel_order(uow: UnitOfWork, ref: str, note: str = "") -> Done:
    with uow:
        order = uow.records.get(Order, ref)
        order.cancel(note, uow.now())
        uow.commit()
        return done("order", order, f"Order {order.number} canceled.")


def invoice(uow: UnitOfWork, order_ref: str, payment_days: int = 30) -> Done:
    """Invoice a fulfilled order."""
    with uow:
        order = uow.records.get(Order, order_ref)
        year = uow.now().year
        inv = issue_invoice(
            order,
            seq=uow.next_number(DocType.INVOICE, year),
            year=year,
            payment_days=payment_days,
            at=uow.now(),
        )
        uow.add(inv)
        uow.commit()
        return done(
            "invoice",
            inv,
            f"Invoice {inv.number} issued for {order.number}, due {inv.due_on}.",
            order=order.number,
            total=str(inv.total),
        )


def pay(uow: UnitOfWork, ref: str, amount: Decimal | None = None) -> Done:
    """Record a payment (default: the whole balance)."""
    with uow:
        inv = uow.records.get(Invoice, ref)
        left = inv.pay(amount, uow.now())
        uow.commit()
        return done(
            "invoice",
            inv,
            f"Payment recorded on {inv.number}; balance {left}.",
            balance=str(left),
            amount_paid=str(inv.amount_paid),
        )


def cancel_invoice(uow: UnitOfWork, ref: str, note: str = "") -> Done:
    with uow:
        inv = uow.records.get(Invoice, ref)
        inv.cancel(note, uow.now())
        uow.commit()
        return done("invoice", inv, f"Invoice {inv.number} canceled.")
