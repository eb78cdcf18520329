"""Scale benchmark (issue #7): one night of input against N stored leads, through ``nightly``.

Run from the repository root::

    .venv/bin/python -m bench.nightly                     # the issue's night, both DBs, eml+imap
    .venv/bin/python -m bench.nightly --quick             # smoke test: 20k stored, 5.7k records
    .venv/bin/python -m bench.nightly --db sqlite --mail eml --stored 100000

The night (``bench.nightly_data``): 100k web-form rows in CSV exports of 10k (alternately cp1254
``;`` Turkish and UTF-8 ``,``), 10k vCards in address-book exports of 2,500, and 5k inquiry
emails — as ``.eml`` files in the drop folder (``eml``) or APPENDed to a Dovecot INBOX with
the mailbox configured (``imap``). About 3 % of the night are stored people coming back.
Stored leads (``bench.nightly_store``) are built once per N and copied for each run; nothing
of that, nor writing the inputs, nor starting the Prefect server and Dovecot, is timed.

Each measurement is a fresh process calling the real ``nightly`` flow (``bench.nightly_run``):
per-stage seconds from the run manifest, wall and CPU of the call, peak RSS of that process,
rows/s = input records / wall. A check column accounts for every record. Goals, for the issue's
night against 1M stored on this 2-core machine: wall ≤ 60 s, peak RSS ≤ 1.5 GB; and 10k new
web-form rows against N stored (a separate, drop-folder-only night) take ≤ 10 s of intake
(the ``dropbox`` stage).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from bench.ingest_mail import message_bytes
from bench.nightly_data import Night, email_people, new_people, write_csv_files, write_night
from bench.nightly_run import (
    FlowFailed,
    dovecot,
    fill_mailbox,
    make_home,
    prefect_server,
    run_child,
)
from bench.nightly_store import copy_sqlite, pg_database, pg_template, sqlite_cache

WALL_GOAL, RSS_GOAL_MB, INTAKE_GOAL, GOAL_STORED = 60.0, 1536.0, 10.0, 1_000_000
STAGES = ("mailbox", "dropbox", "exports", "invariants", "report")
DBS, MAILS = ("sqlite", "postgresql"), ("eml", "imap")
QUICK = {"stored": 20_000, "rows": 5_000, "cards": 500, "emails": 200, "intake_only_new": 2_000}


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench.nightly",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--stored",
        type=int,
        default=1_000_000,
        help="leads already stored, N (default: %(default)s)",
    )
    p.add_argument(
        "--rows", type=int, default=100_000, help="web-form CSV rows tonight (default: %(default)s)"
    )
    p.add_argument(
        "--cards", type=int, default=10_000, help="vCards tonight (default: %(default)s)"
    )
    p.add_argument(
        "--emails", type=int, default=5_000, help="inquiry emails tonight (default: %(default)s)"
    )
    p.add_argument(
        "--db", default="sqlite,postgresql", help="databases to run on (default: %(default)s)"
    )
    p.add_argument(
        "--mail",
        default="eml,imap",
        help="mail variants: eml (drop folder), imap (Dovecot) (default: %(default)s)",
    )
    p.add_argument(
        "--intake-only-new",
        type=int,
        default=10_000,
        help="new web-form rows of the intake goal, 0 skips it (default: %(default)s)",
    )
    p.add_argument("--quick", action="store_true", help="smoke test sizes: " + str(QUICK))
    p.add_argument("--rebuild", action="store_true", help="rebuild the cached stored leads")
    args = p.parse_args(argv)
    for option, allowed in (("db", DBS), ("mail", MAILS)):
        values = [v for v in getattr(args, option).split(",") if v]
        if not set(values) <= set(allowed):
            p.error(f"--{option}: choose from {','.join(allowed)}")
        setattr(args, option, values)
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    return args


@contextmanager
def database(db: str, stored: int, home: Path) -> Iterator[str]:
    """A private copy of the store of ``stored`` leads; yields its URL."""
    if db == "sqlite":
        home.mkdir(parents=True)
        yield copy_sqlite(stored, home)
    else:
        with pg_database(stored) as url:
            yield url


class Bench:
    """The night's inputs, the shared servers (entered on ``stack``) and how to run a night."""

    def __init__(self, args: argparse.Namespace, tmp: Path, stack: ExitStack) -> None:
        self.night = Night(args.stored, args.rows, args.cards, args.emails)
        self.tmp = tmp
        _say(f"writing the night's inputs to {tmp}")
        self.inputs = write_night(self.night, tmp / "inputs")
        self.new = new_people(self.night, args.intake_only_new)
        half = max(1, (len(self.new) + 1) // 2)  # one Turkish and one English export
        self.inputs["new"] = write_csv_files(tmp / "new", self.new, prefix="new", per_file=half)
        self.env = stack.enter_context(prefect_server())
        self.mail = stack.enter_context(dovecot()) if "imap" in args.mail else None
        self.messages = [message_bytes(i) for i in email_people(self.night)] if self.mail else []

    def files(self, variant: str) -> list[Path]:
        if variant == "new":
            return self.inputs["new"]
        extra = self.inputs["eml"] if variant == "eml" else []
        return self.inputs["csv"] + self.inputs["vcf"] + extra

    def run(self, db: str, variant: str) -> dict[str, Any]:
        """One measured night: ``eml``, ``imap``, or ``new`` (only the new web-form rows)."""
        n = self.night
        home = self.tmp / f"home-{db}-{variant}"
        _say(f"running {db} / {variant}")
        with database(db, n.stored, home) as url:
            make_home(home, url, self.files(variant))
            env = dict(self.env)
            if variant == "imap":
                env.update(fill_mailbox(self.mail, self.messages))
            report = run_child(home, url, variant == "imap", env)
        shutil.rmtree(home, ignore_errors=True)
        new = variant == "new"
        report.update(
            db=db,
            mail=variant,
            expected=len(self.new) if new else n.total,
            returning=0 if new else n.returning,
        )
        report["check"] = check(report)
        return report


def check(r: dict[str, Any]) -> str:
    """'ok' when every input record is accounted for, else what does not add up."""
    c, problems = r["counts"], []
    if c["records_parsed"] != r["expected"]:
        problems.append(f"parsed {c['records_parsed']} of {r['expected']}")
    placed = sum(c[k] for k in PLACED)
    if placed != c["records_parsed"]:
        problems.append(f"{'+'.join(PLACED)} = {placed} != parsed {c['records_parsed']}")
    if c["merged"] + c["attached_to_existing"] < r["returning"]:
        problems.append(f"only {c['merged']} merged of {r['returning']} returning people")
    if c["files_quarantined"]:
        problems.append(f"{c['files_quarantined']} files quarantined")
    return "ok" if not problems else "FAILED: " + "; ".join(problems)


PLACED = (
    "leads_created",
    "merged",
    "attached_to_existing",
    "records_rejected",
    "auto_replies",
    "bounces",
    "duplicates_skipped",
)
COLUMNS = (
    f"{'db':<10} {'mail':<4} {'records':>7} "
    + " ".join(f"{s[:7]:>7}" for s in (*STAGES, "other"))
    + f" {'wall s':>7} {'cpu s':>7} {'base MB':>7} {'peak MB':>7} {'rows/s':>7}"
    + f" {'created':>7} {'merged':>7} {'attach':>6} {'qualif':>6}  check"
)


def row_text(r: dict[str, Any]) -> str:
    d, c = r["durations"], r["counts"]
    other = r["wall"] - sum(d.values())  # flow start, settings, migrations check, Prefect calls
    stages = " ".join(f"{d[s]:>7.2f}" if s in d else f"{'-':>7}" for s in STAGES)
    return (
        f"{r['db']:<10} {r['mail']:<4} {c['records_parsed']:>7} {stages} {other:>7.2f}"
        f" {r['wall']:>7.2f} {r['cpu']:>7.2f} {r['base_mb']:>7.0f} {r['peak_mb']:>7.0f}"
        f" {c['records_parsed'] / r['wall']:>7,.0f} {c['leads_created']:>7} {c['merged']:>7}"
        f" {c['attached_to_existing']:>6} {c['qualified']:>6}  {r['check']}"
    )


def goals(results: list[dict[str, Any]], stored: int) -> list[str]:
    """Met/MISSED per goal and where the time went."""
    scale = "" if stored >= GOAL_STORED else f" [at N={stored:,}; goals are set for 1M stored]"
    lines = []
    for r in results:
        name = f"{r['db']}/{r['mail']}"
        d = r["durations"]
        top = max(d, key=d.__getitem__)
        if r["mail"] == "new":
            s = d["dropbox"]
            verdict = _verdict(s <= INTAKE_GOAL)
            lines.append(
                f"{name}: {r['expected']:,} new rows against {stored:,} stored, intake (dropbox "
                f"stage) {s:.2f} s <= {INTAKE_GOAL:.0f} s -> {verdict}{scale}"
            )
            continue
        lines.append(
            f"{name}: night wall {r['wall']:.1f} s <= {WALL_GOAL:.0f} s -> "
            f"{_verdict(r['wall'] <= WALL_GOAL)}; peak RSS {r['peak_mb']:.0f} MB <= "
            f"{RSS_GOAL_MB:.0f} MB -> {_verdict(r['peak_mb'] <= RSS_GOAL_MB)}{scale}"
        )
        lines.append(
            f"  most time: {top} {d[top]:.1f} s ({100 * d[top] / r['wall']:.0f} % of wall)"
        )
    return lines


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(args: argparse.Namespace) -> int:
    dbs = args.db
    variants = args.mail + (["new"] if args.intake_only_new else [])
    if args.rebuild or "sqlite" in dbs:
        sqlite_cache(args.stored, args.rebuild)
    if "postgresql" in dbs:
        pg_template(args.stored, args.rebuild)
    results: list[dict[str, Any]] = []
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-nightly-") as tmp, ExitStack() as stack:
        bench = Bench(args, Path(tmp), stack)
        n = bench.night
        print(
            f"night: {n.total:,} records ({n.rows:,} web-form rows, {n.cards:,} vCards, "
            f"{n.emails:,} emails; {n.returning:,} of them stored people coming back) against "
            f"{n.stored:,} stored leads",
            flush=True,
        )
        print(COLUMNS, flush=True)
        for db in dbs:
            for variant in variants:
                try:
                    results.append(bench.run(db, variant))
                except FlowFailed as error:
                    errors.append(f"{db:<10} {variant:<4} FLOW FAILED ({error})")
                    print(errors[-1], flush=True)
                    continue
                print(row_text(results[-1]), flush=True)
    print()
    print("\n".join(goals(results, args.stored)))
    failed = [f"{r['db']}/{r['mail']}: {r['check']}" for r in results if r["check"] != "ok"]
    for line in failed + errors:
        print(f"FAILED {line}", file=sys.stderr)
    return 1 if failed or errors else 0


if __name__ == "__main__":
    sys.exit(main(parse_args(sys.argv[1:])))
