"""One card's properties -> canonical lead fields, choosing among repeated properties.

- names: ``N`` (family;given;additional;prefix;suffix) gives last/first name, ``FN`` the full
  name; each stands in for the other when missing;
- email: the first preferred address (``TYPE=PREF``/``PREF=1``) that has an ``@``, else the
  first; all others in ``extra_emails``;
- phones: the first mobile (``CELL``, or an Apple ``X-ABLabel`` saying mobile/iPhone) is
  ``mobile``; ``phone`` is the best other voice number (work and preferred first; fax, pager
  and modem never); every other number goes to ``extra_phones``. ``tel:`` URIs are unwrapped;
- company: first ``ORG`` component; departments (and further ORGs) go to notes;
- title: ``TITLE``, else ``ROLE`` (a different ROLE next to a TITLE goes to notes);
- website: preferred ``URL``, else the first; address: the best ``ADR`` (work, preferred),
  else a ``LABEL`` as the street; notes: all ``NOTE``s.

Only the properties named in ``WANTED`` are decoded at all: unused ones cost nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

from ingest.names import split_full_name
from ingest.vcard_lines import ContentLine
from ingest.vcard_values import FileCharset, Head, components, decode_value, parse_head, unescape

WANTED = frozenset(
    {"FN", "N", "EMAIL", "TEL", "ORG", "TITLE", "ROLE", "URL", "ADR", "LABEL", "NOTE", "X-ABLABEL"}
)
_NOT_VOICE = frozenset({"FAX", "PAGER", "MODEM", "BBS"})
_MOBILE = frozenset({"CELL", "MOBILE"})
_LABEL_TYPES = (("mobile", "CELL"), ("iphone", "CELL"), ("cell", "CELL"), ("fax", "FAX"),
                ("pager", "PAGER"), ("work", "WORK"), ("home", "HOME"))  # fmt: skip
_ANGLE = re.compile(r"<([^<>@]*@[^<>]*)>")

Prop = tuple[Head, str]  # head and decoded (still escaped) value


@dataclass(slots=True)
class CardFields:
    """What one card says, in canonical field names; ``provenance`` holds head labels."""

    fields: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    extra_emails: list[str] = field(default_factory=list)
    extra_phones: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # NOTE texts
    remarks: list[str] = field(default_factory=list)  # department, role: after the notes
    preferred_url: bool = False

    def put(self, name: str, value: str, head: Head) -> None:
        """Set a field once: empty values and later duplicates are ignored."""
        if value and name not in self.fields:
            self.fields[name] = value
            self.provenance[name] = head.label

    def remark(self, text: str, head: Head) -> None:
        """Keep a value that has no field of its own; it goes to notes after the NOTEs."""
        self.remarks.append(text)
        self.provenance.setdefault("notes", head.label)

    @property
    def has_identity(self) -> bool:
        """A name, an email, a phone or an organisation."""
        keys = ("full_name", "first_name", "last_name", "email", "phone", "mobile", "company")
        return any(k in self.fields for k in keys) or bool(self.extra_emails or self.extra_phones)


def read_card(lines: Iterable[ContentLine], charset: FileCharset) -> CardFields:
    """Decode the wanted properties of one card and pick its fields."""
    props: list[Prop] = []
    labels: dict[str, str] = {}
    for line in lines:
        if line.name in WANTED:
            head = parse_head(line.head)
            text = decode_value(line.value, head, charset)
            if line.name == "X-ABLABEL":
                labels[head.group.upper()] = unescape(text).lower()
            else:
                props.append((head, text))
    card = CardFields()
    _names(card, props)
    _emails(card, [p for p in props if p[0].name == "EMAIL"])
    _phones(card, [p for p in props if p[0].name == "TEL"], labels)
    _texts(card, props)
    _organisation(card, props)
    _address(card, props)
    if card.notes or card.remarks:
        card.fields["notes"] = "\n".join(card.notes + card.remarks)
    return card


def _names(card: CardFields, props: list[Prop]) -> None:
    full = next(((h, unescape(t).strip()) for h, t in props if h.name == "FN" and t.strip()), None)
    for head, text in props:
        parts = components(text) if head.name == "N" else []
        if any(parts):
            parts += [""] * (5 - len(parts))
            card.put("last_name", parts[0], head)
            card.put("first_name", parts[1], head)
            if full is None:
                words = (parts[1], parts[2].replace(",", " "), parts[0])
                card.put("full_name", " ".join(w for w in words if w), head)
            break
    if full is not None:
        card.put("full_name", full[1], full[0])
        if "first_name" not in card.fields and "last_name" not in card.fields:
            first, last = split_full_name(full[1])
            card.put("first_name", first, full[0])
            card.put("last_name", last, full[0])


def clean_email(text: str) -> str:
    """An address as written, unwrapped from ``"Name" <addr>`` and ``mailto:``."""
    text = unescape(text).strip()
    match = _ANGLE.search(text)
    if match:
        text = match.group(1)
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text.strip().strip("\"'").strip()


def _emails(card: CardFields, props: list[Prop]) -> None:
    found = [(head, clean_email(text)) for head, text in props]
    found = [item for item in found if item[1]]
    if not found:
        return
    best = max(found, key=lambda item: ("@" in item[1], item[0].preferred))
    card.put("email", best[1], best[0])
    card.extra_emails = [item[1] for item in found if item is not best]


def clean_phone(text: str) -> str:
    """A number as written; a ``tel:`` URI becomes ``+1-418-555-0100 ext. 102``."""
    text = unescape(text).strip()
    if text[:4].lower() == "tel:":
        number, *params = text[4:].split(";")
        ext = next((p[4:] for p in params if p.lower().startswith("ext=")), "")
        text = unquote(number) + (f" ext. {ext}" if ext else "")
    return text.strip()


def _types(head: Head, labels: dict[str, str]) -> frozenset[str]:
    label = labels.get(head.group.upper()) if head.group else None
    if not label:
        return head.types
    return head.types | {kind for word, kind in _LABEL_TYPES if word in label}


def _phones(card: CardFields, props: list[Prop], labels: dict[str, str]) -> None:
    found = [(head, _types(head, labels), clean_phone(text)) for head, text in props]
    found = [item for item in found if item[2]]
    cells = [item for item in found if item[1] & _MOBILE]
    voice = [item for item in found if not item[1] & (_MOBILE | _NOT_VOICE)]
    chosen = []
    if cells:
        chosen.append(max(cells, key=lambda item: item[0].preferred))
        card.put("mobile", chosen[-1][2], chosen[-1][0])
    if voice:
        chosen.append(max(voice, key=lambda item: 2 * ("WORK" in item[1]) + item[0].preferred))
        card.put("phone", chosen[-1][2], chosen[-1][0])
    card.extra_phones = [item[2] for item in found if all(item is not c for c in chosen)]


def _organisation(card: CardFields, props: list[Prop]) -> None:
    for head, text in props:
        if head.name != "ORG":
            continue
        parts = components(text)
        if "company" in card.fields:
            card.remark("Organisation: " + "; ".join(p for p in parts if p), head)
            continue
        card.put("company", parts[0], head)
        if any(parts[1:]):
            card.remark("Department: " + ", ".join(p for p in parts[1:] if p), head)


def _texts(card: CardFields, props: list[Prop]) -> None:
    role: Prop | None = None
    for head, text in props:
        name = head.name
        if name == "TITLE":
            card.put("title", unescape(text).strip(), head)
        elif name == "ROLE" and role is None:
            role = (head, unescape(text).strip())
        elif name == "URL":
            url = unescape(text).strip()
            if head.preferred and url and not card.preferred_url:
                card.fields.pop("website", None)
                card.preferred_url = True
            card.put("website", url, head)
        elif name == "NOTE" and text.strip():
            card.notes.append(unescape(text).strip())
            card.provenance.setdefault("notes", head.label)
    if role is not None and role[1]:
        if "title" not in card.fields:
            card.put("title", role[1], role[0])
        elif role[1] != card.fields["title"]:
            card.remark("Role: " + role[1], role[0])


def _address(card: CardFields, props: list[Prop]) -> None:
    addresses = [(h, components(t)) for h, t in props if h.name == "ADR"]
    addresses = [(h, parts + [""] * (7 - len(parts))) for h, parts in addresses if any(parts)]
    if addresses:
        head, parts = max(addresses, key=lambda a: 2 * ("WORK" in a[0].types) + a[0].preferred)
        pobox, extended, street, city, _region, postcode, country = parts[:7]
        lines = (street, extended) if street or extended else (pobox,)
        card.put("street", ", ".join(x for x in lines if x).replace("\n", ", "), head)
        card.put("city", city, head)
        card.put("postcode", postcode, head)
        card.put("country", country, head)
        return
    for head, text in props:
        if head.name == "LABEL":
            label = unescape(text).strip()
            card.put("street", ", ".join(x.strip() for x in label.split("\n") if x.strip()), head)
