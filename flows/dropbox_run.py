"""One pass over the drop folder: claim → parse → normalise → store → file away.

Plain functions (no Prefect): the CLI and the flows call them. Each file is one transaction
(``intake_file``) — small files are stored many to a transaction (``flows.dropbox_groups``),
each still with its own claim row; the move to ``processed/`` or ``quarantine/`` happens after
the commit, and a file left in ``.work`` by a crash is recovered on the next pass and finished
by the ledger.

Several workers may share one drop folder (same host or a shared folder): each pass holds
``dropbox/.workers.lock`` shared, and only a worker that gets it exclusively — no other pass
running — recovers ``.work``, so nobody files away a file another live worker is storing.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO, Literal

from sqlalchemy.exc import SQLAlchemyError

from flows.collector import bulk_work
from flows.convert import Collected, convert_batches
from flows.decisions_run import process_decisions
from flows.wiring import App
from ingest.dropfolder import DropFolder, DroppedFile, safe_name
from ingest.errorbook import write_error_workbook
from ingest.errors import IngestError
from ingest.message import parse_message
from ingest.records import ParsedItem
from ingest.sheet import parse_sheet
from ingest.sniff import FileKind
from pipeline.services.intake import (
    IncomingFile,
    IncomingRecord,
    IntakeCounts,
    intake_file,
    quarantine_file,
    quarantine_reason,
)

log = logging.getLogger(__name__)

SHEETS = {FileKind.CSV, FileKind.XLSX, FileKind.XLS, FileKind.ODS}
# Every pass holds this lock shared; only a worker alone may take files left in .work.
LOCK_NAME = ".workers.lock"
NOT_YET: dict[FileKind, str] = {}


@dataclass
class DropSummary:
    files_seen: int = 0
    files_done: int = 0
    already_seen: int = 0
    quarantined: int = 0
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    files: list[dict[str, str]] = field(default_factory=list)
    counts: IntakeCounts = field(default_factory=IntakeCounts)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def stage_paths(folder: DropFolder, paths: Iterable[Path]) -> int:
    """Copy explicitly named files (or folders) into the inbox; the originals stay put."""
    inbox = folder.inbox / f"cli-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    count = 0
    for path in paths:
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        for f in files:
            target = inbox / (f.relative_to(path) if path.is_dir() else Path(f.name))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, target)
            count += 1
    return count


def process_dropbox(
    app: App, *, settle_seconds: float | None = None, progress: Callable[[str], None] | None = None
) -> DropSummary:
    """Process every settled file of the drop folder once."""
    s = app.settings
    folder = DropFolder(s.home, settle_seconds=2.0 if settle_seconds is None else settle_seconds)
    folder.ensure()
    summary = DropSummary()
    with (s.dropbox / LOCK_NAME).open("a+b") as lock, bulk_work():
        # Alone, files in .work were left by a crashed run; with a live worker they may be its.
        claimed = folder.recover() if _lock(lock, exclusive=True) else []
        for dropped in claimed:
            if not _filed_already(folder, dropped.path):
                _process(app, folder, dropped, summary, progress)
        _lock(lock, exclusive=False)  # share the folder (waits while another one recovers)
        claimed = [d for c in folder.scan() if (d := folder.claim(c)) is not None]
        from flows.dropbox_groups import groups, is_small, process_group  # imports this module

        for dropped in (d for d in claimed if not is_small(d)):
            _process(app, folder, dropped, summary, progress)
        for group in groups([d for d in claimed if is_small(d)]):
            process_group(app, folder, group, summary, progress)
    return summary


def _lock(handle: BinaryIO, *, exclusive: bool) -> bool:
    """Take the workers' lock: exclusive (never waits; False when another worker holds it)
    or shared (waits for a worker that is recovering). Needs flock (not on Windows)."""
    if sys.platform == "win32":
        return exclusive
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB if exclusive else fcntl.LOCK_SH)
    except BlockingIOError:
        return False
    return True


def _filed_already(folder: DropFolder, path: Path) -> bool:
    """True (and the stale name removed) when a recovered file has another name in the tree.

    Moves are ``link`` + ``unlink``: a kill between the two leaves the file under its new name
    and still in ``.work``. Filing the ``.work`` name again would file the input twice.
    """
    info = os.stat(path, follow_symlinks=False)
    if info.st_nlink < 2:
        return False
    for area in (folder.work, folder.processed, folder.quarantined):
        for other in area.rglob("*"):
            twin = other.lstat()
            if other != path and (twin.st_dev, twin.st_ino) == (info.st_dev, info.st_ino):
                os.unlink(path)
                log.info("%s was already filed as %s", path.name, other)
                return True
    return False


def _process(
    app: App,
    folder: DropFolder,
    dropped: DroppedFile,
    summary: DropSummary,
    progress: Callable[[str], None] | None,
) -> None:
    if progress:
        progress(dropped.relative_path)
    process_file(app, folder, dropped, summary)


def process_file(app: App, folder: DropFolder, f: DroppedFile, summary: DropSummary) -> None:
    """Store one claimed file exactly once, then move it where people can see the outcome."""
    today = datetime.now(UTC).date()
    info = readable(app, folder, f, summary, today)
    if info is None:
        return
    collected = Collected()
    try:
        batches = file_batches(app, f, collected)
        status, counts = intake_file(
            app.uow(), info, batches, worker=worker_name(), policy=app.policy
        )
    except IngestError as exc:
        _quarantine(app, folder, f, info, exc.reason, str(exc), summary, today)
        return
    except SQLAlchemyError:
        raise  # the database, not the file: the run fails and the file is retried from .work
    except Exception as exc:  # a parser bug must not stop the night; the file is kept
        parser_failed(app, folder, f, info, exc, summary, today)
        return
    if status == "done":
        summary.counts.add(counts)
    file_away(app, folder, f, status, counts.records_parsed, collected, summary, today)


def readable(
    app: App, folder: DropFolder, f: DroppedFile, summary: DropSummary, today: date
) -> IncomingFile | None:
    """The file's ledger identity, or None when it was handled already (quarantined because
    of its kind, or a decisions workbook)."""
    summary.files_seen += 1
    info = IncomingFile(sha256=f.sha256, name=f.relative_path, size=f.size, kind=str(f.kind))
    reason = (
        f.reject_reason
        or NOT_YET.get(f.kind)
        or ("msg-outlook" if f.kind is FileKind.OUTLOOK_MSG else None)
    )
    if reason:
        _quarantine(app, folder, f, info, reason, "", summary, today)
        return None
    if f.kind is FileKind.DECISIONS:
        try:
            process_decisions(app, folder, f, summary, today=today, worker=worker_name())
        except IngestError as exc:
            _quarantine(app, folder, f, info, exc.reason, str(exc), summary, today)
        return None
    return info


def parser_failed(
    app: App,
    folder: DropFolder,
    f: DroppedFile,
    info: IncomingFile,
    exc: Exception,
    summary: DropSummary,
    today: date,
) -> None:
    """A parser bug must not stop the night: the file is quarantined but not recorded, so
    dropping it again after the fix reads it again."""
    log.exception("unexpected error reading %s", f.relative_path, exc_info=exc)
    detail = f"{type(exc).__name__}: {exc}"
    _quarantine(app, folder, f, info, "parser-error", detail, summary, today, record=False)


def file_away(
    app: App,
    folder: DropFolder,
    f: DroppedFile,
    status: str,
    records: int,
    collected: Collected,
    summary: DropSummary,
    today: date,
) -> None:
    """After the commit: move the file to processed/ (or back where identical bytes went)."""
    if status == "already-seen":
        _seen_before(app, folder, f, summary, today, "identical bytes were processed before")
        summary.files.append(
            {"file": f.relative_path, "sha256": f.sha256, "outcome": "already-seen"}
        )
        return
    summary.files_done += 1
    if collected.rejected:
        _write_rejects(folder, f, collected, today)
    folder.complete(f, when=today)
    summary.files.append(
        {
            "file": f.relative_path,
            "sha256": f.sha256,
            "outcome": "done",
            "records": str(records),
            "rejected": str(len(collected.rejected)),
        }
    )


def file_batches(app: App, f: DroppedFile, collected: Collected) -> Iterator[list[IncomingRecord]]:
    """The file's records, parsed and normalised in batches (rejected parts to ``collected``)."""
    return convert_batches(
        parse_file(f, app),
        region=app.settings.default_region,
        received_at=f.received_at,
        collected=collected,
    )


