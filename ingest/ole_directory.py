"""Just enough of the OLE2 compound file format (Office 97 .xls/.doc, Outlook .msg) to list
the names in its directory, which tells an Excel workbook from an Outlook message.

Reads one 512/4096-byte sector at a time and stops after ``MAX_OLE_DIRECTORY_SECTORS``, so a
huge, truncated or looping file costs little; any damage gives an empty set.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

from ingest.limits import MAX_OLE_DIRECTORY_SECTORS


def ole_stream_names(path: Path) -> set[str]:
    """Names in an OLE2 (Office 97) directory; empty when the directory cannot be read.

    Follows the directory sector chain through the FAT, reading one sector at a time, so a
    huge or looping file costs at most ``MAX_OLE_DIRECTORY_SECTORS`` reads.
    """
    try:
        with path.open("rb") as handle:
            return _OleDirectory(handle).names()
    except (OSError, struct.error, ValueError):
        return set()


class _OleDirectory:
    """Just enough of the compound file format to list directory entry names."""

    _END = 0xFFFFFFFA  # sector numbers at or above this are markers (end of chain, free, ...)

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        header = handle.read(512)
        shift = struct.unpack_from("<H", header, 30)[0]
        if shift not in (9, 12):
            raise ValueError("not a compound file sector size")
        self._size = 1 << shift
        self._first_dir = struct.unpack_from("<I", header, 48)[0]
        self._fat_sectors = list(struct.unpack_from("<109I", header, 76))
        self._read_difat(*struct.unpack_from("<II", header, 68))
        self._fat_cache: dict[int, tuple[int, ...]] = {}

    def _sector(self, number: int) -> bytes:
        self._handle.seek((number + 1) * self._size)
        data = self._handle.read(self._size)
        if len(data) < self._size:
            raise ValueError("sector beyond end of file")
        return data

    def _read_difat(self, sector: int, count: int) -> None:
        per = self._size // 4
        for _ in range(min(count, MAX_OLE_DIRECTORY_SECTORS)):
            if sector >= self._END:
                break
            values = struct.unpack(f"<{per}I", self._sector(sector))
            self._fat_sectors.extend(values[:-1])
            sector = values[-1]

    def _next(self, sector: int) -> int:
        per = self._size // 4
        index = sector // per
        if index >= len(self._fat_sectors) or self._fat_sectors[index] >= self._END:
            return self._END
        if index not in self._fat_cache:
            raw = self._sector(self._fat_sectors[index])
            self._fat_cache[index] = struct.unpack(f"<{per}I", raw)
        return int(self._fat_cache[index][sector % per])

    def names(self) -> set[str]:
        names: set[str] = set()
        sector, seen = self._first_dir, set[int]()
        while sector < self._END and sector not in seen and len(seen) < MAX_OLE_DIRECTORY_SECTORS:
            seen.add(sector)
            data = self._sector(sector)
            for offset in range(0, self._size, 128):
                length = struct.unpack_from("<H", data, offset + 64)[0]
                if 2 <= length <= 64 and length % 2 == 0:
                    raw = data[offset : offset + length - 2]
                    names.add(raw.decode("utf-16-le", "replace"))
            sector = self._next(sector)
        return names
