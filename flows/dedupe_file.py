"""``salesflow dedupe INPUT --out OUTPUT``: cluster the people of a sheet, no database.

The input is read by the ingest layer (any delimiter/encoding, XLSX/XLS/ODS); the output is the
input table (first sheet) with ``cluster_id``, ``match_score`` and ``match_reason`` added, as CSV
or XLSX by the output's extension. An ``id`` column in the input names the rows; otherwise rows
are named ``row-<n>`` after their row number in the file.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from ingest.csvread import iter_csv_rows
from ingest.errorbook import neutralise
from ingest.normalise import build_candidates
from ingest.records import RawRecord, Rejected
from ingest.sheet import parse_sheet
from ingest.workbook import read_workbook
from pipeline.dedupe import Person, dedupe_table

EXTRA = ["cluster_id", "match_score", "match_reason"]


def _row_number(source_ref: str) -> int:
    return int(source_ref.rsplit("row-", 1)[1])


def _table(path: Path) -> list[list[str]]:
    head = path.read_bytes()[:8]
    if head.startswith((b"PK", bytes.fromhex("D0CF11E0"))):
        _, sheets = read_workbook(path, zipped=head.startswith(b"PK"))
        for _, rows in sheets:
            return [list(r) for r in rows]
        return []
    return [list(r) for r in iter_csv_rows(path)]


def dedupe_file(src: Path, out: Path, *, region: str) -> dict[str, int]:
    """Write ``out``; returns counts (rows, leads, clusters with more than one row)."""
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    items = list(parse_sheet(src, file_sha256=sha, origin=src.name, received_at=datetime.now(UTC)))
    records = [i for i in items if isinstance(i, RawRecord) and "!" not in i.source_ref]
    table = _table(src)
    header_at = next((n for n, row in enumerate(table) if any(c.strip() for c in row)), 0)
    header = [h.strip().lower() for h in table[header_at]] if table else []
    id_col = header.index("id") if "id" in header else None
    people: list[Person] = []
    numbers: list[int] = []
    for cand in build_candidates(records, default_region=region):
        n = _row_number(cand.record.source_ref)
        row = table[n - 1] if n - 1 < len(table) else []
        pid = row[id_col].strip() if id_col is not None and id_col < len(row) else ""
        people.append(
            Person(
                id=pid or f"row-{n}",
                first_name=cand.first_name,
                last_name=cand.last_name,
                email=cand.email,
                email_key=cand.email_key,
                phone=cand.phone,
                company_key=cand.company_key,
                city=cand.city,
            )
        )
        numbers.append(n)
    results = dict(zip(numbers, dedupe_table(people), strict=True))
    rejected = {
        _row_number(i.source_ref): i.reason
        for i in items
        if isinstance(i, Rejected) and "row-" in i.source_ref
    }
    rows = list(_output_rows(table, header_at, results, rejected))
    _write(out, rows)
    clusters = {c for c, _, _ in results.values()}
    return {
        "rows": len(table) - header_at - 1,
        "leads": len(people),
        "clusters": len(clusters),
        "duplicates": len(people) - len(clusters),
    }


def _output_rows(
    table: list[list[str]],
    header_at: int,
    results: dict[int, tuple[str, float, str]],
    rejected: dict[int, str],
) -> Iterator[list[str]]:
    width = max((len(r) for r in table), default=0)
    for i, row in enumerate(table):
        padded = row + [""] * (width - len(row))
        n = i + 1
        if i == header_at:
            yield padded + EXTRA
        elif n in results:
            cluster, score, reason = results[n]
            yield padded + [cluster, f"{score:.4f}", reason]
        elif i > header_at:
            note = f"not a lead: {rejected[n]}" if n in rejected else ""
            yield padded + ["", "", note]


def _write(out: Path, rows: list[list[str]]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("dedupe")
        for row in rows:
            ws.append([neutralise(v) for v in row])
        wb.save(out)
        return
    with out.open("w", newline="", encoding="utf-8-sig") as fh:
        csv.writer(fh).writerows([[neutralise(v) for v in row] for row in rows])
