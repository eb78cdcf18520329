"""Format detection for dropped files: magic bytes first, the file name only as a hint.

``sniff(path, head)`` says which parser a file goes to (``FileKind``) or why it cannot be
read (a reason code, see ``REASONS``). Names lie (a CSV renamed to ``.xlsx``, an Outlook
``.msg`` saved as ``.eml``, junk with a ``.csv`` name), so content decides whenever it can:

- OLE2 (``D0 CF 11 E0``): ``.xls`` when the name says so or the OLE directory holds a
  ``Workbook``/``Book`` stream, an Outlook ``.msg`` otherwise (a Word/PowerPoint file whose
  directory we can read is "ole2-not-supported");
- zip: ``xl/workbook.xml`` is XLSX, the OpenDocument spreadsheet ``mimetype`` is ODS;
- text (UTF-8/16/32 with or without BOM, or a legacy 8-bit code page): a vCard, an RFC 822
  message or delimited rows (CSV) by content, else by extension;
- NUL bytes or control characters where text is expected: "binary-junk".
"""

from __future__ import annotations

import fnmatch
import re
import zipfile
from enum import StrEnum
from pathlib import Path, PurePath

from ingest.ole_directory import ole_stream_names


class FileKind(StrEnum):
    """What a dropped file is, which decides the parser it goes to."""

    VCARD = "vcard"
    EMAIL = "email"
    CSV = "csv"
    XLSX = "xlsx"
    XLS = "xls"
    ODS = "ods"
    DECISIONS = "decisions"  # a csv/xlsx named decisions*.csv|xlsx: sales decisions, not leads
    IMAGE = "image"  # jpg/png/tiff (scanned business cards, for OCR)
    PDF = "pdf"
    OUTLOOK_MSG = "outlook-msg"
    UNKNOWN = "unknown"


# Reason codes returned with FileKind.UNKNOWN, and one sentence each for people.
REASONS: dict[str, str] = {
    "empty-file": "The file is empty.",
    "binary-junk": "The file name says it is text (CSV, vCard or e-mail) "
    "but its content is binary data.",
    "not-a-spreadsheet": "The file name says it is a spreadsheet "
    "but its content is not an Excel or OpenDocument workbook.",
    "zip-not-spreadsheet": "The file is a ZIP archive that holds no Excel or OpenDocument "
    "workbook (perhaps a Word document or a packed folder).",
    "corrupt-zip": "The file starts like a ZIP archive (as .xlsx and .ods files do) "
    "but its table of contents is damaged or cut off.",
    "xlsb-not-supported": "The file is an Excel binary workbook (.xlsb); "
    "please save it as .xlsx or .csv.",
    "ole2-not-supported": "The file is an Office 97 document that is neither an Excel "
    "workbook nor an Outlook message (perhaps a Word .doc).",
    "markup-not-supported": "The file holds HTML or XML (often a web page saved under a "
    "spreadsheet name), which we do not read; please export it as .xlsx or .csv.",
    "image-not-supported": "The image format is not one we read (use JPEG, PNG or TIFF).",
    "unknown-format": "We do not recognise the format of this file.",
    # Set by the drop folder, which never opens these.
    "too-large": "The file is larger than the size limit for dropped files.",
    "symlink": "The entry is a symbolic link; links are not followed, drop the file itself.",
    "not-a-regular-file": "The entry is not a regular file (a pipe, socket or device).",
    "unreadable": "The file cannot be read (permission denied).",
}

_TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".vcf", ".vcard", ".eml", ".mbox"}
_SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlt", ".xltx"}
_DECISIONS_PATTERNS = ("decisions*.csv", "decisions*.xlsx")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")
_OTHER_IMAGE_MAGIC = (b"GIF87a", b"GIF89a", b"BM")
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")  # RFC 5322 field name: printable ASCII but ':'
_MBOX_FROM = re.compile(rb"^From \S+")
_KNOWN_HEADERS = {
    b"from",
    b"to",
    b"subject",
    b"date",
    b"received",
    b"return-path",
    b"message-id",
    b"mime-version",
    b"delivered-to",
    b"content-type",
    b"reply-to",
    b"sender",
}
_DELIMITERS = (b",", b";", b"\t", b"|")


