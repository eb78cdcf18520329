"""Size and timing limits shared by the drop folder, the format sniffer and the parsers.

Kept in one place so the flow settings can override them and the tests can name them.
"""

from __future__ import annotations

# A file must look unchanged for this long before we take it (half-written uploads).
DEFAULT_SETTLE_SECONDS = 2.0

# Larger files are quarantined as "too-large" without being parsed.
DEFAULT_MAX_FILE_BYTES = 200_000_000

# Hashing reads this much at a time so memory stays flat whatever the file size.
HASH_CHUNK_BYTES = 1024 * 1024

# The sniffer looks at this many leading bytes (the rest is read only for zip/OLE2 directories).
SNIFF_HEAD_BYTES = 64 * 1024

# File names are cut to this many UTF-8 bytes; the file system allows 255 and we add a
# hash prefix in the claim area, " (2)" on clashes and ".error.txt" beside quarantined files.
MAX_NAME_BYTES = 150

# An OLE2 (Office 97) directory chain longer than this is treated as damaged (loop guard).
MAX_OLE_DIRECTORY_SECTORS = 4096

# --- Hostile input: limits that keep one file from exhausting memory or time. ---

# A workbook (XLSX/ODS, a ZIP) may expand to at most this many bytes in total; web-form exports
# of 100k rows are tens of MB, a zip bomb is gigabytes.
MAX_ZIP_UNCOMPRESSED_BYTES = 200_000_000

# A member that inflates more than this ratio is a bomb once it is also bigger than
# MAX_ZIP_RATIO_MIN_BYTES (a small XML file of repeated tags compresses 50:1 honestly).
MAX_ZIP_RATIO = 100
MAX_ZIP_RATIO_MIN_BYTES = 10_000_000

# An XLSX holds a few dozen members; thousands mean a crafted archive.
MAX_ZIP_MEMBERS = 10_000

# The XML prolog (before the root element) is read this far to look for a DOCTYPE/ENTITY.
XML_PROLOG_SCAN_BYTES = 64 * 1024

# Rows and cells read from one sheet; the rest of the sheet is rejected as "sheet-too-large".
MAX_SHEET_ROWS = 1_000_000
MAX_SHEET_CELLS = 50_000_000

# The csv module refuses fields longer than 128 KiB by default; a pasted message can be MBs.
CSV_FIELD_SIZE_LIMIT = 64 * 1024 * 1024

# One email (raw RFC 822 bytes), as the IMAP source's default ``max_message_bytes``.
MAX_EMAIL_BYTES = 25_000_000

# One attachment (decoded); larger vCard attachments are skipped, the message is still a lead.
MAX_ATTACHMENT_BYTES = 10_000_000

# One vCard file.
MAX_VCARD_BYTES = 50_000_000


def size_text(size: int) -> str:
    """A size as people read it: ``31_200_000`` -> ``"31.2 MB"``, ``48_000`` -> ``"48 kB"``."""
    if size < 1_000_000:
        return f"{size / 1000:.0f} kB" if size >= 1000 else f"{size} bytes"
    return f"{size / 1_000_000:.1f} MB".replace(".0 MB", " MB")
