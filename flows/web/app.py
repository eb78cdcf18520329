"""The FastAPI application: routers, the login guard and security headers on every response.

``create_app(app)`` builds it from the same ``App`` the CLI uses; the web tables are created
when missing. Run it with ``salesflow web`` (uvicorn on 127.0.0.1 by default).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.responses import Response

from flows.web import auth, downloads, pages
from flows.web.runtime import Web
from flows.web.store import ensure_tables
from flows.wiring import App
from pipeline.domain.events import utcnow

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    if "cache-control" not in response.headers:
        # Pages show customer data: keep them out of shared and back-button caches.
        response.headers["Cache-Control"] = "no-store"
    return response


def create_app(app: App, clock: Callable[[], datetime] = utcnow) -> FastAPI:
    """The web interface over ``app``'s database and folders."""
    app.check_schema()
    ensure_tables(app.engine)
    api = FastAPI(title="salesflow", docs_url=None, redoc_url=None, openapi_url=None)
    api.state.web = Web(app=app, clock=clock)
    api.middleware("http")(_security_headers)
    api.add_exception_handler(auth.LoginRequired, auth.login_required_response)  # type: ignore[arg-type]
    api.include_router(auth.router)
    api.include_router(pages.router)
    api.include_router(downloads.router)
    return api
