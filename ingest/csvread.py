"""Reading CSV files as rows of strings: encoding, delimiter sniffing, streaming.

Every cell is a ``str`` exactly as written (no type inference, so phone numbers and postcodes
keep their leading zeros and never turn into ``3.210589e+09``). Rows are streamed from a
decoded text stream, so memory stays flat however long the file is. Quoted fields may contain
delimiters, quotes ("" escapes) and newlines.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice, tee
from pathlib import Path

from ingest.csvcodec import SAMPLE_BYTES, decode_sample, detect_encoding, open_text
from ingest.limits import CSV_FIELD_SIZE_LIMIT

DELIMITERS = (",", ";", "\t", "|")
Fix = Callable[[list[str]], list[str]]
_SNIFF_ROWS = 50


def iter_csv_rows(path: Path) -> Iterator[list[str]]:
    """Yield the records of a CSV file as lists of strings, in file order.

    Raises ``UnsupportedInput`` when the file is not text. ``csv.Error`` can still escape
    mid-file (an unterminated quote running past the field size limit, or to the end of the
    file); the caller reports it and keeps the rows before.
    Fields up to ``CSV_FIELD_SIZE_LIMIT`` characters are read whole (a message pasted into a
    web form can be megabytes on one line).
    """
    for batch in iter_csv_batches(path):
        yield from batch


def iter_csv_batches(
    path: Path, size: int = 256, *, fix_nul: Fix | None = None
) -> Iterator[list[list[str]]]:
    """``iter_csv_rows`` in lists of up to ``size`` records (the sheet parser's hot path).

    Each list is given out once the next one has been read: the last record may turn out to
    be an unterminated quote that swallowed the rest of the file, which is damage, not a
    record. When the reader fails, the records before the failure still come out first.
    ``fix_nul`` replaces each record holding a NUL character (the reader sees them cheaply,
    in the lines).
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    # The limit is process-wide in the csv module; only ever raise it.
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_SIZE_LIMIT))
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample)
    delimiter = sniff_delimiter(decode_sample(sample, encoding))
    with open_text(path, encoding) as text:
        yield from _held_batches(_RecordLines(text), delimiter, size, fix_nul)


def _held_batches(
    lines: _RecordLines, delimiter: str, size: int, fix_nul: Fix | None
) -> Iterator[list[list[str]]]:
    """``iter_csv_batches`` once the text is open: each batch is held until the next is read."""
    reader = _Records(lines.feed, delimiter, fix_nul)
    held: list[list[str]] = []  # read, not given out yet
    held_from = 0  # the file line (0-based) where the records of ``held`` begin
    while True:
        mark = reader.line_num
        batch: list[list[str]] = []
        try:
            reader.read(batch, size)
        except csv.Error:
            if held or batch:  # the rows before the damage are good
                yield held + batch
            raise
        except Exception:
            if len(held) + len(batch) > 1:  # all but the row read last, as row by row
                yield (held + batch)[:-1]
            raise
        if not batch:
            break
        if held:
            yield held
        lines.forget_before(held_from)
        held, held_from = batch, mark
    if held:
        if _ends_inside_quotes(_last_record(lines.lines_from(held_from), delimiter), delimiter):
            if len(held) > 1:
                yield held[:-1]
            raise csv.Error("a quoted field is never closed; it runs to the end of the file")
        yield held


