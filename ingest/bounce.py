"""Recognising delivery failure reports (bounces) and reading the failed recipients.

Standard reports are ``multipart/report; report-type=delivery-status`` (RFC 3464): their
``message/delivery-status`` part lists per-recipient blocks with ``Final-Recipient``,
``Original-Recipient``, ``Action`` and ``Status``. Non-standard bounces (a MAILER-DAEMON or
postmaster mail with "Undelivered Mail" in the subject, or an Office 365 report without the
machine part) are read from their text: the addresses named before the returned message starts,
minus the bounce's own header addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from ingest.mail_body import body_text
from ingest.mail_headers import header_addresses, header_text, report_type

_SUBJECT = re.compile(
    r"undeliver|returned mail|returned to sender|delivery status notification|"
    r"delivery failure|delivery failed|delivery has failed|mail delivery failed|failure notice|"
    r"bounce notification|non[- ]?delivery|could not be delivered|delivery problem|"
    r"iletilemedi|teslim edilemedi|unzustellbar|nicht zugestellt|non remis|no entregado",
    re.I,
)
_DAEMONS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon", "maildaemon"}
_EMAIL = re.compile(r"[\w.+'=-]+@[\w-]+(?:\.[\w-]+)+")
_STATUS = re.compile(r"\b[245]\.\d{1,3}\.\d{1,3}\b")
# Where the returned original message starts inside a non-standard bounce text.
_RETURNED = re.compile(
    r"^(from \S+ +\w{3} \w{3}|return-path:|received:|message-id:|from:|"
    r"original message headers|-+ ?original message|-+ ?this is a copy|.*returned message)",
    re.I | re.M,
)
_OWN_HEADERS = ("From", "To", "Cc", "Return-Path", "Delivered-To", "X-Original-To", "Sender")


@dataclass(frozen=True, slots=True)
class BounceReport:
    """Failed recipients and the first status code; ``failed`` is False for delay notices."""

    recipients: tuple[str, ...]
    status: str
    failed: bool = True


def _sender_is_daemon(msg: Message) -> bool:
    for name, address in header_addresses(msg, "From"):
        if address.split("@")[0].lower() in _DAEMONS or "mail delivery" in name.lower():
            return True
    return False


def is_bounce(msg: Message, subject: str) -> bool:
    """True for delivery status reports, standard or not."""
    if report_type(msg) == "delivery-status":
        return True
    if any(part.get_content_type() == "message/delivery-status" for part in msg.walk()):
        return True
    null_path = header_text(msg, "Return-Path").replace(" ", "") == "<>"
    return bool(_SUBJECT.search(subject)) and (_sender_is_daemon(msg) or null_path)


def _dsn_text(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list):  # the email package parses each block as a header block
        blocks = [
            "\n".join(f"{k}: {v}" for k, v in b.raw_items())
            for b in payload
            if isinstance(b, Message)
        ]
        return "\n\n".join(blocks)
    return str(payload)


def _field(block: str, name: str) -> str:
    match = re.search(rf"^{name}\s*:\s*(.+)$", block, re.I | re.M)
    return match.group(1).strip() if match else ""


def _address(value: str) -> str:
    """'rfc822; <a@b>' -> 'a@b'."""
    return value.split(";")[-1].strip().strip("<>").strip()


def _from_dsn(msg: Message) -> BounceReport | None:
    failed: list[str] = []
    statuses: list[str] = []
    blocks = 0
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in re.split(r"\n\s*\n", _dsn_text(part).replace("\r\n", "\n")):
            final = _address(_field(block, "Final-Recipient"))
            if "@" not in final:
                continue
            blocks += 1
            action, status = _field(block, "Action").lower(), _field(block, "Status")
            if action.startswith("failed") or (not action and status.startswith("5")):
                original = _address(_field(block, "Original-Recipient"))
                failed += [a for a in (final, original) if "@" in a]
                statuses += _STATUS.findall(status)
    if not blocks:
        return None
    return BounceReport(_unique(failed), statuses[0] if statuses else "", failed=bool(failed))


def _unique(addresses: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for address in addresses:
        seen.setdefault(address.lower(), address)
    return tuple(seen.values())


def _from_text(msg: Message) -> BounceReport:
    text, _ = body_text(msg)
    returned = _RETURNED.search(text)
    text = text[: returned.start()] if returned else text
    own = {a.lower() for name in _OWN_HEADERS for _, a in header_addresses(msg, name)}
    found = [
        a
        for a in _EMAIL.findall(text)
        if a.lower() not in own and a.split("@")[0].lower() not in _DAEMONS
    ]
    status = _STATUS.search(text)
    return BounceReport(_unique(found), status.group(0) if status else "")


def parse_bounce(msg: Message) -> BounceReport:
    """Failed recipients of a message for which ``is_bounce`` is true."""
    report = _from_dsn(msg)
    return report if report is not None else _from_text(msg)
