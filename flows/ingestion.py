"""The ingest pass used by ``salesflow ingest`` and the flows: drop folder, then mailbox."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.dropbox_run import DropSummary, process_dropbox, stage_paths
from flows.mailbox_run import Folders, MailSummary, process_mailbox
from flows.wiring import App
from ingest.dropfolder import DropFolder
from ingest.mailbox import ImapSettings


@dataclass
class IngestSummary:
    drop: DropSummary = field(default_factory=DropSummary)
    mail: MailSummary = field(default_factory=MailSummary)
    imap_skipped: str = ""

    def as_dict(self) -> dict[str, Any]:
        c = self.drop.counts
        m = self.mail.counts
        return {
            "files_seen": self.drop.files_seen,
            "messages_seen": self.mail.messages_seen,
            "records_parsed": c.records_parsed + m.records_parsed,
            "leads_created": c.leads_created + m.leads_created,
            "duplicates_skipped": (
                c.duplicates_skipped
                + m.duplicates_skipped
                + self.drop.already_seen
                + self.mail.already_seen
            ),
            "quarantined": self.drop.quarantined + c.rejected + m.rejected,
            "auto_replies": c.auto_replies + m.auto_replies,
            "bounces": c.bounces + m.bounces,
            "merged": c.merged + m.merged,
            "attached_to_existing": c.attached + m.attached,
            "review_pairs": c.review_pairs + m.review_pairs,
            "scored": c.scored + m.scored,
            "qualified": c.qualified + m.qualified,
            "disqualified": c.disqualified + m.disqualified,
            "files_done": self.drop.files_done,
            "files_already_seen": self.drop.already_seen,
            "files_quarantined": self.drop.quarantined,
            "quarantine_reasons": self.drop.quarantine_reasons,
            "records_rejected": c.rejected + m.rejected,
            "messages_already_seen": self.mail.already_seen,
            "messages_moved": self.mail.moved,
            "imap": self.imap_skipped or "done",
            "files": self.drop.files,
        }


def imap_settings(app: App, password: str | None = None) -> ImapSettings | None:
    """Mailbox settings from the app settings; None when no mailbox is configured."""
    cfg = app.settings.imap
    if not cfg.configured:
        return None
    return ImapSettings(
        host=cfg.host,
        port=cfg.port,
        username=cfg.username,
        password=password or cfg.password.get_secret_value(),
        mailbox=cfg.mailbox,
        processed_folder=cfg.processed_folder,
        quarantine_folder=cfg.quarantine_folder,
        ssl=cfg.ssl,
        starttls=cfg.starttls,
    )


def run_ingest(
    app: App,
    paths: Sequence[Path] = (),
    *,
    use_imap: bool = True,
    settle_seconds: float | None = None,
    imap_password: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Drop folder (or the given paths) and, when configured, the mailbox — once."""
    summary = IngestSummary()
    if paths:
        folder = DropFolder(app.settings.home)
        folder.ensure()
        stage_paths(folder, paths)
        settle_seconds = 0.0
    summary.drop = process_dropbox(app, settle_seconds=settle_seconds, progress=progress)
    settings = imap_settings(app, imap_password) if use_imap else None
    if settings is None:
        summary.imap_skipped = "not configured" if use_imap else "disabled"
        return summary
    from ingest.imap_mailbox import ImapMailbox

    with ImapMailbox(settings) as client:
        summary.mail = process_mailbox(
            app,
            client,
            Folders(settings.mailbox, settings.processed_folder, settings.quarantine_folder),
        )
    return summary
