"""Commands that run flows: ``salesflow demo``."""

from __future__ import annotations

from pathlib import Path

import typer

from flows.context import app as get_app
from flows.context import run
from flows.output import console, emit, emit_rows

DEFAULT_SAMPLES = Path("examples/lifecycle.json")
DEFAULT_DROPBOX = Path("examples/dropbox")
INGEST_KEYS = [
    "files_seen",
    "records_parsed",
    "leads_created",
    "duplicates_skipped",
    "quarantined",
    "auto_replies",
    "bounces",
]


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        samples: Path = typer.Option(
            DEFAULT_SAMPLES, "--samples", help="Sample leads and products (JSON)."
        ),
        dropbox: Path = typer.Option(
            DEFAULT_DROPBOX, "--dropbox", help="Sample files to ingest first (copied in)."
        ),
        json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ) -> None:
        """Run the demo flow: ingest sample files, then walk sample leads to a paid invoice."""
        from flows.demo import demo as demo_flow

        s = get_app().settings
        result = run(
            lambda: demo_flow(str(samples), str(dropbox), str(s.home), s.database_url or None)
        )
        if json_out:
            emit(result, True)
            return
        ingest = result["ingest"]
        emit_rows([{k: ingest[k] for k in INGEST_KEYS}], INGEST_KEYS, title=f"ingest of {dropbox}")
        emit_rows(ingest["files"], ["file", "outcome", "records", "rejected", "reason"])
        emit_rows(
            result["lifecycle"],
            ["lead", "name", "invoice", "total", "final"],
            title="lifecycle: lead to paid invoice",
        )
        console.print("\n[bold]Documents written:[/]")
        for row in result["lifecycle"]:
            for path in row.get("files", []):
                console.print(f"  {path}", highlight=False)
        console.print(f"  {result['report']}", highlight=False)
