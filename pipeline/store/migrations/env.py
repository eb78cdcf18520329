"""Alembic environment: runs on the connection handed in by ``pipeline.store.migrate``."""

from __future__ import annotations

from alembic import context

from pipeline.store.tables import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # offline / CLI use: build an engine from the ini url
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as conn:
        context.configure(
            connection=conn, target_metadata=metadata, render_as_batch=conn.dialect.name == "sqlite"
        )
        context.run_migrations()
else:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
