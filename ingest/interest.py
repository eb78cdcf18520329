"""Product interest phrases and quantities in the text of an inquiry.

Finds "50 adet hidrolik pompa", "we need 20 units of gear motors", "quote for 100 x M8 bolts"
and web-form lines ("Ürün: ...", "Adet: 50"). The phrase is kept raw (matching it to the
catalogue is a later step); it is cut at the first word that starts the rest of the sentence
("için", "please", "fiyat", ...).
"""

from __future__ import annotations

import re

from ingest.records import Interest

_QTY = r"(?<![\d.,])(?P<qty>\d{1,3}(?:[.,]\d{3})+|\d{1,7})"
_PHRASE = r"(?P<phrase>[^\W\d_][^\n.,;:!?()\[\]<>]{1,80})"
_UNITS = (
    r"adet|ad\.|tane|kutu|paket|koli|takım|rulo|çift|palet|units?|pcs\.?|pieces?|sets?|boxes|"
    r"box|pallets?|pairs?|rolls?|stück|stk\.?|x|×|ea\.?"
)
_WITH_UNIT = re.compile(rf"{_QTY}\s*(?:{_UNITS})\s+(?:of\s+)?{_PHRASE}", re.I)
_AFTER_VERB = re.compile(
    rf"\b(?:need|needs|want|order|buy|require|requires|quote for|quotation for|price for|"
    rf"prices for|interested in)\s+{_QTY}\s+(?!(?:{_UNITS})\s){_PHRASE}",
    re.I,
)
_PRODUCT_LINE = re.compile(
    r"^\s*(?:product|ürün|item|model|artikel|produkt)\s*(?:adı|name)?\s*:\s*(?P<v>.+)$", re.I | re.M
)
_QTY_LINE = re.compile(
    r"^\s*(?:quantity|qty|adet|miktar|menge|amount)\s*:\s*(?P<v>\d[\d.,]*)", re.I | re.M
)
_STOP = {
    "for", "please", "asap", "to", "at", "by", "with", "and", "or", "delivered", "delivery",
    "per", "each", "in", "within", "until", "before", "if", "so", "that", "which", "we", "i",
    "thanks", "from", "için", "ve", "veya", "fiyat", "fiyatı", "fiyatını", "fiyatlarını",
    "teklif", "teklifi", "teklifinizi", "talep", "rica", "istiyoruz", "lazım", "gerekiyor",
    "almak", "sipariş", "hakkında", "ile", "acil", "olarak", "adresine", "teslim", "tarafımıza",
    "für", "bitte", "und", "mit",
}  # fmt: skip


def _quantity(text: str) -> int | None:
    digits = re.sub(r"[.,]", "", text)
    return int(digits) if digits.isdigit() and 0 < int(digits) < 10_000_000 else None


def _trim(phrase: str) -> str:
    words: list[str] = []
    for word in phrase.split():
        if word.lower() in _STOP or len(words) == 6:
            break
        words.append(word)
    return " ".join(words).strip(" -'\"")


def find_interests(text: str) -> tuple[Interest, ...]:
    """Interest phrases with quantities, in the order they appear, without duplicates."""
    found: list[tuple[int, Interest]] = []
    for pattern in (_WITH_UNIT, _AFTER_VERB):
        found += _matches(pattern, text)
    product = _PRODUCT_LINE.search(text)
    if product is not None and _trim(product.group("v")):
        qty = _QTY_LINE.search(text)
        quantity = _quantity(qty.group("v")) if qty else None
        found.append((product.start(), Interest(product.group("v").strip(), quantity)))
    interests = [interest for _, interest in sorted(found, key=lambda pair: pair[0])]
    return tuple(i for n, i in enumerate(interests) if not _repeated(i, interests[:n], interests))


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[int, Interest]]:
    """Matches that may overlap: a phrase can run into the next "20 units of ..."."""
    found: list[tuple[int, Interest]] = []
    match = pattern.search(text)
    while match is not None:
        phrase = _trim(match.group("phrase"))
        if len(phrase) >= 2:
            found.append((match.start(), Interest(phrase, _quantity(match.group("qty")))))
        match = pattern.search(text, match.start("phrase"))
    return found


def _repeated(interest: Interest, before: list[Interest], everything: list[Interest]) -> bool:
    """Already seen, or a shorter mention of the same thing ("Getriebe" vs "Getriebe PG-80")."""
    phrase = interest.phrase.casefold()
    if any(o.phrase.casefold() == phrase and o.quantity == interest.quantity for o in before):
        return True
    longer = [o.phrase.casefold() for o in everything if o.quantity == interest.quantity]
    return any(phrase in other and phrase != other for other in longer)
