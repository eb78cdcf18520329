"""Reading header values from a parsed message without ever raising.

``policy.default`` gives structured headers (addresses, dates, RFC 2047 decoded) but raises on
some broken headers when a value is accessed. Each reader here tries the structured value first
and falls back to the raw header string (decoded with ``email.header`` and ``repair_text``).
"""

from __future__ import annotations

from datetime import datetime
from email.header import decode_header
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import Message
from email.policy import EmailPolicy
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache
from typing import Any

from ingest.charset import decode_bytes, repair_text

Address = tuple[str, str]  # (display name, address)


class _SharedClassRegistry(HeaderRegistry):
    """``HeaderRegistry`` that builds each header class once.

    The standard library builds a new class (``type(...)``) for every header it parses. A class
    refers to itself through its MRO, so each one is cyclic garbage that only a full collection
    frees: reading ten thousand messages left hundreds of thousands of dead classes waiting for
    the collector, and the peak grew with the number of messages. The class depends only on the
    registry entry for the name, so one class per entry (a few dozen at most) serves them all.
    """

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[type, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        specialised = self.registry.get(name.lower(), self.default_class)
        cls = self._classes.get(specialised)
        if cls is None:
            cls = self._classes[specialised] = super().__getitem__(name)
        return cls


_HEADER_FACTORY = _SharedClassRegistry()


class _MemoPolicy(EmailPolicy):
    """``policy.default`` whose parsed header values are memoised by (name, raw value).

    The standard library parses a header again on every access; walking a message asks for
    Content-Type alone a dozen times, which made header parsing most of the cost of reading
    mail. Parsed headers are immutable, so sharing them is safe. The cache is small on purpose:
    the repeats are within one message, or values every message has (``MIME-Version: 1.0``, a
    common Content-Type); a large one only holds unique Message-IDs and Dates.
    """

    def header_fetch_parse(self, name: str, value: Any) -> Any:
        if hasattr(value, "name") or not isinstance(value, str):
            return super().header_fetch_parse(name, value)
        return _parsed_header(name, value)


@lru_cache(maxsize=256)
def _parsed_header(name: str, value: str) -> Any:
    return EmailPolicy.header_fetch_parse(MAIL_POLICY, name, value)  # parsed, not memoised


MAIL_POLICY = _MemoPolicy(header_factory=_HEADER_FACTORY)


def _raw_values(msg: Message, name: str) -> list[str]:
    """All raw (unparsed) values of a header, as strings."""
    values: list[str] = []
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            values.append(str(value))
    return values


def _decode_rfc2047(raw: str) -> str:
    """Decode encoded words in a raw header value, tolerating bogus charsets."""
    try:
        parts = decode_header(raw)
    except Exception:  # email.header raises HeaderParseError and friends on junk
        return repair_text(raw)
    out: list[str] = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            try:
                text = chunk.decode("ascii") if charset is None else decode_bytes(chunk, charset)
            except UnicodeDecodeError:
                text = chunk.decode("utf-8", errors="surrogateescape")
            out.append(text)
        else:
            out.append(chunk)
    return repair_text("".join(out))


def header_text(msg: Message, name: str) -> str:
    """The decoded text of the first ``name`` header, or ""."""
    try:
        value = msg.get(name)
        # policy.default turns raw 8-bit header bytes into U+FFFD; the raw value still has them.
        if value is not None and "\ufffd" not in str(value):
            return repair_text(" ".join(str(value).split()))
    except Exception:  # policy.default may raise while parsing a broken value
        pass
    raw = _raw_values(msg, name)
    return " ".join(_decode_rfc2047(raw[0]).split()) if raw else ""


def _structured_addresses(msg: Message, name: str) -> list[Address]:
    value = msg.get(name)
    addresses = getattr(value, "addresses", None)
    if not addresses:
        return []
    return [(repair_text(a.display_name), repair_text(a.addr_spec)) for a in addresses]


def header_addresses(msg: Message, name: str) -> list[Address]:
    """(name, address) pairs of an address header; addresses without '@' are dropped."""
    try:
        pairs = _structured_addresses(msg, name)
    except Exception:  # broken address syntax: fall back to the lenient parser
        pairs = []
    if not pairs:
        decoded = [_decode_rfc2047(raw) for raw in _raw_values(msg, name)]
        pairs = [(repair_text(n), repair_text(a)) for n, a in getaddresses(decoded)]
    return [(n.strip(" \"'"), a.strip("<> ")) for n, a in pairs if _usable(a)]


def _usable(address: str) -> bool:
    local, _, domain = address.strip("<> ").rpartition("@")
    return bool(local) and "." in domain and " " not in address.strip()


def header_names(msg: Message, name: str) -> list[str]:
    """Display names of an address header, even when its address is unusable."""
    decoded = [_decode_rfc2047(raw) for raw in _raw_values(msg, name)]
    return [repair_text(n).strip(" \"'") for n, _ in getaddresses(decoded) if n.strip(" \"'")]


def message_date(msg: Message) -> datetime | None:
    """The Date header as an aware datetime, or None when missing, broken or naive."""
    raw = _raw_values(msg, "Date")
    if not raw:
        return None
    try:
        parsed = parsedate_to_datetime(" ".join(raw[0].split()))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return None
    return parsed


def report_type(msg: Message) -> str:
    """The ``report-type`` of a multipart/report message ("" for other messages)."""
    if msg.get_content_type() != "multipart/report":
        return ""
    try:
        return str(msg.get_param("report-type") or "").strip().lower()
    except Exception:  # malformed parameters must not hide the rest of the message
        return ""