def sniff(path: Path, head: bytes, *, name: str | None = None) -> tuple[FileKind, str | None]:
    """Return the kind of the file at ``path`` and, for ``UNKNOWN``, a reason code.

    ``head`` is the first bytes of the file (64 KiB is plenty); ``path`` is opened only to
    read a zip's table of contents or an OLE2 directory. ``name`` is the name the person gave
    the file (defaults to ``path.name``); it is a hint and decides ``DECISIONS``.
    """
    name = name if name is not None else path.name
    suffix = PurePath(name).suffix.lower()
    if not head:
        return FileKind.UNKNOWN, "empty-file"
    kind, reason = _sniff_binary(path, head, suffix)
    if kind is None:
        kind, reason = _sniff_text(head, suffix)
    if kind in (FileKind.CSV, FileKind.XLSX) and _is_decisions_name(name):
        return FileKind.DECISIONS, None
    return kind, reason


def explain(reason: str) -> str:
    """One sentence for people about a reason code (the code itself when unknown)."""
    return REASONS.get(reason, reason)


def _is_decisions_name(name: str) -> bool:
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern) for pattern in _DECISIONS_PATTERNS)


def _sniff_binary(path: Path, head: bytes, suffix: str) -> tuple[FileKind | None, str | None]:
    """Decide by magic bytes; ``(None, None)`` means "not a known binary format"."""
    if head.startswith(_OLE2_MAGIC):
        return _sniff_ole2(path, suffix)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(path, head, suffix)
    if head.startswith(_IMAGE_MAGIC):
        return FileKind.IMAGE, None
    if head.startswith(_OTHER_IMAGE_MAGIC) or _is_webp_or_heic(head):
        return FileKind.UNKNOWN, "image-not-supported"
    if b"%PDF-" in head[:1024]:  # the PDF spec allows junk before the marker
        return FileKind.PDF, None
    return None, None


def _is_webp_or_heic(head: bytes) -> bool:
    is_webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    is_heic = head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1")
    return is_webp or is_heic


def _sniff_ole2(path: Path, suffix: str) -> tuple[FileKind, str | None]:
    # A damaged .xls must still reach the sheet reader, which reports it as corrupt.
    if suffix in (".xls", ".xlt"):
        return FileKind.XLS, None
    names = {entry.lower() for entry in ole_stream_names(path)}
    if names & {"workbook", "book"}:
        return FileKind.XLS, None
    is_msg = any(n.startswith(("__substg1.0_", "__properties_version1.0")) for n in names)
    if is_msg or suffix == ".msg" or not names:
        # An unreadable directory is most likely a message dragged out of Outlook.
        return FileKind.OUTLOOK_MSG, None
    return FileKind.UNKNOWN, "ole2-not-supported"


def _sniff_zip(path: Path, head: bytes, suffix: str) -> tuple[FileKind, str | None]:
    # ODF puts an uncompressed "mimetype" member first, so the head usually answers alone.
    if head[30:38] == b"mimetype" and head[38 : 38 + len(_ODS_MIMETYPE)] == _ODS_MIMETYPE:
        return FileKind.ODS, None
    try:
        with zipfile.ZipFile(path) as archive:
            names = {info.filename.replace("\\", "/").lower() for info in archive.infolist()}
            mimetype = _small_member(archive, "mimetype")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return FileKind.UNKNOWN, "corrupt-zip"
    if "xl/workbook.xml" in names:
        return FileKind.XLSX, None
    if "xl/workbook.bin" in names:
        return FileKind.UNKNOWN, "xlsb-not-supported"
    if mimetype.strip() == _ODS_MIMETYPE:
        return FileKind.ODS, None
    if suffix in _SHEET_SUFFIXES:
        return FileKind.UNKNOWN, "not-a-spreadsheet"
    return FileKind.UNKNOWN, "zip-not-spreadsheet"


def _small_member(archive: zipfile.ZipFile, member: str) -> bytes:
    """Read a member only when it is small (a zip bomb cannot inflate into memory)."""
    try:
        info = archive.getinfo(member)
    except KeyError:
        return b""
    if info.file_size > 256:
        return b""
    with archive.open(info) as handle:
        return handle.read(256)


def _sniff_text(head: bytes, suffix: str) -> tuple[FileKind, str | None]:
    text = decode_head(head)
    if text is None:
        if suffix in _TEXT_SUFFIXES:
            return FileKind.UNKNOWN, "binary-junk"
        if suffix in _SHEET_SUFFIXES:
            return FileKind.UNKNOWN, "not-a-spreadsheet"
        return FileKind.UNKNOWN, "unknown-format"
    body = text.lstrip(" \t\r\n\ufeff").encode("utf-8")
    if body[:11].upper() == b"BEGIN:VCARD":
        return FileKind.VCARD, None
    if _looks_like_email(body):
        return FileKind.EMAIL, None
    if b"END:VCARD" in body.upper():  # cards that lost their BEGIN line
        return FileKind.VCARD, None
    if body[:1] == b"<" and not body.startswith(b"<<"):
        return FileKind.UNKNOWN, "markup-not-supported"
    return _text_by_name(body, suffix)