def parse_file(f: DroppedFile, app: App) -> Iterator[ParsedItem]:
    origin = Path(f.relative_path).name
    if f.kind is FileKind.VCARD:
        from ingest.vcard import parse_vcards

        yield from parse_vcards(
            f.path.read_bytes(), file_sha256=f.sha256, origin=origin, received_at=f.received_at
        )
    elif f.kind is FileKind.EMAIL:
        yield from parse_message(
            f.path.read_bytes(), source_ref=f.source_ref, origin=origin, received_at=f.received_at
        )
    elif f.kind in (FileKind.IMAGE, FileKind.PDF):
        from ingest.scan import parse_scan

        kind: Literal["image", "pdf"] = "pdf" if f.kind is FileKind.PDF else "image"
        yield from parse_scan(
            f.path.read_bytes(),
            file_sha256=f.sha256,
            origin=origin,
            received_at=f.received_at,
            kind=kind,
            min_confidence=app.settings.scan_min_confidence,
        )
    elif f.kind in SHEETS:
        mapping = app.settings.mapping.get(Path(origin).stem) or app.settings.mapping.get("default")
        yield from parse_sheet(
            f.path, file_sha256=f.sha256, origin=origin, received_at=f.received_at, mapping=mapping
        )
    else:
        raise IngestError(f"{f.kind} files are not read", reason="unknown-format")


