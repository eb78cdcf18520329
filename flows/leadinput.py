"""Turn values typed on the command line into a normalised lead (same rules as ingest)."""

from __future__ import annotations

from datetime import UTC, datetime

from ingest.records import RawRecord, SourceKind
from pipeline.services.leads import NewLead


def manual_lead(
    first: str, last: str, email: str, company: str, phone: str, title: str, region: str
) -> NewLead:
    """Normalise CLI input through the ingest normaliser; refuse a lead with no identity."""
    from ingest.normalise import build_candidate

    fields = {
        k: v
        for k, v in {
            "first_name": first,
            "last_name": last,
            "email": email,
            "company": company,
            "phone": phone,
            "title": title,
        }.items()
        if v
    }
    now = datetime.now(UTC)
    record = RawRecord(
        source=SourceKind.MANUAL,
        source_ref=f"manual://{now.isoformat()}",
        received_at=now,
        origin="command line",
        fields=fields,
    )
    c = build_candidate(record, default_region=region)
    if not c.has_identity:
        raise ValueError("A lead needs a name, an email or a phone.")
    return NewLead(
        first_name=c.first_name,
        last_name=c.last_name,
        email=c.email or c.email_raw,
        email_key=c.email_key,
        phone=c.phone or c.phone_raw,
        company=c.company,
        company_key=c.company_key,
        title=c.title,
        city=c.city,
        country=c.country,
        website=c.website,
        source="manual",
    )
