"""A throwaway Dovecot IMAP server on loopback for integration tests.

``DovecotServer.start()`` writes its own configuration into a short temporary directory (unix
socket paths are limited to ~100 bytes), runs ``dovecot -F -c CONF`` as a child process and
waits for its port. Every login with the server's password is accepted (static passdb), so each
test takes a fresh user name and gets an empty maildir: no cleanup between tests.

It listens on 127.0.0.1 only: a plain IMAP port and, when ``openssl`` can make a self-signed
certificate, an implicit-TLS port whose certificate is returned as ``ca_file``. Dovecot 2.3
and 2.4 configuration syntaxes differ; the right one is written for the installed version.
Running as root, mail is stored as ``nobody``; otherwise everything runs as the current user.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from imapclient import IMAPClient

from ingest.mailbox import ImapSettings
from tests.support.dovecot_config import HOST, Layout, render_config

MISSING = "dovecot not installed; `make test` installs dovecot-imapd"


def dovecot_binary() -> str | None:
    """Return the path of the dovecot binary, or ``None`` when it is not installed."""
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)),
        None,
    )


def _doveadm_binary(dovecot: str) -> str:
    beside = Path(dovecot).with_name("doveadm")
    return shutil.which("doveadm") or str(beside)


def _free_ports(count: int) -> list[int]:
    """Return distinct free loopback ports (all probes are held open so none repeats)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind((HOST, 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


class _PortTaken(RuntimeError):
    """Dovecot could not bind a port that was free a moment ago."""


def _version(dovecot: str) -> tuple[int, int]:
    out = subprocess.run([dovecot, "--version"], capture_output=True, text=True, check=True)
    major, minor = re.match(r"(\d+)\.(\d+)", out.stdout.strip()).groups()  # type: ignore[union-attr]
    return int(major), int(minor)


def _identity() -> tuple[str, str]:
    """Return the (user, group) that owns mail: ``nobody`` for root, else ourselves."""
    if os.geteuid() == 0:
        return "nobody", grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
    return pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name


def _self_signed_cert(root: Path) -> Path | None:
    if shutil.which("openssl") is None:
        return None
    cert, key = root / "cert.pem", root / "key.pem"
    result = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost"]
        + ["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        capture_output=True,
        check=False,
    )
    return cert if result.returncode == 0 else None


class DovecotServer:
    """A running Dovecot child process and the directory it lives in."""

    def __init__(self, binary: str, layout: Layout, config: Path) -> None:
        self.host = HOST
        self.port = layout.port
        self.tls_port = layout.tls_port if layout.cert else None
        self.ca_file = layout.cert
        self.password = layout.password
        self.root = layout.root
        self.config = config
        self._binary = binary
        self._accounts = 0
        self._stderr = open(layout.root / "stderr.log", "wb")  # closed in stop()
        self.process = subprocess.Popen(
            [binary, "-F", "-c", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=self._stderr,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches pytest only; its fixture teardown stops us
        )

    @classmethod
    def start(cls, binary: str, *, timeout: float = 15.0) -> DovecotServer:
        """Write a configuration, start Dovecot and wait until it accepts connections."""
        for _attempt in range(3):  # another process may take a probed port before Dovecot binds
            server = cls._launch(binary)
            try:
                server._wait_ready(timeout)
                return server
            except _PortTaken:
                server.stop()
            except BaseException:
                server.stop()
                raise
        raise RuntimeError("dovecot found no free loopback port in 3 attempts")

    @classmethod
    def _launch(cls, binary: str) -> DovecotServer:
        root = Path(tempfile.mkdtemp(prefix="dv", dir="/tmp"))
        try:
            root.chmod(0o755)  # login and mail processes run as other users and need to get in
            user, group = _identity()
            for sub in ("run", "state", "mail"):
                (root / sub).mkdir()
            shutil.chown(root / "mail", user, group)
            cert = _self_signed_cert(root)
            port, tls_port = _free_ports(2)
            password = secrets.token_urlsafe(12)
            layout = Layout(root, port, tls_port if cert else None, cert, password, user, group)
            config = root / "dovecot.conf"
            config.write_text(render_config(layout, _version(binary)))
            return cls(binary, layout, config)
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise

    def account(self, prefix: str = "user") -> MailAccount:
        """Return a fresh user (an empty mailbox) on this server."""
        self._accounts += 1
        return MailAccount(self, f"{prefix}{self._accounts}x{secrets.token_hex(3)}")

    def doveadm(self, *args: str) -> str:
        """Run ``doveadm -c CONF ARGS`` and return its output; raise with stderr on failure."""
        command = [_doveadm_binary(self._binary), "-c", str(self.config), *args]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()}")
        return result.stdout

    def log_text(self) -> str:
        """Return Dovecot's log so far (for failure messages)."""
        parts = [self.root / "dovecot.log", self.root / "stderr.log"]
        return "\n".join(p.read_text(errors="replace") for p in parts if p.exists())

    def stop(self) -> None:
        """Stop Dovecot (TERM, then KILL after 10 s) and remove its directory."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._stderr.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        ports = [p for p in (self.port, self.tls_port) if p]
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.log_text()
                error = _PortTaken if "Address already in use" in log else RuntimeError
                raise error(f"dovecot exited with {self.process.returncode}:\n{log}")
            if all(_accepts(self.host, port) for port in ports):
                return
            time.sleep(0.05)
        log = self.log_text()
        raise RuntimeError(f"dovecot did not listen on {ports} within {timeout}s:\n{log}")


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class MailAccount:
    """One user on a ``DovecotServer``; inspects the mailbox without touching ``\\Seen``."""

    server: DovecotServer
    username: str

    @property
    def password(self) -> str:
        """The password every account on the server accepts."""
        return self.server.password

    def settings(self, **overrides: object) -> ImapSettings:
        """Return settings for the plain (loopback, no TLS) port of this account."""
        values: dict[str, object] = {
            "host": self.server.host,
            "port": self.server.port,
            "username": self.username,
            "password": self.password,
            "ssl": False,
            "timeout": 10.0,
        }
        values.update(overrides)
        return ImapSettings(**values)  # type: ignore[arg-type]

    def tls_settings(self, **overrides: object) -> ImapSettings:
        """Return settings for the implicit-TLS port, trusting the self-signed certificate."""
        if self.server.tls_port is None or self.server.ca_file is None:
            raise RuntimeError("this server has no TLS port (openssl was not available)")
        values: dict[str, object] = {
            "port": self.server.tls_port,
            "ssl": True,
            "ca_file": str(self.server.ca_file),
        }
        values.update(overrides)
        return self.settings(**values)

    def append(
        self,
        raw: bytes,
        folder: str = "INBOX",
        *,
        flags: Iterable[bytes] = (),
        when: datetime | None = None,
    ) -> int:
        """Deliver ``raw`` to ``folder`` with IMAP APPEND and return the UID it got."""
        with self._client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            response = client.append(folder, raw, flags=tuple(flags), msg_time=when)
        match = re.search(rb"APPENDUID \d+ (\d+)", response)
        if match is None:
            raise RuntimeError(f"no APPENDUID in {response!r}")
        return int(match.group(1))

    def uids(self, folder: str = "INBOX") -> list[int]:
        """Return the UIDs in ``folder`` (empty when it does not exist)."""
        with self._client() as client:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            return sorted(client.search("ALL"))

    def flags(self, uid: int, folder: str = "INBOX") -> set[bytes]:
        """Return the flags of one message, read with EXAMINE so nothing changes."""
        with self._client() as client:
            client.select_folder(folder, readonly=True)
            return set(client.get_flags([uid])[uid])

    def folders(self) -> set[str]:
        """Return the names of all folders of this account."""
        with self._client() as client:
            return {name for _flags, _delim, name in client.list_folders()}

    def set_uidvalidity(self, value: int, folder: str = "INBOX") -> None:
        """Give ``folder`` a new UIDVALIDITY, as a server restore or migration does."""
        self.server.doveadm(
            "mailbox", "update", "--uid-validity", str(value), "-u", self.username, folder
        )

    def _client(self) -> IMAPClient:
        client = IMAPClient(self.server.host, port=self.server.port, ssl=False, timeout=10)
        client.login(self.username, self.password)
        return client
