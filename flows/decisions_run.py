"""A decisions sheet from the drop folder: read it, apply each row once, report, file it away.

Ops drop ``decisions*.csv|xlsx`` with columns ``reference, action, reason, amount, date``
(English or Turkish titles: referans, işlem, neden, tutar, tarih; any case). The whole sheet is
read before any row is applied, so an unreadable file changes nothing and is quarantined by the
caller (``IngestError``). Rows are applied by ``pipeline.services.decisions``, each in its own
transaction with its ledger entry; the file's own ledger row (``ingest_files``) is written
last, so a re-drop of the same bytes is "already seen" and a crash mid-file resumes where it
stopped. When any row was refused, ``quarantine/<date>/<sha12>-<name>.result.xlsx`` lists every
row with its outcome and message.
"""

from __future__ import annotations

import csv
import itertools
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from flows.wiring import App
from ingest.csvread import iter_csv_rows
from ingest.dropfolder import DropFolder, DroppedFile, safe_name
from ingest.errorbook import neutralise
from ingest.errors import IngestError
from ingest.headers import normalise_header
from ingest.workbook import is_reader_failure, read_workbook
from pipeline.services.decisions import Decision, DecisionFile, Outcome, apply_decisions
from pipeline.services.intake import IncomingFile, file_seen, intake_file
from pipeline.store.database import make_session_factory
from pipeline.store.uow import UnitOfWork

if TYPE_CHECKING:
    from flows.dropbox_run import DropSummary

MAX_ROWS = 10_000  # ops sheets are short; a huge one is a mistake, not a batch to apply
_HEADER_ROWS = 10  # the header is looked for among the first rows
_COLUMNS = {
    "reference": ("reference", "ref", "referans", "number", "numara", "belge no"),
    "action": ("action", "islem", "karar", "decision"),
    "reason": ("reason", "neden", "note", "not", "aciklama"),
    "amount": ("amount", "tutar", "miktar"),
    "date": ("date", "tarih"),
}
_ALIASES = {alias: field for field, names in _COLUMNS.items() for alias in names}
_RESULT_HEADER = ("Row", "Reference", "Action", "Outcome", "Message")


def process_decisions(
    app: App, folder: DropFolder, f: DroppedFile, summary: DropSummary, *, today: date, worker: str
) -> None:
    """Apply a claimed decisions file exactly once; raises ``IngestError`` when unreadable."""
    factory = make_session_factory(app.engine)
    info = IncomingFile(sha256=f.sha256, name=f.relative_path, size=f.size, kind="decisions")
    if file_seen(UnitOfWork(factory), f.sha256) is not None:
        _already_seen(folder, f, summary, today)
        return
    decisions = read_decisions(f.path)
    source = DecisionFile(f.sha256, Path(f.relative_path).name, f.received_at)
    outcomes = apply_decisions(factory, source, decisions, currency=app.settings.currency)
    status, _ = intake_file(UnitOfWork(factory, actor="decisions"), info, [], worker=worker)
    if status == "already-seen":  # another worker finished identical bytes meanwhile
        _already_seen(folder, f, summary, today)
        return
    refused = sum(o.outcome == "refused" for o in outcomes)
    if refused:
        write_result(folder, f, outcomes, today)
    folder.complete(f, when=today)
    summary.files_done += 1
    summary.counts.records_parsed += len(outcomes)
    summary.counts.rejected += refused
    summary.files.append(
        {
            "file": f.relative_path,
            "outcome": "done",
            "applied": str(len(outcomes) - refused),
            "refused": str(refused),
        }
    )


def read_decisions(path: Path) -> list[Decision]:
    """The rows of a decisions sheet (first sheet of a workbook); blank rows are skipped."""
    try:
        return decisions_from_rows(enumerate(_first_table(path), start=1))
    except IngestError:
        raise
    except (csv.Error, UnicodeError) as exc:
        raise IngestError(f"the sheet could not be read: {exc}", reason="sheet-corrupt") from exc
    except BaseException as exc:
        if not is_reader_failure(exc):
            raise
        raise IngestError(f"the sheet could not be read: {exc}", reason="sheet-corrupt") from exc


def decisions_from_rows(numbered: Iterator[tuple[int, list[str]]]) -> list[Decision]:
    """Find the header (reference and action columns) among the first rows, then turn the rows
    below it into decisions; ``numbered`` pairs each row with its spreadsheet row number."""
    columns = _find_header(numbered)
    decisions = []
    for row_no, cells in itertools.islice(numbered, MAX_ROWS + 1):
        values = {field: cells[i].strip() if i < len(cells) else "" for field, i in columns.items()}
        if any(values.values()):
            decisions.append(Decision(row=row_no, **values))
    if len(decisions) > MAX_ROWS or next(numbered, None) is not None:
        raise IngestError(
            f"the sheet has more than {MAX_ROWS} rows; split it into several files",
            reason="decisions-too-many-rows",
        )
    return decisions


def _find_header(numbered: Iterator[tuple[int, list[str]]]) -> dict[str, int]:
    for _, cells in itertools.islice(numbered, _HEADER_ROWS):
        columns: dict[str, int] = {}
        for i, cell in enumerate(cells):
            field = _ALIASES.get(normalise_header(cell))
            if field is not None:
                columns.setdefault(field, i)  # the first of two same-named columns counts
        if "reference" in columns and "action" in columns:
            return columns
    raise IngestError(
        "no header row with 'reference' and 'action' columns was found in the first "
        f"{_HEADER_ROWS} rows (expected: reference, action, reason, amount, date)",
        reason="decisions-no-header",
    )


def write_result(
    folder: DropFolder, f: DroppedFile, outcomes: Sequence[Outcome], today: date
) -> Path:
    """Every row with its outcome, as ``quarantine/<date>/<sha12>-<name>.result.xlsx``."""
    target_dir = folder.quarantined / str(today)
    target_dir.mkdir(parents=True, exist_ok=True)
    dest = target_dir / f"{f.sha256[:12]}-{safe_name(f.original_name)}.result.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Decisions")
    header = [WriteOnlyCell(sheet, value=h) for h in _RESULT_HEADER]
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    for o in outcomes:
        texts = (o.reference, o.action, o.outcome, o.message)
        sheet.append([o.row, *(neutralise(v) for v in texts)])
    with tempfile.TemporaryDirectory() as tmp:
        # Written aside, then copied: a crash never leaves half a workbook in quarantine.
        built = Path(tmp) / "result.xlsx"
        book.save(built)
        if not dest.exists():
            shutil.copyfile(built, dest)
    return dest


def _first_table(path: Path) -> Iterator[list[str]]:
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head.strip():
        raise IngestError("the file is empty", reason="sheet-empty")
    if head.startswith(b"PK\x03\x04"):
        _, sheets = read_workbook(path, zipped=True)
        for _, rows in sheets:
            yield from rows
            return
    else:
        yield from iter_csv_rows(path)


def _already_seen(folder: DropFolder, f: DroppedFile, summary: DropSummary, today: date) -> None:
    summary.already_seen += 1
    folder.already_seen(f, when=today, note="identical bytes were processed before")
    summary.files.append({"file": f.relative_path, "outcome": "already-seen"})