class _Records:
    """The records in a text stream's lines, exactly as ``csv.reader`` reads them in this
    module's dialect, and how many lines they took (``line_num``).

    A line without a quote character is one whole record of unquoted fields, which
    ``str.split`` reads as the csv reader does (after the line break; a bare line break is an
    empty record) at a fraction of the cost. A line with a quote, or too long to be sure no
    field in it is over the field size limit, goes to a csv reader, which takes as many more
    lines as its record needs, and raises as it would have.
    """

    def __init__(self, lines: Iterator[str], delimiter: str, fix_nul: Fix | None) -> None:
        self._lines = lines
        self._fix_nul = fix_nul
        self._delimiter = delimiter
        self._limit = csv.field_size_limit()
        # Made once: building the dialect from keywords costs more than reading a record.
        self._dialect = csv.reader((), delimiter=delimiter, quotechar='"', doublequote=True).dialect
        self.line_num = 0

    def read(self, batch: list[list[str]], size: int) -> None:
        """Append up to ``size`` records to ``batch``; when reading fails, the records before
        the failure are in it."""
        delimiter, limit, append = self._delimiter, self._limit, batch.append
        count = 0
        for line in self._lines:
            count += 1
            if '"' in line or len(line) > limit:
                append(self._quoted(line))
            elif "\x00" in line and self._fix_nul is not None:
                text = line.rstrip("\r\n")
                append(self._fix_nul(text.split(delimiter) if text else []))
            else:
                text = line.rstrip("\r\n")
                append(text.split(delimiter) if text else [])
            if count == size:
                break
        self.line_num += count

    def _quoted(self, line: str) -> list[str]:
        """The record that starts with ``line`` (and the lines it takes after it)."""
        reader = csv.reader(chain((line,), self._lines), self._dialect)
        row = next(reader)
        self.line_num += reader.line_num - 1  # the lines after ``line``
        if self._fix_nul is not None and "\x00" in "".join(row):
            return self._fix_nul(row)
        return row


def _last_record(lines: list[str], delimiter: str) -> str:
    """The text of the last record in ``lines``, which begin at a record boundary."""
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True)
    start = end = 0  # the lines [start, end) hold the record read last
    for _ in reader:
        start, end = end, reader.line_num
    return "".join(lines[start:])


class _RecordLines:
    """A text stream's lines for the csv reader (``feed``), and a copy of the latest ones.

    The reader takes its lines from ``feed`` at C speed; ``tee`` keeps each line until the
    trailing copy passes it, so the source text of the last record can still be read after
    the end. ``forget_before`` lets the lines of earlier records go (memory stays flat).
    """

    def __init__(self, text: Iterable[str]) -> None:
        self.feed, self._trail = tee(text)
        self._forgotten = 0  # lines dropped from the trailing copy

    def forget_before(self, line: int) -> None:
        """Drop the lines before ``line`` (0-based) from the trailing copy."""
        deque(islice(self._trail, line - self._forgotten), maxlen=0)
        self._forgotten = line

    def lines_from(self, line: int) -> list[str]:
        """The lines from ``line`` (0-based) to the end."""
        self.forget_before(line)
        return list(self._trail)


def _ends_inside_quotes(record: str, delimiter: str) -> bool:
    """True when ``record`` opens a quoted field that the end of the file cuts off."""
    reader = csv.reader(io.StringIO(record), delimiter=delimiter, quotechar='"', strict=True)
    try:
        for _ in reader:
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def sniff_delimiter(sample: str) -> str:
    """Pick the delimiter that splits the first rows into the most consistent column count.

    Each candidate is tried with a real (quote-aware) CSV reader, so delimiters inside quoted
    fields do not count. A candidate must give at least two columns; among those the best has
    the header agreeing with the usual width, then the most rows at that width, then more
    columns (a ";" file whose addresses contain one "," each still splits best on ";").
    Falls back to "," (one-column files).
    """
    if "\n" in sample.rstrip("\r\n"):
        sample = sample[: sample.rstrip("\r\n").rfind("\n")]  # the last line may be cut off
    best, best_key = ",", (False, 0.0, 0)
    for delimiter in DELIMITERS:
        key = _split_quality(sample, delimiter)
        if key is not None and key > best_key:
            best, best_key = delimiter, key
    return best


def _split_quality(sample: str, delimiter: str) -> tuple[bool, float, int] | None:
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter, quotechar='"')
    widths: list[int] = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                widths.append(len(row))
            if len(widths) >= _SNIFF_ROWS:
                break
    except csv.Error:
        return None
    if not widths:
        return None
    usual, count = Counter(widths).most_common(1)[0]
    if usual < 2:
        return None
    return widths[0] == usual, round(count / len(widths), 2), usual