def _quarantine(
    app: App,
    folder: DropFolder,
    f: DroppedFile,
    info: IncomingFile,
    reason: str,
    detail: str,
    summary: DropSummary,
    today: date,
    *,
    record: bool = True,
) -> None:
    # A parser error is ours, not the file's: it is not recorded, so a re-drop is retried.
    new = not record or quarantine_file(app.uow(), info, reason, detail, worker=worker_name())
    if not new:
        _seen_before(app, folder, f, summary, today, "identical bytes were seen before")
        return
    summary.quarantined += 1
    summary.quarantine_reasons[reason] = summary.quarantine_reasons.get(reason, 0) + 1
    folder.quarantine(f, reason, detail, when=today)
    summary.files.append(
        {"file": f.relative_path, "sha256": f.sha256, "outcome": "quarantined", "reason": reason}
    )
    log.warning("quarantined %s: %s", f.relative_path, reason)


def _seen_before(
    app: App, folder: DropFolder, f: DroppedFile, summary: DropSummary, today: date, note: str
) -> None:
    """File bytes the ledger already knows: back to quarantine when they were quarantined
    (a run killed between that commit and the move, or a bad file dropped again)."""
    summary.already_seen += 1
    reason = quarantine_reason(app.uow(), f.sha256)
    if reason is None:
        folder.already_seen(f, when=today, note=note)
    else:
        detail = f"identical bytes were quarantined before ({reason}); they were not read again"
        folder.quarantine(f, reason, detail, when=today)


def _write_rejects(folder: DropFolder, f: DroppedFile, collected: Collected, today: date) -> None:
    """Bad rows/cards of a kept file: an error workbook in quarantine/<date>/."""
    target_dir = folder.quarantined / str(today)
    target_dir.mkdir(parents=True, exist_ok=True)
    stem = safe_name(f.original_name)
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "errors.xlsx"
        write_error_workbook(book, collected.rejected)
        dest = target_dir / f"{f.sha256[:12]}-{stem}.errors.xlsx"
        if not dest.exists():
            shutil.copyfile(book, dest)
