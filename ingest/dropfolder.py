"""The watched drop folder: people drop files, we take the settled ones, nothing is deleted.

Layout under ``root``::

    dropbox/inbox/...                  where people drop files (sub-folders allowed)
    dropbox/.work/<sha16>-<name>       claimed files being processed (same file system)
    dropbox/processed/<date>/...       done, and re-drops of identical bytes (+ a note)
    dropbox/quarantine/<date>/...      rejected, each with ``<name>.error.txt`` beside it

A file moves ``inbox -> .work -> processed|quarantine``; no move overwrites (a clash gets
" (2)"), so a file only leaves the tree when a person takes it out.

Claiming renames the inbox file to a unique hidden name in ``.work``: when two workers
(threads, processes, hosts sharing the folder) race for a file, exactly one rename succeeds
and the loser gets ``None``. Later moves use ``link`` + ``unlink``, which cannot replace an
existing file. Symlinks and other non-regular entries are never followed or opened: they are
claimed as they are, with reject reason "symlink" / "not-a-regular-file", so the caller
quarantines them where people see them (skipping them would leave them in the inbox forever).

No database here: the caller's ledger (keyed by ``source_ref = file://<sha256>``) decides
whether a claimed file is new, already seen, or left over from a crash (``recover``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

from ingest.drop_inbox import Candidate, list_inbox
from ingest.limits import (
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_SETTLE_SECONDS,
    HASH_CHUNK_BYTES,
    SNIFF_HEAD_BYTES,
)
from ingest.placement import (
    display,
    move_exclusive,
    place_file,
    safe_name,
    safe_relative,
    write_new,
)
from ingest.sniff import FileKind, explain, sniff

__all__ = ["Candidate", "DropFolder", "DroppedFile", "FileKind", "safe_name"]

log = logging.getLogger(__name__)

_CLAIM_PREFIX = ".claim-"
_WORK_NAME = re.compile(r"^(?:\.claim-[0-9a-f]{32}|[0-9a-f]{16})-(.+)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class DroppedFile:
    """A claimed file: where it is now, what it is, and its identity for the ledger."""

    path: Path  # in dropbox/.work after claim
    original_name: str  # as dropped (undecodable bytes shown as U+FFFD)
    relative_path: str  # inside the inbox, for display
    size: int
    mtime: float
    sha256: str
    kind: FileKind
    reject_reason: str | None  # sniff reason, "too-large", "symlink", "not-a-regular-file"
    source_ref: str  # file://<sha256>
    received_at: datetime  # mtime, timezone-aware UTC


class DropFolder:
    """The drop folder under ``root/dropbox``; safe to share between threads."""

    def __init__(
        self,
        root: Path,
        *,
        settle_seconds: float = DEFAULT_SETTLE_SECONDS,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        base = Path(root) / "dropbox"
        self.inbox = base / "inbox"
        self.work = base / ".work"
        self.processed = base / "processed"
        self.quarantined = base / "quarantine"
        self.settle_seconds = settle_seconds
        self.max_file_bytes = max_file_bytes
        self._clock = clock
        self._previous: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def ensure(self) -> None:
        """Create the folders (idempotent)."""
        for folder in (self.inbox, self.work, self.processed, self.quarantined):
            folder.mkdir(parents=True, exist_ok=True)

    def scan(self) -> list[Candidate]:
        """List inbox entries that look finished, sorted by relative path.

        An entry is taken when its size and mtime are unchanged since the previous scan, or
        when both its mtime and ctime are older than ``settle_seconds`` (ctime too, because
        copy tools keep the source's old mtime while still writing). Hidden, temporary and
        lock files, our own notes, and files an office program has open are left alone.
        """
        now = self._clock()
        entries = list(list_inbox(self.inbox))
        with self._lock:
            previous, self._previous = (
                self._previous,
                {c.relative_path: (c.size, c.mtime_ns) for c, _ in entries},
            )
        settled = [
            c
            for c, changed_at in entries
            if previous.get(c.relative_path) == (c.size, c.mtime_ns)
            or now - changed_at >= self.settle_seconds
        ]
        return sorted(settled, key=lambda c: c.relative_path)

    def claim(self, candidate: Candidate) -> DroppedFile | None:
        """Move a candidate into ``.work``, hash and sniff it; ``None`` if it is gone or changed.

        Another worker winning the race, a file replaced or still growing: all give ``None``,
        and a changed file is put back in the inbox for a later scan.
        """
        self.work.mkdir(parents=True, exist_ok=True)
        claimed = self.work / f"{_CLAIM_PREFIX}{uuid.uuid4().hex}-{safe_name(candidate.path.name)}"
        try:
            os.rename(candidate.path, claimed)  # atomic: exactly one racer wins
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("cannot claim %s: %s", display(candidate.relative_path), exc)
            return None
        now = os.lstat(claimed)  # rename keeps size and mtime: any change is a new write
        if (now.st_size, now.st_mtime_ns) != (candidate.size, candidate.mtime_ns):
            self._put_back(claimed, candidate)
            return None
        dropped = self._identify(claimed, display(candidate.relative_path))
        if dropped is None:
            self._put_back(claimed, candidate)
        else:
            log.info("claimed %s as %s (%s)", dropped.relative_path, dropped.kind, dropped.sha256)
        return dropped

    def complete(self, f: DroppedFile, *, when: date) -> Path:
        """Move a processed file to ``processed/<date>/<relative path>``; returns where."""
        target = self._file_away(f, self.processed / when.isoformat())
        log.info("processed %s -> %s", f.relative_path, target)
        return target

    def quarantine(
        self,
        f: DroppedFile,
        reason: str,
        detail: str,
        *,
        when: date,
        extra: dict[str, bytes] | None = None,
    ) -> Path:
        """Move a file to ``quarantine/<date>/`` with ``<name>.error.txt`` (and ``extra`` files)
        beside it; returns where the file went."""
        target = self._file_away(f, self.quarantined / when.isoformat())
        note = f"reason: {reason}\n{detail or explain(reason)}\n\n{self._facts(f)}"
        write_new(target.parent, f"{target.name}.error.txt", note.encode("utf-8"))
        for name, data in (extra or {}).items():
            write_new(target.parent, name, data)
        log.warning("quarantined %s (%s): %s", f.relative_path, reason, detail)
        return target

    def already_seen(self, f: DroppedFile, *, when: date, note: str = "") -> Path:
        """File a re-drop of identical bytes under ``processed/<date>/`` with a
        ``<name>.already-seen.txt`` note beside it; returns where the file went."""
        target = self._file_away(f, self.processed / when.isoformat())
        text = (
            "already seen: a file with exactly the same content was processed before, "
            f"so this copy was not processed again.\n{note}\n\n{self._facts(f)}"
        )
        write_new(target.parent, f"{target.name}.already-seen.txt", text.encode("utf-8"))
        log.info("already seen %s -> %s", f.relative_path, target)
        return target

    def recover(self) -> list[DroppedFile]:
        """Files left in ``.work`` by a crashed run, hashed and sniffed again.

        The original sub-folder is not recorded in ``.work``, so a recovered file's
        ``relative_path`` is its (safe) name. With several workers, call this at start-up:
        it also returns files another live worker is processing (the ledger decides).
        """
        if not self.work.is_dir():
            return []
        found = []
        for entry in sorted(os.scandir(self.work), key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False):
                continue
            dropped = self._identify(Path(entry.path), _name_from_work(entry.name))
            if dropped is not None:
                found.append(dropped)
        return found

    def _identify(self, claimed: Path, relative_path: str) -> DroppedFile | None:
        """Hash and sniff a file in ``.work`` and give it its final ``<sha16>-<name>``."""
        original = PurePosixPath(relative_path).name
        try:
            info = os.lstat(claimed)
            found = self._fingerprint(claimed, info, original)
        except FileNotFoundError:  # another worker's recover() took it
            return None
        if found is None:
            return None
        digest, kind, reason = found
        if not claimed.name.startswith(f"{digest[:16]}-"):
            try:
                claimed = place_file(claimed, self.work, f"{digest[:16]}-{safe_name(original)}")
            except FileNotFoundError:  # another worker's recover() took it
                return None
        return DroppedFile(
            path=claimed,
            original_name=original,
            relative_path=relative_path,
            size=info.st_size,
            mtime=info.st_mtime,
            sha256=digest,
            kind=kind,
            reject_reason=reason,
            source_ref=f"file://{digest}",
            received_at=datetime.fromtimestamp(info.st_mtime, UTC),
        )

    def _fingerprint(
        self, claimed: Path, info: os.stat_result, name: str
    ) -> tuple[str, FileKind, str | None] | None:
        """``(sha256, kind, reject reason)``; ``None`` if the file changed while hashed."""
        if stat.S_ISLNK(info.st_mode):
            # Never followed: the digest names the link, not what it points to.
            return _text_digest(f"symlink:{os.readlink(claimed)}"), FileKind.UNKNOWN, "symlink"
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block a reader forever
            special = f"special:{info.st_mode:o}:{name}"
            return _text_digest(special), FileKind.UNKNOWN, "not-a-regular-file"
        try:
            hashed = _digest(claimed, info)
        except PermissionError:
            unreadable = f"unreadable:{name}:{info.st_size}:{info.st_mtime_ns}"
            return _text_digest(unreadable), FileKind.UNKNOWN, "unreadable"
        if hashed is None:
            return None
        digest, head = hashed
        if info.st_size > self.max_file_bytes:
            return digest, FileKind.UNKNOWN, "too-large"
        kind, reason = sniff(claimed, head, name=name)
        return digest, kind, reason

    def _file_away(self, f: DroppedFile, folder: Path) -> Path:
        relative = safe_relative(f.relative_path)
        return place_file(f.path, folder.joinpath(*relative.parts[:-1]), relative.name)

    def _facts(self, f: DroppedFile) -> str:
        now = datetime.fromtimestamp(self._clock(), UTC).isoformat(timespec="seconds")
        return (
            f"file: {_printable(f.relative_path)}\n"
            f"sha256: {f.sha256}\n"
            f"size: {f.size} bytes\n"
            f"kind: {f.kind}\n"
            f"dropped: {f.received_at.isoformat(timespec='seconds')}\n"
            f"filed: {now}\n"
        )

    def _put_back(self, claimed: Path, candidate: Candidate) -> None:
        """Return a file that changed under us to where it was, for a later scan."""
        if not os.path.lexists(claimed):  # another worker's recover() took it
            return
        log.info("%s is still changing; left in the inbox", display(candidate.relative_path))
        candidate.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            move_exclusive(claimed, candidate.path)
        except FileExistsError:  # a new file took the name meanwhile: keep both
            place_file(claimed, candidate.path.parent, candidate.path.name)


def _digest(path: Path, expected: os.stat_result) -> tuple[str, bytes] | None:
    """Streamed sha256 and the leading bytes; ``None`` if the file changed while read."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    digest, head = hashlib.sha256(), b""
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        while chunk := handle.read(HASH_CHUNK_BYTES):
            head = head or chunk[:SNIFF_HEAD_BYTES]
            digest.update(chunk)
        after = os.fstat(fd)
    if (after.st_size, after.st_mtime_ns) != (expected.st_size, expected.st_mtime_ns):
        return None
    return digest.hexdigest(), head


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def _name_from_work(name: str) -> str:
    """The dropped name inside a ``.work`` name (``.claim-<hex32>-x`` or ``<sha16>-x``)."""
    match = _WORK_NAME.match(name)
    return match.group(1) if match else name


def _printable(text: str) -> str:
    """Control characters shown as escapes so a hostile name cannot forge note lines."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
