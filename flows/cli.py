"""The ``salesflow`` command line (Typer). Thin: parse options, call use cases, print."""

from __future__ import annotations

from pathlib import Path

import typer

from flows.commands import (
    check,
    documents,
    identity,
    ingest,
    records,
    run,
    serve,
    setup,
    watch,
    web,
)
from flows.context import G

app = typer.Typer(
    name="salesflow",
    help="Sales process pipeline: leads → opportunities → quotes → orders → invoices.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main_options(
    home: Path = typer.Option(
        None,
        "--home",
        envvar="SALESFLOW_HOME",
        help="Data folder (SQLite file, dropbox/, exports/). Default: ./salesflow-data",
    ),
    db: str = typer.Option(
        None,
        "--db",
        envvar="SALESFLOW_DATABASE_URL",
        help="Database URL. Default: SQLite in the home folder; "
        "e.g. postgresql+psycopg://user@host/db",
    ),
) -> None:
    """Global options for every command."""
    G.home, G.db, G.app = home, db, None


setup.register(app)
records.register(app)
documents.register(app)
run.register(app)
ingest.register(app)
identity.register(app)
check.register(app)
serve.register(app)
watch.register(app)
web.register(app)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
