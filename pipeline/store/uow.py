"""Unit of work: one transaction; rolls back unless ``commit()`` was called.

On commit it flushes, writes every pending domain event (with the actor of this unit of work)
into ``events`` and commits — the change and its history land together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from pipeline.domain.events import Event, HasEvents, utcnow
from pipeline.domain.numbering import DocType
from pipeline.store.bulk import event_row
from pipeline.store.repository import Records
from pipeline.store.sequences import next_number
from pipeline.store.tables import events


class UnitOfWork:
    """``with UnitOfWork(factory, actor="cli") as uow: ...; uow.commit()``."""

    session: Session
    records: Records

    def __init__(
        self,
        session_factory: Callable[[], Session],
        *,
        actor: str = "system",
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._factory = session_factory
        self.actor = actor
        self.clock = clock
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.records = Records(self.session)
        self._committed = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()

    def now(self) -> datetime:
        return self.clock()

    def next_number(self, doc_type: DocType, year: int) -> int:
        """Take the next gapless document number inside this transaction."""
        return next_number(self.session, doc_type, year)

    def add(self, obj: Any) -> None:
        self.session.add(obj)

    def flush(self) -> None:
        self.session.flush()
        self._write_events()

    def commit(self) -> None:
        self.flush()
        self.session.commit()
        self._committed = True

    def rollback(self) -> None:
        self.session.rollback()

    def _write_events(self) -> None:
        found: list[tuple[Any, Event]] = []
        for obj in list(self.session.identity_map.values()):
            if not isinstance(obj, HasEvents):
                continue
            pending = obj.pending_events()
            found.extend((obj, e) for e in pending)
            pending.clear()
        found.sort(key=lambda pair: (pair[1].at, pair[1].seq))
        rows = [event_row(obj, e, self.actor) for obj, e in found]
        if rows:
            self.session.execute(insert(events), rows)
