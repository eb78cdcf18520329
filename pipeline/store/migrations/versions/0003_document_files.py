"""document files

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 20:19:43.996817
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import pipeline.store.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=8), nullable=False),
        sa.Column("doc_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", pipeline.store.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("doc_type IN ('QUO', 'INV')", name=op.f("ck_document_files_doc_type")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_files")),
        sa.UniqueConstraint("doc_type", "doc_id", "lang", name="uq_document_files_doc"),
    )


def downgrade() -> None:
    op.drop_table("document_files")
