"""Building the lead record of an inquiry email: sender, names, signature, interests.

The contact address is Reply-To when it differs from From (the From address is kept as an extra
email); the name is the From display name split raw into first/last (never guessed from the
local part). Signature and interests are read only from the sender's own text, after quoted
replies are cut off. Without a signature company, a corporate (non-freemail) sender domain
stands in for the company, marked as such in the provenance.
"""

from __future__ import annotations

from datetime import datetime
from email.message import Message

from ingest.interest import find_interests
from ingest.mail_body import body_text
from ingest.mail_headers import header_addresses, header_names, header_text, message_date
from ingest.quoting import strip_quoted
from ingest.records import RawRecord, Rejected, SourceKind
from ingest.signature import parse_signature, signature_lines

_FREEMAIL = {
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.com.tr", "ymail.com",
    "hotmail.com", "hotmail.com.tr", "outlook.com", "outlook.com.tr", "live.com", "msn.com",
    "aol.com", "icloud.com", "me.com", "mac.com", "gmx.de", "gmx.net", "gmx.com", "web.de",
    "mail.ru", "yandex.ru", "yandex.com", "yandex.com.tr", "qq.com", "163.com", "126.com",
    "proton.me", "protonmail.com", "mynet.com", "t-online.de", "free.fr", "orange.fr",
    "libero.it", "zoho.com", "mail.com", "inbox.com", "rambler.ru", "seznam.cz", "wp.pl",
    "docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp", "hinet.net", "comcast.net", "verizon.net",
}  # fmt: skip
_SECOND_LEVEL = {
    "com", "co", "net", "org", "gov", "edu", "ac", "gen", "biz", "web", "bel", "av", "ne", "or",
    "go", "ed", "ad", "gr", "lg", "gob", "nic", "mil", "info", "nom", "ltd", "plc", "sch",
}  # fmt: skip
NOTES_LIMIT = 4000


def split_name(display: str) -> tuple[str, str]:
    """Raw first/last split: "Last, First" or "First Middle Last" -> ("First Middle", "Last")."""
    if display.count(",") == 1:
        last, first = (part.strip() for part in display.split(","))
        if first and last:
            return first, last
    tokens = display.split()
    if len(tokens) < 2:
        return display.strip(), ""
    return " ".join(tokens[:-1]), tokens[-1]


def registrable_domain(address: str) -> str:
    """'ali@mail.anadolu.com.tr' -> 'anadolu.com.tr' (rough public-suffix rule)."""
    labels = address.rpartition("@")[2].lower().strip(".").split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _sender(msg: Message, ref: str) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Name and contact address fields, their provenance, and extra emails."""
    fields: dict[str, str] = {}
    where: dict[str, str] = {}
    from_pairs = header_addresses(msg, "From") or header_addresses(msg, "Sender")
    reply_pairs = header_addresses(msg, "Reply-To")
    from_addr = from_pairs[0][1] if from_pairs else ""
    extras: list[str] = []
    if reply_pairs and reply_pairs[0][1].lower() != from_addr.lower():
        fields["email"], where["email"] = reply_pairs[0][1], f"{ref} Reply-To header"
        extras = [from_addr] if from_addr else []
    elif from_addr:
        fields["email"], where["email"] = from_addr, f"{ref} From header"
    for header in ("From", "Reply-To"):
        names = [n for n in header_names(msg, header) if "@" not in n]
        if names:
            first, last = split_name(names[0])
            fields.update(full_name=names[0], first_name=first, last_name=last)
            for key in ("full_name", "first_name", "last_name"):
                where[key] = f"{ref} {header} header display name"
            break
    return fields, where, extras


def _signature(text: str, ref: str) -> tuple[dict[str, str], dict[str, str], list[str], list[str]]:
    signature = parse_signature(signature_lines(text))
    where = {k: f"{ref} signature line {n}" for k, n in signature.lines.items()}
    return signature.fields, where, list(signature.extra_phones), list(signature.emails)


def build_inquiry(
    msg: Message, *, source_ref: str, origin: str, received_at: datetime
) -> RawRecord | Rejected:
    """The lead record of an inquiry, or Rejected when it names nobody."""
    message_id = header_text(msg, "Message-ID") or None
    ref = message_id or source_ref
    fields, where, extra_emails = _sender(msg, ref)
    body, body_type = body_text(msg)
    own_text = strip_quoted(body)
    sig_fields, sig_where, extra_phones, sig_emails = _signature(own_text, ref)
    for key, value in sig_fields.items():
        fields.setdefault(key, value)
        where.setdefault(key, sig_where[key])
    contact = fields.get("email", "")
    if "company" not in fields and contact and registrable_domain(contact) not in _FREEMAIL:
        fields["company"] = registrable_domain(contact)
        where["company"] = f"{ref} From address domain (no company in signature)"
    subject = header_text(msg, "Subject")
    if subject:
        fields["subject"], where["subject"] = subject, f"{ref} Subject header"
    if own_text:
        fields["notes"], where["notes"] = own_text[:NOTES_LIMIT], f"{ref} body ({body_type})"
    if not (contact or fields.get("full_name") or fields.get("phone") or fields.get("mobile")):
        reason = "email-no-sender" if body else "email-empty"
        text = "The message has no usable sender address" + ("." if body else " and no body.")
        return Rejected(source_ref, origin, reason, text, raw={"subject": subject})
    extra_emails += [e for e in sig_emails if e.lower() != contact.lower()]
    return RawRecord(
        source=SourceKind.EMAIL,
        source_ref=source_ref,
        received_at=message_date(msg) or received_at,
        origin=origin,
        fields=fields,
        provenance=where,
        extra_emails=tuple(dict.fromkeys(extra_emails)),
        extra_phones=tuple(dict.fromkeys(extra_phones)),
        interests=find_interests(f"{subject}\n{own_text}"),
        message_id=message_id,
    )
