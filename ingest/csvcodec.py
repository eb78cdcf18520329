"""Text encoding of CSV files: decide it from a sample, then stream-decode the whole file.

Decision order (first match wins):

1. the byte pattern of NULs says UTF-32 or UTF-16 (LE/BE) -- this also catches files without a
   BOM and files whose BOM lies (a UTF-32BE body behind a 2-byte FE FF mark);
2. a BOM (UTF-8/16/32, LE/BE);
3. the sample is valid UTF-8;
4. a legacy single-byte code page, chosen by charset-normalizer among the Windows code pages,
   with cp1254 preferred for Latin text that has Turkish letters (see ``_legacy_codepage``).

A file that is valid UTF-8 in the sample but has stray legacy bytes later is not failed: those
bytes are decoded as cp1254 by the ``salesflow-legacy`` error handler.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import charset_normalizer

from ingest.errors import UnsupportedInput

SAMPLE_BYTES = 64 * 1024
LEGACY_CODEPAGE = "cp1254"
_LEGACY_HANDLER = "salesflow-legacy"

# Longest first: the UTF-32LE BOM starts with the UTF-16LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CANDIDATES = ["cp1252", "cp1254", "cp1250", "cp1251", "cp1253", "cp1257"]
_WESTERN = frozenset({"cp1252", "cp1254"})
# Bytes that are Ğ İ Ş ğ ı ş in cp1254 but Icelandic Ð Ý Þ ð ý þ in cp1252: in a Turkish
# business the Turkish reading is far more likely.
_TURKISH_BYTES = frozenset(b"\xd0\xdd\xde\xf0\xfd\xfe")


def _decode_legacy(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return bad.decode(LEGACY_CODEPAGE, errors="replace"), exc.end


codecs.register_error(_LEGACY_HANDLER, _decode_legacy)


@dataclass(frozen=True, slots=True)
class TextEncoding:
    """A decided encoding: Python codec name and how many leading bytes (a BOM) to skip."""

    codec: str
    skip: int = 0

    @property
    def errors(self) -> str:
        """Error handler for stream decoding: stray bytes in UTF-8 are read as cp1254."""
        return _LEGACY_HANDLER if self.codec == "utf-8" else "replace"


def detect_encoding(sample: bytes) -> TextEncoding:
    """Decide the encoding of a file from its first bytes.

    Raises ``UnsupportedInput`` (reason ``sheet-binary``) when the bytes are not text.
    """
    bom_codec, skip = _bom(sample)
    body = sample[skip:]
    wide = _wide_codec(body)
    if wide is not None:
        return TextEncoding(wide, skip)
    if bom_codec is not None:
        return TextEncoding(bom_codec, skip)
    if b"\x00" in body:
        raise UnsupportedInput(
            "the file contains NUL bytes but is not UTF-16/32 text: it is not a CSV file",
            reason="sheet-binary",
        )
    if _is_utf8(body):
        return TextEncoding("utf-8")
    return TextEncoding(_legacy_codepage(body))


def open_text(path: Path, encoding: TextEncoding) -> TextIO:
    """Open ``path`` as a decoded text stream (newline="" as the csv module wants)."""
    raw = path.open("rb")
    raw.seek(encoding.skip)
    return io.TextIOWrapper(raw, encoding=encoding.codec, errors=encoding.errors, newline="")


def decode_sample(sample: bytes, encoding: TextEncoding) -> str:
    """Decode a file's leading bytes, dropping a character cut in half at the end."""
    decoder = codecs.getincrementaldecoder(encoding.codec)(errors=encoding.errors)
    return decoder.decode(sample[encoding.skip :], final=False)


def _bom(sample: bytes) -> tuple[str | None, int]:
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return codec, len(bom)
    return None, 0


def _wide_codec(body: bytes) -> str | None:
    """UTF-16/32 by where the NUL bytes sit (mostly-ASCII text has a NUL in fixed lanes)."""
    quads = len(body) // 4
    if quads == 0 or b"\x00" not in body:
        return None
    lanes = [body[k : quads * 4 : 4].count(0) / quads for k in range(4)]
    if lanes[2] > 0.95 and lanes[3] > 0.95 and lanes[0] < 0.5:
        return "utf-32-le"
    if lanes[0] > 0.95 and lanes[1] > 0.95 and lanes[3] < 0.5:
        return "utf-32-be"
    even, odd = (lanes[0] + lanes[2]) / 2, (lanes[1] + lanes[3]) / 2
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _is_utf8(body: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _legacy_codepage(body: bytes) -> str:
    plausible = [
        match.encoding for match in charset_normalizer.from_bytes(body, cp_isolation=_CANDIDATES)
    ]
    # charset-normalizer cannot tell cp1252 from cp1254 (they differ in six letters) and often
    # ranks Turkish text as Central European; when either is plausible the six letters decide.
    if not plausible or _WESTERN.intersection(plausible):
        return LEGACY_CODEPAGE if _TURKISH_BYTES.intersection(body) else "cp1252"
    return plausible[0]
