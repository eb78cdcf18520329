"""One sheet row -> a ``RawRecord`` (or a ``Rejected`` when it names nobody).

Nothing in a row is dropped: the first non-empty value of a field fills it; further email and
phone columns become ``extra_emails``/``extra_phones``; further street columns ("street2") are
joined to the street; any other repeated or unmapped column goes to notes as "Header: value",
as do cells beyond the header's width. Product and quantity columns pair up into ``Interest``s.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from urllib.parse import quote

from ingest.headers import IDENTITY_FIELDS, HeaderMap
from ingest.records import Interest, ParsedItem, RawRecord, Rejected, SourceKind, slot_maker

_PHONES = frozenset({"phone", "mobile"})
# "5", "5.0", "10 adet", "1.000" / "1,000" (thousands), "1.000,00"; not "2.5" or "5-10".
_QUANTITY = re.compile(r"(\d{1,3}(?:[.,\s]\d{3})+|\d+)(?:[.,]0+)?\s*[^\d.,\s-]*")


def parse_quantity(text: str) -> int | None:
    """A whole-number quantity as written in a form ("12", "12 adet", "1.000"), else None."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    match = _QUANTITY.fullmatch(text)
    if match is None:
        return None
    return int(re.sub(r"\D", "", match.group(1)))


# Web forms offer a handful of products and quantities: one shared tuple per pair.
@lru_cache(maxsize=4096)
def _single_interest(product: str, quantity: str) -> tuple[Interest, ...]:
    return (_make_interest(product, parse_quantity(quantity)),)


_make_record = slot_maker(RawRecord)
_make_interest = slot_maker(Interest)


def _settle(
    fields: dict[str, str], later: list[tuple[str, str, str]], kept: list[tuple[str, str]]
) -> tuple[list[str], list[str], tuple[Interest, ...]]:
    """Place values that did not fill a field first time: the slow path, most rows skip it.

    Returns extra emails, extra phones and interests; adds (header, line) pairs to ``kept``
    (the notes) and joins repeated streets into ``fields["street"]``.
    """
    emails: list[str] = []
    phones: list[str] = []
    products = [fields["product"]] if "product" in fields else []
    quantities = [fields["quantity"]] if "quantity" in fields else []
    notes: list[tuple[str, str]] = []
    for name, value, header in later:
        if name == "email":
            emails.append(value)
        elif name in _PHONES:
            phones.append(value)
        elif name == "street":
            fields["street"] = f"{fields['street']}, {value}"
        elif name == "notes":
            notes.append((header, value))
        elif name == "product":
            products.append(value)
        elif name == "quantity":
            quantities.append(value)
            if len(quantities) > max(1, len(products)):
                kept.append((header, f"{header}: {value}"))  # no product of its own
        elif value != fields[name]:
            kept.append((header, f"{header}: {value}"))
    kept[:0] = notes
    amounts = [parse_quantity(value) for value in quantities]
    amounts += [None] * (len(products) - len(amounts))
    interests = tuple(Interest(p, q) for p, q in zip(products, amounts, strict=False))
    return emails, phones, interests


class _FillPlan:
    """How one sheet's mapped columns fill a record's fields, worked out once per header.

    ``fill`` is the general per-row loop: it also collects repeated fields for ``_settle``.
    When every field has one column (``plain``) and the row is wide enough, the row builder
    walks ``columns`` (field, provenance suffix, index) itself (see ``RowBuilder.build``).
    """

    def __init__(self, mapped: list[tuple[int, str, str]]) -> None:
        self._mapped = [(i, name, header, f" column '{header}'") for i, name, header in mapped]
        self.columns = [(name, suffix, i) for i, name, _, suffix in self._mapped]
        names = [name for _, name, _ in mapped]
        self.plain = len(set(names)) == len(names)
        self.needed = max((i for i, _, _ in mapped), default=-1) + 1

    def fill(
        self, cells: list[str], where: str
    ) -> tuple[dict[str, str], dict[str, str], list[tuple[str, str, str]]]:
        """First values of mapped fields with provenance, plus (field, value, header) of the
        rest (repeats and notes) for ``_settle``."""
        fields: dict[str, str] = {}
        provenance: dict[str, str] = {}
        later: list[tuple[str, str, str]] = []
        width = len(cells)
        for index, name, header, suffix in self._mapped:
            value = cells[index].strip() if index < width else ""
            if not value:
                continue
            if name in fields:
                later.append((name, value, header))
            else:
                fields[name] = value
                provenance[name] = where + suffix
        return fields, provenance, later


