"""Reading a business card's fields from its OCR lines.

Lines with a shape are read first (``card_contacts``: email, phones, website, address). Of the
rest, a line with a legal suffix (Ltd, A.Ş., GmbH, San. ve Tic.) or whose letters spell the email
domain is the company, a line with a job-title word (EN or TR) is the title, and the person's
name is the best-scoring two-to-four-word line: it matches the email's local part, contains
common Turkish names, or is set in the largest type (names usually are). Every value keeps its
line number and OCR confidence so that provenance can point at it and doubtful cards go to
review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from ingest import card_contacts as contacts
from ingest.card_contacts import Found
from ingest.card_spelling import dotted_capitals, looks_turkish, repair_name, repair_title
from ingest.company import company_key
from ingest.ocr import OcrLine
from ingest.turkish import transliterate
from ingest.turkish_names import is_common_turkish

_TITLE_WORDS = re.compile(
    r"\b(manager|director|engineer|head|ceo|cfo|cto|coo|founder|co-founder|owner|president|"
    r"vp|buyer|purchaser|purchasing|procurement|specialist|officer|coordinator|consultant|"
    r"executive|assistant|supervisor|representative|analyst|partner|chief|administrator|"
    r"accountant|architect|developer|designer|lead|sales|marketing|müdür\w*|mudur\w*|uzman\w*|"
    r"mühendis\w*|muhendis\w*|sorumlu\w*|yönetici\w*|direktör\w*|şef\w*|temsilci\w*|"
    r"koordinatör\w*|sahibi|başkan\w*|satın|satınalma|satış\w*|pazarlama|muhasebe\w*|"
    r"asistan\w*|danışman\w*|genel|kurucu\w*|ortak|leiter\w*|geschäftsführer\w*|ingenieur\w*)\b",
    re.I,
)
# Legal forms: short ones ("AS", "Co", "AG") only count at the end of a line, where a registered
# name puts them; unmistakable ones (Ltd, Şti., San., GmbH) count anywhere on the line.
_LEGAL = re.compile(
    r"(?:^|[\s,&])(?:(?:ltd|limited|inc|llc|l\.l\.c|gmbh|plc|corp|corporation|a\.ş|şti|sti|san|"
    r"tic|sanayi|ticaret|holding)\b\.?|(?:ag|kg|co|s\.a|s\.r\.l|b\.v|pty|a\.s|as|ab|oy|kft|"
    r"n\.v|srl|spa|sas|sarl|group|grup)\.?\s*$)",
    re.I,
)
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]*)*\.?$")
# OCR turns specks and logo edges into stray marks at line ends ("_ Satış Temsilcisi", "Bursa *").
_EDGE_NOISE = re.compile(r"^(?:[^\w(+]|_)+|(?:[^\w.)]|_)+$")
_FREE_MAIL = frozenset(
    "gmail hotmail outlook yahoo yandex icloud live msn aol gmx mail protonmail windowslive".split()
)


@dataclass(slots=True)
class CardFields:
    """What a card says: canonical field name -> value with its line and confidence."""

    found: dict[str, Found] = field(default_factory=dict)
    extra_emails: list[str] = field(default_factory=list)
    extra_phones: list[str] = field(default_factory=list)

    def put(self, name: str, value: str, line: OcrLine) -> bool:
        """Keep the first value of a field; False when the field was already filled."""
        if name in self.found or not value:
            return False
        self.found[name] = Found(value, line.number, contacts.value_conf(line, value))
        return True


def clean(text: str) -> str:
    """A text value without stray marks at its ends."""
    return _EDGE_NOISE.sub("", text.strip())


def _read_contacts(card: CardFields, line: OcrLine) -> bool:
    """Fill email/phone/website/address from one line; True if the line held any of them."""
    mails, numbers = contacts.emails(line), contacts.phones(line)
    for mail in mails:
        if not card.put("email", mail, line):
            card.extra_emails.append(mail)
    for kind, number in numbers:
        if not card.put(kind, number, line) and not card.put("phone", number, line):
            card.extra_phones.append(number)
    sites = [] if mails else contacts.websites(line)
    for site in sites[:1]:
        card.put("website", site, line)
    if mails or numbers or sites:
        return True
    if contacts.is_address(line):
        text = clean(line.text)
        if "street" not in card.found:
            card.put("street", text, line)
        card.put("city", contacts.city(text), line)
        card.put("postcode", contacts.postcode(text), line)
        return True
    return False


def _domain_label(email: str) -> str:
    """The registrable label of a company email's domain ("anadolumakine"), "" for free mail."""
    labels = email.rpartition("@")[2].split(".")
    significant = [x for x in labels if len(x) > 3 or x not in ("com", "co", "net", "org", "gov")]
    significant = [x for x in significant if len(x) > 2] or labels
    label = significant[0] if significant[0] != "www" else significant[-1]
    return "" if label in _FREE_MAIL else label


