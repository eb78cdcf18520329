"""Dovecot configuration files for the test server, in 2.3 and in 2.4 syntax.

Dovecot 2.4 rewrote most setting names (``mail_location`` became ``mail_driver`` +
``mail_path``, ``disable_plaintext_auth`` became ``auth_allow_cleartext``, sections are named
``passdb static {}``), so ``render_config`` picks the template for the installed version. The
2.3 template is exercised on Debian 12; the 2.4 one follows the upstream upgrade guide.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"


@dataclass
class Layout:
    """Where the server lives and what it listens on."""

    root: Path
    port: int
    tls_port: int | None
    cert: Path | None
    password: str
    user: str
    group: str


def _rootless_users(lay: Layout, chrooted: tuple[str, ...]) -> str:
    # Without root Dovecot can neither switch users, chown sockets to its usual accounts nor
    # chroot its helper processes.
    services = "".join(f"service {name} {{\n  chroot =\n}}\n" for name in chrooted)
    return (
        f"default_login_user = {lay.user}\ndefault_internal_user = {lay.user}\n"
        f"default_internal_group = {lay.group}\n{services}"
    )


def _config_23(lay: Layout) -> str:
    rootless = os.geteuid() != 0
    tls = (
        f"ssl = yes\nssl_cert = <{lay.cert}\nssl_key = <{lay.root / 'key.pem'}\n"
        if lay.cert
        else "ssl = no\n"
    )
    imaps = (
        f"  inet_listener imaps {{\n    address = {HOST}\n    port = {lay.tls_port or 0}\n  }}\n"
    )
    users = _rootless_users(lay, ("anvil", "ipc", "old-stats", "aggregator")) if rootless else ""
    return f"""\
protocols = imap
listen = {HOST}
base_dir = {lay.root}/run
state_dir = {lay.root}/state
log_path = {lay.root}/dovecot.log
{tls}disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{lay.root}/mail/%u
mail_uid = {lay.user}
mail_gid = {lay.group}
first_valid_uid = 1
first_valid_gid = 1
{users}passdb {{
  driver = static
  args = password={lay.password}
}}
userdb {{
  driver = static
  args = uid={lay.user} gid={lay.group} home={lay.root}/mail/%u
}}
service imap-login {{
{"  chroot =" if rootless else ""}
  inet_listener imap {{
    address = {HOST}
    port = {lay.port}
  }}
{imaps}}}
"""


def _config_24(lay: Layout) -> str:
    rootless = os.geteuid() != 0
    tls = (
        f"ssl = yes\nssl_server_cert_file = {lay.cert}\n"
        f"ssl_server_key_file = {lay.root / 'key.pem'}\n"
        if lay.cert
        else "ssl = no\n"
    )
    imaps = (
        f"  inet_listener imaps {{\n    listen = {HOST}\n    port = {lay.tls_port}\n"
        "    ssl = yes\n  }\n"
        if lay.cert
        else ""
    )
    users = _rootless_users(lay, ("anvil",)) if rootless else ""
    return f"""\
dovecot_config_version = 2.4.0
dovecot_storage_version = 2.4.0
protocols = imap
listen = {HOST}
base_dir = {lay.root}/run
state_dir = {lay.root}/state
log_path = {lay.root}/dovecot.log
{tls}auth_allow_cleartext = yes
auth_mechanisms = plain login
auth_failure_delay = 0
mail_driver = maildir
mail_home = {lay.root}/mail/%{{user}}
mail_path = ~
mail_uid = {lay.user}
mail_gid = {lay.group}
first_valid_uid = 1
first_valid_gid = 1
{users}namespace inbox {{
  inbox = yes
}}
passdb static {{
  password = {lay.password}
}}
userdb static {{
  fields {{
    uid = {lay.user}
    gid = {lay.group}
    home = {lay.root}/mail/%{{user}}
  }}
}}
service imap-login {{
{"  chroot =" if rootless else ""}
  inet_listener imap {{
    listen = {HOST}
    port = {lay.port}
  }}
{imaps}}}
"""


def render_config(lay: Layout, version: tuple[int, int]) -> str:
    """Return the configuration text for a Dovecot of ``version`` (major, minor)."""
    return _config_24(lay) if version >= (2, 4) else _config_23(lay)
