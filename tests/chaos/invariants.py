"""The exactly-once invariants, checked on a home folder and its database after the chaos.

Each check returns sentences describing what is wrong; an empty list means the input was
stored exactly once: every file filed once (in the right place), one ``ingest_files`` row per
distinct file, one ledger row per row/card/message, no doubled lead, no orphan.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, create_engine, func, select

from pipeline.services.invariants import run_checks
from pipeline.store import tables as t
from tests.chaos.generator import DropSet

NOTE_SUFFIXES = (".error.txt", ".already-seen.txt", ".errors.xlsx")


@dataclass(frozen=True)
class Outcome:
    """What a finished home looks like, to compare a chaos run with an undisturbed one."""

    leads: tuple[tuple[str, str], ...]  # sorted (email_key, phone)
    findings: tuple[str, ...]  # invariant check names from `salesflow check`

    @property
    def lead_count(self) -> int:
        return len(self.leads)


def outcome(conn: Connection) -> Outcome:
    leads = sorted((r.email_key, r.phone) for r in conn.execute(select(t.leads)))
    found = run_checks(conn, today=datetime.now(UTC).date())
    return Outcome(tuple(leads), tuple(sorted(f.check for f in found)))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_problems(dropbox: Path, drop: DropSet) -> list[str]:
    """Nothing left behind; every dropped file filed exactly once, bad ones in quarantine."""
    problems = [
        f"{p.relative_to(dropbox)} was left behind"
        for area in ("inbox", ".work")
        for p in (dropbox / area).rglob("*")
        if not p.is_dir()
    ]
    filed: Counter[tuple[str, str]] = Counter()
    for area in ("processed", "quarantine"):
        for p in (dropbox / area).rglob("*"):
            if p.is_file() and not p.name.endswith(NOTE_SUFFIXES):
                filed[(area, _sha(p))] += 1
    wanted = Counter(("quarantine" if f.quarantined else "processed", f.sha256) for f in drop.files)
    for key in wanted.keys() | filed.keys():
        if filed[key] != wanted[key]:
            problems.append(f"{key[1][:12]} is in {key[0]}/ {filed[key]} times, not {wanted[key]}")
    return problems


def ledger_problems(conn: Connection, drop: DropSet) -> list[str]:
    """One finished claim row per distinct file; one ledger row per expected source_ref."""
    problems = []
    rows = {r.sha256: r.status for r in conn.execute(select(t.ingest_files))}
    for sha, f in drop.distinct_files.items():
        want = "quarantined" if f.quarantined else "done"
        if rows.get(sha) != want:
            problems.append(f"ingest_files has {rows.get(sha)!r} for {f.name}, not {want!r}")
    problems += [
        f"ingest_files has an unknown file {s[:12]}"
        for s in rows.keys() - drop.distinct_files.keys()
    ]
    refs = Counter(conn.scalars(select(t.source_records.c.source_ref)))
    doubled = [r for r, n in refs.items() if n > 1]
    missing = drop.expected_refs - refs.keys()
    extra = refs.keys() - drop.expected_refs
    problems += [f"source_ref {r} stored {refs[r]} times" for r in doubled[:5]]
    if missing:
        problems.append(f"{len(missing)} source_refs never stored, e.g. {sorted(missing)[:3]}")
    if extra:
        problems.append(f"{len(extra)} unexpected source_refs, e.g. {sorted(extra)[:3]}")
    return problems


def lead_problems(conn: Connection, reference: Outcome) -> list[str]:
    """No doubled lead, no orphan lead, and the same leads and findings as the reference."""
    got = outcome(conn)
    problems = []
    keys = Counter(k for k, _ in got.leads if k)
    problems += [f"lead {k} exists {n} times" for k, n in keys.items() if n > 1][:5]
    if got.lead_count != reference.lead_count:
        problems.append(f"{got.lead_count} leads, the undisturbed run made {reference.lead_count}")
    elif got.leads != reference.leads:
        problems.append("the leads' (email, phone) differ from the undisturbed run")
    if got.findings != reference.findings:
        problems.append(f"`salesflow check` finds {got.findings}, reference {reference.findings}")
    lonely = conn.scalar(
        select(func.count())
        .select_from(t.leads)
        .where(
            ~select(t.source_records.c.id)
            .where(t.source_records.c.lead_id == t.leads.c.id)
            .exists()
        )
    )
    if lonely:
        problems.append(f"{lonely} leads have no ledger row (orphans)")
    return problems


def number_problems(conn: Connection) -> list[str]:
    """Document numbers are unique per type and year (gaps are `salesflow check`'s job)."""
    problems = []
    for table, cols in (
        (t.quotes, ("year", "seq", "revision")),
        (t.orders, ("year", "seq")),
        (t.invoices, ("year", "seq")),
    ):
        key = [table.c[c] for c in cols]
        dup = conn.execute(select(*key).group_by(*key).having(func.count() > 1)).first()
        if dup is not None:
            problems.append(f"{table.name} number {tuple(dup)} is used twice")
    return problems


def check_home(home: Path, db_url: str, drop: DropSet, reference: Outcome) -> list[str]:
    """Every invariant on one finished home; [] when the input was stored exactly once."""
    problems = folder_problems(home / "dropbox", drop)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            problems += ledger_problems(conn, drop)
            problems += lead_problems(conn, reference)
            problems += number_problems(conn)
    finally:
        engine.dispose()
    return problems
