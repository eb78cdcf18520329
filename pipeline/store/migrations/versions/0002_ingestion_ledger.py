"""ingestion ledger

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 20:06:04.279210
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import pipeline.store.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ingest_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=400), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(length=120), nullable=False),
        sa.Column("first_seen_at", pipeline.store.types.UTCDateTime(), nullable=False),
        sa.Column("finished_at", pipeline.store.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('processing', 'done', 'quarantined')", name=op.f("ck_ingest_files_status")
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_ingest_files")),
    )
    op.create_table(
        "mail_checkpoints",
        sa.Column("mailbox", sa.String(length=300), nullable=False),
        sa.Column("uidvalidity", sa.Integer(), nullable=False),
        sa.Column("last_uid", sa.Integer(), nullable=False),
        sa.Column("updated_at", pipeline.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("mailbox", "uidvalidity", name=op.f("pk_mail_checkpoints")),
    )
    op.create_table(
        "mail_messages",
        sa.Column("message_key", sa.String(length=600), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("mailbox", sa.String(length=300), nullable=False),
        sa.Column("uidvalidity", sa.Integer(), nullable=False),
        sa.Column("uid", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("target_folder", sa.String(length=300), nullable=False),
        sa.Column("moved", sa.Boolean(), nullable=False),
        sa.Column("created_at", pipeline.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("message_key", name=op.f("pk_mail_messages")),
    )
    with op.batch_alter_table("mail_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mail_messages_sha256"), ["sha256"], unique=False)

    op.create_table(
        "undeliverable",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("source_ref", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=False),
        sa.Column("created_at", pipeline.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_undeliverable")),
    )
    op.create_table(
        "source_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_ref", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=500), nullable=False),
        sa.Column("received_at", pipeline.store.types.UTCDateTime(), nullable=False),
        sa.Column("message_id", sa.String(length=500), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("created_at", pipeline.store.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('lead', 'merged', 'attached', 'review', 'rejected', 'auto-reply', 'bounce', 'duplicate')",
            name=op.f("ck_source_records_outcome"),
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_source_records_lead_id_leads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_records")),
        sa.UniqueConstraint("source_ref", name=op.f("uq_source_records_source_ref")),
    )
    with op.batch_alter_table("source_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_records_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_source_records_message_id"), ["message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("source_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_records_message_id"))
        batch_op.drop_index(batch_op.f("ix_source_records_lead_id"))

    op.drop_table("source_records")
    op.drop_table("undeliverable")
    with op.batch_alter_table("mail_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mail_messages_sha256"))

    op.drop_table("mail_messages")
    op.drop_table("mail_checkpoints")
    op.drop_table("ingest_files")
