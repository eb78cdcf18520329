"""``salesflow web`` (the read-only web interface) and ``salesflow user add``."""

from __future__ import annotations

import sys

import typer

from flows.context import app as get_app
from flows.context import run
from flows.output import emit, fail
from pipeline.domain.events import utcnow

EXIT_REFUSED = 2


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        # One line; only the line break is dropped, so a password may contain other spaces.
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def _add_user(name: str, from_stdin: bool) -> None:
    from flows.web.store import ensure_tables
    from flows.web.users import UserError, add_user

    password = _read_password(from_stdin)
    application = get_app()
    run(application.check_schema)
    ensure_tables(application.engine)
    try:
        user_id = add_user(application.engine, name, password, utcnow())
    except UserError as exc:
        fail(str(exc), EXIT_REFUSED)
    emit({"user": name, "id": user_id}, False, f"User {name!r} created.")


def register(app: typer.Typer) -> None:
    user_app = typer.Typer(help="Users of the web interface.", no_args_is_help=True)
    app.add_typer(user_app, name="user")

    @user_app.command("add")
    def user_add(
        name: str = typer.Argument(..., help="Login name (no spaces)."),
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="Read the password from the first line of stdin."
        ),
    ) -> None:
        """Create a web user; the password is asked twice (or read from stdin)."""
        _add_user(name, password_stdin)

    @app.command()
    def web(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8400, "--port", help="Port to listen on."),
    ) -> None:
        """Serve the web interface (documents, leads, runs, funnel) with uvicorn."""
        import uvicorn

        from flows.web.app import create_app

        api = run(lambda: create_app(get_app()))
        uvicorn.run(api, host=host, port=port, proxy_headers=False, server_header=False)
