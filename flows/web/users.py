"""Users and their login sessions, in the web tables.

A session token is 32 random bytes handed to the browser once; the database keeps only its
sha256. Logging out deletes the row, so the cookie is worthless afterwards.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert, select

from flows.web.passwords import check_strength, dummy_verify, hash_password, verify_password
from flows.web.store import sessions, users

SESSION_LIFETIME = timedelta(hours=12)
MAX_NAME = 120


class UserError(ValueError):
    """A user cannot be created as asked (name taken, weak password, bad name)."""


@dataclass(frozen=True)
class User:
    """A logged-in person and the CSRF token of their session."""

    id: int
    name: str
    csrf_token: str


def add_user(engine: Engine, name: str, password: str, now: datetime) -> int:
    """Create a user with a scrypt-hashed password; returns its id."""
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(ch.isspace() for ch in name):
        raise UserError(f"the user name must be 1–{MAX_NAME} characters without spaces")
    weak = check_strength(password)
    if weak:
        raise UserError(weak)
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.name == name)).first():
            raise UserError(f"the user {name!r} exists already")
        new_id = conn.execute(
            insert(users)
            .values(name=name, password_hash=hash_password(password), created_at=now)
            .returning(users.c.id)
        ).scalar_one()
        return int(new_id)


def authenticate(engine: Engine, name: str, password: str) -> int | None:
    """The user's id when the password is right, else None (same cost either way)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(users.c.id, users.c.password_hash).where(users.c.name == name)
        ).first()
    if row is None:
        dummy_verify(password)
        return None
    return int(row.id) if verify_password(password, row.password_hash) else None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(engine: Engine, user_id: int, now: datetime) -> str:
    """Start a session for ``user_id``; returns the token for the cookie (shown only once)."""
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(
            insert(sessions).values(
                token_sha256=token_hash(token),
                user_id=user_id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
        )
    return token


def session_user(engine: Engine, token: str, now: datetime) -> User | None:
    """The user of a live session, or None for an unknown, ended or expired token."""
    if not token:
        return None
    stmt = (
        select(users.c.id, users.c.name, sessions.c.csrf_token, sessions.c.expires_at)
        .select_from(sessions.join(users, users.c.id == sessions.c.user_id))
        .where(sessions.c.token_sha256 == token_hash(token))
    )
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
    if row is None or row.expires_at <= now:
        return None
    return User(id=int(row.id), name=row.name, csrf_token=row.csrf_token)


def close_session(engine: Engine, token: str, now: datetime) -> None:
    """End the session of ``token`` (and sweep expired ones while at it)."""
    with engine.begin() as conn:
        conn.execute(delete(sessions).where(sessions.c.token_sha256 == token_hash(token)))
        conn.execute(delete(sessions).where(sessions.c.expires_at <= now))
