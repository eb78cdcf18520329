"""Decisions by file: each row of an ops sheet is one stage change, applied exactly once.

A row (``reference, action, reason, amount, date``) goes through the ordinary use cases of
``documents`` and ``leads`` inside a ``LedgerUnitOfWork``: its commit also inserts the row's
ledger entry (``source_records``, ``source_ref = file://<sha256>#row-<n>``, outcome
``attached``), so the change, its history events (actor ``decisions:<file>#row-<n>``) and the
proof that the row was applied land together or not at all. A refused row gets a ``rejected``
ledger entry with its message. A rerun after a crash finds the entries and applies nothing
twice; it reports the earlier outcomes instead.

The ``date`` column is checked (ISO or DD.MM.YYYY) and kept in the ledger, but the events are
stamped with the time the row is applied: history stays in the order things happened to the
database, and document numbers and due dates follow the real calendar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.domain.errors import DomainError
from pipeline.domain.invoice import Invoice
from pipeline.domain.lead import DisqualifyReason
from pipeline.domain.money import to_decimal
from pipeline.domain.order import Order
from pipeline.domain.quote import Quote
from pipeline.services import documents, leads
from pipeline.services.results import Done, done
from pipeline.store import ledger
from pipeline.store import tables as t
from pipeline.store.repository import kind_of
from pipeline.store.uow import UnitOfWork

ACTIONS = (
    "accept",
    "lose",
    "revise",
    "fulfil",
    "fulfil-partial",
    "invoice",
    "pay",
    "cancel",
    "qualify",
    "disqualify",
)
# The American spelling is accepted too.
_SYNONYMS = {"fulfill": "fulfil", "fulfill-partial": "fulfil-partial"}
SOURCE = "decisions"


class BadDecision(Exception):
    """A row that cannot be applied as written (unknown action, bad amount or date)."""


@dataclass(frozen=True)
class Decision:
    """One row of a decisions sheet, as text; ``row`` is the spreadsheet row number."""

    row: int
    reference: str
    action: str
    reason: str = ""
    amount: str = ""
    date: str = ""

    def values(self) -> dict[str, str]:
        return {
            "reference": self.reference,
            "action": self.action,
            "reason": self.reason,
            "amount": self.amount,
            "date": self.date,
        }


@dataclass(frozen=True)
class DecisionFile:
    """The file the decisions came from: its bytes' identity and its name for people."""

    sha256: str
    name: str
    received_at: datetime


@dataclass(frozen=True)
class Outcome:
    """What became of one row: ``applied`` or ``refused``, with a sentence for people."""

    row: int
    reference: str
    action: str
    outcome: str
    message: str


class LedgerUnitOfWork(UnitOfWork):
    """A unit of work whose commit also writes one ledger row, in the same transaction."""

    def __init__(
        self, session_factory: Callable[[], Session], *, actor: str, ledger_row: dict[str, Any]
    ) -> None:
        super().__init__(session_factory, actor=actor)
        self._ledger_row = ledger_row

    def commit(self) -> None:
        ledger.add_source_records(self.session, [{**self._ledger_row, "created_at": self.now()}])
        super().commit()


def row_ref(sha256: str, row: int) -> str:
    """The ledger key of one row of a decisions file."""
    return f"file://{sha256}#row-{row}"


def apply_decisions(
    session_factory: Callable[[], Session],
    file: DecisionFile,
    decisions: Sequence[Decision],
    *,
    currency: str,
) -> list[Outcome]:
    """Apply every row in its own transaction; rows applied or refused before are reported,
    not repeated."""
    earlier = _earlier_outcomes(session_factory, file.sha256, decisions)
    outcomes: list[Outcome] = []
    for d in decisions:
        known = earlier.get(row_ref(file.sha256, d.row))
        outcomes.append(known or apply_decision(session_factory, file, d, currency=currency))
    return outcomes


def apply_decision(
    session_factory: Callable[[], Session], file: DecisionFile, d: Decision, *, currency: str
) -> Outcome:
    """Apply one row; a refusal (illegal move, unknown reference, bad value) is recorded."""
    actor = f"decisions:{file.name[:160]}#row-{d.row}"  # events.actor holds 200
    try:
        action, amount = parse_action(d.action), parse_amount(d)
        parse_date(d.date)
        row = _ledger_row(file, d, "attached", action, actor, "")
        result = _run(
            LedgerUnitOfWork(session_factory, actor=actor, ledger_row=row),
            d,
            action,
            amount,
            currency,
        )
    except (DomainError, BadDecision) as exc:
        message = str(exc)
        with UnitOfWork(session_factory, actor=actor) as uow:
            row = _ledger_row(file, d, "rejected", d.action, actor, message)
            ledger.add_source_records(uow.session, [{**row, "created_at": uow.now()}])
            uow.commit()
        return Outcome(d.row, d.reference, d.action, "refused", message)
    return Outcome(d.row, d.reference, d.action, "applied", result.message)