def _spells_domain(text: str, domain: str) -> bool:
    if not domain or len(domain) < 3:
        return False
    joined = "".join(company_key(text)[0].split())
    bare = re.sub(r"[^a-z0-9]", "", transliterate(text).lower())
    return bool(joined) and (
        domain in (joined, bare)
        or (len(joined) >= 4 and (joined in domain or domain in bare))
        or fuzz.ratio(joined, domain) >= 85
    )


def _is_name_line(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 4 or len(text) > 45:
        return False
    if not all(_NAME_WORD.match(w) and (w[0].isupper()) for w in words):
        return False
    return not (_TITLE_WORDS.search(text) or _LEGAL.search(text))


def _name_score(line: OcrLine, local_part: str, tallest: int) -> float:
    words = [transliterate(w).lower().strip(".") for w in line.text.split()]
    score = 0.0
    local = transliterate(local_part).lower()
    if any(len(w) >= 3 and w in local for w in words):
        score += 3
    score += 1.5 * sum(is_common_turkish(w) for w in line.text.split())
    score += 2 * line.height / tallest if tallest else 0
    score += 0.5 * line.conf / 100
    return score


def _read_names(card: CardFields, rest: list[OcrLine]) -> None:
    email = card.found["email"].value if "email" in card.found else ""
    domain = _domain_label(email)
    names: list[OcrLine] = []
    for line in rest:
        text = dotted_capitals(clean(line.text))
        if _LEGAL.search(text) and not _is_name_line(text) and "company" not in card.found:
            card.put("company", text, line)
        elif _spells_domain(text, domain) and "company" not in card.found:
            card.put("company", text, line)
        elif _is_name_line(text):
            names.append(line)
        elif _TITLE_WORDS.search(text) and len(text.split()) <= 7:
            card.put("title", text.rstrip("."), line)
    if names:
        tallest = max(line.height for line in rest)
        best = max(names, key=lambda ln: _name_score(ln, email.partition("@")[0], tallest))
        # A speck after the last word reads as a full stop; names and titles do not end in one.
        card.put("full_name", dotted_capitals(clean(best.text)).rstrip("."), best)


def read_card(lines: list[OcrLine]) -> CardFields:
    """The fields of one card from its OCR lines (in Tesseract's reading order)."""
    card = CardFields()
    lines = contacts.repair_at_signs(lines)
    rest = [line for line in lines if not _read_contacts(card, line)]
    # Lines with no letters (logos read as "|||", stray marks) are noise, not names.
    rest = [line for line in rest if sum(ch.isalpha() for ch in line.text) >= 2]
    _repair_email_domain(card)
    _read_names(card, rest)
    _repair_spelling(card, "\n".join(line.text for line in lines))
    return card


def _repair_email_domain(card: CardFields) -> None:
    """``ali@kuzeyeneyji.com`` on a card saying ``www.kuzeyenerji.com``: trust the website.

    The same domain printed twice is misread differently; a near miss (one or two letters) is
    an OCR slip, while a really different domain (gmail.com) is left alone.
    """
    if "email" not in card.found or "website" not in card.found:
        return
    email = card.found["email"]
    local, _, domain = email.value.rpartition("@")
    site = card.found["website"].value.lower().split("://")[-1].removeprefix("www.")
    site = site.split("/")[0]
    # Only the company label may differ: example.com and example.com.tr are both real.
    same_suffix = domain.split(".")[1:] == site.split(".")[1:]
    if site and domain != site and same_suffix and fuzz.ratio(domain, site) >= 85:
        card.found["email"] = replace(email, value=f"{local}@{site}")


def _repair_spelling(card: CardFields, ocr_text: str) -> None:
    """Put back Turkish letters OCR dropped from the name and title (``card_spelling``)."""
    found = card.found
    email = found["email"].value if "email" in found else ""
    phones = [found[k].value for k in ("phone", "mobile") if k in found]
    if "full_name" in found:
        turkish = looks_turkish(ocr_text, email, phones)
        name = found["full_name"]
        found["full_name"] = replace(name, value=repair_name(name.value, turkish=turkish))
    if "title" in found:
        found["title"] = replace(found["title"], value=repair_title(found["title"].value))
