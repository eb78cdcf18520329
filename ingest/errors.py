"""Errors raised by sources and parsers.

Tree::

    IngestError                      base of everything raised by ``ingest``
    ├── TransientIngestError         worth retrying (network, server busy)
    │   └── MailboxUnavailable       IMAP connect/login/select failed transiently
    └── TerminalIngestError          retrying gives the same result
        ├── UnsupportedInput         not a format we read (``reason`` says which)
        ├── InputTooLarge            over a configured size limit
        └── MailboxConfigError       bad credentials or settings

Parsers prefer yielding ``records.Rejected`` for a bad part of a file; they raise only when the
whole input is unusable, and the caller turns that into a quarantine entry.
"""

from __future__ import annotations


class IngestError(Exception):
    """Base of all ingest errors; ``reason`` is a short machine code."""

    transient = False

    def __init__(self, message: str, *, reason: str = "ingest-error") -> None:
        super().__init__(message)
        self.reason = reason


class TransientIngestError(IngestError):
    """An error worth retrying later (network, server temporarily unavailable)."""

    transient = True


class TerminalIngestError(IngestError):
    """An error that will happen again on retry."""


class MailboxUnavailable(TransientIngestError):
    """The IMAP server could not be reached or did not answer."""


class UnsupportedInput(TerminalIngestError):
    """The input is not in a format we read (``reason`` names the detected kind)."""


class InputTooLarge(TerminalIngestError):
    """The input is larger than the configured limit."""


class MailboxConfigError(TerminalIngestError):
    """Mailbox settings or credentials are wrong."""
