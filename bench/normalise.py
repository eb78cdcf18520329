"""Benchmark ``build_candidates`` on synthetic, varied lead rows; prints rows/s and peak MB.

Run: ``.venv/bin/python bench/normalise.py [sizes...]`` (default 10000 100000). Every row has a
unique email and phone; names, companies and cities are drawn from Turkish and English pools
in mixed, UPPER and lower case, so per-value caches see realistic repetition. Each size is
timed from cold caches (best of three, wall and CPU time, since the machine may be shared);
peak MB (the candidates kept plus working memory) is measured in a last pass under tracemalloc.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest import (  # noqa: E402
    company,
    emailaddr,
    names,
    normalise,
    phone,
    phone_rules,
    place,
    turkish,
    website,
)
from ingest.normalise import build_candidates  # noqa: E402
from ingest.records import RawRecord, SourceKind  # noqa: E402

TR_FIRST = "Ahmet Ayşe Işıl Mehmet İsmail Şükrü Zeynep Ali Elif Murat Ilgın Kemal".split()
TR_LAST = "Yılmaz Kaya Demir Çağlar Öztürk Aydın Ağaoğlu Kılıç Şahin Işık".split()
EN_FIRST = "John Mary Isabel William Emma Olivia James Sophia Liam Ingrid".split()
EN_LAST = "Smith Johnson Williams Brown Miller Davis Garcia Müller Schmidt van der Berg".split(" ")
TR_COMPANY = [
    "Anadolu Makine San. ve Tic. A.Ş.",
    "Ağaoğlu İnşaat Ltd. Şti.",
    "Boğaziçi Lojistik AŞ",
]
EN_COMPANY = ["Acme Ltd", "Globex Corporation", "Initech LLC", "Müller GmbH", "Umbrella Inc."]
TR_CITY = ["İstanbul", "ISTANBUL", "izmir", "Ankara", "BURSA", "Kadıköy"]
EN_CITY = ["New York", "CHICAGO", "Berlin", "München", "springfield"]
TITLE = ["Satın Alma Müdürü", "SALES MANAGER", "ceo", "", "Purchasing Lead"]


def _case(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.2:
        return turkish.turkish_upper(text)
    if roll < 0.3:
        return turkish.turkish_lower(text)
    return text


def _phone(i: int, country: str, rng: random.Random) -> str:
    n = f"{i:07d}"
    if country == "US":
        return rng.choice(
            [f"+1 650 {n[:3]} {n[3:]}", f"(650) 2{n[1:3]}-{n[3:]}", f"650.{n[:3]}.{n[3:]}"]
        )
    if country == "DE":
        return rng.choice([f"+49 30 {n}", f"030 {n}", f"0049 89 {n}"])
    return rng.choice(
        [
            f"0212 {n[:3]} {n[3:5]} {n[5:]}",
            f"+90 532 {n}",
            f"(0533) {n[:3]}-{n[3:]}",
            f"0090 216 {n}",
            f"tel:+90-212-{n}",
            f"0212 {n} ext. 12",
            f"532{n}",
        ]
    )


def _row(i: int, rng: random.Random) -> dict[str, str]:
    """One row: 70% Turkish, 30% US/German (country written in several ways)."""
    if rng.random() < 0.7:
        first, last, country = rng.choice(TR_FIRST), rng.choice(TR_LAST), "TR"
        company, city = rng.choice(TR_COMPANY), rng.choice(TR_CITY)
        written = rng.choice(["", "", "Türkiye", "TR", "Turkey"])
        domain = f"firma{i % 97}.com.tr"
    else:
        first, last, country = rng.choice(EN_FIRST), rng.choice(EN_LAST), rng.choice(["US", "DE"])
        company, city = rng.choice(EN_COMPANY), rng.choice(EN_CITY)
        written = {"US": rng.choice(["USA", "United States", "US"]), "DE": "Deutschland"}[country]
        domain = f"company{i % 97}.com"
    fields = {
        "email": f"{turkish.transliterate(first).lower()}.{i}@{domain}",
        "phone": _phone(i, country, rng),
        "company": company,
        "city": city,
        "country": written,
        "title": rng.choice(TITLE),
        "website": f"www.{domain.upper()}/",
        "notes": "Fuar görüşmesi",
    }
    if rng.random() < 0.5:
        fields["full_name"] = _case(f"{first} {last}", rng)
    else:
        fields["first_name"], fields["last_name"] = _case(first, rng), _case(last, rng)
    if rng.random() < 0.02:
        fields["email"] = f"broken {i}@"
    return fields


def make_records(count: int, seed: int = 7) -> list[RawRecord]:
    rng = random.Random(seed)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    records = []
    for i in range(count):
        fields = _row(i, rng)
        records.append(RawRecord(SourceKind.SHEET, f"file://x#{i}", now, "bench.csv", fields))
    return records


def _clear_caches() -> None:
    """Empty every per-value cache of normalisation, so each repeat starts cold alike."""
    for module in (turkish, names, company, place, website, phone_rules, phone, emailaddr):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    normalise._country.cache_clear()
    normalise._SINGLE_CASE_I.clear()
    for table in (*normalise._NAMES, *normalise._TITLES):
        table.clear()


def measure(count: int, repeat: int = 3) -> tuple[float, float, float]:
    """Best-of-``repeat`` wall and CPU rows/s (the machine is shared), and peak MB."""
    records = make_records(count)
    wall, cpu = [], []
    for _ in range(repeat):
        _clear_caches()
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        kept = build_candidates(records)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        del kept
    _clear_caches()
    tracemalloc.start()
    kept = build_candidates(records)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del kept
    return count / min(wall), count / min(cpu), peak / 1e6


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "sizes", nargs="*", type=int, default=[10_000, 100_000], help="rows per measurement"
    )
    sizes = parser.parse_args(argv).sizes
    print(f"{'rows':>8} {'rows/s wall':>12} {'rows/s cpu':>11} {'peak MB':>8}")
    for size in sizes:
        rate, cpu_rate, peak = measure(size)
        print(f"{size:>8} {rate:>12,.0f} {cpu_rate:>11,.0f} {peak:>8.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
