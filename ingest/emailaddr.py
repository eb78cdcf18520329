"""Email addresses: extracted from what people write, lower-cased, validated, keyed.

``email_validator.validate_email`` costs ~40 µs. Well-formed ASCII addresses (dot-atom local
part, LDH domain labels, a letter-final TLD, no punycode) are accepted by strict regexes (the
domain's verdict is cached per domain) plus the library's remaining ASCII checks (lengths,
``ab--`` labels, special-use domains) and give the same answer; everything else goes to the
library with ``check_deliverability=False``. An address written as just the address skips the
extraction: one regex (``_PLAIN``) checks its local part, ``written_email`` is the general way.
``tests/unit/ingest/test_email_fast_path.py`` compares the paths on generated input.
"""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

_ATEXT = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# The fast-path shape is ``_LOCAL "@" _DOMAIN``. Neither part may hold an "@", so they are
# matched apart, and the domain (with its other checks) once per distinct domain.
_LOCAL = re.compile(rf"{_ATEXT}+(?:\.{_ATEXT}+)*")
_DOMAIN = re.compile(rf"(?:{_LABEL}\.)+(?:[a-z0-9][a-z0-9-]{{0,61}})?[a-z]")
# The library's RFC 5890 rule: no "ab--" label unless it is punycode ("xn--").
_RLDH = re.compile(r"(?:^|\.)(?!xn)[a-z0-9-]{2}--")
# IANA special-use names the library refers to (all single labels, so the TLD decides).
_SPECIAL_USE_TLDS = frozenset(("arpa", "invalid", "local", "localhost", "onion", "test"))
_MAX_ADDRESS = 254
_MAX_DOMAIN = 253
_GMAIL_DOMAINS = frozenset(("gmail.com", "googlemail.com"))
_GMAIL_SUFFIXES = tuple(f"@{domain}" for domain in _GMAIL_DOMAINS)
# A written address that is already just the address (``extract_address`` would keep it as
# it is) in the fast-path shape, in any case: no quote to strip first, a letter last. Its
# domain still gets ``_domain_verdict``. (Upper case is spelt out: IGNORECASE is slower; the
# local part's quantifiers are possessive, which changes nothing there but the cost, since
# atext, "." and "@" are disjoint.)
_ATEXT_ANY_CASE = _ATEXT.replace("a-z", "a-zA-Z")
_PLAIN = re.compile(
    rf"(?!'){_ATEXT_ANY_CASE}++(?:\.{_ATEXT_ANY_CASE}++)*+@([a-zA-Z0-9.-]*[a-zA-Z])"
)
_ANGLE = re.compile(r"<([^<>]*)>")
_SEPARATOR = re.compile(r"[\s,;]+")


def extract_address(raw: str) -> str:
    """The address part of what was written: ``"Ayşe <A@B.com>"`` -> ``"A@B.com"``.

    Handles ``mailto:`` (and its ``?subject=`` query), angle brackets, display names,
    surrounding quotes and punctuation, and several addresses in one cell (the first wins).
    """
    text = raw.strip()
    if "<" in text:
        found = _ANGLE.search(text)
        if found:
            text = found.group(1).strip()
    if ":" in text and text[:7].lower() == "mailto:":
        text = text[7:].partition("?")[0]
    if " " in text or "," in text or ";" in text or "\t" in text:
        parts = [p for p in _SEPARATOR.split(text) if "@" in p]
        text = parts[0] if parts else text
    return text.strip("\"'()[].,;:")


@lru_cache(maxsize=4096)
def _domain_verdict(domain: str) -> bool | None:
    """The fast path's verdict on a domain; the same for every address at that domain."""
    if not _DOMAIN.fullmatch(domain):
        return None
    if "xn--" in domain or len(domain) > _MAX_DOMAIN:
        return None
    if "--" in domain and _RLDH.search(domain):
        return False
    return domain[domain.rindex(".") + 1 :] not in _SPECIAL_USE_TLDS


def fast_is_valid(address: str) -> bool | None:
    """Validity of a lower-case address by the ASCII fast path; ``None`` = ask the library."""
    local, at, domain = address.partition("@")
    if not at or len(address) > _MAX_ADDRESS or not _LOCAL.fullmatch(local):
        return None
    return _domain_verdict(domain)


def library_email(address: str) -> tuple[str, bool]:
    """(normalised address, valid) by email-validator alone, without DNS."""
    try:
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return "", False
    return result.normalized.lower(), True


def email_key(address: str) -> str:
    """Identity key: ``+tag`` removed; for Gmail also the dots, and googlemail -> gmail."""
    if "+" not in address and "@" in address and not address.endswith(_GMAIL_SUFFIXES):
        return address  # nothing to take out
    local, _, domain = address.rpartition("@")
    if "+" in local[1:]:
        local = local[: local.index("+", 1)]
    if domain in _GMAIL_DOMAINS:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def canonical_email(raw: str) -> tuple[str, str, bool]:
    """``(email, email_key, valid)`` for a written address.

    ``canonical_email("Ayşe <Ayse+Expo@Example.COM>") == ("ayse+expo@example.com",
    "ayse@example.com", True)``; an invalid address gives ``("", "", False)`` and the caller
    keeps the raw text.
    """
    plain = _PLAIN.fullmatch(raw) if len(raw) <= _MAX_ADDRESS else None
    if plain is not None:  # the common case: no extraction, one regex for the local part
        domain = plain.group(1).lower()
        verdict = _domain_verdict(domain)
        if verdict is not None:
            address = raw.lower()
            if not verdict:
                return "", "", False
            if "+" in address or domain in _GMAIL_DOMAINS:
                return address, email_key(address), True
            return address, address, True  # the key is the address (see ``email_key``)
    return written_email(raw)


def written_email(raw: str) -> tuple[str, str, bool]:
    """``canonical_email`` the general way, for any writing (the reference of its fast path):
    the address extracted, lower-cased, then judged."""
    address = extract_address(raw).lower()
    if not address:
        return "", "", False
    valid = fast_is_valid(address)
    if valid is None:
        address, valid = library_email(address)
    if not valid:
        return "", "", False
    return address, email_key(address), True
