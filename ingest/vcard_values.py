"""Property heads and values of a vCard: parameters, QP/base64, charsets, escapes, components.

A head (``item1.TEL;TYPE=work,voice;PREF=1``) becomes a ``Head``: 2.1 bare parameters
(``TEL;WORK;VOICE``, ``LABEL;QUOTED-PRINTABLE``) count as types or encodings, names and types are
upper-cased. Heads repeat a lot within and across files, so parsing them is cached.

A value is decoded in this order: transfer encoding (quoted-printable, base64) on bytes, then
the declared ``CHARSET`` (an unknown or wrong one falls back to UTF-8, then detection), escapes
(``\\,`` ``\\;`` ``\\:`` ``\\\\`` ``\\n``). 8-bit values without a charset are UTF-8 when they
decode as UTF-8, else they use the charset detected once for the whole file (``FileCharset``).
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache
from typing import NamedTuple

from charset_normalizer import from_bytes

from ingest.charset import codec_for

_SPLIT_PARAMS = re.compile(r'(?:[^;"]|"[^"]*"?)+')
_ESCAPE = re.compile(r"\\([\\,;:nN])")
_DETECT_LIMIT = 64 * 1024
_SINGLE_BYTE = re.compile(r"^(ascii|latin-1|iso8859-\d+|cp125\d|koi8-[a-z]+|mac-[a-z]+)$")


class Head(NamedTuple):
    """What a property's head says."""

    group: str
    name: str
    types: frozenset[str]  # upper-case TYPE values and 2.1 bare parameters
    preferred: bool  # TYPE=PREF or a PREF parameter
    encoding: str  # "QUOTED-PRINTABLE", "B" or ""
    charset: str | None
    label: str  # the head as written, for provenance


def _param_values(value: str) -> list[str]:
    return [v.strip().strip('"').strip().upper() for v in value.split(",")]


@lru_cache(maxsize=4096)
def parse_head(head: bytes) -> Head:
    """Parse ``group.NAME;param;...`` leniently (see the module docstring)."""
    text = head.decode("utf-8", errors="replace").strip()
    first, _, rest = text.partition(";")
    group, _, name = first.rpartition(".")
    types: set[str] = set()
    preferred, encoding, charset = False, "", None
    for param in _SPLIT_PARAMS.findall(rest) if rest else ():
        key, equals, value = param.partition("=")
        key = key.strip().upper()
        if not equals:
            key, value = "TYPE", param  # vCard 2.1 bare parameter
        if key == "TYPE":
            for item in _param_values(value):
                if item in ("QUOTED-PRINTABLE", "BASE64", "B"):
                    encoding = "B" if item == "BASE64" else item
                elif item:
                    types.add(item)
        elif key == "ENCODING":
            item = value.strip().strip('"').upper()
            encoding = "B" if item == "BASE64" else item
        elif key == "CHARSET":
            charset = value.strip().strip('"') or None
        elif key == "PREF":
            preferred = True
    preferred = preferred or "PREF" in types
    return Head(
        group.strip(), name.strip().upper(), frozenset(types), preferred, encoding, charset, text
    )


class FileCharset:
    """The charset of a file's 8-bit values that declare none, detected once when first needed."""

    __slots__ = ("_data", "_codec")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._codec: str | None = None

    def decode(self, raw: bytes) -> str:
        """Decode one undeclared 8-bit value: UTF-8 when valid, else the file's charset."""
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        if self._codec is None:
            self._codec = self._detect()
        return raw.decode(self._codec, errors="replace")

    def _detect(self) -> str:
        # Detection on all 8-bit lines together: one value alone is too short to tell.
        sample = b"\n".join(line for line in self._data.splitlines() if not line.isascii())
        best = from_bytes(sample[:_DETECT_LIMIT]).best()
        return best.encoding if best is not None else "cp1252"


def _transfer_decode(raw: bytes, encoding: str) -> bytes:
    if encoding == "QUOTED-PRINTABLE":
        return binascii.a2b_qp(raw)
    if encoding == "B":
        try:
            return base64.b64decode(b"".join(raw.split()), validate=False)
        except (binascii.Error, ValueError):
            return raw
    return raw


def _decode_declared(data: bytes, label: str, charset: FileCharset) -> str:
    """Decode with the declared charset; a wrong or unknown one falls back like no charset."""
    codec = codec_for(label)
    if codec is not None:
        if _SINGLE_BYTE.match(codec):
            # Any bytes decode as a single-byte charset; valid UTF-8 is almost surely mislabelled.
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError, ValueError):
            pass
    return charset.decode(data)


def decode_value(raw: bytes, head: Head, charset: FileCharset) -> str:
    """The value as text, transfer encoding and charset undone, escapes still in place."""
    data = _transfer_decode(raw, head.encoding) if head.encoding else raw
    if data.isascii():
        text = data.decode("ascii")
    elif head.charset is not None:
        text = _decode_declared(data, head.charset, charset)
    else:
        text = charset.decode(data)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _unescape_match(match: re.Match[str]) -> str:
    char = match.group(1)
    return "\n" if char in "nN" else char


def unescape(text: str) -> str:
    """Undo vCard text escapes; unknown ones (``\\x``) are kept as written."""
    return _ESCAPE.sub(_unescape_match, text) if "\\" in text else text


def _split_unescaped(text: str) -> list[str]:
    parts = [""]
    for piece in text.split(";"):
        previous = parts[-1]
        # A ";" after an odd number of backslashes is escaped: glue the pieces back together.
        if len(parts) > 1 and (len(previous) - len(previous.rstrip("\\"))) % 2:
            parts[-1] = previous + ";" + piece
        else:
            parts.append(piece)
    return parts[1:]


def components(text: str) -> list[str]:
    """Split a structured value (N, ADR, ORG) on unescaped ``;``, unescaped and stripped."""
    if "\\" not in text:
        return [part.strip() for part in text.split(";")]
    return [unescape(part).strip() for part in _split_unescaped(text)]
