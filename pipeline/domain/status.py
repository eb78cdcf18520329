"""State/status pairs (Dynamics 365 Sales semantics) and one transitions table per record type.

Each record type has a ``State`` enum and a ``Status`` enum (the status reason); every status
belongs to exactly one state (``STATE_OF``). ``TRANSITIONS[action]`` lists the statuses an
action may start from and the status it ends in. Nobody sets a status directly: records call
``step(table, action, current)`` inside their named methods.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar


class LeadState(StrEnum):
    OPEN = "Open"
    QUALIFIED = "Qualified"
    DISQUALIFIED = "Disqualified"


class LeadStatus(StrEnum):
    NEW = "New"
    CONTACTED = "Contacted"
    QUALIFIED = "Qualified"
    LOST = "Lost"
    CANNOT_CONTACT = "Cannot Contact"
    NO_LONGER_INTERESTED = "No Longer Interested"
    CANCELED = "Canceled"


class OpportunityState(StrEnum):
    OPEN = "Open"
    WON = "Won"
    LOST = "Lost"


class OpportunityStatus(StrEnum):
    IN_PROGRESS = "In Progress"
    ON_HOLD = "On Hold"
    WON = "Won"
    CANCELED = "Canceled"
    OUT_SOLD = "Out-Sold"


class QuoteState(StrEnum):
    DRAFT = "Draft"
    ACTIVE = "Active"
    WON = "Won"
    CLOSED = "Closed"


class QuoteStatus(StrEnum):
    IN_PROGRESS = "In Progress"
    OPEN = "Open"
    WON = "Won"
    LOST = "Lost"
    CANCELED = "Canceled"
    REVISED = "Revised"


class OrderState(StrEnum):
    ACTIVE = "Active"
    SUBMITTED = "Submitted"
    CANCELED = "Canceled"
    FULFILLED = "Fulfilled"
    INVOICED = "Invoiced"


class OrderStatus(StrEnum):
    NEW = "New"
    PENDING = "Pending"
    IN_PROGRESS = "In Progress"
    NO_MONEY = "No Money"
    COMPLETE = "Complete"
    PARTIAL = "Partial"
    INVOICED = "Invoiced"


class InvoiceState(StrEnum):
    ACTIVE = "Active"
    PAID = "Paid"
    CANCELED = "Canceled"


class InvoiceStatus(StrEnum):
    NEW = "New"
    BILLED = "Billed"
    COMPLETE = "Complete"
    PARTIAL = "Partial"
    CANCELED = "Canceled"


S = TypeVar("S", bound=StrEnum)
T = TypeVar("T", bound=StrEnum)


@dataclass(frozen=True)
class Lifecycle(Generic[T, S]):
    """A record type's states, statuses and allowed transitions."""

    record: str
    state_of: Mapping[S, T]
    transitions: Mapping[str, tuple[frozenset[S], S]]

    def target(self, action: str, current: S) -> S | None:
        """The status ``action`` leads to from ``current``, or None when not allowed."""
        sources, target = self.transitions[action]
        return target if current in sources else None

    def allowed_actions(self, current: S) -> list[str]:
        """Actions allowed from ``current``, in table order."""
        return [a for a, (sources, _) in self.transitions.items() if current in sources]


def _fs(*items: S) -> frozenset[S]:
    return frozenset(items)


L, OS, Q, R, IS = LeadStatus, OpportunityStatus, QuoteStatus, OrderStatus, InvoiceStatus

LEAD = Lifecycle[LeadState, LeadStatus](
    record="lead",
    state_of={
        L.NEW: LeadState.OPEN,
        L.CONTACTED: LeadState.OPEN,
        L.QUALIFIED: LeadState.QUALIFIED,
        L.LOST: LeadState.DISQUALIFIED,
        L.CANNOT_CONTACT: LeadState.DISQUALIFIED,
        L.NO_LONGER_INTERESTED: LeadState.DISQUALIFIED,
        L.CANCELED: LeadState.DISQUALIFIED,
    },
    transitions={
        "contact": (_fs(L.NEW), L.CONTACTED),
        "qualify": (_fs(L.NEW, L.CONTACTED), L.QUALIFIED),
        "disqualify-lost": (_fs(L.NEW, L.CONTACTED), L.LOST),
        "disqualify-cannot-contact": (_fs(L.NEW, L.CONTACTED), L.CANNOT_CONTACT),
        "disqualify-no-longer-interested": (_fs(L.NEW, L.CONTACTED), L.NO_LONGER_INTERESTED),
        "disqualify-canceled": (_fs(L.NEW, L.CONTACTED), L.CANCELED),
        "reactivate": (
            _fs(L.LOST, L.CANNOT_CONTACT, L.NO_LONGER_INTERESTED, L.CANCELED),
            L.NEW,
        ),
    },
)

