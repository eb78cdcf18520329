"""Tables of the web interface: users, login sessions and failed logins.

Kept on their own ``MetaData`` and created with ``create_all`` at start (idempotent), so the
web interface needs no migration of the pipeline schema. Only a token's sha256 is stored, so a
copy of the database does not hand out live sessions.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

from pipeline.store.tables import NAMING
from pipeline.store.types import UTCDateTime

web_metadata = MetaData(naming_convention=NAMING)

users = Table(
    "web_users",
    web_metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("password_hash", String(400), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

sessions = Table(
    "web_sessions",
    web_metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("user_id", ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)

login_failures = Table(
    "web_login_failures",
    web_metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("client_ip", String(64), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_web_login_failures_name_at", "name", "at"),
    Index("ix_web_login_failures_ip_at", "client_ip", "at"),
)


def ensure_tables(engine: Engine) -> None:
    """Create the web tables when they are missing (safe to call at every start)."""
    web_metadata.create_all(engine)
