"""The text body and the attachments of a parsed message, tolerant of broken MIME.

Handles what real mail does wrong: transfer encodings written ``quoted printable`` or left
empty, base64 that is not base64, multiparts whose boundary is illegal or never used (the parts
are re-found from the ``--delimiter`` lines), a missing final boundary, and bodies without a
charset. A ``message/rfc822`` part (a forwarded or returned message) is never read as the body.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message

from ingest.charset import decode_bytes
from ingest.html_text import html_to_text
from ingest.mail_headers import MAIL_POLICY, header_text

_DELIMITER = re.compile(r"^--([^\r\n\"]{1,200}?)(?:--)?[ \t]*\r?\n(?=[A-Za-z][\w-]*:)", re.M)
_B64_ALPHABET = re.compile(rb"[A-Za-z0-9+/=]")


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attached file: ``index`` counts attachments from 1 in document order."""

    index: int
    filename: str
    content_type: str
    data: bytes


def _raw_payload(part: Message) -> bytes:
    # get_payload() would already decode 8-bit bytes with the declared charset and U+FFFD;
    # the stored payload still holds them as surrogate escapes, so read it directly.
    payload = getattr(part, "_payload", None)
    if isinstance(payload, bytes):
        return payload
    if not isinstance(payload, str):
        return b""
    # message_from_bytes keeps 8-bit bytes as surrogate escapes; this restores them exactly.
    return payload.encode("utf-8", errors="surrogateescape")


def _base64(raw: bytes) -> bytes:
    compact = re.sub(rb"\s+", b"", raw)
    if not compact:
        return b""
    # Text declared as base64 ("Hello") must stay text, not become decoded noise.
    if len(_B64_ALPHABET.findall(compact)) < 0.9 * len(compact):
        return raw
    # Stop at the first padding: anything after it is junk (a stray boundary, a signature).
    cleaned = b"".join(_B64_ALPHABET.findall(compact)).split(b"=", 1)[0]
    cleaned = cleaned[: len(cleaned) - 1] if len(cleaned) % 4 == 1 else cleaned
    cleaned += b"=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned)
    except (binascii.Error, ValueError):
        return raw


def part_bytes(part: Message) -> bytes:
    """The decoded payload of a leaf part (base64, quoted-printable in any spelling, or raw)."""
    raw = _raw_payload(part)
    cte = re.sub(r"[^a-z0-9]", "", header_text(part, "Content-Transfer-Encoding").lower())
    if cte in ("quotedprintable", "qp"):
        return quopri.decodestring(raw)
    if cte == "base64":
        return _base64(raw)
    if cte in ("xuuencode", "uuencode", "xuue"):
        decoded = part.get_payload(decode=True)
        return decoded if isinstance(decoded, bytes) else raw
    return raw


def _charset(part: Message) -> str | None:
    try:
        return part.get_content_charset()
    except Exception:  # RFC 2231 junk in the parameter
        return None


def part_text(part: Message) -> str:
    """The decoded text of a leaf part, with the charset repaired when needed."""
    return decode_bytes(part_bytes(part), _charset(part)).replace("\r\n", "\n")


def _salvage(text: str) -> Message | None:
    """Re-parse MIME parts from ``--delimiter`` lines when the declared boundary failed."""
    found = _DELIMITER.search(text)
    if found is None:
        return None
    head = f'Content-Type: multipart/mixed; boundary="{found.group(1)}"\r\n\r\n'
    data = head.encode("ascii", errors="replace") + text.encode("utf-8", "surrogateescape")
    rebuilt = message_from_bytes(data, policy=MAIL_POLICY)
    return rebuilt if rebuilt.is_multipart() and rebuilt.get_payload() else None


def _leaves(part: Message, depth: int = 0) -> Iterator[Message]:
    """Leaf parts in document order, not descending into attached messages."""
    ctype = part.get_content_type()
    if depth > 20 or ctype in ("message/rfc822", "message/delivery-status"):
        yield part
        return
    payload = part.get_payload()
    if part.is_multipart() and isinstance(payload, list):
        for sub in payload:
            if isinstance(sub, Message):
                yield from _leaves(sub, depth + 1)
        return
    if ctype.startswith(("multipart/", "text/")) and isinstance(payload, str):
        rebuilt = _salvage(payload.lstrip("\r\n"))
        if rebuilt is not None:
            yield from _leaves(rebuilt, depth + 1)
            return
    yield part


def _is_attachment(part: Message) -> bool:
    disposition = header_text(part, "Content-Disposition").split(";")[0].strip().lower()
    return disposition == "attachment" or bool(_filename(part))


def _filename(part: Message) -> str:
    try:
        return part.get_filename() or ""
    except Exception:  # broken RFC 2231/2047 filename
        return ""


def body_text(msg: Message) -> tuple[str, str]:
    """(text, content type it came from): text/plain preferred, else HTML rendered as text."""
    plain: str | None = None
    html: str | None = None
    for part in _leaves(msg):
        ctype = part.get_content_type()
        if _is_attachment(part) and part is not msg:
            continue
        if ctype == "text/html" and html is None:
            html = part_text(part)
        elif ctype.startswith(("text/plain", "multipart/")) and plain is None:
            plain = part_text(part)
    if plain is not None and plain.strip():
        return plain.strip(), "text/plain"
    if html is not None and html.strip():
        return html_to_text(html), "text/html"
    return "", ""


def attachments(msg: Message) -> Iterator[Attachment]:
    """Attached files (parts with a filename or ``Content-Disposition: attachment``)."""
    index = 0
    for part in _leaves(msg):
        if part is msg or not _is_attachment(part) or part.get_content_type() == "message/rfc822":
            continue
        index += 1
        yield Attachment(index, _filename(part), part.get_content_type(), part_bytes(part))
