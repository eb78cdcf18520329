"""Typed records that every source yields.

A source (drop folder, mailbox) reads bytes; a parser (vCard, email, sheet) turns the bytes into
a stream of items, each one of:

- ``RawRecord``  -- one lead-like record (a card, a sheet row, an inquiry email) with provenance;
- ``Rejected``   -- a part that could not become a record (a broken card, a bad row, a whole
  file), with a machine reason code and a sentence for people; it goes to quarantine;
- ``AutoReply``  -- an automatic reply (vacation, out of office); never a lead;
- ``Bounce``     -- a delivery report naming addresses that could not be delivered to.

``source_ref`` is the identity of an item across runs (the ledger key): files use
``file://<sha256>#<part>`` and mail uses ``imap://<mailbox>/<uidvalidity>/<uid>`` (plus
``#<part>`` for attachments).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, make_dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

_T = TypeVar("_T")


class SourceKind(StrEnum):
    """Where a record came from."""

    EMAIL = "email"
    VCARD = "vcard"
    SHEET = "sheet"
    MANUAL = "manual"
    SCAN = "scan"


# Canonical raw field names a parser may fill (all values are strings as found, trimmed).
FIELDS = (
    "full_name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "mobile",
    "company",
    "title",
    "website",
    "street",
    "city",
    "postcode",
    "country",
    "notes",
    "subject",
    "product",
    "quantity",
)


@dataclass(frozen=True, slots=True)
class Interest:
    """A product interest phrase as written by the customer (matched to the catalogue later)."""

    phrase: str
    quantity: int | None = None


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One lead-like record exactly as a parser found it.

    ``fields`` maps canonical names (``FIELDS``) to raw strings; ``provenance`` maps the same
    names to a pointer a person can follow ("cards.vcf card 2 EMAIL;TYPE=work",
    "leads.csv row 17 column 'E-posta'", "<msgid@example> From header").
    """

    source: SourceKind
    source_ref: str
    received_at: datetime
    origin: str
    fields: dict[str, str]
    provenance: dict[str, str] = field(default_factory=dict)
    extra_emails: tuple[str, ...] = ()
    extra_phones: tuple[str, ...] = ()
    interests: tuple[Interest, ...] = ()
    message_id: str | None = None

    def __post_init__(self) -> None:
        if self.received_at.tzinfo is None:
            raise ValueError("received_at must be timezone-aware")


@dataclass(frozen=True, slots=True)
class Rejected:
    """A part of an input that could not become a record; it goes to quarantine."""

    source_ref: str
    origin: str
    reason: str  # machine code, e.g. "vcard-unparsable", "row-no-identity", "msg-outlook"
    message: str  # one sentence for people
    location: str = ""  # "card 3", "row 17", ...
    raw: dict[str, str] = field(default_factory=dict)  # the raw values, so nothing is lost


@dataclass(frozen=True, slots=True)
class AutoReply:
    """An automatic reply; recorded, never a lead."""

    source_ref: str
    origin: str
    reason: str  # which signal told us (header name or subject pattern)
    sender: str = ""


@dataclass(frozen=True, slots=True)
class Bounce:
    """A delivery status notification; the failed recipients are marked undeliverable."""

    source_ref: str
    origin: str
    recipients: tuple[str, ...]
    status: str = ""


ParsedItem = RawRecord | Rejected | AutoReply | Bounce


def slot_maker(cls: type[_T]) -> Callable[..., _T]:
    """A positional constructor for a frozen slots dataclass, for per-row hot paths.

    Calling such a class costs ~2 µs for a dozen fields: a keyword call builds a dict and the
    generated ``__init__`` sets every slot through ``object.__setattr__``. The maker fills a
    mutable twin with the same slots (plain attribute stores, in one generated function, as
    ``dataclasses`` generates ``__init__``) and then gives the object its real class, which
    CPython allows between classes of the same layout: a fraction of the cost, and the
    result is an ordinary, frozen ``cls`` equal to what ``cls(*values)`` gives.
    It takes every field, in declaration order, and runs no ``__post_init__``: callers check
    what that would check.
    """
    slots = [(f.name, f.type) for f in fields(cls)]  # type: ignore[arg-type]
    names = [name for name, _ in slots]
    if any(name.startswith("_") for name in names):
        raise ValueError("slot_maker needs public field names")  # the maker's locals start so
    # No __init__: calling the twin then only allocates (cheaper than object.__new__(twin)).
    twin = make_dataclass(f"_{cls.__name__}Draft", slots, slots=True, init=False)
    stores = "".join(f"    _obj.{name} = {name}\n" for name in names)
    source = (
        f"def make({', '.join(names)}):\n    _obj = _twin()\n{stores}"
        "    _obj.__class__ = _cls\n    return _obj\n"
    )
    space: dict[str, Any] = {"_twin": twin, "_cls": cls}
    exec(source, space)  # made from field names only, as dataclasses makes __init__
    return space["make"]  # type: ignore[no-any-return]
