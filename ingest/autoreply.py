"""Recognising automatic replies (vacation, out of office, autoresponders, read receipts).

Signals, strongest first: RFC 3834 ``Auto-Submitted`` (anything but "no"), the de-facto
``X-Autoreply``/``X-Autorespond`` headers, ``Precedence: auto_reply``, Exchange's
``X-Auto-Response-Suppress``, Apple's ``X-Apple-Action: VACATION``, ``Precedence: bulk/junk``
(unless the message is a mailing-list post: lists set it on every human post), and finally
vacation subjects in several languages. Bounces carry ``Auto-Submitted`` too, so callers check
for a bounce first.
"""

from __future__ import annotations

import re
from email.message import Message

from ingest.mail_headers import header_text, report_type

_SUBJECT = re.compile(
    r"automatic reply|auto(matic)?[- ]?repl(y|ied)|autoreply|auto[- ]?response|autorespons|"
    r"^auto:|out of (the )?office|\booo\b|away from (the )?office|abwesenheitsnotiz|"
    r"abwesenheit|automatische antwort|otomatik (yanıt|cevap)|işyeri dışında|ofis dışında|"
    r"réponse automatique|absence du bureau|risposta automatica|respuesta automática|"
    r"fuera de la oficina|automatisch antwoord|^vacation\b|on vacation|on holiday",
)
_LIST_HEADERS = ("List-Id", "List-Post", "List-Unsubscribe", "Mailing-List", "X-Mailing-List")


def _subject_key(subject: str) -> str:
    # casefold turns "İ" into "i" + U+0307; dropping the dot lets "İşyeri" match "işyeri".
    return subject.casefold().replace("\u0307", "").strip()


def _is_list_post(msg: Message) -> bool:
    if any(header_text(msg, name) for name in _LIST_HEADERS):
        return True
    sender = header_text(msg, "Sender").lower()
    return sender.startswith(("owner-", "<owner-")) or "-bounces@" in sender


def _header_reason(msg: Message) -> str | None:
    auto_submitted = header_text(msg, "Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"auto-submitted:{auto_submitted}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Response-Suppress"):
        if header_text(msg, name) or name.lower() in (k.lower() for k in msg.keys()):
            return name.lower()
    if header_text(msg, "X-Apple-Action").lower() == "vacation":
        return "x-apple-action:vacation"
    precedence = header_text(msg, "Precedence").lower()
    if precedence in ("auto_reply", "auto-reply"):
        return f"precedence:{precedence}"
    if precedence in ("bulk", "junk") and not _is_list_post(msg):
        return f"precedence:{precedence}"
    return None


def autoreply_reason(msg: Message, subject: str) -> str | None:
    """Why ``msg`` is an automatic reply (a short code), or None when it is not one."""
    reason = _header_reason(msg)
    if reason is not None:
        return reason
    if report_type(msg) == "disposition-notification":
        return "read-receipt"
    match = _SUBJECT.search(_subject_key(subject))
    return f"subject:{match.group(0)}" if match else None
