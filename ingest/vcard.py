"""The vCard parser: ``.vcf`` bytes (2.1, 3.0, 4.0; one or many cards) -> lead records.

Stages, each its own module, all lenient and none raising on any bytes:

1. ``vcard_lines``  -- bytes -> logical content lines (line endings, folds, QP soft breaks,
   comments, binary blobs skipped), still bytes: a fold may split a multibyte character;
2. ``vcard_cards``  -- lines -> cards (missing END/BEGIN recovered, nested cards);
3. ``vcard_values`` -- parameters, QP/base64, charsets, escapes, structured values;
4. ``vcard_fields`` -- one card's properties -> canonical fields.

Each card becomes a ``RawRecord`` with ``source_ref`` ``file://<sha256>#card-<n>`` (or
``<ref_prefix>#card-<n>`` for a mail attachment), or a ``Rejected`` with ``location`` "card n":

- ``vcard-no-identity`` -- readable, but no name, email, phone or organisation;
- ``vcard-truncated``   -- the file ends inside the card and what came before names nobody;
- ``vcard-unparsable``  -- no line of the card could be read (or reading it failed);
- ``vcard-empty``       -- BEGIN:VCARD directly followed by END:VCARD.

A file without any card yields one ``Rejected(reason="vcard-no-card")`` for the whole file; a
file over ``MAX_VCARD_BYTES`` raises ``InputTooLarge`` (the caller quarantines it).
We do not use vobject: it rejects much of what real exporters write (QP soft breaks, CR CR LF,
``PROFILE:VCard``, bare ``FN``) and is slower than this reader on clean cards.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from ingest.errors import InputTooLarge
from ingest.limits import MAX_VCARD_BYTES, size_text
from ingest.records import ParsedItem, RawRecord, Rejected, SourceKind
from ingest.storable import storable_item, storable_text
from ingest.vcard_cards import Card, split_cards
from ingest.vcard_fields import read_card
from ingest.vcard_lines import BINARY, content_lines
from ingest.vcard_values import FileCharset, decode_value, parse_head, unescape

_RAW_ENTRIES, _RAW_CHARS = 100, 2000


@dataclass(frozen=True, slots=True)
class _File:
    prefix: str
    origin: str
    received_at: datetime
    charset: FileCharset


def parse_vcards(
    data: bytes,
    *,
    file_sha256: str,
    origin: str,
    received_at: datetime,
    ref_prefix: str | None = None,
) -> Iterator[ParsedItem]:
    """Parse every card of a vCard file; never raises on bad bytes.

    A file over ``MAX_VCARD_BYTES`` raises ``InputTooLarge`` (reason ``vcard-too-large``) on the
    first ``next()``, so the caller quarantines it whole.

    ``origin`` names the file for people (provenance reads "contacts.vcf card 2
    EMAIL;TYPE=work"); ``ref_prefix`` replaces ``file://<file_sha256>`` in ``source_ref``.
    Cards come out as they end, so a card nesting others follows them.
    """
    _check_size(data)
    info = _File(ref_prefix or f"file://{file_sha256}", origin, received_at, FileCharset(data))
    found = False
    try:
        for card in split_cards(content_lines(data)):
            found = True
            yield storable_item(_card_item(card, info))  # NULs in a card must not fail the store
    except Exception as exc:  # a reader bug must cost one file, not the whole batch
        message = f"The file could not be read: {exc}"
        yield storable_item(Rejected(info.prefix, origin, "vcard-unparsable", message))
        return
    if not found:
        preview = data[:200].decode("utf-8", errors="replace")
        yield Rejected(
            info.prefix,
            origin,
            "vcard-no-card",
            "The file holds no vCard (no BEGIN:VCARD ... END:VCARD).",
            raw={"start": storable_text(preview)} if preview.strip() else {},
        )


def _check_size(data: bytes) -> None:
    if len(data) > MAX_VCARD_BYTES:
        raise InputTooLarge(
            f"the vCard file is {size_text(len(data))}; the limit is {size_text(MAX_VCARD_BYTES)}",
            reason="vcard-too-large",
        )


def _card_item(card: Card, info: _File) -> ParsedItem:
    ref, where = f"{info.prefix}#card-{card.number}", f"card {card.number}"
    try:
        found = read_card(card.lines, info.charset)
    except Exception as exc:  # one unreadable card must not cost the file's other cards
        return Rejected(ref, info.origin, "vcard-unparsable", f"Card {card.number}: {exc}", where,
                        _raw_values(card, info.charset))  # fmt: skip
    if not found.has_identity:
        reason, message = _rejection(card)
        return Rejected(ref, info.origin, reason, message, where, _raw_values(card, info.charset))
    label = f"{info.origin} {where} "
    return RawRecord(
        source=SourceKind.VCARD,
        source_ref=ref,
        received_at=info.received_at,
        origin=info.origin,
        fields=found.fields,
        provenance={name: label + head for name, head in found.provenance.items()},
        extra_emails=tuple(found.extra_emails),
        extra_phones=tuple(found.extra_phones),
    )


def _rejection(card: Card) -> tuple[str, str]:
    """Reason code and sentence for a card that names nobody."""
    n = card.number
    if not card.lines:
        return "vcard-empty", f"Card {n} is empty."
    if not any(line.name for line in card.lines):
        return "vcard-unparsable", f"No line of card {n} could be read as a vCard property."
    if not card.closed:
        return "vcard-truncated", f"Card {n} is cut off (no END:VCARD) before any name or contact."
    return "vcard-no-identity", f"Card {n} has no name, email, phone or organisation."


def _raw_values(card: Card, charset: FileCharset) -> dict[str, str]:
    """Whatever can be read of a rejected card, so that nothing is lost in quarantine."""
    raw: dict[str, str] = {}
    for line in card.lines[:_RAW_ENTRIES]:
        if line.name in BINARY:
            continue
        try:
            if line.name:
                head = parse_head(line.head)
                key, value = head.label, unescape(decode_value(line.value, head, charset))
            else:
                key, value = f"line {line.number}", charset.decode(line.value)
        except Exception:  # keep the rest of the card when one value cannot be decoded
            key, value = f"line {line.number}", line.value.decode("latin-1")
        while key in raw:
            key += "'"
        raw[key] = value.strip()[:_RAW_CHARS]
    return raw
