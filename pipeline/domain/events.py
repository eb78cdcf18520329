"""Events: every creation, transition and merge leaves one, so any record's history can be shown.

Records collect pending events in memory (``Recorded``); the unit of work writes them in the
same transaction as the change and stamps the actor when the event has none.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from pipeline.domain.errors import IllegalTransition
from pipeline.domain.status import Lifecycle


def utcnow() -> datetime:
    """Timezone-aware now (UTC)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Event:
    """Something that happened to a record."""

    action: str  # "created", "qualify", "activate", "merge", ...
    at: datetime
    from_state: str = ""
    from_status: str = ""
    to_state: str = ""
    to_status: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)
    actor: str = ""
    # Creation order inside one process: orders events that share a timestamp.
    seq: int = field(default_factory=itertools.count().__next__, compare=False)


S = TypeVar("S", bound=StrEnum)
T = TypeVar("T", bound=StrEnum)


class HasEvents:
    """Mixin: a record that collects events until the unit of work writes them."""

    def pending_events(self) -> list[Event]:
        """Events not yet written; kept outside mapped attributes on purpose."""
        events: list[Event] = self.__dict__.setdefault("_pending_events", [])
        return events

    def record_event(self, action: str, at: datetime | None = None, **details: Any) -> None:
        """Record a non-transition event (creation, merge, link...)."""
        self.pending_events().append(Event(action=action, at=at or utcnow(), details=details))


class Recorded(HasEvents, Generic[T, S]):
    """Mixin for records with a lifecycle: guarded transitions that leave events.

    Subclasses provide ``LIFECYCLE``, ``state``, ``status`` and ``ref`` (a label for messages).
    """

    LIFECYCLE: ClassVar[Lifecycle[Any, Any]]
    state: T
    status: S

    @property
    def ref(self) -> str:
        raise NotImplementedError

    def record_event(self, action: str, at: datetime | None = None, **details: Any) -> None:
        """Record a non-transition event (creation, merge, line change...)."""
        self.pending_events().append(
            Event(
                action=action,
                at=at or utcnow(),
                to_state=str(self.state),
                to_status=str(self.status),
                details=details,
            )
        )

    def can(self, action: str) -> bool:
        """Whether ``action`` is allowed from the current status."""
        return self.LIFECYCLE.target(action, self.status) is not None

    def _step(self, action: str, at: datetime | None = None, **details: Any) -> None:
        """Apply ``action`` from the transitions table or raise ``IllegalTransition``."""
        target = self.LIFECYCLE.target(action, self.status)
        if target is None:
            raise IllegalTransition(
                self.LIFECYCLE.record,
                self.ref,
                action.split("-")[0],
                str(self.state),
                str(self.status),
            )
        before_state, before_status = self.state, self.status
        self.status = target
        self.state = self.LIFECYCLE.state_of[target]
        self.pending_events().append(
            Event(
                action=action,
                at=at or utcnow(),
                from_state=str(before_state),
                from_status=str(before_status),
                to_state=str(self.state),
                to_status=str(self.status),
                details=details,
            )
        )
