"""Identity commands: ``review`` (possible duplicates), ``unmerge``, and file ``dedupe``."""

from __future__ import annotations

from pathlib import Path

import typer

from flows.context import EXIT_REFUSED, run
from flows.context import app as get_app
from flows.output import console, emit, emit_rows, fail
from pipeline.services import review as review_service

JSON = typer.Option(False, "--json", help="Machine-readable output.")


def register(app: typer.Typer) -> None:
    review_app = typer.Typer(
        help="Possible duplicates: list them, merge or keep apart.", invoke_without_command=True
    )
    app.add_typer(review_app, name="review")

    @review_app.callback()
    def review_list(
        ctx: typer.Context, limit: int = typer.Option(200, "--limit"), json_out: bool = JSON
    ) -> None:
        """List possible duplicates side by side (when no sub-command is given)."""
        if ctx.invoked_subcommand is not None:
            return
        pairs = run(lambda: review_service.open_pairs(get_app().uow(), limit))
        scans = run(lambda: review_service.scans_to_check(get_app().uow(), limit))
        if json_out:
            emit({"duplicates": pairs, "scans": scans}, True)
            return
        if scans:
            emit_rows(
                scans,
                ["record", "file", "name", "email", "phone", "why"],
                title="card scans to check (low OCR confidence)",
            )
        if not pairs:
            console.print("No possible duplicates waiting for review.")
        for p in pairs:
            rows = [
                {"field": f, p["a"]: p["lead_a"][f], p["b"]: p["lead_b"][f]} for f in p["lead_a"]
            ]
            emit_rows(
                rows,
                ["field", p["a"], p["b"]],
                title=f"score {p['score']}: {'; '.join(p['reasons'])}",
            )

    @review_app.command("merge")
    def review_merge(keep: str, other: str, json_out: bool = JSON) -> None:
        """Merge lead OTHER into lead KEEP (OTHER is closed as merged)."""
        result = run(lambda: review_service.merge(get_app().uow(), keep, other))
        emit(result.as_dict(), json_out, result.message)

    @review_app.command("keep-apart")
    def review_keep_apart(a: str, b: str, json_out: bool = JSON) -> None:
        """Remember that two leads are different people."""
        result = run(lambda: review_service.keep_apart(get_app().uow(), a, b))
        emit(result.as_dict(), json_out, result.message)

    @app.command()
    def score(
        lead: str,
        explain: bool = typer.Option(False, "--explain", help="List every rule contribution."),
        json_out: bool = JSON,
    ) -> None:
        """Show a lead's score (0–100), rating and, with --explain, why."""
        from pipeline.services.qualification import stored_score

        a = get_app()
        result = run(lambda: stored_score(a.uow(), lead, a.policy))
        if json_out:
            emit(result, True)
            return
        console.print(
            f"{result['lead']}: {result['score']} ({result['rating']}), rules {result['version']}",
            highlight=False,
        )
        if explain:
            for c in result["contributions"]:
                console.print(f"  {c['points']:+4d}  {c['reason']}", highlight=False)
            console.print(f"  total {result['score']}: {result['rating']}", highlight=False)

    @app.command()
    def unmerge(
        lead: str,
        record: str = typer.Option(
            None, "--record", help="source_ref of the merged record (default: latest)"
        ),
        json_out: bool = JSON,
    ) -> None:
        """Undo a merge: the lead gets its old values back, the record becomes its own lead."""
        result = run(lambda: review_service.unmerge(get_app().uow(), lead, record))
        emit(result.as_dict(), json_out, result.message)

    @app.command()
    def dedupe(
        source: Path = typer.Argument(..., help="CSV/XLSX/XLS/ODS to check."),
        out: Path = typer.Option(..., "--out", help="Result file (.csv or .xlsx)."),
        json_out: bool = JSON,
    ) -> None:
        """Cluster the people of a sheet without touching the database."""
        from flows.dedupe_file import dedupe_file

        if not source.exists():
            fail(f"{source} does not exist.", EXIT_REFUSED)
        if out.suffix.lower() not in (".csv", ".xlsx"):
            fail("--out must end in .csv or .xlsx.", EXIT_REFUSED)
        region = get_app().settings.default_region
        counts = run(lambda: dedupe_file(source, out, region=region))
        emit(
            {**counts, "out": str(out)},
            json_out,
            f"{counts['leads']} people in {counts['clusters']} clusters "
            f"({counts['duplicates']} duplicates); wrote {out}.",
        )
