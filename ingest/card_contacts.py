"""Contact details on OCR'd card lines: email, phones, website and the postal address.

These have a shape (an ``@``, a run of digits, a ``www.``, a street word or a postcode), so
each is found by pattern on one line. OCR habits are forgiven where they cannot change meaning:
spaces around ``@`` and ``©`` read for ``@`` in a line that has no ``@``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.ocr import OcrLine
from ingest.phone import parse_phone
from ingest.place import country_code
from ingest.turkish import transliterate
from ingest.turkish_names import known_spelling

_AT_SPACES = re.compile(r"\s*@\s*")
_COPYRIGHT_AT = re.compile(r"(?<=\w)\s*©\s*(?=\w)")
# "sukru. yilmaz@x.com": OCR puts a space after a dot in the local part.
_LOCAL_PART_SPACE = re.compile(r"(?<=\w)([._-])\s+(?=[\w.+'-]+@)")
# "ali@firma. com": and after a dot in the domain.
_DOMAIN_SPACE = re.compile(r"(@[\w-]+(?:\.[\w-]+)*\.)\s+(?=[a-z]{2,6}\b)")
# What OCR reads for "@" when it misses it: the letters it resembles.
_AT_LOOKALIKES = frozenset("ea©@")
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PHONE_PIECES = re.compile(r"\s+[/|•·]\s+|[;,]\s*|\s{2,}")
_PHONE = re.compile(
    r"(?:(?P<label>[A-Za-zÇçĞğİıÖöŞşÜü-]+\.?)\s*[:.]*\s*)?(?<![\w+])"
    r"(?P<num>[+#-]?\(?\d[\d\s().\-/]{5,}\d)(?!\w)"
)
_MOBILE_LABELS = frozenset("m mob mobile cell cellphone cep gsm handy mobil".split())
_FAX_LABELS = frozenset("f fax faks telefax".split())
_PHONE_LABELS = frozenset("t tel tel. phone telefon p office ofis d direct dir iş is".split())
# OCR reads a small or speckled "+" as "4", "#" or "-" ("490 212 ..." for "+90 212 ...").
_PLUS_MISREAD = re.compile(r"^(?:4[-\s]?|[#-]\s?)(?=\d)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>|,;\"']+", re.I)
_BARE_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?P<tld>[a-z]{2,})(?:/\S*)?$")
_GENERIC_TLDS = frozenset("com net org info biz io co app dev tech online shop store".split())
_STREET = re.compile(
    r"\b(?:cad(?:de(?:si)?)?|cd|sok(?:ak|ağı|agi)?|sk|mah(?:alle(?:si)?)?|mh|bulvar(?:ı|i)?|"
    r"blv|bulv|kat|daire|plaza|osb|organize|street|st|road|rd|avenue|ave|blvd|boulevard|lane|"
    r"suite|floor|straße|strasse|str|platz|weg|no)\b\.?",
    re.I,
)
_POSTCODE = re.compile(r"(?<![\d+])(?:[A-Z]{1,2}-)?(\d{5})(?![\d])")
_ADDRESS_PARTS = re.compile(r"\s*(?:,|/|\s-\s)\s*")


@dataclass(frozen=True, slots=True)
class Found:
    """A value found on a card, the line it came from and its OCR confidence."""

    value: str
    line: int
    conf: float


def _bare(text: str) -> str:
    return re.sub(r"[^\w]", "", text.lower())


def value_conf(line: OcrLine, value: str) -> float:
    """Mean confidence of the line's words that make up ``value`` (the line's mean if none)."""
    target = _bare(value)
    confs = [w.conf for w in line.words if _bare(w.text) and _bare(w.text) in target]
    return sum(confs) / len(confs) if confs else line.conf


def emails(line: OcrLine) -> list[str]:
    """Email addresses on a line, domain lower-cased."""
    text = _LOCAL_PART_SPACE.sub(r"\1", _AT_SPACES.sub("@", line.text))
    text = _DOMAIN_SPACE.sub(r"\1", text)
    if "@" not in text:
        text = _COPYRIGHT_AT.sub("@", text)
    found = []
    for match in _EMAIL.finditer(text):
        local, _, domain = match.group(0).strip(".'-").partition("@")
        found.append(f"{local}@{domain.lower().rstrip('.')}")
    return found


def repair_at_signs(lines: list[OcrLine]) -> list[OcrLine]:
    """Lines with a lost ``@`` put back where the card's own website names the domain.

    "michael.milleremarmaragida.de" on a card that also says "www.marmaragida.de" is
    "michael.miller@marmaragida.de": OCR read the ``@`` as the letter it resembles.
    """
    domains = {
        m.group(0).lower().split("://")[-1].removeprefix("www.").split("/")[0].rstrip(".")
        for line in lines
        for m in _URL.finditer(line.text)
    }
    domains.discard("")
    if not domains or any("@" in line.text for line in lines):
        return lines
    return [_with_at_sign(line, domains) for line in lines]


def _with_at_sign(line: OcrLine, domains: set[str]) -> OcrLine:
    words = list(line.words)
    for i, word in enumerate(words):
        text = word.text
        folded = transliterate(text).lower()  # "bosphorüs" must still match "bosphorus"
        for domain in domains:
            cut = len(text) - len(domain) - 1
            if cut > 0 and folded.endswith(domain) and text[cut] in _AT_LOOKALIKES:
                words[i] = replace(word, text=f"{text[:cut]}@{domain}")
                break
    return replace(line, words=tuple(words))


def phones(line: OcrLine) -> list[tuple[str, str]]:
    """("phone" | "mobile", number) pairs on a line; fax numbers are left out."""
    found: list[tuple[str, str]] = []
    label = ""
    for piece in _PHONE_PIECES.split(line.text):
        for match in _PHONE.finditer(piece):
            label = (match.group("label") or label).rstrip(".").lower()
            number = match.group("num").strip()
            digits = sum(ch.isdigit() for ch in number)
            # Unlabelled digit runs must be long enough not to be a postcode or door number.
            known_label = label in _MOBILE_LABELS | _FAX_LABELS | _PHONE_LABELS
            if not (7 if known_label else 9) <= digits <= 15 or label in _FAX_LABELS:
                continue
            kind = "mobile" if label in _MOBILE_LABELS else "phone"
            found.append((kind, repair_plus(number)))
    return found


def repair_plus(number: str) -> str:
    """``"490 212 555 12 34"`` -> ``"+90 212 555 12 34"`` when only the ``+`` form is valid."""
    if not _PLUS_MISREAD.match(number):
        return number
    plus = _PLUS_MISREAD.sub("+", number)
    # The region only matters for numbers without "+"; a card read here is usually Turkish.
    # A leading "4" may be a real digit, so it is only replaced when the number is invalid as read.
    if parse_phone(plus, "TR").valid and (number[0] != "4" or not parse_phone(number, "TR").valid):
        return plus
    return number.lstrip("#-")


def websites(line: OcrLine) -> list[str]:
    """Web addresses on a line (``www.``/``http`` or a bare domain with a known-looking TLD)."""
    found = [m.group(0).rstrip(".") for m in _URL.finditer(line.text)]
    if found:
        return found
    for token in line.text.split():
        if "@" in token:
            continue
        match = _BARE_DOMAIN.match(token.lower().rstrip("."))
        tld = match.group("tld") if match else ""
        if match and (tld in _GENERIC_TLDS or len(tld) == 2):
            found.append(match.group(0))
    return found


def is_address(line: OcrLine) -> bool:
    """Whether a line reads like part of a postal address."""
    text = line.text
    if "@" in text or _URL.search(text):
        return False
    if _STREET.search(text) or _POSTCODE.search(text):
        return True
    parts = [p for p in _ADDRESS_PARTS.split(text) if p]
    return len(parts) >= 2 and bool(country_code(parts[-1]))


def postcode(text: str) -> str:
    """The first five-digit postcode in ``text`` ("" if none)."""
    match = _POSTCODE.search(text)
    return match.group(1) if match else ""


def city(text: str) -> str:
    """The city of an address line: the last part that is neither a country nor a street."""
    for part in reversed([p for p in _ADDRESS_PARTS.split(text) if p]):
        words = [w for w in part.split() if not any(ch.isdigit() for ch in w)]
        if not words or country_code(" ".join(words)) or _STREET.search(part):
            continue
        if len(words) > 3:
            continue
        # A postcode beside it ("34710 Kadıköy", "London NW1 6XE") or a known city name.
        has_code = len(words) < len(part.split())
        if has_code or known_spelling(_ascii_upper(words[-1])):
            return " ".join(words)
    return ""


def _ascii_upper(word: str) -> str:
    return word.translate(str.maketrans("ğüşıöçĞÜŞİÖÇ", "GUSIOCGUSIOC")).upper()