class RowBuilder:
    """Turns the data rows of one sheet into items, using that sheet's ``HeaderMap``."""

    def __init__(
        self,
        headers: HeaderMap,
        *,
        origin: str,
        file_sha256: str,
        received_at: datetime,
        sheet: str | None = None,
    ) -> None:
        self._headers = headers
        self._origin = origin
        self._received_at = received_at
        # The class itself when the time is naive, so that its check raises as it always did.
        self._make = _make_record if received_at.tzinfo is not None else RawRecord
        self._mapped = [(i, headers.fields[i], headers.label(i)) for i in sorted(headers.fields)]
        self._unmapped = [(i, headers.label(i)) for i in headers.unmapped]
        self._width = len(headers.headers)
        self._plan = _FillPlan(self._mapped)
        # Rows no wider than this, with every field in one column, need neither ``_settle``
        # nor ``_kept``: the plain fast path of ``build``.
        self._plain_width = -1 if self._unmapped or not self._plan.plain else self._width
        # Sheet names may hold spaces, '#' or '!': quote them so the ref stays one fragment.
        part = f"{quote(sheet, safe='')}!" if sheet else ""
        self._ref = f"file://{file_sha256}#{part}row-"
        self._place = f"sheet '{sheet}' row " if sheet else "row "
        self._where = f"{origin} {self._place}"

    def build(self, cells: list[str], row_no: int) -> ParsedItem | None:
        """The item for spreadsheet row ``row_no`` (1-based), or None for a blank row."""
        if not (cells and cells[0].strip()) and not "".join(cells).strip():
            return None  # blank (the first test settles most rows without joining them all)
        where = f"{self._where}{row_no}"
        plan = self._plan
        if not plan.needed <= len(cells) <= self._plain_width:
            return self._build_general(cells, row_no, where)
        # The plain row: every field from its one column, each provenance a shared per-column
        # suffix after "<origin> row <n>". (Indexing the row beats zipping it, by far.)
        fields: dict[str, str] = {}
        provenance: dict[str, str] = {}
        for name, suffix, index in plan.columns:
            if value := cells[index].strip():
                fields[name] = value
                provenance[name] = where + suffix
        if IDENTITY_FIELDS.isdisjoint(fields):
            return self._reject(cells, row_no, f"{self._place}{row_no}")
        product = fields.get("product")
        interests = _single_interest(product, fields.get("quantity", "")) if product else ()
        return self._record(row_no, fields, provenance, (), (), interests)

    def _build_general(self, cells: list[str], row_no: int, where: str) -> ParsedItem:
        """``build`` for rows with repeated fields, unmapped or extra cells, or short rows."""
        fields, provenance, later = self._plan.fill(cells, where)
        if IDENTITY_FIELDS.isdisjoint(fields):
            return self._reject(cells, row_no, f"{self._place}{row_no}")
        kept = self._kept(cells) if self._unmapped or len(cells) > self._width else []
        emails, phones, interests = _settle(fields, later, kept) if later else ([], [], ())
        if "product" in fields and not interests:
            interests = _single_interest(fields["product"], fields.get("quantity", ""))
        if kept:
            if "notes" in fields:  # the first notes column leads, the kept values follow
                kept.insert(0, (self._first_notes_header(cells), fields["notes"]))
            fields["notes"] = "\n".join(line for _, line in kept)
            headers = list(dict.fromkeys(header for header, _ in kept))
            quoted = ", ".join(f"'{header}'" for header in headers)
            provenance["notes"] = f"{where} column{'s' if len(headers) > 1 else ''} {quoted}"
        return self._record(row_no, fields, provenance, tuple(emails), tuple(phones), interests)

    def _record(
        self,
        row_no: int,
        fields: dict[str, str],
        provenance: dict[str, str],
        emails: tuple[str, ...],
        phones: tuple[str, ...],
        interests: tuple[Interest, ...],
    ) -> RawRecord:
        """The record of row ``row_no`` (``RawRecord``'s fields, in order)."""
        return self._make(
            SourceKind.SHEET,
            f"{self._ref}{row_no}",
            self._received_at,
            self._origin,
            fields,
            provenance,
            emails,
            phones,
            interests,
            None,  # message_id
        )

    def _first_notes_header(self, cells: list[str]) -> str:
        for index, name, header in self._mapped:
            if name == "notes" and index < len(cells) and cells[index].strip():
                return header
        return "notes"

    def _kept(self, cells: list[str]) -> list[tuple[str, str]]:
        """(header, "Header: value") for unmapped cells and cells past the header's width."""
        width = len(cells)
        kept = [
            (label, f"{label}: {cells[index].strip()}")
            for index, label in self._unmapped
            if index < width and cells[index].strip()
        ]
        for index in range(self._width, width):  # ragged long rows: keep the extra cells
            if cells[index].strip():
                kept.append((f"column {index + 1}", f"column {index + 1}: {cells[index].strip()}"))
        return kept

    def _reject(self, cells: list[str], row_no: int, location: str) -> Rejected:
        width = max(self._width, len(cells))
        raw = {self._headers.label(i): cells[i] if i < len(cells) else "" for i in range(width)}
        return Rejected(
            source_ref=f"{self._ref}{row_no}",
            origin=self._origin,
            reason="row-no-identity",
            message=f"Row {row_no} has no name, email or phone, so it cannot become a lead.",
            location=location,
            raw=raw,
        )