def parse_action(text: str) -> str:
    """The canonical action for ``text`` ("Fulfil partial" -> "fulfil-partial")."""
    key = "-".join(text.casefold().replace("_", " ").replace("-", " ").split())
    action = _SYNONYMS.get(key, key)
    if action not in ACTIONS:
        shown = repr(text) if text.strip() else "an empty action"
        raise BadDecision(f"Unknown action {shown}; use one of {', '.join(ACTIONS)}.")
    return action


def parse_amount(d: Decision) -> Decimal | None:
    """The payment amount of a row; None (the whole balance) when the cell is empty."""
    if not d.amount.strip():
        return None
    try:
        return to_decimal(d.amount)
    except (ValueError, TypeError) as exc:
        raise BadDecision(f"The amount {d.amount!r} is not a number.") from exc


def parse_date(text: str) -> date | None:
    """An optional ISO (2026-11-20) or Turkish (20.11.2026) date; anything else is refused."""
    text = text.strip()
    if not text:
        return None
    try:
        if "." in text:
            day, month, year = (int(p) for p in text.split("."))
            return date(year, month, day)
        return datetime.fromisoformat(text).date()
    except ValueError as exc:
        raise BadDecision(f"The date {text!r} is not a date (use 2026-11-20).") from exc


def _run(uow: UnitOfWork, d: Decision, action: str, amount: Decimal | None, currency: str) -> Done:
    ref, note = d.reference.strip(), d.reason.strip()
    if not ref:
        raise BadDecision("The row has no reference.")
    if action == "pay":
        return documents.pay(uow, ref, amount)
    if action == "cancel":
        return _cancel(uow, ref, note)
    if action == "disqualify":
        return leads.disqualify(uow, ref, _disqualify_reason(note))
    if action == "qualify":
        return leads.qualify(uow, ref, currency=currency)
    if action == "lose":
        return documents.lose(uow, ref, note)
    if action in ("fulfil", "fulfil-partial"):
        return documents.fulfil(uow, ref, partial=action == "fulfil-partial")
    simple: dict[str, Callable[[UnitOfWork, str], Done]] = {
        "accept": documents.accept,
        "revise": documents.revise,
        "invoice": documents.invoice,
    }
    return simple[action](uow, ref)


def _cancel(uow: UnitOfWork, ref: str, note: str) -> Done:
    """Cancel whatever the reference names: a quote, an order or an invoice."""
    kind = kind_of(ref)
    if kind is Order:
        return documents.cancel_order(uow, ref, note)
    if kind is Invoice:
        return documents.cancel_invoice(uow, ref, note)
    if kind is not Quote:
        raise BadDecision(f"Only quotes, orders and invoices can be canceled, not {ref!r}.")
    with uow:
        quote = uow.records.get(Quote, ref)
        quote.cancel(note, uow.now())
        uow.commit()
        return done("quote", quote, f"Quote {quote.number} canceled.")


def _disqualify_reason(text: str) -> DisqualifyReason:
    key = "-".join(text.casefold().replace("_", " ").replace("-", " ").split())
    try:
        return DisqualifyReason(key)
    except ValueError:
        choices = ", ".join(r.value for r in DisqualifyReason)
        raise BadDecision(f"Disqualify needs a reason: one of {choices}.") from None


def _ledger_row(
    file: DecisionFile, d: Decision, outcome: str, action: str, actor: str, message: str
) -> dict[str, Any]:
    return {
        "source_ref": row_ref(file.sha256, d.row),
        "source": SOURCE,
        "origin": file.name[:500],
        "received_at": file.received_at,
        "message_id": None,
        "outcome": outcome,
        "reason": action[:64],
        "fields": {**d.values(), "message": message},
        "provenance": {"actor": actor, "row": str(d.row)},
        "lead_id": None,
    }


def _earlier_outcomes(
    session_factory: Callable[[], Session], sha256: str, decisions: Iterable[Decision]
) -> dict[str, Outcome]:
    """Rows of this file already in the ledger (a rerun after a crash), as outcomes."""
    refs = {row_ref(sha256, d.row): d for d in decisions}
    c = t.source_records.c
    # One prefix query instead of IN (...): no bound-parameter limit however long the file.
    stmt = select(c.source_ref, c.outcome, c.fields).where(
        c.source_ref.startswith(row_ref(sha256, 0)[:-1], autoescape=True)
    )
    with UnitOfWork(session_factory) as uow:
        rows = uow.session.execute(stmt).all()
    earlier: dict[str, Outcome] = {}
    for source_ref, outcome, fields in rows:
        d = refs.get(source_ref)
        if d is None:
            continue
        applied = outcome == "attached"
        message = "Applied by an earlier run." if applied else str(fields.get("message", ""))
        earlier[source_ref] = Outcome(
            d.row, d.reference, d.action, "applied" if applied else "refused", message
        )
    return earlier
