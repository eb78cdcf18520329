"""Benchmark dedupe against splink on a labelled lead set; prints a table.

Run: ``.venv/bin/python bench/dedupe.py --sizes 20000,200000,1000000 [--incremental 10000]``.
For each size one labelled set is generated (``bench/dedupe_data.py``) and both engines run on
it in separate processes (``bench/dedupe_engines.py``), so each peak RSS is its own. Quality
is pairwise precision, recall and F1 over true-match pairs, from the clusters each engine
returns. The incremental row matches ``--incremental`` new records against the largest size
as the stored set, with the stored block index built beforehand (its build time is shown).
splink (DuckDB) is a bench-only dependency: ``pip install splink duckdb``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedupe_data import generate  # noqa: E402

ENGINES = Path(__file__).resolve().parent / "dedupe_engines.py"


def _pairs(labels: np.ndarray) -> int:
    counts = np.unique(labels, return_counts=True)[1].astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def pairwise(pred: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1 of a clustering against the true one."""
    both = pred.astype(np.int64) * (int(truth.max()) + 1) + truth
    tp, predicted, actual = _pairs(both), _pairs(pred), _pairs(truth)
    p = tp / predicted if predicted else 1.0
    r = tp / actual if actual else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _run(
    engine: str, data: Path, work: Path, timeout: float
) -> tuple[np.ndarray | None, dict[str, Any]]:
    out = work / f"{engine.replace(':', '_')}.npy"
    try:
        done = subprocess.run(
            [sys.executable, str(ENGINES), engine, str(data), str(out)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None, {"error": f"timed out after {timeout:.0f} s"}
    except subprocess.CalledProcessError as exc:
        lines = exc.stderr.strip().splitlines() or [f"stopped with exit code {exc.returncode}"]
        return None, {"error": lines[-1][:80]}
    return np.load(out), json.loads(done.stdout.strip().splitlines()[-1])


def _row(
    size: int, engine: str, labels: np.ndarray | None, info: dict[str, Any], truth: np.ndarray
) -> str:
    if labels is None:
        return f"| {size:>9,} | {engine:<8} | {info['error']} |"
    p, r, f = pairwise(labels, truth)
    return (
        f"| {size:>9,} | {engine:<8} | {p:.4f} | {r:.4f} | {f:.4f} "
        f"| {info['seconds']:8.1f} | {info['peak_mb']:7.0f} |"
    )


def _incremental(size: int, n_new: int, work: Path, timeout: float) -> str:
    records, truth = generate(size + n_new, seed=11)
    data = work / "incremental.pkl"
    data.write_bytes(pickle.dumps(records))
    attached, info = _run(f"incremental:{n_new}", data, work, timeout)
    if attached is None:
        return f"| incremental {n_new:,} new vs {size:,} stored | {info['error']} |"
    t = np.asarray(truth)
    stored_t, new_t = t[:size], t[size:]
    has_stored = np.isin(new_t, stored_t)
    linked = attached >= 0
    right = linked & (stored_t[np.maximum(attached, 0)] == new_t)
    precision = right.sum() / max(linked.sum(), 1)
    recall = right.sum() / max(has_stored.sum(), 1)
    return (
        f"| incremental: {n_new:,} new vs {size:,} stored | link precision {precision:.4f} "
        f"| link recall {recall:.4f} | {info['seconds']:.1f} s (index build "
        f"{info['index_seconds']:.1f} s, once) | {info['peak_mb']:.0f} MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,200000,1000000")
    parser.add_argument("--engines", default="ours,splink", help='"" for the incremental row only')
    parser.add_argument("--incremental", type=int, default=10000)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("| records   | engine   | precision | recall | F1 | seconds | peak MB |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for size in sizes:
            records, truth = generate(size)
            data = work / f"{size}.pkl"
            data.write_bytes(pickle.dumps(records))
            for engine in filter(None, args.engines.split(",")):
                labels, info = _run(engine, data, work, args.timeout)
                print(_row(size, engine, labels, info, np.asarray(truth)), flush=True)
        if args.incremental:
            print(_incremental(max(sizes), args.incremental, work, args.timeout), flush=True)


if __name__ == "__main__":
    main()