OPPORTUNITY = Lifecycle[OpportunityState, OpportunityStatus](
    record="opportunity",
    state_of={
        OS.IN_PROGRESS: OpportunityState.OPEN,
        OS.ON_HOLD: OpportunityState.OPEN,
        OS.WON: OpportunityState.WON,
        OS.CANCELED: OpportunityState.LOST,
        OS.OUT_SOLD: OpportunityState.LOST,
    },
    transitions={
        "hold": (_fs(OS.IN_PROGRESS), OS.ON_HOLD),
        "resume": (_fs(OS.ON_HOLD), OS.IN_PROGRESS),
        "win": (_fs(OS.IN_PROGRESS, OS.ON_HOLD), OS.WON),
        "lose-canceled": (_fs(OS.IN_PROGRESS, OS.ON_HOLD), OS.CANCELED),
        "lose-out-sold": (_fs(OS.IN_PROGRESS, OS.ON_HOLD), OS.OUT_SOLD),
    },
)

QUOTE = Lifecycle[QuoteState, QuoteStatus](
    record="quote",
    state_of={
        # Draft and Active both use "In Progress" in Dynamics; Draft's is the stored default,
        # Active quotes here are "Open" once activated.
        Q.IN_PROGRESS: QuoteState.DRAFT,
        Q.OPEN: QuoteState.ACTIVE,
        Q.WON: QuoteState.WON,
        Q.LOST: QuoteState.CLOSED,
        Q.CANCELED: QuoteState.CLOSED,
        Q.REVISED: QuoteState.CLOSED,
    },
    transitions={
        "activate": (_fs(Q.IN_PROGRESS), Q.OPEN),
        "win": (_fs(Q.OPEN), Q.WON),
        "lose": (_fs(Q.OPEN), Q.LOST),
        "cancel": (_fs(Q.IN_PROGRESS, Q.OPEN), Q.CANCELED),
        "revise": (_fs(Q.OPEN), Q.REVISED),
    },
)

ORDER = Lifecycle[OrderState, OrderStatus](
    record="order",
    state_of={
        R.NEW: OrderState.ACTIVE,
        R.PENDING: OrderState.ACTIVE,
        R.IN_PROGRESS: OrderState.SUBMITTED,
        R.NO_MONEY: OrderState.CANCELED,
        R.COMPLETE: OrderState.FULFILLED,
        R.PARTIAL: OrderState.FULFILLED,
        R.INVOICED: OrderState.INVOICED,
    },
    transitions={
        "hold": (_fs(R.NEW), R.PENDING),
        "submit": (_fs(R.NEW, R.PENDING), R.IN_PROGRESS),
        "fulfil": (_fs(R.NEW, R.PENDING, R.IN_PROGRESS, R.PARTIAL), R.COMPLETE),
        "fulfil-partial": (_fs(R.NEW, R.PENDING, R.IN_PROGRESS), R.PARTIAL),
        "cancel": (_fs(R.NEW, R.PENDING, R.IN_PROGRESS), R.NO_MONEY),
        "invoice": (_fs(R.COMPLETE, R.PARTIAL), R.INVOICED),
    },
)

INVOICE = Lifecycle[InvoiceState, InvoiceStatus](
    record="invoice",
    state_of={
        IS.NEW: InvoiceState.ACTIVE,
        IS.BILLED: InvoiceState.ACTIVE,
        IS.COMPLETE: InvoiceState.PAID,
        IS.PARTIAL: InvoiceState.PAID,
        IS.CANCELED: InvoiceState.CANCELED,
    },
    transitions={
        "bill": (_fs(IS.NEW), IS.BILLED),
        "pay": (_fs(IS.NEW, IS.BILLED, IS.PARTIAL), IS.COMPLETE),
        "pay-partial": (_fs(IS.NEW, IS.BILLED, IS.PARTIAL), IS.PARTIAL),
        "cancel": (_fs(IS.NEW, IS.BILLED), IS.CANCELED),
    },
)
