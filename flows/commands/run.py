"""Commands that run flows: ``salesflow demo``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from flows.attended import attended_runs
from flows.context import app as get_app
from flows.context import run
from flows.output import console, emit, emit_rows, err_console

DEFAULT_SAMPLES = Path("examples/lifecycle.json")
DEFAULT_DROPBOX = Path("examples/dropbox")


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
        with attended_runs():
            result = run(
                lambda: demo_flow(str(samples), str(dropbox), str(s.home), s.database_url or None)
            )
        if json_out:
            emit(result, True)
            return
        _summary(result["nightly"])
        emit_rows(
            result["nightly"]["inputs"]["files"], ["file", "outcome", "reason"], title="files"
        )
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

    @app.command("run")
    def run_once(
        imap: bool = typer.Option(True, "--imap/--no-imap", help="Read the mailbox too."),
        only_dropbox: bool = typer.Option(
            False, "--dropbox-only", help="Run the small dropbox flow instead."
        ),
        settle: float = typer.Option(
            None,
            "--settle",
            help="Seconds a dropped file must be unchanged before it is taken (default 2).",
        ),
        json_out: bool = typer.Option(False, "--json", help="Print the whole manifest."),
    ) -> None:
        """Run the nightly flow once and print the run manifest summary.

        The run goes without Prefect's heartbeat thread (you are watching it); set
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY to keep heartbeats."""
        from flows.nightly import dropbox as dropbox_flow
        from flows.nightly import nightly as nightly_flow

        s = get_app().settings
        home, db = str(s.home), s.database_url or None
        with attended_runs():
            manifest = run(
                lambda: (
                    dropbox_flow(home, db, settle)
                    if only_dropbox
                    else nightly_flow(home, db, imap, settle)
                )
            )
        if json_out:
            emit(manifest, True)
            return
        _summary(manifest)

    @app.command("runs")
    def runs(
        limit: int = typer.Option(20, "--limit"),
        json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ) -> None:
        """List past runs (their manifests), newest first."""
        from flows.manifest import list_runs

        rows = list_runs(get_app().settings.home / "runs", limit)
        if json_out:
            emit(rows, True)
        else:
            emit_rows([_run_line(row) for row in rows], title="runs", compact=True)
            for row in rows:
                if row.get("error"):
                    err_console.print(
                        f"unreadable manifest {row['path']}: {row['error']}",
                        highlight=False,
                        markup=False,
                    )


def _run_line(row: dict[str, Any]) -> dict[str, Any]:
    """A ``runs`` row short enough for 80 columns (``--json`` has everything)."""
    return {
        "started": str(row.get("started", ""))[:16].replace("T", " "),
        "flow": row["flow"],
        "files": row.get("files"),
        "msgs": row.get("messages"),
        "leads": row.get("leads"),
        "qual.": row.get("qualified"),
        "docs": row.get("documents"),
        "findings": row.get("findings"),
        "run": str(row["run"])[:8],
    }


SUMMARY_KEYS = [
    "files_seen",
    "messages_seen",
    "records_parsed",
    "leads_created",
    "merged",
    "attached_to_existing",
    "review_pairs",
    "qualified",
    "disqualified",
    "quarantined",
    "auto_replies",
    "bounces",
    "documents_exported",
]


def _summary(manifest: dict[str, object]) -> None:
    counts = manifest["counts"]
    assert isinstance(counts, dict)
    emit_rows(
        [{"count": k, "value": counts.get(k, 0)} for k in SUMMARY_KEYS],
        ["count", "value"],
        title=f"{manifest['flow']} run {manifest['run_id']}",
    )
    durations = manifest["durations"]
    assert isinstance(durations, dict)
    console.print(
        "stages: " + ", ".join(f"{k} {v:.2f}s" for k, v in durations.items()), highlight=False
    )
    findings = manifest["findings"]
    assert isinstance(findings, list)
    if findings:
        emit_rows(findings, ["check", "record", "message"], title="invariant findings")
    docs = manifest["documents"]
    assert isinstance(docs, list)
    for doc in docs:
        console.print(f"  wrote {doc['path']}", highlight=False)
    console.print(
        f"manifest: {manifest['manifest']}"
        + ("" if manifest["changed_anything"] else " (nothing changed)"),
        highlight=False,
    )
