"""Domain errors.

Tree::

    DomainError                  base: a request the sales process refuses (terminal)
    ├── IllegalTransition        the record's status does not allow this move
    ├── NotEditable              lines of a non-draft document cannot change
    ├── InvalidValue             a value breaks a rule (negative quantity, unknown currency…)
    └── NotFound                 no record answers to a reference

All are terminal (retrying gives the same answer); ``transient`` is False everywhere here.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the sales process refuses; the message is one sentence for people."""

    transient = False


class IllegalTransition(DomainError):
    """A stage change that the record's current status does not allow."""

    def __init__(self, record: str, ref: str, action: str, state: str, status: str) -> None:
        self.record, self.ref, self.action = record, ref, action
        self.state, self.status = state, status
        super().__init__(f"Cannot {action} {record} {ref}: it is {state} ({status}).")


class NotEditable(DomainError):
    """Lines of a document can change only while it is a draft."""


class InvalidValue(DomainError):
    """A value breaks a business rule."""


class NotFound(DomainError):
    """No record answers to the given reference."""

    def __init__(self, kind: str, ref: str) -> None:
        self.kind, self.ref = kind, ref
        super().__init__(f"No {kind} found for reference {ref!r}.")
