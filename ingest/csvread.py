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
from collections.abc import Iterable, Iterator
from itertools import islice, tee
from pathlib import Path

from ingest.csvcodec import SAMPLE_BYTES, decode_sample, detect_encoding, open_text
from ingest.limits import CSV_FIELD_SIZE_LIMIT

DELIMITERS = (",", ";", "\t", "|")
_SNIFF_ROWS = 50
_FORGET_EVERY = 1000  # rows between letting go of the lines kept for the last record


def iter_csv_rows(path: Path) -> Iterator[list[str]]:
    """Yield the records of a CSV file as lists of strings, in file order.

    Raises ``UnsupportedInput`` when the file is not text. ``csv.Error`` can still escape
    mid-file (an unterminated quote running past the field size limit, or to the end of the
    file); the caller reports it and keeps the rows before.
    Fields up to ``CSV_FIELD_SIZE_LIMIT`` characters are read whole (a message pasted into a
    web form can be megabytes on one line).
    """
    # The limit is process-wide in the csv module; only ever raise it.
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_SIZE_LIMIT))
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample)
    delimiter = sniff_delimiter(decode_sample(sample, encoding))
    with open_text(path, encoding) as text:
        lines = _RecordLines(text)
        reader = csv.reader(lines.feed, delimiter=delimiter, quotechar='"', doublequote=True)
        # Each row is held back until the next one is read: the last row may turn out to be an
        # unterminated quote that swallowed the rest of the file, which is damage, not a record.
        last: list[str] | None = None
        start = end = 0  # the lines [start, end) of the file hold the record of ``last``
        try:
            for count, row in enumerate(reader):
                if last is not None:
                    yield last
                last, start, end = row, end, reader.line_num
                if not count % _FORGET_EVERY:
                    lines.forget_before(start)
        except csv.Error:
            if last is not None:  # the row before the damage is good
                yield last
            raise
        if last is not None:
            if _ends_inside_quotes(lines.text_from(start), delimiter):
                raise csv.Error("a quoted field is never closed; it runs to the end of the file")
            yield last


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

    def text_from(self, line: int) -> str:
        """The lines from ``line`` (0-based) to the end, as one text."""
        self.forget_before(line)
        return "".join(self._trail)


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
