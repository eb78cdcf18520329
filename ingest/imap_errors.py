"""Translation of imapclient, TLS and socket errors into ``ingest.errors`` at the IMAP border.

=================================  ======================  =========================
raised below                       becomes                 ``reason``
=================================  ======================  =========================
``LoginError``                     ``MailboxConfigError``  ``imap-login``
``ssl.SSLCertVerificationError``   ``MailboxConfigError``  ``imap-tls-verify``
``OSError`` (refused, timeout,     ``MailboxUnavailable``  ``imap-unavailable``
TLS, reset), ``IMAP4.abort``
``CapabilityError``                ``MailboxConfigError``  ``imap-capability``
other ``IMAP4.error`` (NO, BAD)    ``MailboxUnavailable``  ``imap-refused``
=================================  ======================  =========================

Callers that know better turn ``imap-refused`` into a terminal error (a mailbox that cannot be
selected is a settings problem). Messages name the server and the action, never the password.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from imapclient.exceptions import (
    CapabilityError,
    IMAPClientAbortError,
    IMAPClientError,
    LoginError,
)

from ingest.errors import MailboxConfigError, MailboxUnavailable
from ingest.mailbox import ImapSettings

REFUSED = "imap-refused"  # the server answered NO/BAD; the connection is still usable


@contextmanager
def translated_errors(
    settings: ImapSettings, action: str, *, on_broken: Callable[[], None]
) -> Iterator[None]:
    """Re-raise errors from the ``with`` body as ingest errors saying which ``action`` failed.

    ``on_broken`` runs when the connection can no longer be used (socket or protocol abort),
    so the owner can forget it and reconnect on the next call.
    """
    where = f"IMAP server {settings.host}:{settings.port}"
    try:
        yield
    except LoginError as exc:
        raise MailboxConfigError(
            f"login as {settings.username!r} on {where} was refused: {scrub(exc, settings)}",
            reason="imap-login",
        ) from None  # the library error carries nothing more and must never leak credentials
    except ssl.SSLCertVerificationError as exc:
        on_broken()
        raise MailboxConfigError(
            f"TLS certificate of {where} cannot be verified: {exc.verify_message}",
            reason="imap-tls-verify",
        ) from exc
    except (OSError, IMAPClientAbortError) as exc:
        on_broken()
        detail = scrub(exc, settings) or type(exc).__name__
        raise MailboxUnavailable(
            f"{where}: cannot {action}: {detail}", reason="imap-unavailable"
        ) from exc
    except CapabilityError as exc:
        raise MailboxConfigError(
            f"{where} lacks a capability needed to {action}: {exc}", reason="imap-capability"
        ) from exc
    except IMAPClientError as exc:
        raise MailboxUnavailable(
            f"{where}: cannot {action}: {scrub(exc, settings)}", reason=REFUSED
        ) from exc


def scrub(exc: BaseException, settings: ImapSettings) -> str:
    """Return the error text with the password blanked, in case a server echoed it."""
    text = str(exc)
    if settings.password:
        text = text.replace(settings.password, "***")
    return text
