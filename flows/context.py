"""The CLI's shared state: global options → Settings → App, and error handling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from exports.errors import ExportError
from flows.output import fail
from flows.settings import load_settings
from flows.wiring import App, NotInitialised
from ingest.errors import IngestError
from pipeline.domain.errors import DomainError

T = TypeVar("T")

EXIT_REFUSED = 2  # an illegal move or unknown reference: nothing was written
EXIT_FAILED = 1


class Globals:
    home: Path | None = None
    db: str | None = None
    app: App | None = None


G = Globals()


def app() -> App:
    """The App for this invocation (settings read once)."""
    if G.app is None:
        try:
            G.app = App(load_settings(G.home, G.db))
        except ValidationError as exc:
            fail(
                f"invalid settings: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}", EXIT_FAILED
            )
    assert G.app is not None
    return G.app


@contextmanager
def handled() -> Iterator[None]:
    """Turn known errors into one sentence and an exit status."""
    try:
        yield
    except DomainError as exc:
        fail(str(exc), EXIT_REFUSED)
    except NotInitialised as exc:
        fail(str(exc), EXIT_FAILED)
    except IngestError as exc:
        fail(str(exc), EXIT_FAILED)
    except ExportError as exc:
        fail(str(exc), EXIT_FAILED)
    except OperationalError as exc:
        fail(f"the database cannot be used: {exc.orig}", EXIT_FAILED)
    except (ValueError, TypeError) as exc:
        fail(str(exc), EXIT_REFUSED)


def run(fn: Callable[[], T]) -> T:
    with handled():
        return fn()
    raise AssertionError("unreachable")
