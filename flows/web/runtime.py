"""What every request handler needs: the App, a clock and the template renderer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from flows.web.labels import LANGS, labels
from flows.wiring import App
from pipeline.domain.events import utcnow

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class Web:
    """The web interface's state, kept on ``fastapi_app.state.web``."""

    app: App
    clock: Callable[[], datetime] = utcnow
    env: Environment = field(default_factory=_environment)

    @property
    def quarantine(self) -> Path:
        return self.app.settings.dropbox / "quarantine"

    @property
    def runs(self) -> Path:
        return self.app.settings.home / "runs"


def web(request: Request) -> Web:
    """The Web state of the running application."""
    state: Web = request.app.state.web
    return state


def lang_of(request: Request) -> str:
    """The page language: ``?lang=tr`` or ``?lang=en``, else English."""
    lang = request.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` with the labels of the page language and the logged-in user."""
    lang = lang_of(request)

    def link(path: str, **params: Any) -> str:
        query = {k: v for k, v in params.items() if v not in (None, "")}
        if lang != "en":
            query["lang"] = lang
        return path + ("?" + urlencode(query) if query else "")

    html = (
        web(request)
        .env.get_template(template)
        .render(t=labels(lang), lang=lang, link=link, request=request, **context)
    )
    return HTMLResponse(html, status_code=status_code)
