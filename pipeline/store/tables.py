"""The database schema (SQLAlchemy Core). Key invariants are CHECK and UNIQUE constraints.

Every record with a lifecycle has a CHECK that its (state, status) pair is one the domain
allows; document numbers are UNIQUE per type and year; a lead produces at most one opportunity.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from pipeline.domain import status as st
from pipeline.domain.lines import DiscountKind
from pipeline.store.types import EnumText, Money, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)


def _pairs_check(lifecycle: st.Lifecycle[Any, Any]) -> CheckConstraint:
    pairs = ", ".join(
        f"'{state.value}|{status.value}'"
        for status, state in sorted(lifecycle.state_of.items(), key=lambda kv: kv[0].value)
    )
    return CheckConstraint(f"(state || '|' || status) IN ({pairs})", name="state_status")


def _enum(name: str, enum: type[StrEnum]) -> Column[Any]:
    return Column(name, EnumText(enum), nullable=False)


def _stamp(name: str = "created_at", nullable: bool = False) -> Column[Any]:
    return Column(name, UTCDateTime(), nullable=nullable)


def _lines_table(name: str, parent: str, parent_table: str) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column(
            f"{parent}_id",
            ForeignKey(f"{parent_table}.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        Column("line_no", Integer, nullable=False),
        Column("sku", String(64), nullable=False),
        Column("description", String(300), nullable=False),
        Column("quantity", Money(), nullable=False),
        Column("unit", String(16), nullable=False),
        Column("unit_price", Money(), nullable=False),
        Column("tax_rate", Money(), nullable=False),
        Column("discount_kind", EnumText(DiscountKind), nullable=False),
        Column("discount_value", Money(), nullable=False),
        CheckConstraint("discount_kind IN ('none', 'amount', 'percent')", name="discount_kind"),
    )


def _document_columns(state: type[StrEnum], status: type[StrEnum]) -> list[Any]:
    return [
        Column("id", Integer, primary_key=True),
        Column("seq", Integer, nullable=False),
        Column("year", Integer, nullable=False),
        Column("currency", String(3), nullable=False),
        Column("discount_kind", EnumText(DiscountKind), nullable=False),
        Column("discount_value", Money(), nullable=False),
        Column("total", Money(), nullable=False),
        _enum("state", state),
        _enum("status", status),
        Column("close_note", Text, nullable=False, default=""),
        _stamp(),
    ]


accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False),
    Column("company_key", String(300), nullable=False, index=True),
    Column("website", String(300), nullable=False),
    Column("city", String(120), nullable=False),
    Column("country", String(64), nullable=False),
    Column("origin_lead_id", Integer, nullable=True),
    _stamp(),
)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id"), nullable=True, index=True),
    Column("first_name", String(120), nullable=False),
    Column("last_name", String(120), nullable=False),
    Column("email", String(320), nullable=False),
    Column("email_key", String(320), nullable=False, index=True),
    Column("phone", String(32), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("origin_lead_id", Integer, nullable=True),
    _stamp(),
)

leads = Table(
    "leads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("first_name", String(120), nullable=False),
    Column("last_name", String(120), nullable=False),
    Column("email", String(320), nullable=False),
    Column("email_key", String(320), nullable=False, index=True),
    Column("phone", String(32), nullable=False, index=True),
    Column("company", String(300), nullable=False),
    Column("company_key", String(300), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("city", String(120), nullable=False),
    Column("country", String(64), nullable=False),
    Column("website", String(300), nullable=False),
    Column("notes", Text, nullable=False),
    Column("source", String(32), nullable=False),
    _enum("state", st.LeadState),
    _enum("status", st.LeadStatus),
    Column("disqualify_note", Text, nullable=False),
    Column("score", Integer, nullable=True),
    Column("rating", String(16), nullable=False),
    Column("account_id", ForeignKey("accounts.id"), nullable=True),
    Column("contact_id", ForeignKey("contacts.id"), nullable=True),
    _stamp(),
    _pairs_check(st.LEAD),
    CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
)

products = Table(
    "products",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sku", String(64), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("unit", String(16), nullable=False),
    Column("unit_price", Money(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("tax_rate", Money(), nullable=False),
    Column("active", Boolean, nullable=False),
    CheckConstraint("unit_price >= 0", name="price_not_negative"),
)

opportunities = Table(
    "opportunities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(400), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("lead_id", ForeignKey("leads.id"), nullable=True, unique=True),
    Column("account_id", ForeignKey("accounts.id"), nullable=True, index=True),
    Column("contact_id", ForeignKey("contacts.id"), nullable=True, index=True),
    Column("estimated_revenue", Money(), nullable=False),
    Column("estimated_close_date", Date, nullable=True),
    _enum("state", st.OpportunityState),
    _enum("status", st.OpportunityStatus),
    Column("close_note", Text, nullable=False),
    _stamp(),
    _pairs_check(st.OPPORTUNITY),
)
opportunity_lines = _lines_table("opportunity_lines", "opportunity", "opportunities")

quotes = Table(
    "quotes",
    metadata,
    *_document_columns(st.QuoteState, st.QuoteStatus),
    Column("revision", Integer, nullable=False),
    Column("opportunity_id", ForeignKey("opportunities.id"), nullable=False, index=True),
    Column("previous_id", ForeignKey("quotes.id"), nullable=True, unique=True),
    Column("valid_until", Date, nullable=True),
    _stamp("activated_at", nullable=True),
    UniqueConstraint("year", "seq", "revision", name="uq_quotes_number"),
    _pairs_check(st.QUOTE),
    CheckConstraint("revision >= 1", name="revision_positive"),
)
quote_lines = _lines_table("quote_lines", "quote", "quotes")

orders = Table(
    "orders",
    metadata,
    *_document_columns(st.OrderState, st.OrderStatus),
    Column("quote_id", ForeignKey("quotes.id"), nullable=False, unique=True),
    Column("opportunity_id", ForeignKey("opportunities.id"), nullable=False, index=True),
    _stamp("fulfilled_at", nullable=True),
    UniqueConstraint("year", "seq", name="uq_orders_number"),
    _pairs_check(st.ORDER),
)
order_lines = _lines_table("order_lines", "order", "orders")

invoices = Table(
    "invoices",
    metadata,
    *_document_columns(st.InvoiceState, st.InvoiceStatus),
    Column("order_id", ForeignKey("orders.id"), nullable=False, unique=True),
    Column("issued_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("amount_paid", Money(), nullable=False),
    UniqueConstraint("year", "seq", name="uq_invoices_number"),
    _pairs_check(st.INVOICE),
    CheckConstraint("amount_paid >= 0", name="paid_not_negative"),
)
invoice_lines = _lines_table("invoice_lines", "invoice", "invoices")

doc_sequences = Table(
    "doc_sequences",
    metadata,
    Column("doc_type", String(8), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_value", Integer, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record_type", String(32), nullable=False),
    Column("record_id", Integer, nullable=False),
    Column("action", String(64), nullable=False),
    Column("from_state", String(32), nullable=False),
    Column("from_status", String(32), nullable=False),
    Column("to_state", String(32), nullable=False),
    Column("to_status", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("details", JSON, nullable=False),
    Index("ix_events_record", "record_type", "record_id", "id"),
)


def enum_values(enum: type[StrEnum]) -> list[str]:
    """Values of a string enum (for messages and CLI choices)."""
    return [member.value for member in enum]


# --- ingestion ledger -------------------------------------------------------------------------

ingest_files = Table(
    "ingest_files",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("original_name", String(400), nullable=False),
    Column("size", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("records", Integer, nullable=False),
    Column("claimed_by", String(120), nullable=False),
    _stamp("first_seen_at"),
    _stamp("finished_at", nullable=True),
    CheckConstraint("status IN ('processing', 'done', 'quarantined')", name="status"),
)

source_records = Table(
    "source_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_ref", String(500), nullable=False, unique=True),
    Column("source", String(16), nullable=False),
    Column("origin", String(500), nullable=False),
    Column("received_at", UTCDateTime(), nullable=False),
    Column("message_id", String(500), nullable=True, index=True),
    Column("outcome", String(16), nullable=False),
    Column("reason", String(64), nullable=False),
    Column("fields", JSON, nullable=False),
    Column("provenance", JSON, nullable=False),
    Column("lead_id", ForeignKey("leads.id"), nullable=True, index=True),
    _stamp(),
    CheckConstraint(
        "outcome IN ('lead', 'merged', 'attached', 'review', 'rejected', 'auto-reply', "
        "'bounce', 'duplicate')",
        name="outcome",
    ),
)

mail_checkpoints = Table(
    "mail_checkpoints",
    metadata,
    Column("mailbox", String(300), primary_key=True),
    Column("uidvalidity", Integer, primary_key=True),
    Column("last_uid", Integer, nullable=False),
    _stamp("updated_at"),
)

mail_messages = Table(
    "mail_messages",
    metadata,
    Column("message_key", String(600), primary_key=True),  # Message-ID, else sha256:<hex>
    Column("sha256", String(64), nullable=False, index=True),
    Column("mailbox", String(300), nullable=False),
    Column("uidvalidity", Integer, nullable=False),
    Column("uid", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("target_folder", String(300), nullable=False),
    Column("moved", Boolean, nullable=False),
    _stamp(),
)

undeliverable = Table(
    "undeliverable",
    metadata,
    Column("email", String(320), primary_key=True),
    Column("source_ref", String(500), nullable=False),
    Column("status", String(64), nullable=False),
    _stamp(),
)


# --- issued document files ----------------------------------------------------------------------

document_files = Table(
    "document_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("doc_type", String(8), nullable=False),
    Column("doc_id", Integer, nullable=False),
    Column("number", String(40), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("path", String(1000), nullable=False),
    Column("sha256", String(64), nullable=False),
    _stamp(),
    UniqueConstraint("doc_type", "doc_id", "lang", name="uq_document_files_doc"),
    CheckConstraint("doc_type IN ('QUO', 'INV')", name="doc_type"),
)


# --- dedupe, scoring, activities ----------------------------------------------------------------

lead_keys = Table(
    "lead_keys",
    metadata,
    Column("key", String(400), nullable=False),
    Column("lead_id", ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("key", "lead_id", name="uq_lead_keys_key_lead"),
    Index("ix_lead_keys_lead", "lead_id"),
)

lead_provenance = Table(
    "lead_provenance",
    metadata,
    Column("lead_id", ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True),
    Column("field", String(32), primary_key=True),
    Column("source_ref", String(500), nullable=False),
    Column("location", String(500), nullable=False),
)

lead_scores = Table(
    "lead_scores",
    metadata,
    Column("lead_id", ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True),
    Column("score", Integer, nullable=False),
    Column("rating", String(8), nullable=False),
    Column("version", String(40), nullable=False),
    Column("contributions", JSON, nullable=False),
    _stamp("scored_at"),
)

review_pairs = Table(
    "review_pairs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("lead_a", ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
    Column("lead_b", ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
    Column("score", Money(), nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    _stamp(),
    _stamp("decided_at", nullable=True),
    UniqueConstraint("lead_a", "lead_b", name="uq_review_pairs_pair"),
    CheckConstraint("lead_a < lead_b", name="ordered"),
    CheckConstraint("status IN ('open', 'merged', 'kept-apart')", name="status"),
)

activities = Table(
    "activities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("lead_id", ForeignKey("leads.id"), nullable=True, index=True),
    Column("contact_id", ForeignKey("contacts.id"), nullable=True, index=True),
    Column("opportunity_id", ForeignKey("opportunities.id"), nullable=True),
    Column("source_ref", String(500), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("summary", Text, nullable=False),
    _stamp(),
)
