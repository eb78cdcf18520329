"""The night's input files and the stored leads' rows for ``bench.nightly``.

Who is who: the night's records are numbered ``k = 0 .. total-1`` (web-form rows first, then
vCards, then emails). Record ``k`` is person ``N + k`` (nobody stored) except every
``OVERLAP_EVERY``-th record, which is stored person ``k % N`` coming back: those merge into a
stored lead, as returning customers do. Stored people are ``0 .. N-1``; the separate "10k new"
measurement uses people after the night (``N + total + j``), so it meets nobody stored.

A stored lead is what the intake would have stored for that person's web-form row: the same
normaliser (``ingest.normalise``) builds its values and the same ``blocking_keys`` its
``lead_keys`` rows. Each also gets its ``created`` event and its ledger row (``source_records``),
so the tables the intake writes to and probes have a realistic size. Lead provenance rows (about
nine per lead) are left out.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.ingest_mail import message_bytes
from bench.ingest_synth import (
    EN_HEADER,
    QP_EVERY,
    TR_HEADER,
    card_v21_qp,
    card_v30,
    csv_row,
    make_person,
)
from ingest.normalise import build_candidates
from ingest.records import RawRecord, SourceKind
from pipeline.dedupe import blocking_keys
from pipeline.services.resolve import person

OVERLAP_EVERY = 33  # about 3 % of the night are people already stored
ROWS_PER_CSV = 10_000  # a web shop exports its form in files of 10k rows
CARDS_PER_VCF = 2_500  # a phone or CRM address-book export
STORED_AT = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
# A stored lead's (state, status): most are new, some contacted, some lost (all valid pairs).
STATES = [("Open", "New")] * 17 + [("Open", "Contacted")] * 2 + [("Disqualified", "Lost")]
SOURCES = ("sheet", "vcard", "email")


@dataclass(frozen=True)
class Night:
    """Sizes of one night and who its records are."""

    stored: int
    rows: int
    cards: int
    emails: int

    @property
    def total(self) -> int:
        return self.rows + self.cards + self.emails

    def person(self, k: int) -> int:
        if self.stored and k % OVERLAP_EVERY == 0:
            return k % self.stored
        return self.stored + k

    @property
    def returning(self) -> int:
        """Records that are a stored person coming back (they must not become new leads)."""
        return len(range(0, self.total, OVERLAP_EVERY)) if self.stored else 0


def _settle(path: Path) -> None:
    """Date a file an hour back, so the drop folder's settle check takes it at once."""
    an_hour_ago = datetime.now(UTC).timestamp() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))


def write_csv_files(
    folder: Path, people: list[int], prefix: str = "form", per_file: int = ROWS_PER_CSV
) -> list[Path]:
    """Web-form exports of ``per_file`` rows: even files cp1254 ``;`` Turkish, odd UTF-8."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, start in enumerate(range(0, len(people), per_file)):
        turkish = n % 2 == 0
        sep, encoding = (";", "cp1254") if turkish else (",", "utf-8")
        path = folder / f"{prefix}-{n:03d}-{'tr' if turkish else 'en'}.csv"
        with path.open("w", encoding=encoding, errors="replace", newline="") as out:
            out.write((TR_HEADER if turkish else EN_HEADER) + "\r\n")
            for i in people[start : start + per_file]:
                out.write(csv_row(make_person(i), i, sep))
        _settle(path)
        paths.append(path)
    return paths


def write_vcf_files(folder: Path, people: list[int]) -> list[Path]:
    """Address-book exports of ``CARDS_PER_VCF`` cards (one in 50 a v2.1 quoted-printable)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, start in enumerate(range(0, len(people), CARDS_PER_VCF)):
        cards = [
            card_v21_qp(make_person(i))
            if i % QP_EVERY == QP_EVERY - 1
            else card_v30(make_person(i), i)
            for i in people[start : start + CARDS_PER_VCF]
        ]
        path = folder / f"contacts-{n:03d}.vcf"
        path.write_bytes("".join(cards).encode())
        _settle(path)
        paths.append(path)
    return paths


def write_eml_files(folder: Path, people: list[int]) -> list[Path]:
    """One ``.eml`` file per inquiry (as a mail client's "save as" or a forwarder leaves them)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in people:
        path = folder / f"inquiry-{i:07d}.eml"
        path.write_bytes(message_bytes(i))
        _settle(path)
        paths.append(path)
    return paths


def write_night(night: Night, folder: Path) -> dict[str, list[Path]]:
    """The night's files by kind: ``csv``, ``vcf`` and ``eml`` (for the drop-folder variant)."""
    people = [night.person(k) for k in range(night.total)]
    rows, cards = people[: night.rows], people[night.rows : night.rows + night.cards]
    return {
        "csv": write_csv_files(folder / "csv", rows),
        "vcf": write_vcf_files(folder / "vcf", cards),
        "eml": write_eml_files(folder / "eml", people[night.rows + night.cards :]),
    }


