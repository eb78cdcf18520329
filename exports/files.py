"""Where workbooks land and when an existing file may be replaced.

File names come from the document number only (parsed and re-printed, so nothing a customer
typed can reach the path). Writes are atomic (a temporary file in the same folder, then a
rename); an unchanged file is left alone; an issued invoice's file is never replaced by
different bytes, and new invoice files are created with a hard link, which fails instead of
overwriting when another process got there first.
"""

from __future__ import annotations

import os
import tempfile
from enum import StrEnum
from pathlib import Path

from exports.errors import IssuedInvoiceChanged, OverwriteRefused, UnsafeFileName, WriteFailed
from exports.package import sha256_hex
from pipeline.domain.numbering import parse_number

FOLDERS = {"quote": "quotes", "invoice": "invoices"}


class OverwritePolicy(StrEnum):
    """What to do when the target exists with different bytes (identical bytes: nothing)."""

    REPLACE = "replace"  # replace quotes; invoices are still refused
    REFUSE = "refuse"  # refuse every document


def document_file_name(number: str) -> str:
    """``QUO-2026-00012-R2`` -> ``QUO-2026-00012-R2.xlsx``; anything else is refused."""
    parsed = parse_number(number)
    if parsed is None:
        raise UnsafeFileName(number)
    return f"{parsed}.xlsx"


def document_path(out_dir: Path, kind: str, number: str) -> Path:
    """``<out>/quotes/<number>.xlsx`` or ``<out>/invoices/<number>.xlsx``."""
    return Path(out_dir) / FOLDERS[kind] / document_file_name(number)


def place_file(
    data: bytes,
    target: Path,
    *,
    policy: OverwritePolicy = OverwritePolicy.REPLACE,
    invoice_number: str | None = None,
) -> tuple[Path, str]:
    """Write ``data`` to ``target`` under the overwrite rules; returns (path, sha256)."""
    digest = sha256_hex(data)
    if target.exists():
        _check_replace(target, digest, policy, invoice_number)
        if sha256_hex(target.read_bytes()) == digest:
            return target, digest
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = _write_temp(data, target.parent)
        try:
            _commit(temp, target, digest, policy, invoice_number)
        finally:
            temp.unlink(missing_ok=True)
    except OSError as exc:
        raise WriteFailed(target, exc.strerror or str(exc)) from exc
    return target, digest


def _check_replace(
    target: Path, digest: str, policy: OverwritePolicy, invoice_number: str | None
) -> None:
    existing = sha256_hex(target.read_bytes())
    if existing == digest:
        return
    if invoice_number is not None:
        raise IssuedInvoiceChanged(invoice_number, target, existing, digest)
    if policy is OverwritePolicy.REFUSE:
        raise OverwriteRefused(target, existing, digest)


def _write_temp(data: bytes, folder: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=".partial-", suffix=".xlsx", dir=folder)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())  # the rename must never expose a half-written workbook
    return Path(name)


def _commit(
    temp: Path, target: Path, digest: str, policy: OverwritePolicy, invoice_number: str | None
) -> None:
    if invoice_number is None and policy is OverwritePolicy.REPLACE:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)  # fails if the file appeared meanwhile: never clobber it
    except FileExistsError:
        _check_replace(target, digest, policy, invoice_number)
