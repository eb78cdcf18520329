"""Cutting quoted replies and forwarded messages off a mail body.

An inquiry that is a reply carries the previous message (often our own quote, with our
signature and phone numbers) below an attribution line. Only the sender's own text may feed the
signature and interest search, so the body is cut at the first sign of a quoted message.
"""

from __future__ import annotations

import re

# A line that ends an attribution: "On Mon, ... wrote:", "... tarihinde ... yazdı:", etc.
_WROTE = re.compile(
    r"(wrote|writes|yazdı|schrieb|a écrit|ha scritto|escribió|написал|napisał|schreef)\s*:\s*$",
    re.I,
)
_SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(original message|ursprüngliche nachricht|orijinal mesaj|özgün ileti|"
    r"forwarded message|mensaje original|message d'origine)\s*-{2,}"
    r"|begin forwarded message:|_{10,}\s*$)",
    re.I,
)
# Outlook's header block: "From: ..." followed closely by "Sent:"/"Date:" (EN, TR, DE).
_FROM_LINE = re.compile(r"^\s*\*?(from|kimden|von|de|gönderen)\s*:\*?\s", re.I)
_SENT_LINE = re.compile(
    r"^\s*\*?(sent|date|tarih|gönderildi|gönderilme tarihi|gesendet|datum|envoyé)\s*:", re.I
)
_MOBILE_FOOTER = re.compile(
    r"^\s*(sent from my \w+|get outlook for \w+|iphone'umdan gönderildi|von meinem \w+ gesendet)",
    re.I,
)


def _outlook_header_at(lines: list[str], i: int) -> bool:
    if not _FROM_LINE.match(lines[i]):
        return False
    return any(_SENT_LINE.match(line) for line in lines[i + 1 : i + 5])


def _cut_index(lines: list[str]) -> int:
    for i, line in enumerate(lines):
        if _SEPARATOR.match(line) or _outlook_header_at(lines, i):
            return i
        if _WROTE.search(line):
            # A wrapped attribution starts on the line before ("On ... <a@b>\nwrote:").
            wrapped = i > 0 and lines[i - 1].strip() and len(line.split()) <= 4
            return i - 1 if wrapped else i
        if line.startswith(">") and i + 1 < len(lines) and lines[i + 1].startswith(">"):
            return i
    return len(lines)


def strip_quoted(text: str) -> str:
    """The sender's own text: quoted replies, forwards and mobile footers removed."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept = lines[: _cut_index(lines)]
    kept = [ln for ln in kept if not ln.startswith(">") and not _MOBILE_FOOTER.match(ln)]
    return "\n".join(kept).strip()
