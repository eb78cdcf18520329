"""Checking a ZIP container (XLSX/ODS) before a spreadsheet library opens it.

calamine and openpyxl inflate members in memory, so a crafted archive must be refused from
its table of contents first. ``check_zip_container`` raises

- ``InputTooLarge(reason="zip-bomb")``: the members expand to more than
  ``MAX_ZIP_UNCOMPRESSED_BYTES`` in total, or one large member inflates more than
  ``MAX_ZIP_RATIO``:1;
- ``UnsupportedInput(reason="zip-unsafe")``: absurdly many members, or member names that are
  absolute or climb out with ``..`` (we never extract, but such an archive is crafted);
- ``UnsupportedInput(reason="xml-entities")``: an XML member declares a DOCTYPE or entities
  (the "billion laughs" and external-entity attacks; spreadsheet XML never needs them).

The declared sizes can lie, so the XML scan reads at most ``XML_PROLOG_SCAN_BYTES`` of each
member through a bounded reader, never a whole member.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from ingest.errors import InputTooLarge, UnsupportedInput
from ingest.limits import (
    MAX_ZIP_MEMBERS,
    MAX_ZIP_RATIO,
    MAX_ZIP_RATIO_MIN_BYTES,
    MAX_ZIP_UNCOMPRESSED_BYTES,
    XML_PROLOG_SCAN_BYTES,
    size_text,
)

# Prolog items that may come before the root element: an XML declaration or processing
# instruction, a comment, whitespace.
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_ROOT_START = re.compile(rb"<[A-Za-z_:\x80-\xff]")
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def check_zip_container(path: Path) -> None:
    """Refuse a ZIP whose table of contents or XML prolog is hostile (see module doc).

    Returns quietly for a sound archive; a damaged archive is left to the readers, which
    report it as corrupt.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_table(members)
            for info in members:
                if info.filename.lower().endswith(_XML_SUFFIXES):
                    _check_prolog(archive, info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError):
        return  # the readers say "sheet-corrupt" with their own words
    except (OSError, ValueError, RuntimeError, zlib.error):
        return  # encrypted or otherwise unreadable member: also the readers' call


def _check_table(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnsupportedInput(
            f"the workbook archive holds {len(members):,} files; the limit is {MAX_ZIP_MEMBERS:,}",
            reason="zip-unsafe",
        )
    for info in members:
        _check_name(info.filename)
    total = sum(info.file_size for info in members)
    if total > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise InputTooLarge(
            f"the workbook expands to {size_text(total)}; the limit is "
            f"{size_text(MAX_ZIP_UNCOMPRESSED_BYTES)} (a zip bomb or a workbook too large to read)",
            reason="zip-bomb",
        )
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_ZIP_RATIO_MIN_BYTES and ratio > MAX_ZIP_RATIO:
            raise InputTooLarge(
                f"the workbook member {info.filename!r} expands from "
                f"{size_text(info.compress_size)} to {size_text(info.file_size)} "
                f"({ratio:,.0f}:1); the limit is {MAX_ZIP_RATIO}:1 (a zip bomb)",
                reason="zip-bomb",
            )


def _check_name(name: str) -> None:
    posix = name.replace("\\", "/")
    parts = PurePosixPath(posix).parts
    drive = len(posix) > 1 and posix[1] == ":"
    if posix.startswith("/") or drive or ".." in parts or "\x00" in name:
        raise UnsupportedInput(
            f"the workbook archive holds a file named {name!r} that points outside the "
            "archive (absolute or '..'); the file was crafted, not saved by a spreadsheet program",
            reason="zip-unsafe",
        )


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    with archive.open(info) as handle:
        head = handle.read(XML_PROLOG_SCAN_BYTES)
    if declares_entities(head):
        raise UnsupportedInput(
            f"the workbook member {info.filename!r} declares a DOCTYPE or XML entities, which "
            "spreadsheet programs never write (an entity-expansion or external-entity attack)",
            reason="xml-entities",
        )


def declares_entities(head: bytes) -> bool:
    """True when the XML starting with ``head`` declares a DOCTYPE (where entities are
    declared) before its root element, or has a prolog too long to see the root element."""
    text = head.removeprefix(b"\xef\xbb\xbf")
    if text[:2] in (b"\xff\xfe", b"\xfe\xff") or text[1:2] == b"\x00" or text[:1] == b"\x00":
        text = text.replace(b"\x00", b"")  # UTF-16: the markup is ASCII, drop the high bytes
        text = text.removeprefix(b"\xff\xfe").removeprefix(b"\xfe\xff")
    position = 0
    while match := _PROLOG_ITEM.match(text, position):
        position = match.end()
    if text.startswith(b"<!DOCTYPE", position):  # ENTITY declarations live inside it
        return True
    # The root element must start inside the scanned head; a prolog longer than that only
    # serves to push a DOCTYPE past the scan.
    return len(head) >= XML_PROLOG_SCAN_BYTES and not _ROOT_START.match(text, position)
