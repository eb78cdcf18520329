"""dedupe scoring activities

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 20:44:10.485359
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import pipeline.store.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lead_keys",
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_lead_keys_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.UniqueConstraint("key", "lead_id", name="uq_lead_keys_key_lead"),
    )
    with op.batch_alter_table("lead_keys", schema=None) as batch_op:
        batch_op.create_index("ix_lead_keys_lead", ["lead_id"], unique=False)

    op.create_table(
        "lead_provenance",
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("source_ref", sa.String(length=500), nullable=False),
        sa.Column("location", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["leads.id"],
            name=op.f("fk_lead_provenance_lead_id_leads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("lead_id", "field", name=op.f("pk_lead_provenance")),
    )
    op.create_table(
        "lead_scores",
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=8), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("contributions", sa.JSON(), nullable=False),
        sa.Column("scored_at", pipeline.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_lead_scores_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("lead_id", name=op.f("pk_lead_scores")),
    )
    op.create_table(
        "review_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_a", sa.Integer(), nullable=False),
        sa.Column("lead_b", sa.Integer(), nullable=False),
        sa.Column("score", pipeline.store.types.Money(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", pipeline.store.types.UTCDateTime(), nullable=False),
        sa.Column("decided_at", pipeline.store.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'merged', 'kept-apart')", name=op.f("ck_review_pairs_status")
        ),
        sa.CheckConstraint("lead_a < lead_b", name=op.f("ck_review_pairs_ordered")),
        sa.ForeignKeyConstraint(
            ["lead_a"], ["leads.id"], name=op.f("fk_review_pairs_lead_a_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["lead_b"], ["leads.id"], name=op.f("fk_review_pairs_lead_b_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_pairs")),
        sa.UniqueConstraint("lead_a", "lead_b", name="uq_review_pairs_pair"),
    )
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("source_ref", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", pipeline.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_activities_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_activities_lead_id_leads")
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_activities_opportunity_id_opportunities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint("source_ref", name=op.f("uq_activities_source_ref")),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activities_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activities_lead_id"), ["lead_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activities_lead_id"))
        batch_op.drop_index(batch_op.f("ix_activities_contact_id"))

    op.drop_table("activities")
    op.drop_table("review_pairs")
    op.drop_table("lead_scores")
    op.drop_table("lead_provenance")
    with op.batch_alter_table("lead_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_keys_lead")

    op.drop_table("lead_keys")
