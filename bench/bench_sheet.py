"""Benchmark of the sheet parser alone: rows/s and peak memory on generated CSV files.

Run: ``.venv/bin/python bench/bench_sheet.py [rows ...]`` (default 100000). Peak memory is the
process's max RSS, measured in a fresh subprocess per file so runs do not mask each other.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HEADER = "Ad;Soyad;E-posta;Firma;Telefon;Unvan;Şehir;Ürün;Adet;Mesaj\n"


def write_csv(path: Path, rows: int) -> None:
    """A cp1254 semicolon CSV like a Turkish web-form export, with a quoted multi-line message."""
    with path.open("w", encoding="cp1254", newline="") as out:
        out.write(HEADER)
        for i in range(rows):
            out.write(
                f"Işıl{i};Ağaoğlu;isil{i}@example.com.tr;Anadolu Makine A.Ş.;0532 {i:07d};"
                f"Satın Alma;İstanbul;Hidrolik pompa;{i % 50 + 1};"
                '"Fiyat rica ederiz;\nteşekkürler"\n'
            )


def measure(path: Path) -> None:
    """Parse ``path`` and print: rows, seconds, rows/s, peak RSS in MB."""
    from ingest.sheet import parse_sheet

    start = time.process_time()  # CPU time: the 2 shared cores make wall time noisy
    items = parse_sheet(
        path,
        file_sha256=hashlib.sha256(path.name.encode()).hexdigest(),
        origin=path.name,
        received_at=datetime.now(UTC),
    )
    count = sum(1 for _ in items)
    seconds = time.process_time() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count}\t{seconds:.2f}\t{count / seconds:,.0f}\t{peak_mb:.0f}")


def main(sizes: list[int]) -> None:
    print(f"{'rows':>9} {'MB file':>8} {'cpu s':>8} {'rows/s':>10} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            path = Path(tmp) / f"bench-{rows}.csv"
            write_csv(path, rows)
            out = subprocess.run(
                [sys.executable, __file__, "--measure", str(path)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split("\t")
            size_mb = path.stat().st_size / 1e6
            print(f"{out[0]:>9} {size_mb:>8.1f} {out[1]:>8} {out[2]:>10} {out[3].strip():>8}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        measure(Path(sys.argv[2]))
    else:
        parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
        parser.add_argument("rows", nargs="*", type=int, default=[100_000], help="rows per file")
        main(parser.parse_args().rows)
