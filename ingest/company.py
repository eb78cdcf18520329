"""Company names: a display form and a matching key with legal form and sector words removed.

The key is what dedupe blocks on: ``"Anadolu Makine San. ve Tic. A.Ş."`` and
``"ANADOLU MAKINE SANAYI VE TICARET AS"`` both give ``"anadolu makine"``. It is transliterated,
lower-cased and stripped of punctuation; runs of single letters are joined first, so the dotted
and undotted spellings of a legal form agree (``"A.Ş."`` -> ``"as"``, ``"L.L.C."`` -> ``"llc"``,
``"A/S"`` -> ``"as"``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.turkish import transliterate

# Legal forms, in their key spelling (after joining single letters), for many jurisdictions.
LEGAL_FORMS = frozenset(
    """ltd limited inc incorporated llc llp lp gmbh mbh ag kg ohg gbr ek ug sa sas sarl sl slu
    bv nv vof oy oyj ab as asa aps srl spa sagl plc co corp corporation company cie pty pvt
    kk kft sro sp zoo spzoo doo ooo zao oao pjsc jsc sti sirketi anonim limited""".split()
)
# Turkish (and English) sector words that trail a registered name ("San. ve Tic.", "Dış Tic.").
SECTOR_WORDS = frozenset(
    """san sanayi sanayii tic ticaret ith ithalat ihr ihracat paz pazarlama ins insaat
    taah taahhut muh muhendislik hiz hizmetleri hizmet ve and und et of the group grup holding
    trading industries industry""".split()
)
_TRAILING = LEGAL_FORMS | SECTOR_WORDS
_NON_WORD = re.compile(r"[^0-9a-z]+")


def _tokens(name: str) -> list[str]:
    """Lower ASCII word tokens with runs of single letters joined (``a s`` -> ``as``)."""
    raw = _NON_WORD.split(transliterate(name).lower())
    out: list[str] = []
    run = ""
    for tok in raw:
        if len(tok) == 1 and tok.isalpha():
            run += tok
            continue
        if run:
            out.append(run)
            run = ""
        if tok:
            out.append(tok)
    if run:
        out.append(run)
    return out


def _strip_trailing(tokens: list[str]) -> list[str]:
    """Drop legal forms and sector words from the end, always keeping the first word."""
    end = len(tokens)
    while end > 1 and tokens[end - 1] in _TRAILING:
        end -= 1
    # "The Acme Company" -> "acme": a leading article carries no identity.
    start = 1 if end - 1 > 0 and tokens[0] == "the" else 0
    return tokens[start:end]


@lru_cache(maxsize=65536)
def company_key(name: str) -> tuple[str, str]:
    """Return ``(display, key)`` for a company name.

    The display form is the name as written with whitespace collapsed. The key is
    transliterated, lower-case, without punctuation, without the legal form and the trailing
    sector words: ``company_key("Anadolu Makine San. ve Tic. A.Ş.") ==
    ("Anadolu Makine San. ve Tic. A.Ş.", "anadolu makine")``.
    """
    display = " ".join(name.split())
    if not display:
        return "", ""
    return display, " ".join(_strip_trailing(_tokens(display)))
