"""Login, logout and the guard every page and download goes through.

Session cookie: HttpOnly, SameSite=Lax, Secure when the request came over HTTPS (directly or
through a proxy saying ``X-Forwarded-Proto: https``). The login form is protected by a
double-submit CSRF cookie (there is no session yet); logout by the session's own CSRF token.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from flows.web import throttle
from flows.web.runtime import render, web
from flows.web.users import (
    SESSION_LIFETIME,
    User,
    authenticate,
    close_session,
    open_session,
    session_user,
)

log = logging.getLogger("salesflow.web")

SESSION_COOKIE = "sf_session"
CSRF_COOKIE = "sf_csrf"

router = APIRouter()


class LoginRequired(Exception):
    """No live session: HTML pages redirect to /login, downloads answer 401."""

    def __init__(self, download: bool) -> None:
        super().__init__("login required")
        self.download = download


def is_https(request: Request) -> bool:
    """True when the browser talks HTTPS to us or to the proxy in front of us."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _user(request: Request) -> User | None:
    token = request.cookies.get(SESSION_COOKIE, "")
    state = web(request)
    return session_user(state.app.engine, token, state.clock())


def page_user(request: Request) -> User:
    """Dependency of HTML pages: the logged-in user, else a redirect to the login page."""
    user = _user(request)
    if user is None:
        raise LoginRequired(download=False)
    return user


def download_user(request: Request) -> User:
    """Dependency of downloads: the logged-in user, else 401."""
    user = _user(request)
    if user is None:
        raise LoginRequired(download=True)
    return user


def login_required_response(request: Request, exc: LoginRequired) -> Response:
    """What an anonymous request gets."""
    if exc.download:
        return PlainTextResponse("Log in to download files.", status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = request.url_for("login_form").include_query_params(next=target)
    return RedirectResponse(str(login.path) + "?" + str(login.query), status_code=303)


def safe_next(value: str) -> str:
    """A local path to go to after login; anything that could leave the site becomes ``/``."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def client_ip(request: Request) -> str:
    # The socket's address, not X-Forwarded-For: a header anyone can set would let an attacker
    # pick a fresh "IP" for every guess.
    return request.client.host if request.client else "unknown"


def _login_page(
    request: Request,
    status_code: int = 200,
    error: str = "",
    next_url: str = "/",
    until: str = "",
) -> Response:
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        status_code,
        csrf=token,
        error=error,
        next_url=next_url,
        until=until,
        user=None,
    )
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, samesite="strict", secure=is_https(request), path="/"
    )
    return response


@router.get("/login", name="login_form")
def login_form(request: Request, next: str = "/") -> Response:
    """The login form."""
    return _login_page(request, next_url=safe_next(next))


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password (unless locked), then start a session."""
    if not _same(csrf, request.cookies.get(CSRF_COOKIE, "")):
        return PlainTextResponse("The form expired; reload the login page.", status_code=403)
    state, ip, now = web(request), client_ip(request), web(request).clock()
    engine = state.app.engine
    until = throttle.locked_until(engine, name, ip, now)
    if until is not None:
        log.warning("login refused while locked: name=%r ip=%s", name, ip)
        return _locked(request, until, safe_next(next))
    user_id = authenticate(engine, name, password)
    if user_id is None:
        throttle.record_failure(engine, name, ip, now)
        log.warning("failed login: name=%r ip=%s", name, ip)
        return _login_page(request, 401, "login_failed", safe_next(next))
    throttle.clear_failures(engine, name, ip)
    token = open_session(engine, user_id, now)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )
    return response


def _locked(request: Request, until: datetime, next_url: str) -> Response:
    shown = until.strftime("%Y-%m-%d %H:%M")
    response = _login_page(request, 429, "locked", next_url, until=shown)
    response.headers["Retry-After"] = str(
        max(1, int((until - web(request).clock()).total_seconds()))
    )
    response.headers["X-Locked-Until"] = until.isoformat(timespec="seconds")
    return response


@router.post("/logout")
def logout(
    request: Request,
    user: Annotated[User, Depends(page_user)],
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """End the session (the row is deleted, so the old cookie no longer works anywhere)."""
    if not _same(csrf, user.csrf_token):
        return PlainTextResponse("The form expired; reload the page.", status_code=403)
    state = web(request)
    close_session(state.app.engine, request.cookies.get(SESSION_COOKIE, ""), state.clock())
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response
