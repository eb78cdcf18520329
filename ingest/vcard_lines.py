"""vCard bytes -> logical content lines, all at byte level (first stage of ``ingest.vcard``).

The work is done on bytes because a fold may split a multibyte character (UTF-8, Shift_JIS):
lines are joined first and each value is decoded later with the charset its property declares.
Handled here:

- line endings CRLF, LF, CR-only, mixed, and the CR CR LF of some iOS exports;
- folding: a line starting with a space or tab continues the previous line (one blank removed,
  also inside the property name and parameters);
- quoted-printable soft line breaks: a QP value ending in ``=`` continues on the next line,
  indented or not; kept as ``=\\n`` so that ``binascii.a2b_qp`` removes them;
- ``#`` comment lines and blank lines; a continuation line with nothing before it;
- PHOTO/SOUND/LOGO/KEY: dropped while reading. Their folded (or, in 2.1, bare) base64 lines are
  skipped without being joined, so a big blob costs one line split and nothing more;
- a UTF-8 BOM, and UTF-16 files (re-encoded to UTF-8 up front).

Nothing here raises on any input: a line without a colon comes out as an unreadable line.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

BINARY = frozenset({"PHOTO", "SOUND", "LOGO", "KEY"})
_SPACE, _TAB, _HASH = 0x20, 0x09, 0x23


class ContentLine(NamedTuple):
    """One logical line: ``head`` is ``group.NAME;params`` as written, ``value`` the raw bytes.

    ``name`` is the upper-case property name without group, ``""`` for a line that has no
    colon (then ``value`` holds the whole line). Binary properties come with an empty value.
    """

    number: int
    name: str
    head: bytes
    value: bytes


def physical_lines(data: bytes) -> list[bytes]:
    """Split ``data`` into lines whatever the line endings; BOMs and UTF-16 are dealt with."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    elif data[1:2] == b"\x00" and data[3:4] == b"\x00":
        data = data.decode("utf-16-le", errors="replace").encode("utf-8")
    elif data[:1] == b"\x00" and data[2:3] == b"\x00":
        data = data.decode("utf-16-be", errors="replace").encode("utf-8")
    elif data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    if b"\r" in data:
        data = data.replace(b"\r\r\n", b"\n").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data.split(b"\n")


def find_colon(line: bytes) -> int:
    """Index of the colon that ends the head, skipping colons inside quoted parameter values."""
    colon = line.find(b":")
    if colon < 0 or b'"' not in line[:colon]:
        return colon
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3A and not quoted:
            return index
    return colon  # unbalanced quote: the first colon is the best guess


def property_name(head: bytes) -> str:
    """``b"item1.email;type=pref"`` -> ``"EMAIL"``."""
    name = head.split(b";", 1)[0]
    if b"." in name:
        name = name.rpartition(b".")[2]
    return name.strip().upper().decode("ascii", errors="replace")


@lru_cache(maxsize=4096)
def _head_facts(head: bytes) -> tuple[str, bool]:
    """Property name and whether the value is quoted-printable; heads repeat, so cached."""
    return property_name(head), b"QUOTED-PRINTABLE" in head.upper()


class _Pending:
    """The logical line being assembled from a first physical line and its continuations."""

    __slots__ = ("number", "parts", "colon", "name", "qp", "qp_open")

    def __init__(self, number: int, line: bytes) -> None:
        self.number = number
        self.parts = [line]
        self.colon = -1
        self.name = ""
        self.qp = False
        self.qp_open = False
        self._look_for_head(line)

    def _look_for_head(self, line: bytes) -> None:
        colon = find_colon(line)
        if colon >= 0:
            self.colon = colon
            self.name, self.qp = _head_facts(line[:colon])
            self.qp_open = self.qp and line.endswith(b"=")
        elif b";" in line:
            self.name = property_name(line)  # head folded before its colon; name is known

    def fold(self, rest: bytes) -> None:
        """Append a folded continuation (its leading blank already removed)."""
        self.parts.append(rest)
        if self.colon < 0:
            self._look_for_head(b"".join(self.parts))
        elif self.qp:
            self.qp_open = rest.endswith(b"=")

    def soft_break(self, line: bytes) -> None:
        """Append the line after a quoted-printable soft break, keeping ``=\\n`` for the decoder."""
        self.parts.append(b"\n" + line)
        self.qp_open = line.endswith(b"=")

    def done(self) -> ContentLine:
        line = self.parts[0] if len(self.parts) == 1 else b"".join(self.parts)
        if self.colon < 0:
            return ContentLine(self.number, "", b"", line)
        value = b"" if self.name in BINARY else line[self.colon + 1 :]
        return ContentLine(self.number, self.name, line[: self.colon], value)


def _ends_qp(line: bytes) -> bool:
    """A card boundary never belongs to a QP value, even after a stray ``=`` at line end."""
    return line[:9].upper() in (b"END:VCARD", b"BEGIN:VCA")


def content_lines(data: bytes) -> Iterator[ContentLine]:
    """Yield the logical content lines of ``data`` in order (see the module docstring)."""
    pending: _Pending | None = None
    skipping = False  # inside a binary property: swallow its base64 lines
    for number, line in enumerate(physical_lines(data), 1):
        if pending is not None and pending.qp_open and not _ends_qp(line):
            pending.soft_break(line)
            continue
        if not line:
            skipping = False
            if pending is not None:
                yield pending.done()
                pending = None
            continue
        first = line[0]
        if first == _SPACE or first == _TAB:
            if skipping:
                continue
            if pending is not None:
                pending.fold(line[1:])
                continue
            line = line.lstrip()  # a continuation with nothing before it starts a line
            first = line[0] if line else _HASH
        elif skipping and b":" not in line:
            continue  # bare base64 line of a vCard 2.1 PHOTO
        if pending is not None:
            yield pending.done()
        pending = None if first == _HASH else _Pending(number, line)
        skipping = pending is not None and pending.name in BINARY
    if pending is not None:
        yield pending.done()
