"""Small results returned by use cases and printed by the CLI (``--json`` ready)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Done:
    """What a use case did to one record."""

    kind: str
    ref: str
    id: int | None
    state: str = ""
    status: str = ""
    message: str = ""
    related: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def done(kind: str, record: Any, message: str = "", **related: str) -> Done:
    """A ``Done`` for a domain record (uses its ref, id, state and status)."""
    return Done(
        kind=kind,
        ref=record.ref,
        id=record.id,
        state=str(getattr(record, "state", "")),
        status=str(getattr(record, "status", "")),
        message=message,
        related=related,
    )
