"""Printing results: rich tables for people, JSON for machines; one-sentence errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, default=str, ensure_ascii=False, indent=2) + "\n")


def emit(data: Any, as_json: bool, message: str = "") -> None:
    """Print a result: JSON when asked, else the message (or a key/value table)."""
    if as_json:
        emit_json(data)
    elif message:
        console.print(message, highlight=False)
    elif isinstance(data, dict):
        table = Table(show_header=False, box=None)
        for key, value in data.items():
            if key != "lines":
                table.add_row(f"[bold]{key}[/]", "" if value is None else str(value))
        console.print(table)
        if data.get("lines"):
            emit_rows(data["lines"])


def emit_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str] | None = None,
    title: str | None = None,
    *,
    compact: bool = False,
) -> None:
    """A table of ``rows``; ``compact`` draws no column rules, for wide listings on 80 columns."""
    if not rows:
        console.print("(none)")
        return
    cols = list(columns or rows[0].keys())
    table = (
        Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, padding=0)
        if compact
        else Table(title=title)
    )
    for col in cols:
        table.add_column(col)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in cols))
    console.print(table)


def fail(message: str, code: int) -> None:
    """Print one sentence to stderr and exit with ``code``."""
    err_console.print(f"[red]error:[/] {message}", highlight=False)
    raise SystemExit(code)
