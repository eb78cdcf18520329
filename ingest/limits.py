"""Size and timing limits shared by the drop folder and the format sniffer.

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