def email_people(night: Night) -> list[int]:
    """The people whose inquiries arrive by mail (the IMAP variant APPENDs ``message_bytes``)."""
    return [night.person(k) for k in range(night.rows + night.cards, night.total)]


def new_people(night: Night, count: int) -> list[int]:
    """People nobody has stored nor sends tonight (the "10k new" measurement)."""
    start = night.stored + night.total
    return list(range(start, start + count))


# --- stored leads ------------------------------------------------------------------------------

LEAD_COLUMNS = (
    "id first_name last_name email email_key phone company company_key title city country "
    "website notes source state status disqualify_note score rating created_at"
).split()
EVENT_COLUMNS = (
    "id record_type record_id action from_state from_status to_state to_status actor at details"
).split()
LEDGER_COLUMNS = (
    "id source_ref source origin received_at outcome reason fields provenance lead_id created_at"
).split()


@dataclass
class StoredChunk:
    """Rows for stored people ``start .. stop-1`` (lead id = person number + 1)."""

    leads: list[tuple[object, ...]]
    keys: list[tuple[str, int]]
    events: list[tuple[object, ...]]
    ledger: list[tuple[object, ...]]

    def tables(self) -> list[list[tuple[object, ...]]]:
        """The rows in the order of ``bench.nightly_store.TABLES``."""
        return [self.leads, self.keys, self.events, self.ledger]  # type: ignore[list-item]


def _stamp(at: datetime) -> str:
    """A UTC timestamp as SQLAlchemy writes it to SQLite (PostgreSQL reads it too)."""
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


def stored_chunk(bounds: tuple[int, int]) -> StoredChunk:
    """Leads, blocking keys, created events and ledger rows for stored people ``[start, stop)``.

    Values come from the app's own normaliser and blocking keys (a worker process runs this)."""
    start, stop = bounds
    out = StoredChunk([], [], [], [])
    raws = [_raw(i) for i in range(start, stop)]
    for i, c in zip(range(start, stop), build_candidates(raws), strict=True):
        lead_id, stamp = i + 1, _stamp(STORED_AT + timedelta(seconds=i))
        source, (state, status) = SOURCES[i % 3], STATES[i % len(STATES)]
        values = {
            "first_name": c.first_name, "last_name": c.last_name, "email": c.email or c.email_raw,
            "email_key": c.email_key, "phone": c.phone or c.phone_raw, "company": c.company,
            "company_key": c.company_key, "title": c.title, "city": c.city, "country": c.country,
            "website": c.website, "notes": c.notes,
        }  # fmt: skip
        out.leads.append((lead_id, *values.values(), source, state, status, "", None, "", stamp))
        out.keys += [(k[:400], lead_id) for k in set(blocking_keys(person("s", values)))]
        ref, origin = c.record.source_ref, c.record.origin
        details = json.dumps({"source": source, "source_ref": ref})
        created = ("created", "", "", "Open", "New", "bench", stamp, details)
        out.events.append((lead_id, "lead", lead_id, *created))
        fields = json.dumps({"lead": {**values, "source": source}}, ensure_ascii=False)
        received = (stamp, "lead", "", fields, "{}", lead_id, stamp)
        out.ledger.append((lead_id, ref, source, origin, *received))
    return out


def _raw(i: int) -> RawRecord:
    """Stored person ``i`` as the web-form row the intake once read."""
    p = make_person(i)
    sha = hashlib.sha256(f"bench-stored-{i // ROWS_PER_CSV}".encode()).hexdigest()
    fields = {
        "first_name": p.first, "last_name": p.last, "email": p.email, "phone": p.phone,
        "company": p.company, "title": p.title, "city": p.city, "country": p.country,
        "website": p.website,
    }  # fmt: skip
    return RawRecord(
        source=SourceKind.SHEET,
        source_ref=f"file://{sha}#row-{i % ROWS_PER_CSV + 2}",
        received_at=STORED_AT,
        origin=f"form-{i // ROWS_PER_CSV:05d}.csv",
        fields=fields,
    )


def chunks(stored: int, size: int = 10_000) -> Iterator[tuple[int, int]]:
    return ((s, min(s + size, stored)) for s in range(0, stored, size))
