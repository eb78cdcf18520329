"""``salesflow init`` and the commented configuration file it writes."""

from __future__ import annotations

import typer

from flows.context import app as get_app
from flows.context import run
from flows.output import emit

CONFIG_TEMPLATE = """\
# salesflow configuration. Environment variables (SALESFLOW_…, nested with __, e.g.
# SALESFLOW_IMAP__PASSWORD) override this file; this file overrides the defaults.

# Database URL; empty means SQLite in this folder (salesflow.db).
# database_url = "postgresql+psycopg://salesflow@db.example.com/salesflow"

currency = "TRY"             # currency of new opportunities, quotes, invoices
default_tax_rate = "20"      # percent, used when a product gives none
default_region = "TR"        # phone numbers without a country code are read as this region
quote_validity_days = 30     # an activated quote is valid this many days
payment_days = 30            # invoice due date = issue date + this many days
opportunity_close_days = 30  # estimated close date of a new opportunity
language = "en"              # document language: en or tr
auto_qualify = true          # qualify hot leads and disqualify unreachable ones at intake
scan_min_confidence = 40     # card scans with a name/email/phone read below this go to review

[seller]                     # printed on quotes and invoices
name = "Your Company Ltd."
address = ""
tax_id = ""
email = ""
phone = ""
iban = ""

[imap]                       # inquiry mailbox; leave host empty to skip mail
host = ""
port = 993
username = ""
# password: set SALESFLOW_IMAP__PASSWORD or the Prefect Secret block
# "salesflow-imap-password"; do not write it here.
mailbox = "INBOX"
processed_folder = "Processed"
quarantine_folder = "Quarantine"
ssl = true

# [scoring]                  # lead scoring rules (versioned; the version is kept with scores)
# version = "2026-11-1"
# qualify_threshold = 75
# competitor_domains = ["rival.com.tr"]
# [scoring.points]
# corporate_email = 15

# [mapping.<source name>]    # header overrides for unusual web-form exports
# "Müşteri E-Postası" = "email"
# "Internal ID" = "ignore"
"""


def register(app: typer.Typer) -> None:
    @app.command()
    def init(
        json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ) -> None:
        """Create the data folders, run database migrations and write salesflow.toml."""

        def go() -> dict[str, str]:
            application = get_app()
            s = application.settings
            for folder in (
                s.home,
                s.dropbox / "inbox",
                s.dropbox / "processed",
                s.dropbox / "quarantine",
                s.exports,
            ):
                folder.mkdir(parents=True, exist_ok=True)
            config = s.home / "salesflow.toml"
            wrote = not config.exists()
            if wrote:
                config.write_text(CONFIG_TEMPLATE, encoding="utf-8")
            application.migrate()
            return {
                "home": str(s.home.resolve()),
                "config": str(config),
                "config_written": "yes" if wrote else "no (kept existing)",
                "database": s.db_url.split("@")[-1],
            }

        result = run(go)
        emit(result, json_out)
