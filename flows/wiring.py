"""Wiring: settings → engine → unit-of-work factory. Built on demand, cached per process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from flows.settings import Settings
from pipeline.scoring import DEFAULT_RULES, ScoringRules
from pipeline.services.qualification import QualifyPolicy
from pipeline.store.database import make_engine, make_session_factory
from pipeline.store.migrate import is_current, upgrade
from pipeline.store.uow import UnitOfWork


class NotInitialised(RuntimeError):
    """The database has no schema (or an old one) yet."""


@dataclass
class App:
    """Everything a command or flow needs, created lazily from one Settings."""

    settings: Settings
    actor: str = "cli"
    _engine: Engine | None = field(default=None, repr=False)
    _factory: sessionmaker[Session] | None = field(default=None, repr=False)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.db_url)
        return self._engine

    def migrate(self) -> None:
        """Create or upgrade the schema (idempotent)."""
        if self.settings.db_url.startswith("sqlite"):
            self.settings.home.mkdir(parents=True, exist_ok=True)
        upgrade(self.engine)

    def check_schema(self) -> None:
        url = self.settings.db_url
        missing_file = url.startswith("sqlite:///") and not Path(url[len("sqlite:///") :]).exists()
        if missing_file or not is_current(self.engine):
            raise NotInitialised(
                f"The database at {self.settings.db_url.split('@')[-1]} is not initialised "
                "or is out of date; run `salesflow init` first."
            )

    @property
    def policy(self) -> QualifyPolicy:
        """Scoring rules and auto-qualification, from the ``[scoring]`` settings."""
        s = self.settings
        rules = ScoringRules.from_mapping(s.scoring) if s.scoring else DEFAULT_RULES
        return QualifyPolicy(
            rules=rules,
            currency=s.currency,
            close_in_days=s.opportunity_close_days,
            auto_qualify=s.auto_qualify,
        )

    def uow_factory(self) -> Callable[[], UnitOfWork]:
        if self._factory is None:
            self.check_schema()
            self._factory = make_session_factory(self.engine)
        factory = self._factory
        return lambda: UnitOfWork(factory, actor=self.actor)

    def uow(self) -> UnitOfWork:
        return self.uow_factory()()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
