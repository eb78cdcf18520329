"""Byte-reproducible workbook packages: every zip entry gets one fixed time, entries sorted.

openpyxl stamps each zip entry with the current time, so the same document saved twice differs
in bytes. ``repack`` rewrites the package with the document's own date on every entry, a fixed
order (``[Content_Types].xml`` first, as Office writes it) and fixed attributes, so regenerating
a document gives the same sha256.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

CONTENT_TYPES = "[Content_Types].xml"
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def zip_time(when: datetime) -> tuple[int, int, int, int, int, int]:
    """``when`` as a zip entry time, clamped to the zip format's range."""
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second // 2 * 2)
    return max(stamp, _ZIP_EPOCH)


def _order(name: str) -> tuple[int, str]:
    return (0 if name == CONTENT_TYPES else 1, name)


def repack(package: bytes, when: datetime) -> bytes:
    """The same zip ``package`` with fixed entry times, attributes and order."""
    with ZipFile(BytesIO(package)) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    out = BytesIO()
    stamp = zip_time(when)
    with ZipFile(out, "w", ZIP_DEFLATED) as target:
        for name in sorted(entries, key=_order):
            info = ZipInfo(name, date_time=stamp)
            info.compress_type = ZIP_DEFLATED
            info.create_system = 0  # the same bytes whichever system wrote them
            info.external_attr = 0o644 << 16
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


def sha256_hex(data: bytes) -> str:
    """The hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