def _text_by_name(body: bytes, suffix: str) -> tuple[FileKind, str | None]:
    if suffix in (".vcf", ".vcard"):
        return FileKind.VCARD, None  # a broken card; the vCard parser says what is wrong
    if suffix in (".eml", ".mbox"):
        return FileKind.EMAIL, None
    first_line = body.split(b"\n", 1)[0]
    if suffix in (".csv", ".tsv") or any(d in first_line for d in _DELIMITERS):
        return FileKind.CSV, None
    if suffix in _SHEET_SUFFIXES:
        return FileKind.UNKNOWN, "not-a-spreadsheet"
    return FileKind.UNKNOWN, "unknown-format"


def _looks_like_email(body: bytes) -> bool:
    """An RFC 822 header block: header lines (or an mbox "From " line) up to a blank line."""
    lines = body.split(b"\n", 60)[:60]
    if not lines or not (_HEADER_LINE.match(lines[0]) or _MBOX_FROM.match(lines[0])):
        return False
    start = 1 if _MBOX_FROM.match(lines[0]) else 0
    for line in lines[start:]:
        line = line.rstrip(b"\r")
        if not line:
            break
        # "X-" fields alone do not count: vCards use them too.
        if _HEADER_LINE.match(line) and line.split(b":", 1)[0].lower() in _KNOWN_HEADERS:
            return True
    return False


def decode_head(head: bytes) -> str | None:
    """Decode the leading bytes of a text file, or ``None`` when they are binary.

    Handles UTF-8 (with or without BOM), UTF-16/UTF-32 (with a BOM, with a stray 2-byte
    mark, or bare) and legacy 8-bit code pages (decoded as latin-1: only the control-character
    test matters here). A few control characters are allowed (stray form feeds, SUB at EOF).
    """
    encoding, start = _guess_encoding(head)
    unit = {"utf-16-le": 2, "utf-16-be": 2, "utf-32-le": 4, "utf-32-be": 4}.get(encoding, 1)
    data = head[start:]
    data = data[: len(data) - len(data) % unit]
    if encoding == "utf-8":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A character cut at the end of the head is fine; anything else is a code page.
            text = data.decode("utf-8" if exc.start >= len(data) - 3 else "latin-1", "ignore")
    else:
        text = data.decode(encoding, "replace")
    # A stray NUL or two in a long mail is damage; more than 1 in 200 characters is binary.
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v\x1a")
    if controls > len(text) // 200 or text.count("\ufffd") > 8:
        return None
    return text


def _guess_encoding(head: bytes) -> tuple[str, int]:
    """Return ``(codec, bytes to skip)`` from the BOM or the pattern of NUL bytes."""
    for bom, codec in (
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\xef\xbb\xbf", "utf-8"),
    ):
        if head.startswith(bom):
            return codec, len(bom)
    start = 2 if head[:2] in (b"\xfe\xff", b"\xff\xfe") else 0
    sample = head[start : start + 4096]
    # UTF-32 code units are at most 0x10FFFF: one NUL byte and one byte <= 0x10 each.
    quads = [sample[i : i + 4] for i in range(0, len(sample) - 3, 4)]
    if quads and all(q[0] == 0 and q[1] <= 0x10 for q in quads):
        return "utf-32-be", start
    if quads and all(q[3] == 0 and q[2] <= 0x10 for q in quads):
        return "utf-32-le", start
    if head[:2] == b"\xfe\xff" or _mostly_nul(sample[0::2], sample[1::2]):
        return "utf-16-be", start
    if head[:2] == b"\xff\xfe" or _mostly_nul(sample[1::2], sample[0::2]):
        return "utf-16-le", start
    return "utf-8", 0


def _mostly_nul(high: bytes, low: bytes) -> bool:
    """UTF-16 of mostly Latin text: the high byte of each unit is NUL, the low byte is not."""
    if not high or not low:
        return False
    return high.count(0) / len(high) > 0.6 and low.count(0) / len(low) < 0.1
