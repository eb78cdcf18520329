"""Leads: someone interested. Qualify into an opportunity, or disqualify with a reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from pipeline.domain.errors import IllegalTransition
from pipeline.domain.events import Recorded, utcnow
from pipeline.domain.parties import Account, Contact
from pipeline.domain.status import LEAD, LeadState, LeadStatus, Lifecycle

if TYPE_CHECKING:
    from pipeline.domain.opportunity import Opportunity


class DisqualifyReason(StrEnum):
    """Disqualification reasons as the CLI spells them, mapped to status reasons."""

    LOST = "lost"
    CANNOT_CONTACT = "cannot-contact"
    NO_LONGER_INTERESTED = "no-longer-interested"
    CANCELED = "canceled"


@dataclass(eq=False)
class Lead(Recorded[LeadState, LeadStatus]):
    """A person who showed interest; identity fields are already normalised."""

    LIFECYCLE: ClassVar[Lifecycle[LeadState, LeadStatus]] = LEAD

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    email_key: str = ""
    phone: str = ""
    company: str = ""
    company_key: str = ""
    title: str = ""
    city: str = ""
    country: str = ""
    website: str = ""
    notes: str = ""
    source: str = "manual"
    state: LeadState = LeadState.OPEN
    status: LeadStatus = LeadStatus.NEW
    disqualify_note: str = ""
    score: int | None = None
    rating: str = ""
    created_at: datetime = field(default_factory=utcnow)
    account: Account | None = None
    contact: Contact | None = None
    opportunity: Opportunity | None = None
    id: int | None = None

    @property
    def ref(self) -> str:
        return f"LEAD-{self.id}" if self.id else (self.full_name or self.email or "new lead")

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @property
    def display_name(self) -> str:
        return self.full_name or self.email or self.phone or self.company or self.ref

    def mark_contacted(self, at: datetime | None = None) -> None:
        self._step("contact", at)

    def disqualify(
        self, reason: DisqualifyReason, note: str = "", at: datetime | None = None
    ) -> None:
        """Close the lead as Disqualified; refused once it has produced an opportunity."""
        if self.opportunity is not None:
            raise IllegalTransition(
                "lead",
                self.ref,
                "disqualify",
                str(self.state),
                f"{self.status}, has an opportunity",
            )
        self._step(f"disqualify-{reason.value}", at, reason=reason.value, note=note)
        self.disqualify_note = note

    def reactivate(self, at: datetime | None = None) -> None:
        self._step("reactivate", at)

    def qualify(
        self,
        opportunity: Opportunity,
        account: Account,
        contact: Contact,
        at: datetime | None = None,
    ) -> None:
        """Close the lead as Qualified, linked to what it produced (see ``qualification``)."""
        self._step("qualify", at, account=account.ref, contact=contact.ref)
        self.account, self.contact, self.opportunity = account, contact, opportunity
