"""``salesflow check``: run the invariant checks on demand and report what they find."""

from __future__ import annotations

import typer

from flows.context import app as get_app
from flows.context import run
from flows.output import emit, emit_rows
from pipeline.domain.events import utcnow
from pipeline.services.invariants import Finding, run_checks

EXIT_FINDINGS = 1  # like a linter: something needs a look, the data itself was not changed

HELP = (
    "Look for records the sales process should never produce: orders without a won quote, "
    "invoices of unfulfilled orders, open opportunities with a won quote, active quotes past "
    "their validity date, gaps in document numbers, qualified leads without account, contact "
    "or opportunity, totals and payments that disagree.\n\n"
    "Exits 0 when nothing is found and 1 when there are findings."
)


def _findings() -> list[Finding]:
    application = get_app()
    application.check_schema()
    with application.engine.connect() as conn:
        return run_checks(conn, today=utcnow().date())


def register(app: typer.Typer) -> None:
    @app.command(help=HELP)
    def check(
        json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ) -> None:
        """Run the invariant checks; exit 1 when any finds something."""
        findings = run(_findings)
        rows = [f.as_dict() for f in findings]
        if json_out:
            emit(rows, True)
        elif rows:
            emit_rows(rows, ["check", "record", "message"], title="Invariant violations")
        else:
            emit({}, False, "No invariant violations.")
        if findings:
            raise typer.Exit(EXIT_FINDINGS)
