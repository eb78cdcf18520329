"""``python -m tests.chaos.run --kills 50``: many random kills locally, then a summary.

Sizes are options because one undisturbed run of the full-size drop set (30 files, CSVs of
200–2,000 rows) takes a minute or more on a loaded machine, and every kill costs up to that.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tests.chaos.generator import generate
from tests.chaos.harness import run_chaos


def main(argv: list[str] | None = None) -> int:
    """Run the chaos and print what happened; exit 1 when an invariant is broken."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-rows", type=int, default=200)
    parser.add_argument("--max-rows", type=int, default=2000)
    parser.add_argument("--pool", type=int, default=1000, help="distinct people")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    drop = generate(args.seed, pool=args.pool, rows=(args.min_rows, args.max_rows))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="salesflow-chaos-"))
    print(f"{len(drop.files)} files, {len(drop.expected_refs)} records, "
          f"{len(drop.people)} people; work in {workdir}")  # fmt: skip
    began = time.monotonic()
    tally = run_chaos(workdir, drop, args.kills, seed=args.seed, report=print)
    print(
        f"kills {tally.kills} ({tally.kills_with_work_in_flight} with files in .work), "
        f"runs {tally.runs}, rounds {tally.rounds}, {time.monotonic() - began:.0f}s; "
        f"final invariants {'OK' if tally.ok else 'BROKEN'}"
    )
    for problem in tally.problems:
        print(f"  - {problem}")
    return 0 if tally.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
