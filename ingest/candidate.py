"""The normalised lead candidate built from a ``RawRecord`` (see ``ingest.normalise``)."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.records import Interest, RawRecord


@dataclass(frozen=True, slots=True)
class LeadCandidate:
    """A raw record after normalisation: clean values plus the keys dedupe blocks on.

    Empty values are ``""`` (never ``None``) so columns stay plain strings.
    """

    record: RawRecord
    first_name: str
    last_name: str
    email: str  # lower-cased, validated address ("" when missing or invalid)
    email_key: str  # identity key: plus-tag removed ("ayse+expo@x.com" -> "ayse@x.com")
    email_raw: str  # what was written, kept when invalid
    email_valid: bool
    phone: str  # E.164 ("+902125551234"), "" when missing or unparseable
    phone_raw: str
    phone_valid: bool
    company: str  # display form, e.g. "Anadolu Makine A.Ş."
    company_key: str  # legal suffix removed, transliterated, lower: "anadolu makine"
    title: str
    website: str
    city: str
    country: str  # ISO 3166 alpha-2 when known, else as written
    notes: str
    interests: tuple[Interest, ...] = ()

    @property
    def source_ref(self) -> str:
        return self.record.source_ref

    @property
    def has_identity(self) -> bool:
        """A lead needs at least a name, an email or a phone."""
        return bool(self.first_name or self.last_name or self.email_raw or self.phone_raw)
