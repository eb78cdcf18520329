"""Persistence: SQLAlchemy 2.0 tables and mapping, unit of work, sequences, Alembic migrations."""
