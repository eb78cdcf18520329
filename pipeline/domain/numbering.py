"""Document numbers: ``QUO-2026-00012`` (revision 2 shown as ``QUO-2026-00012-R2``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class DocType(StrEnum):
    QUOTE = "QUO"
    ORDER = "ORD"
    INVOICE = "INV"


_NUMBER = re.compile(r"^(QUO|ORD|INV)-(\d{4})-(\d{1,9})(?:-R(\d+))?$", re.IGNORECASE)


@dataclass(frozen=True)
class DocNumber:
    doc_type: DocType
    year: int
    seq: int
    revision: int = 1

    def __str__(self) -> str:
        base = f"{self.doc_type.value}-{self.year:04d}-{self.seq:05d}"
        return base if self.revision <= 1 else f"{base}-R{self.revision}"


def format_number(doc_type: DocType, year: int, seq: int, revision: int = 1) -> str:
    """The printed number of a document."""
    return str(DocNumber(doc_type, year, seq, revision))


def parse_number(text: str) -> DocNumber | None:
    """Parse a printed number; None when ``text`` is not one."""
    m = _NUMBER.match(text.strip())
    if not m:
        return None
    prefix, year, seq, rev = m.groups()
    return DocNumber(DocType(prefix.upper()), int(year), int(seq), int(rev) if rev else 1)
