"""Scanned business cards (JPEG, PNG, TIFF, scanned PDF) read with Tesseract into records.

Each page of the file is one card: it is prepared (``card_image``), turned upright when
Tesseract's orientation detection is sure, OCR'd into lines with confidences (``ocr``) and read
into fields (``card_fields``). A card becomes a ``RawRecord`` with ``source_ref``
``file://<sha256>#card-<page>``, provenance pointing at the OCR line of every field, and the
whole OCR text under ``provenance["ocr_text"]``. A card whose name, email or phone was read
with low confidence carries ``fields["review"]`` ("low-confidence: name 42, email 55") so that
a person checks it. A page with no text, or with text but no name, email or phone, is
``Rejected``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Literal

from PIL import Image

from ingest.card_fields import CardFields, read_card
from ingest.card_image import CardImageError, open_pages, prepare, rotate_upright
from ingest.errors import UnsupportedInput
from ingest.ocr import OcrFailed, OcrLine, detect_rotation, ocr_languages, read_lines
from ingest.pdf_pages import pdf_page_images
from ingest.records import ParsedItem, RawRecord, Rejected, SourceKind

# Fields whose confidence decides review, with the short name used in the review note.
_KEY_FIELDS = (("full_name", "name"), ("email", "email"), ("phone", "phone"), ("mobile", "phone"))
# A first pass this sure of itself is upright; OSD costs another Tesseract run, so skip it.
_UPRIGHT_CONFIDENCE = 70.0
_MIN_LETTERS = 3


def _pages(data: bytes, kind: str) -> Iterator[tuple[int, Image.Image]]:
    if kind == "pdf":
        for number, png in pdf_page_images(data):
            yield number, next(open_pages(png))
    else:
        yield from enumerate(open_pages(data), start=1)


def _ocr(image: Image.Image) -> list[OcrLine]:
    """OCR a prepared page; when the text reads poorly, ask OSD whether it is upside down."""
    lines = read_lines(image)
    if _mean_conf(lines) >= _UPRIGHT_CONFIDENCE:
        return lines
    rotation = detect_rotation(image)
    if rotation == 0:
        return lines
    turned = read_lines(rotate_upright(image, rotation))
    return turned if _mean_conf(turned) > _mean_conf(lines) else lines


def _mean_conf(lines: list[OcrLine]) -> float:
    words = [w.conf for line in lines for w in line.words]
    return sum(words) / len(words) if words else 0.0


def _review_note(card: CardFields, min_confidence: float) -> str:
    low = []
    for name, label in _KEY_FIELDS:
        found = card.found.get(name)
        if found is not None and found.conf < min_confidence:
            low.append(f"{label} {found.conf:.0f}")
    return f"low-confidence: {', '.join(low)}" if low else ""


def _record(
    card: CardFields,
    lines: list[OcrLine],
    page: int,
    ref: str,
    origin: str,
    when: datetime,
    min_confidence: float,
) -> RawRecord:
    fields = {name: found.value for name, found in card.found.items()}
    provenance = {
        name: f"{origin} page {page} OCR line {found.line} (conf {found.conf:.0f})"
        for name, found in card.found.items()
    }
    provenance["ocr_text"] = "\n".join(line.text for line in lines)
    note = _review_note(card, min_confidence)
    if note:
        fields["review"] = note
    return RawRecord(
        source=SourceKind.SCAN,
        source_ref=ref,
        received_at=when,
        origin=origin,
        fields=fields,
        provenance=provenance,
        extra_emails=tuple(card.extra_emails),
        extra_phones=tuple(card.extra_phones),
    )


def _card(
    lines: list[OcrLine], page: int, ref: str, origin: str, when: datetime, min_confidence: float
) -> ParsedItem:
    text = "\n".join(line.text for line in lines)
    where = f"page {page}"
    if sum(ch.isalpha() for ch in text) < _MIN_LETTERS:
        message = "No readable text was found on the card."
        return Rejected(ref, origin, "scan-no-text", message, where)
    card = read_card(lines)
    if not {"full_name", "email", "phone", "mobile"} & card.found.keys():
        message = "The card was read but no name, email or phone number was found on it."
        return Rejected(ref, origin, "scan-no-identity", message, where, {"ocr_text": text})
    return _record(card, lines, page, ref, origin, when, min_confidence)


def parse_scan(
    data: bytes,
    *,
    file_sha256: str,
    origin: str,
    received_at: datetime,
    min_confidence: float = 60.0,
    kind: Literal["image", "pdf"] = "image",
) -> Iterator[ParsedItem]:
    """OCR every page of a card scan into a record (or a ``Rejected``), one per page.

    ``kind`` is "image" (JPEG/PNG/TIFF; each TIFF frame is a page) or "pdf" (rendered with
    pdftoppm). Raises ``UnsupportedInput`` (reason ``ocr-not-available``) on the first
    ``next()`` when Tesseract or pdftoppm is not installed; a file that is not a readable image
    yields one ``Rejected`` (``scan-unreadable``, ``scan-too-large``), and a page Tesseract
    fails on yields ``Rejected`` (``scan-ocr-failed``) while the other pages are still read.
    """
    if kind not in ("image", "pdf"):
        raise UnsupportedInput(f"scan kind {kind!r} is not image or pdf", reason="unknown-format")
    ocr_languages()  # fail fast, before any work, when Tesseract is missing
    page = 0
    try:
        for page, image in _pages(data, kind):
            ref = f"file://{file_sha256}#card-{page}"
            try:
                lines = _ocr(prepare(image))
            except OcrFailed as exc:
                yield Rejected(ref, origin, "scan-ocr-failed", f"{exc}.", f"page {page}")
                continue
            yield _card(lines, page, ref, origin, received_at, min_confidence)
    except CardImageError as exc:
        ref = f"file://{file_sha256}#card-{page + 1}"
        yield Rejected(ref, origin, exc.reason, f"The scan could not be read: {exc}.", "")
