"""Turkish letters that OCR loses on cards, put back where the word is known.

Tesseract often reads a capital ``İ`` as ``I`` and, when its English model wins a word, drops
the marks of ``ğ ş ü ö ç ı`` ("Huseyin Agaoglu" for "Hüseyin Ağaoğlu"). The printed card had
them, so a name that is a common Turkish name or surname (``turkish_names``) gets its proper
spelling back, but only on a card that is evidently Turkish: other Turkish letters were read,
or the email is under ``.tr``, or a phone number is +90. The dot of a capital ``İ`` in a
known Turkish name is restored on every card (``dotted_capitals``). Title words starting with
``İ`` (İhracat, İthalat) get their dot back everywhere: no English word starts that way.
"""

from __future__ import annotations

import re

from ingest.turkish import has_turkish_letters, turkish_upper
from ingest.turkish_names import known_spelling

_ASCII_UPPER = str.maketrans("ğüşıöçĞÜŞİÖÇ", "GUSIOCGUSIOC")
_DOTTED_TITLE_WORDS = {
    w.translate(_ASCII_UPPER).upper(): w
    for w in "İhracat İthalat İnsan İdari İşletme İş İşletmeler İç İmalat İnşaat İcra".split()
}
_TURKISH_PHONE = re.compile(r"^\s*(?:\+|00)\s*90")


def _ascii_upper(word: str) -> str:
    return word.translate(_ASCII_UPPER).upper()


def looks_turkish(ocr_text: str, email: str, phones: list[str]) -> bool:
    """Whether a card is evidently Turkish (letters, a ``.tr`` email, a +90 number)."""
    return (
        has_turkish_letters(ocr_text)
        or email.lower().endswith(".tr")
        or any(_TURKISH_PHONE.match(p) for p in phones)
    )


def _in_case_of(word: str, spelling: str) -> str:
    if word.isupper() and len(word) > 1:
        return turkish_upper(spelling)
    return spelling


def dotted_capitals(text: str) -> str:
    """``"ipek Ismail"`` -> ``"İpek İsmail"``: the capital İ of known Turkish names.

    OCR reads it as ``I`` or, taking the dot for the letter's own, as ``i``; either way the
    name would not even look like a name (lower-case start), so this runs before names are
    looked for, on every card.
    """
    words = []
    for word in text.split():
        spelling = known_spelling(_ascii_upper(word)) if word[:1] in ("I", "i") else None
        words.append("İ" + word[1:] if spelling and spelling[:1] == "İ" else word)
    return " ".join(words)


def repair_name(name: str, *, turkish: bool) -> str:
    """``"Huseyin Agaoglu"`` -> ``"Hüseyin Ağaoğlu"`` on a Turkish card; see the module doc."""
    if not turkish:
        return name
    words = []
    for word in name.split():
        spelling = known_spelling(_ascii_upper(word)) if word.isascii() else None
        words.append(_in_case_of(word, spelling) if spelling else word)
    return " ".join(words)


def repair_title(title: str) -> str:
    """``"Ihracat Uzmanı"`` -> ``"İhracat Uzmanı"``: the dot of a leading capital İ."""
    words = []
    for word in title.split():
        dotted = _DOTTED_TITLE_WORDS.get(_ascii_upper(word)) if word[:1] == "I" else None
        words.append(_in_case_of(word, dotted) if dotted else word)
    return " ".join(words)
