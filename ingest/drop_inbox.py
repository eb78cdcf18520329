"""Listing the drop folder's inbox (not the IMAP INBOX): what people dropped, minus the
entries that are not ours to take.

Skipped: hidden entries (dotfiles, dot-folders), temporary downloads and editor files
(``.part``, ``.crdownload``, ``.tmp``, ``~$x.xlsx``, ``.~lock.x#``), system clutter
(``Thumbs.db``), our own notes (``*.error.txt``, ``*.already-seen.txt``) when people copy
them back, and files an office program still has open. Symlinks are listed, never followed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

_TEMP_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".filepart", ".tmp", ".swp")
_OUR_NOTES = (".error.txt", ".already-seen.txt")
_SYSTEM_FILES = {"thumbs.db", "desktop.ini", "icon\r"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """An inbox entry as listed (nothing read yet); ``scan`` returns the settled ones."""

    path: Path
    relative_path: str  # inside the inbox, "/"-separated, as the file system spells it
    size: int
    mtime_ns: int


def list_inbox(inbox: Path) -> Iterator[tuple[Candidate, float]]:
    """Yield every entry we may take and the time it last changed (newest of mtime, ctime)."""
    if inbox.is_dir():
        yield from _walk(inbox, "")


def _walk(folder: Path, prefix: str) -> Iterator[tuple[Candidate, float]]:
    """Yield inbox entries and the time they last changed; never follows symlinks."""
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:  # unreadable sub-folder: report, keep scanning the rest
        log.warning("cannot list %s: %s", folder, exc)
        return
    names = {e.name for e in entries}
    for entry in entries:
        if is_ignored_name(entry.name) or _is_open_in_office(entry.name, names):
            continue
        relative = f"{prefix}{entry.name}"
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(Path(entry.path), f"{relative}/")
                continue
            info = entry.stat(follow_symlinks=False)
        except OSError:  # vanished between listing and stat
            continue
        candidate = Candidate(Path(entry.path), relative, info.st_size, info.st_mtime_ns)
        yield candidate, max(info.st_mtime, info.st_ctime)


def is_ignored_name(name: str) -> bool:
    """A name the drop folder leaves alone: hidden, a download or editor file still being
    written, a lock file, one of our own notes, or system clutter."""
    lowered = name.lower()
    return (
        name.startswith((".", "~$"))
        or lowered.endswith(_TEMP_SUFFIXES + _OUR_NOTES)
        or lowered in _SYSTEM_FILES
    )


def _is_open_in_office(name: str, siblings: set[str]) -> bool:
    """LibreOffice (``.~lock.<name>#``) or MS Office (``~$<name>``) is editing this file."""
    return bool({f".~lock.{name}#", f"~${name}", f"~${name[2:]}"} & siblings)
