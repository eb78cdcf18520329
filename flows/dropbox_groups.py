"""Small files of the drop folder stored many at a time (emails, business cards, short exports).

A file per transaction costs a commit, a claim and a matching pass; for one email that is
nearly all of its cost, and a night of thousands of ``.eml`` files spent most of its time
there. Small files are parsed first (each on its own: a bad one is quarantined alone), then
up to ``GROUP_FILES`` of them are stored in one transaction (``intake_files``) and filed away
after its commit. Exactly-once is unchanged: each file still has its own claim row, written
in the same transaction as its records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

from flows.convert import Collected
from flows.dropbox_run import (
    SHEETS,
    DropSummary,
    _quarantine,
    file_away,
    file_batches,
    parser_failed,
    readable,
    worker_name,
)
from flows.wiring import App
from ingest.dropfolder import DropFolder, DroppedFile
from ingest.errors import IngestError
from ingest.sniff import FileKind
from pipeline.services.intake import IncomingFile, IncomingRecord, intake_files

GROUPED_KINDS = {FileKind.EMAIL, FileKind.VCARD} | SHEETS
SMALL_BYTES = 256 * 1024
GROUP_FILES = 500
GROUP_BYTES = 16 * 1024 * 1024


def is_small(f: DroppedFile) -> bool:
    """Whether ``f`` is stored together with other small files."""
    return f.kind in GROUPED_KINDS and f.size <= SMALL_BYTES and not f.reject_reason


def groups(files: Sequence[DroppedFile]) -> Iterator[list[DroppedFile]]:
    """Consecutive runs of at most ``GROUP_FILES`` files and ``GROUP_BYTES`` bytes."""
    group: list[DroppedFile] = []
    size = 0
    for f in files:
        if group and (len(group) >= GROUP_FILES or size + f.size > GROUP_BYTES):
            yield group
            group, size = [], 0
        group.append(f)
        size += f.size
    if group:
        yield group


Parsed = tuple[DroppedFile, IncomingFile, list[IncomingRecord], Collected]


def process_group(
    app: App,
    folder: DropFolder,
    files: Sequence[DroppedFile],
    summary: DropSummary,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Parse each file, store the readable ones in one transaction, then file them away."""
    today = datetime.now(UTC).date()
    parsed: list[Parsed] = []
    for f in files:
        if progress:
            progress(f.relative_path)
        item = _read(app, folder, f, summary)
        if item is not None:
            parsed.append(item)
    if not parsed:
        return
    status, counts = intake_files(
        app.uow(),
        [(info, records) for _, info, records, _ in parsed],
        worker=worker_name(),
        policy=app.policy,
    )
    summary.counts.add(counts)
    for (f, _, records, collected), st in zip(parsed, status, strict=True):
        file_away(app, folder, f, st, len(records), collected, summary, today)


def _read(app: App, folder: DropFolder, f: DroppedFile, summary: DropSummary) -> Parsed | None:
    """One small file parsed and normalised; None when it was quarantined instead."""
    today = datetime.now(UTC).date()
    info = readable(app, folder, f, summary, today)
    if info is None:
        return None
    collected = Collected()
    try:
        records = [r for batch in file_batches(app, f, collected) for r in batch]
    except IngestError as exc:
        _quarantine(app, folder, f, info, exc.reason, str(exc), summary, today)
        return None
    except Exception as exc:  # a parser bug must not stop the night; the file is kept
        parser_failed(app, folder, f, info, exc, summary, today)
        return None
    return f, info, records, collected
