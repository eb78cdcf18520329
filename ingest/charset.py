"""Turning mail bytes into text when the declared charset is missing, bogus or wrong.

Mail in the wild declares charsets Python does not know (``x-unknown``, ``_iso-2022-jp$ESC``),
Outlook aliases (``ks_c_5601-1987``), or declares ``us-ascii``/``iso-8859-1`` over UTF-8 bytes.
``decode_bytes`` tries the declared charset strictly and falls back to charset-normalizer, so a
message is never lost to a decoding error. ``repair_text`` does the same for header strings that
the ``email`` package left with surrogate escapes (raw 8-bit header bytes).
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# Aliases mail clients use that Python either lacks or maps to a too-small codec.
_ALIASES = {
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "iso-8859-8-i": "iso-8859-8",
    "x-sjis": "shift_jis",
    "shift-jis": "shift_jis",
    "unicode-1-1-utf-7": "utf-7",
    "x-mac-roman": "mac_roman",
    "latin-5": "iso-8859-9",
    "turkish": "iso-8859-9",
}

# Single-byte charsets decode any bytes without error, so valid UTF-8 under one of these labels
# is almost certainly mislabelled UTF-8 (multi-byte UTF-8 sequences are rare in real 8-bit text).
_SINGLE_BYTE = re.compile(r"^(us-ascii|ascii|iso-?8859-\d+|latin-?\d|cp125\d|windows-125\d)$")
_SURROGATES = re.compile("[\udc80-\udcff]")


def codec_for(declared: str | None) -> str | None:
    """Return a Python codec name for a declared mail charset, or None when unknown."""
    if not declared:
        return None
    label = declared.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):
        return None


def _guess(data: bytes) -> str:
    """Decode bytes of unknown charset: UTF-8 first, then charset-normalizer, then cp1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Mostly-valid UTF-8 with a stray byte or two (a truncated header) is still UTF-8.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    if bad <= 3 and sum(not ch.isascii() for ch in lenient) - bad >= 2 * bad:
        return lenient
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("cp1252", errors="replace")


def decode_bytes(data: bytes, declared: str | None) -> str:
    """Decode ``data`` using the declared charset when it fits, else a detected one."""
    if data.isascii():
        return data.decode("ascii")
    label = (declared or "").strip().strip("\"'").lower()
    codec = codec_for(declared)
    if codec is not None and _SINGLE_BYTE.match(label):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if codec is not None:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError, ValueError):
            pass
    return _guess(data)


def repair_text(text: str) -> str:
    """Re-decode surrogate-escaped bytes left in a header string; drop U+FFFD and controls."""
    if _SURROGATES.search(text):
        raw = text.encode("utf-8", errors="surrogateescape")
        text = _guess(raw)
    text = text.replace("\ufffd", "")
    return "".join(ch for ch in text if ch.isprintable() or ch in "\t\n").strip()
