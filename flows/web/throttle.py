"""Failed-login throttling: five failures for one name or one client within 15 minutes lock
further attempts for 15 minutes after the fifth.

Failures are rows in ``web_login_failures``; a lock is computed from them, so it survives a
restart and needs no background job.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert, select

from flows.web.store import login_failures

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)


def locked_until(engine: Engine, name: str, client_ip: str, now: datetime) -> datetime | None:
    """When attempts for this name or client are allowed again; None when they are now."""
    c = login_failures.c
    since = now - WINDOW - LOCK
    until: datetime | None = None
    with engine.connect() as conn:
        for column, value in ((c.name, name), (c.client_ip, client_ip)):
            times = list(
                conn.scalars(select(c.at).where(column == value, c.at >= since).order_by(c.at))
            )
            found = lock_end(times)
            if found is not None and found > now and (until is None or found > until):
                until = found
    return until


def lock_end(times: list[datetime]) -> datetime | None:
    """The end of the latest lock that ``times`` (sorted failures) trigger, if any."""
    end = None
    for i in range(MAX_FAILURES - 1, len(times)):
        if times[i] - times[i - MAX_FAILURES + 1] <= WINDOW:
            end = times[i] + LOCK
    return end


def record_failure(engine: Engine, name: str, client_ip: str, now: datetime) -> None:
    """Remember one failed attempt (and forget ones too old to matter)."""
    c = login_failures.c
    with engine.begin() as conn:
        conn.execute(insert(login_failures).values(name=name, client_ip=client_ip, at=now))
        conn.execute(delete(login_failures).where(c.at < now - WINDOW - LOCK))


def clear_failures(engine: Engine, name: str, client_ip: str) -> None:
    """A successful login forgets the failures of that name from that client."""
    c = login_failures.c
    with engine.begin() as conn:
        conn.execute(delete(login_failures).where(c.name == name, c.client_ip == client_ip))
