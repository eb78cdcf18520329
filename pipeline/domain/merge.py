"""Survivorship: which value a lead keeps when another record of the same person arrives.

Rules (per field):
- identity fields (names, email, company) — the earliest non-empty value stays; an empty one
  is filled;
- contact details that go stale (phone, title) — the newest non-empty value wins;
- everything else — filled when empty;
- notes — the new text is appended (once).
Values that lose are returned in ``replaced`` so the merge event keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

IDENTITY = ("first_name", "last_name", "email", "email_key", "company", "company_key")
NEWEST = ("phone", "title")
FILL = ("city", "country", "website")
NOTES_LIMIT = 8000


@dataclass(frozen=True)
class MergeOutcome:
    updates: dict[str, str] = field(default_factory=dict)
    replaced: dict[str, str] = field(default_factory=dict)


def merge_values(current: Mapping[str, str], incoming: Mapping[str, str]) -> MergeOutcome:
    """The field updates that merging ``incoming`` into ``current`` makes."""
    updates: dict[str, str] = {}
    replaced: dict[str, str] = {}
    for name in IDENTITY + FILL:
        if not current.get(name) and incoming.get(name):
            updates[name] = incoming[name]
    for name in NEWEST:
        new, old = incoming.get(name, ""), current.get(name, "")
        if new and new != old:
            updates[name] = new
            if old:
                replaced[name] = old
    note = incoming.get("notes", "")
    if note and note not in current.get("notes", ""):
        joined = f"{current.get('notes', '')}\n---\n{note}".strip("\n-")
        updates["notes"] = joined[:NOTES_LIMIT]
    return MergeOutcome(updates, replaced)
