"""Finding the signature block of an inquiry and reading contact details from it.

The block is what follows the ``-- `` delimiter, else what follows a closing phrase ("Best
regards", "Saygılarımla"), else the last paragraph. From its lines we read phones (labelled
mobile or not), a job title (EN/TR/DE title words such as "Satın Alma Müdürü", "Sales Manager"),
a company (a legal suffix such as Ltd, GmbH, A.Ş., Ltd. Şti., or a "Firma:" label) and a
website. Each value remembers its line number so provenance can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DELIMITER = re.compile(r"^--\s?$")
_CLOSING = re.compile(
    r"^\s*((best|kind|warm|many)?\s*(regards|wishes)|regards|thanks( a lot)?|thank you|cheers|"
    r"sincerely( yours)?|yours (truly|sincerely)|saygılarımla|saygılarımızla|saygılar|"
    r"iyi çalışmalar|teşekkürler|teşekkür ederim|mit freundlichen grüßen|viele grüße|"
    r"freundliche grüße|cordialement|saluti|saludos)\b[\s,.!]*$",
    re.I,
)
_TITLE_WORDS = re.compile(
    r"\b(manager|director|engineer|head of|ceo|cfo|cto|coo|founder|co-founder|owner|president|"
    r"vice president|vp|buyer|purchaser|purchasing|procurement|specialist|officer|coordinator|"
    r"consultant|executive|assistant|supervisor|representative|analyst|partner|chief|"
    r"administrator|accountant|sales|müdür\w*|uzman\w*|mühendis\w*|sorumlu\w*|yönetici\w*|"
    r"direktör\w*|şef\w*|temsilci\w*|koordinatör\w*|sahibi|başkan\w*|satın ?alma|satınalma|"
    r"muhasebe\w*|asistan\w*|danışman\w*|leiter\w*|geschäftsführer\w*|einkäufer\w*|einkauf|"
    r"vertrieb\w*|ingenieur\w*)\b",
    re.I,
)
_LEGAL_SUFFIX = re.compile(
    r"(^|[\s,&])(ltd|limited|inc|incorporated|llc|l\.l\.c|gmbh|ag|kg|plc|corp|corporation|co|"
    r"s\.?a|s\.?r\.?l|b\.?v|pty|s\.?p\.?a|sarl|sas|a\.?ş|şti|kft|d\.?o\.?o|oy|n\.?v)\.?\s*$",
    re.I,
)
_LABEL = re.compile(
    r"^\s*(?P<label>company|firma|şirket|title|position|ünvan|unvan|görev|job title|"
    r"web|website|url)\s*:\s*(?P<value>.+)$",
    re.I,
)
_PHONE = re.compile(
    r"(?:(?P<label>[A-Za-zÇçĞğİıÖöŞşÜü]+\.?)\s*[:.]?\s*)?(?<![\w+])"
    r"(?P<num>\+?\(?\d[\d\s().\-/]{5,}\d)(?![\w])"
)
_MOBILE_LABELS = {"mobile", "mob", "m", "cell", "cep", "gsm", "handy", "mobil", "cellphone"}
_FAX_LABELS = {"fax", "f", "faks", "telefax"}
_DATE = re.compile(r"^\d{1,2}[./]\d{1,2}[./]\d{2,4}$")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>|,;\"']+", re.I)
_BARE_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(/\S*)?$", re.I)
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_SEGMENTS = re.compile(r"\s*(?:\||•|·|\s[-–—]\s|\s/\s)\s*")


@dataclass(frozen=True, slots=True)
class Signature:
    """Values read from a signature; ``lines`` maps a field to its 1-based signature line."""

    fields: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    extra_phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()


def signature_lines(body: str) -> list[str]:
    """The non-empty lines of the signature block of ``body`` (may be empty)."""
    lines = [ln.rstrip() for ln in body.split("\n")]
    markers = [i for i, ln in enumerate(lines) if _DELIMITER.match(ln)]
    if markers:
        block = lines[markers[-1] + 1 :]
    else:
        tail_start = max(0, len(lines) - 15)
        closings = [i for i in range(tail_start, len(lines)) if _CLOSING.match(lines[i])]
        if closings:
            block = lines[closings[-1] + 1 :]
        else:
            blanks = [i for i, ln in enumerate(lines) if not ln.strip()]
            block = lines[blanks[-1] + 1 :] if blanks else lines[-6:]
    return [ln.strip() for ln in block if ln.strip()][:12]


def _phones(line: str) -> list[tuple[str, str]]:
    """(kind, number) pairs on a line; kind is "phone", "mobile" or "fax"."""
    found: list[tuple[str, str]] = []
    for match in _PHONE.finditer(line):
        number = match.group("num").strip()
        digits = re.sub(r"\D", "", number)
        if not 7 <= len(digits) <= 15 or _DATE.match(number):
            continue
        label = (match.group("label") or "").rstrip(".").lower()
        kind = "mobile" if label in _MOBILE_LABELS else "fax" if label in _FAX_LABELS else "phone"
        found.append((kind, number))
    return found


def _short_text(segment: str) -> bool:
    return (
        0 < len(segment) <= 80
        and "@" not in segment
        and not _URL.search(segment)
        and sum(ch.isdigit() for ch in segment) <= 2
    )


def _classify_segment(segment: str) -> list[tuple[str, str]]:
    """("company" | "title", value) pairs in one piece of a signature line."""
    if not _short_text(segment):
        return []
    if _LEGAL_SUFFIX.search(segment):
        # "Sales Manager at ACME Ltd" / "Satın Alma Müdürü, Anadolu A.Ş.": title comes first.
        parts = re.split(r"(\s+at\s+|,\s+|\s+@\s+)", segment, maxsplit=1)
        if len(parts) == 3 and _TITLE_WORDS.search(parts[0]):
            return [("title", parts[0]), ("company", parts[2])]
        return [("company", segment)]
    if _TITLE_WORDS.search(segment) and len(segment.split()) <= 7 and segment[-1] not in ".?!":
        return [("title", segment.rstrip(","))]
    return []


def _labelled(line: str) -> tuple[str, str] | None:
    match = _LABEL.match(line)
    if match is None:
        return None
    label, value = match.group("label").lower(), match.group("value").strip()
    if label in ("company", "firma", "şirket"):
        return ("company", value)
    if label in ("web", "website", "url"):
        return ("website", value)
    return ("title", value)


def _values(line: str) -> list[tuple[str, str]]:
    """(field, value) pairs found on one signature line."""
    labelled = _labelled(line)
    if labelled is not None:
        return [labelled]
    values: list[tuple[str, str]] = [(k, n) for k, n in _phones(line) if k != "fax"]
    values += [("email", e) for e in _EMAIL.findall(_URL.sub(" ", line))]
    url = _URL.search(line)
    if url is not None and not re.search(r"unsubscribe|optout|opt-out", url.group(0), re.I):
        values.append(("website", url.group(0).rstrip(".")))
    elif _BARE_DOMAIN.match(line) and "@" not in line:
        values.append(("website", line))
    if not values:
        for segment in _SEGMENTS.split(line):
            values += _classify_segment(segment.strip())
    return values


def parse_signature(lines: list[str]) -> Signature:
    """Read phone, mobile, title, company and website from signature lines."""
    fields: dict[str, str] = {}
    where: dict[str, int] = {}
    extra_phones: list[str] = []
    emails: list[str] = []
    for number, line in enumerate(lines, start=1):
        for name, value in _values(line):
            if name == "email":
                emails.append(value)
            elif name not in fields:
                fields[name], where[name] = value, number
            elif name in ("phone", "mobile"):
                extra_phones.append(value)
    return Signature(fields, where, tuple(extra_phones), tuple(emails))
