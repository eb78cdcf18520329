"""Cards per second: ingest.vcard.parse_vcards vs plain vobject.readComponents (clean 3.0)."""

import argparse
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime

import vobject

from ingest.vcard import parse_vcards


def clean_cards(n: int, seed: int = 7) -> bytes:
    rnd = random.Random(seed)
    firsts = ["Ayşe", "Mehmet", "John", "Anna", "Işıl", "Ömer", "Maria", "Kenji"]
    lasts = ["Yılmaz", "Smith", "Weber", "Öztürk", "Doe", "Rossi", "Tanaka"]
    out = []
    for i in range(n):
        f, last = rnd.choice(firsts), rnd.choice(lasts)
        out.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"N:{last};{f};;;\r\nFN:{f} {last}\r\n"
            f"ORG:Firma {i} A.Ş.;Satış\r\nTITLE:Satın Alma Müdürü\r\n"
            f"EMAIL;TYPE=INTERNET,WORK,PREF:user{i}@firma{i}.example\r\n"
            f"TEL;TYPE=WORK,VOICE:+90 212 555 {i % 10000:04d}\r\n"
            f"TEL;TYPE=CELL:+90 532 111 {i % 10000:04d}\r\n"
            f"ADR;TYPE=WORK:;;Büyükdere Cad. {i}\\, Kat 3;İstanbul;;34394;Türkiye\r\n"
            f"URL:https://firma{i}.example\r\nNOTE:Fuar\\, 2024\\nstand B{i}\r\n"
            "END:VCARD\r\n"
        )
    return "".join(out).encode("utf-8")


def best_of(fn: Callable[[], object], rounds: int = 3) -> float:
    return min(_time(fn) for _ in range(rounds))


def _time(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("cards", nargs="?", type=int, default=10_000, help="clean v3.0 cards")
    n = parser.parse_args().cards
    data = clean_cards(n)
    text = data.decode("utf-8")
    when = datetime.now(UTC)
    ours = best_of(
        lambda: sum(
            1 for _ in parse_vcards(data, file_sha256="0" * 64, origin="b.vcf", received_at=when)
        )
    )
    theirs = best_of(lambda: sum(1 for _ in vobject.readComponents(text)))
    print(f"{'parser':<28}{'cards':>8}{'seconds':>10}{'cards/s':>10}")
    print(f"{'ingest.vcard.parse_vcards':<28}{n:>8}{ours:>10.3f}{n / ours:>10.0f}")
    print(f"{'vobject.readComponents':<28}{n:>8}{theirs:>10.3f}{n / theirs:>10.0f}")


if __name__ == "__main__":
    main()
