"""Commands that run flows: ``salesflow demo``."""

from __future__ import annotations

from pathlib import Path

import typer

from flows.context import app as get_app
from flows.context import run
from flows.output import emit, emit_rows

DEFAULT_SAMPLES = Path("examples/lifecycle.json")


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        samples: Path = typer.Option(
            DEFAULT_SAMPLES, "--samples", help="Sample leads and products (JSON)."
        ),
        json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ) -> None:
        """Run the demo flow: sample leads walk from lead to paid invoice."""
        from flows.demo import demo as demo_flow

        s = get_app().settings
        rows = run(lambda: demo_flow(str(samples), str(s.home), s.database_url or None))
        if json_out:
            emit(rows, True)
            return
        emit_rows(
            rows,
            ["lead", "name", "quote", "order", "invoice", "total", "final"],
            title="salesflow demo — lifecycle summary",
        )
