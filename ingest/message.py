"""Parsing one email (an inquiry, an auto-reply or a bounce) into ingest items.

``parse_message`` never raises: bytes that are not RFC 822 (an Outlook ``.msg``, a PDF) become
``Rejected``; a delivery report becomes ``Bounce`` (checked first, since bounces also carry
``Auto-Submitted``); an automatic reply becomes ``AutoReply``; anything else is an inquiry and
becomes one ``RawRecord`` (see ``ingest.inquiry``) plus the records of its vCard attachments,
whose ``source_ref`` is ``<source_ref>#att-<n>`` (n counts attachments from 1).

Size limits (``ingest.limits``) yield ``Rejected`` rather than raise, because the mailbox source
relies on this function never raising: ``email-too-large`` for the whole message,
``attachment-too-large`` for one vCard attachment.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import datetime
from email import message_from_bytes, policy
from email.message import Message

from ingest.autoreply import autoreply_reason
from ingest.bounce import is_bounce, parse_bounce
from ingest.inquiry import build_inquiry
from ingest.limits import MAX_ATTACHMENT_BYTES, MAX_EMAIL_BYTES, size_text
from ingest.mail_body import attachments
from ingest.mail_headers import MAIL_POLICY, header_addresses, header_text
from ingest.records import AutoReply, Bounce, ParsedItem, RawRecord, Rejected
from ingest.storable import storable_item

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
SNIFF_BYTES = 16384
_HEADER_LINE = re.compile(rb"^[!-9;-~]{1,76}[ \t]*:")
_KNOWN_HEADER = re.compile(
    rb"^(from|to|subject|date|received|return-path|message-id|mime-version|content-type|"
    rb"delivered-to|reply-to|sender|cc|x-[\w-]+)[ \t]*:",
    re.I | re.M,
)
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")
_VCARD_TYPES = {"text/vcard", "text/x-vcard", "text/directory"}
_REASON_TEXT = {
    "msg-outlook": "This is an Outlook .msg file (OLE2), not an RFC 822 message; save it as .eml.",
    "not-rfc822": "The bytes do not look like an email message (no header block).",
    "empty": "The message is empty.",
}


def _strip_leading_blank_lines(data: bytes) -> bytes:
    """Blank lines before the header block would otherwise turn every header into body."""
    return re.sub(rb"\A(?:[ \t]*\r?\n)+", b"", data)


def sniff_message(data: bytes) -> str | None:
    """None if ``data`` looks like an RFC 822 message, else a reason code for rejecting it."""
    if data.startswith(OLE2_MAGIC):
        return "msg-outlook"
    head = _strip_leading_blank_lines(data[:SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf"))
    if not head.strip():
        return "empty"
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        return "not-rfc822"
    lines = head.splitlines()
    first = lines[1] if lines[0].startswith(b"From ") and len(lines) > 1 else lines[0]
    if not _HEADER_LINE.match(first) or not _KNOWN_HEADER.search(head):
        return "not-rfc822"
    return None


def _load(data: bytes) -> Message:
    data = _strip_leading_blank_lines(data.removeprefix(b"\xef\xbb\xbf"))
    try:
        return message_from_bytes(data, policy=MAIL_POLICY)
    except Exception:  # the modern policy can fail where the legacy one copes
        return message_from_bytes(data, policy=policy.compat32)


def _sender(msg: Message) -> str:
    pairs = header_addresses(msg, "From")
    return pairs[0][1] if pairs else ""


def _classify(msg: Message, source_ref: str, origin: str) -> AutoReply | Bounce | None:
    subject = header_text(msg, "Subject")
    if is_bounce(msg, subject):
        report = parse_bounce(msg)
        if report.failed:
            return Bounce(source_ref, origin, report.recipients, report.status)
        return AutoReply(source_ref, origin, "delivery-status-not-failed", _sender(msg))
    reason = autoreply_reason(msg, subject)
    if reason is not None:
        return AutoReply(source_ref, origin, reason, _sender(msg))
    return None


def _vcard_items(
    msg: Message, source_ref: str, origin: str, received_at: datetime
) -> Iterator[ParsedItem]:
    for attachment in attachments(msg):
        name = attachment.filename.lower()
        if attachment.content_type not in _VCARD_TYPES and not name.endswith((".vcf", ".vcard")):
            continue
        # Imported here so a mail without vCards never depends on the vCard parser.
        from ingest.vcard import parse_vcards

        ref = f"{source_ref}#att-{attachment.index}"
        if len(attachment.data) > MAX_ATTACHMENT_BYTES:
            yield _attachment_too_large(ref, origin, attachment.filename, len(attachment.data))
            continue
        try:
            yield from parse_vcards(
                attachment.data,
                file_sha256=hashlib.sha256(attachment.data).hexdigest(),
                origin=f"{origin} attachment {attachment.filename or attachment.index}",
                received_at=received_at,
                ref_prefix=ref,
            )
        except Exception as exc:  # a broken card must not cost us the inquiry itself
            yield Rejected(ref, origin, "vcard-unparsable", f"vCard attachment failed: {exc}")


def _attachment_too_large(ref: str, origin: str, filename: str, size: int) -> Rejected:
    # The name is shown with repr: it comes from the sender and may hold control characters.
    message = (
        f"The attachment {filename!r} is {size_text(size)}; the limit is "
        f"{size_text(MAX_ATTACHMENT_BYTES)}, so it was not read (the message itself was)."
    )
    return Rejected(ref, origin, "attachment-too-large", message, raw={"filename": filename})


def _email_too_large(source_ref: str, origin: str, size: int) -> Rejected:
    message = f"The email is {size_text(size)}; the limit is {size_text(MAX_EMAIL_BYTES)}."
    return Rejected(source_ref, origin, "email-too-large", message)


def _parse(data: bytes, source_ref: str, origin: str, received_at: datetime) -> list[ParsedItem]:
    msg = _load(data)
    special = _classify(msg, source_ref, origin)
    if special is not None:
        return [special]
    lead = build_inquiry(msg, source_ref=source_ref, origin=origin, received_at=received_at)
    items: list[ParsedItem] = [lead]
    when = lead.received_at if isinstance(lead, RawRecord) else received_at
    try:
        items += list(_vcard_items(msg, source_ref, origin, when))
    except Exception as exc:  # keep the lead even when the attachments cannot be read
        items.append(Rejected(source_ref, origin, "attachment-unreadable", str(exc)))
    return items


def parse_message(
    data: bytes, *, source_ref: str, origin: str, received_at: datetime
) -> Iterator[ParsedItem]:
    """Parse one email into a lead record (plus vCard attachment records), an AutoReply, a
    Bounce, or a Rejected; never raises on any input bytes.

    An email over ``MAX_EMAIL_BYTES`` is one ``Rejected("email-too-large")`` (not parsed); a
    vCard attachment over ``MAX_ATTACHMENT_BYTES`` is ``Rejected("attachment-too-large")``
    while the message still becomes a lead. Attachment names are only ever shown, never used
    as paths."""
    if len(data) > MAX_EMAIL_BYTES:
        yield _email_too_large(source_ref, origin, len(data))
        return
    reason = sniff_message(data)
    if reason is not None:
        yield Rejected(source_ref, origin, reason, _REASON_TEXT[reason])
        return
    try:
        items = _parse(data, source_ref, origin, received_at)
    except Exception as exc:  # last resort: bad bytes must never stop a batch
        message = f"The message could not be parsed ({type(exc).__name__}: {exc})."
        items = [Rejected(source_ref, origin, "email-unparsable", message)]
    yield from map(storable_item, items)  # a NUL or stray surrogate must not fail the store
