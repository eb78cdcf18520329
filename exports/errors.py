"""Errors raised by the export side (documents, layouts, workbooks, reports).

Tree::

    ExportError                       base of everything raised by ``exports``
    ├── TransientExportError          worth retrying (disk full, file locked)
    │   └── WriteFailed               the file could not be written (``path``, ``reason``)
    └── TerminalExportError           retrying gives the same result
        ├── DocumentNotFound          no quote/invoice answers to ``ref`` (``kind``, ``ref``)
        ├── UnsupportedLanguage       no labels for ``lang``
        ├── UnsafeFileName            a document number that is not a clean file name
        └── OverwriteRefused          the target exists with other bytes (``path``,
            │                         ``existing_sha256``, ``new_sha256``)
            └── IssuedInvoiceChanged  an issued invoice's file would change (``number``)

Every class keeps its fields so callers (flows, CLI) can report them without parsing text.
"""

from __future__ import annotations

from pathlib import Path


class ExportError(Exception):
    """Base of all export errors; ``reason`` is a short machine code."""

    transient = False
    reason = "export-error"


class TransientExportError(ExportError):
    """An error worth retrying later (the file system may recover)."""

    transient = True


class TerminalExportError(ExportError):
    """An error that happens again on retry."""


class WriteFailed(TransientExportError):
    """The workbook could not be written to disk."""

    reason = "write-failed"

    def __init__(self, path: Path, cause: str) -> None:
        self.path, self.cause = path, cause
        super().__init__(f"Could not write {path}: {cause}.")


class DocumentNotFound(TerminalExportError):
    """No quote or invoice answers to the reference."""

    reason = "document-not-found"

    def __init__(self, kind: str, ref: str) -> None:
        self.kind, self.ref = kind, ref
        super().__init__(f"No {kind} found for reference {ref!r}; nothing to export.")


class UnsupportedLanguage(TerminalExportError):
    """No label set exists for the language."""

    reason = "unsupported-language"

    def __init__(self, lang: str, supported: tuple[str, ...]) -> None:
        self.lang, self.supported = lang, supported
        super().__init__(f"No labels for language {lang!r}; supported are {', '.join(supported)}.")


class UnsafeFileName(TerminalExportError):
    """A document number that cannot be used as a file name as it is."""

    reason = "unsafe-file-name"

    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(f"{number!r} is not a document number; refusing to name a file after it.")


class OverwriteRefused(TerminalExportError):
    """The target file exists with different bytes and the policy forbids replacing it."""

    reason = "overwrite-refused"

    def __init__(self, path: Path, existing_sha256: str, new_sha256: str) -> None:
        self.path = path
        self.existing_sha256, self.new_sha256 = existing_sha256, new_sha256
        super().__init__(
            f"{path} exists with different content (sha256 {existing_sha256[:12]}…, "
            f"new {new_sha256[:12]}…); it was left as it is."
        )


class IssuedInvoiceChanged(OverwriteRefused):
    """An issued invoice's workbook is never replaced by one with different content."""

    reason = "issued-invoice-changed"

    def __init__(self, number: str, path: Path, existing_sha256: str, new_sha256: str) -> None:
        self.number = number
        super().__init__(path, existing_sha256, new_sha256)
        self.args = (
            f"Invoice {number} was already exported to {path} with different content "
            f"(sha256 {existing_sha256[:12]}…, new {new_sha256[:12]}…); an issued invoice "
            "file is never overwritten.",
        )
