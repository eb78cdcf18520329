"""``salesflow ingest``: the drop folder (or given paths) and the mailbox, once."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from flows.context import EXIT_REFUSED, run
from flows.context import app as get_app
from flows.output import console, emit, emit_rows, fail


def register(app: typer.Typer) -> None:
    @app.command()
    def ingest(
        paths: list[Path] = typer.Argument(
            None,
            help="Files or folders to ingest instead of "
            "waiting for them in dropbox/inbox (copied in).",
        ),
        imap: bool = typer.Option(
            True, "--imap/--no-imap", help="Also read the mailbox (when [imap] is configured)."
        ),
        settle: float = typer.Option(
            None,
            "--settle",
            help="Seconds a dropped file must be unchanged before it is taken (default 2).",
        ),
        json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ) -> None:
        """Ingest leads from the drop folder and the inquiry mailbox; print a summary."""
        from flows.ingestion import run_ingest

        application = get_app()
        for p in paths or []:
            if not p.exists():
                fail(f"{p} does not exist.", EXIT_REFUSED)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=json_out,
        ) as bar:
            task = bar.add_task("ingesting", total=None)
            result = run(
                lambda: run_ingest(
                    application,
                    paths or (),
                    use_imap=imap,
                    settle_seconds=settle,
                    progress=lambda name: bar.update(task, description=f"ingesting {name}"),
                )
            )
        data = result.as_dict()
        if json_out:
            emit(data, True)
            return
        emit({k: v for k, v in data.items() if k != "files"}, False)
        if data["files"]:
            emit_rows(
                data["files"], ["file", "outcome", "records", "rejected", "reason"], title="files"
            )
