"""Downloads: issued workbooks by their ``document_files`` id, quarantined files by key.

A workbook is sent only when it lies inside the exports folder and its bytes still have the
sha256 recorded when it was issued; otherwise the answer is 409 and the mismatch is logged.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import select

from flows.web.auth import download_user
from flows.web.runs import find_quarantined
from flows.web.runtime import web
from flows.web.users import User
from pipeline.store import tables as t

log = logging.getLogger("salesflow.web")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
DOTS = re.compile(r"\.{2,}")

router = APIRouter()


def safe_filename(text: str, suffix: str = "") -> str:
    """A file name that needs no quoting: letters, digits, dot, dash and underscore only."""
    name = DOTS.sub(".", UNSAFE.sub("_", text)).strip("._") or "download"
    return name[:120] + suffix


def _attachment(data: bytes, filename: str, media_type: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/files/{file_id}", name="download_file")
def download_file(
    request: Request, file_id: int, user: Annotated[User, Depends(download_user)]
) -> Response:
    """The workbook of one issued document, checked against its recorded sha256."""
    app = web(request).app
    c = t.document_files.c
    with app.engine.connect() as conn:
        row = conn.execute(select(c.number, c.path, c.sha256).where(c.id == file_id)).first()
    if row is None:
        return PlainTextResponse("No such document file.", status_code=404)
    exports = app.settings.exports.resolve()
    path = Path(row.path).resolve()
    if not path.is_relative_to(exports):
        log.error("document file %s points outside the exports folder: %s", file_id, path)
        return PlainTextResponse("This file is not in the exports folder.", status_code=409)
    try:
        data = path.read_bytes()
    except OSError:
        return PlainTextResponse(f"The file of {row.number} is missing.", status_code=404)
    if hashlib.sha256(data).hexdigest() != row.sha256:
        log.error("sha256 mismatch for %s (%s), requested by %s", row.number, path, user.name)
        return PlainTextResponse(
            f"The file of {row.number} was changed after it was issued (its sha256 no longer "
            "matches the recorded one); it is not sent. Re-export it or restore it.",
            status_code=409,
        )
    return _attachment(data, safe_filename(row.number, ".xlsx"), XLSX)


@router.get("/quarantine/{key}", name="download_quarantined")
def download_quarantined(
    request: Request, key: str, user: Annotated[User, Depends(download_user)]
) -> Response:
    """A quarantined file, named by the key of the server's own listing."""
    found = find_quarantined(web(request).quarantine, key)
    if found is None:
        return PlainTextResponse("No such quarantined file.", status_code=404)
    log.info("%s downloads quarantined %s/%s", user.name, found.folder, found.name)
    stem, dot, ext = found.name.rpartition(".")
    name = safe_filename(stem, "." + safe_filename(ext)) if dot else safe_filename(found.name)
    # Sent as opaque bytes: a quarantined file is untrusted and must not render in the browser.
    return _attachment(found.path.read_bytes(), name, "application/octet-stream")
