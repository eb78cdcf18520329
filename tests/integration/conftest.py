"""Fixtures for integration tests: a real Dovecot IMAP server on loopback.

``dovecot`` starts one server per test session (skipping when the binary is missing);
``imap_account`` hands each test a fresh user with an empty mailbox on it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.dovecot import MISSING, DovecotServer, MailAccount, dovecot_binary


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """A running Dovecot for the whole session, stopped and removed at the end."""
    binary = dovecot_binary()
    if binary is None:
        pytest.skip(MISSING)
    server = DovecotServer.start(binary)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def imap_account(dovecot: DovecotServer) -> MailAccount:
    """A new user on the session's Dovecot, so every test starts with an empty INBOX."""
    return dovecot.account()
