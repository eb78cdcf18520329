"""Business-card OCR benchmark: render varied cards with Pillow, read them back, score fields.

Run: ``.venv/bin/python -m bench.cards [N] [--noisy]``. Prints field-level accuracy (exact, and
within a 90 % similarity for name/company/title) and seconds per card. The renderer is also
used by ``tests/integration/test_card_scans.py``.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from rapidfuzz import fuzz

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
FONTS = ("DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSansCondensed.ttf")
BOLD = {
    "DejaVuSans.ttf": "DejaVuSans-Bold.ttf",
    "DejaVuSerif.ttf": "DejaVuSerif-Bold.ttf",
    "DejaVuSansCondensed.ttf": "DejaVuSansCondensed-Bold.ttf",
}
GIVEN = (
    "Ayşe",
    "İsmail",
    "Gülşen",
    "Oğuz",
    "Çiğdem",
    "Şükrü",
    "İpek",
    "Mehmet",
    "Ahmet",
    "Zeynep",
    "John",
    "Sarah",
    "Michael",
    "Emma",
    "Hüseyin",
    "Ertuğrul",
    "Işıl",
    "Burak",
)
FAMILY = (
    "Yılmaz",
    "Öztürk",
    "Şahin",
    "Doğan",
    "Kılıç",
    "Çelik",
    "Ağaoğlu",
    "Smith",
    "Miller",
    "Johnson",
    "Taylor",
    "Güneş",
    "Erdoğan",
    "Aydın",
    "Koç",
    "Brown",
)
STEMS = (
    "Anadolu Makine",
    "Ege Tekstil",
    "Marmara Gıda",
    "Northwind",
    "Bosphorus Lojistik",
    "Delta Otomasyon",
    "Kuzey Enerji",
    "Acme Tools",
    "Bluewave Systems",
    "Toros Kimya",
)
SUFFIXES = ("A.Ş.", "Ltd. Şti.", "San. ve Tic. A.Ş.", "Ltd", "GmbH", "Inc.", "LLC")
TITLES = (
    "Satın Alma Müdürü",
    "Genel Müdür",
    "Sales Manager",
    "Purchasing Specialist",
    "İhracat Uzmanı",
    "Proje Mühendisi",
    "Head of Procurement",
    "Satış Temsilcisi",
)
STREETS = (
    "Atatürk Cad. No:12",
    "Bağdat Cad. No:245 Kat:3",
    "Cumhuriyet Mah. 1203 Sok. No:5",
    "221 Baker Street",
    "Organize Sanayi Bölgesi 4. Cad. No:8",
)
CITIES = (
    "34710 Kadıköy/İstanbul",
    "06510 Çankaya/Ankara",
    "35220 Konak/İzmir",
    "16140 Nilüfer/Bursa",
    "London NW1 6XE, UK",
)
LAYOUTS = ("left", "center", "two-column")
_KEYS = {"name": "full_name"}
_ASCII = str.maketrans("çğıöşüÇĞİÖŞÜ", "cgiosuCGIOSU")


@dataclass(frozen=True)
class CardSpec:
    """What is printed on a test card."""

    name: str
    title: str
    company: str
    email: str
    phone: str
    mobile: str
    street: str
    city: str
    website: str
    layout: str
    font: str


def _slug(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.translate(_ASCII).lower())


def random_spec(rng: random.Random) -> CardSpec:
    """A plausible card with Turkish or English names and a company whose domain it uses."""
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    stem = rng.choice(STEMS)
    domain = f"{_slug(stem)}.{rng.choice(('com', 'com.tr', 'net', 'de'))}"
    first, last = _slug(given), _slug(family)
    local = rng.choice((f"{first}.{last}", first, f"{first[0]}{last}"))
    pairs = f"{rng.randint(10, 99)} {rng.randint(10, 99)}"
    phone = rng.choice(
        (
            f"+90 212 {rng.randint(200, 999)} {pairs}",
            f"0216 {rng.randint(200, 999)} {pairs}",
            f"+44 20 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
        )
    )
    mobile = f"+90 5{rng.randint(30, 59)} {rng.randint(200, 999)} {pairs[::-1]}"
    return CardSpec(
        f"{given} {family}",
        rng.choice(TITLES),
        f"{stem} {rng.choice(SUFFIXES)}",
        f"{local}@{domain}",
        phone,
        mobile,
        rng.choice(STREETS),
        rng.choice(CITIES),
        f"www.{domain}",
        rng.choice(LAYOUTS),
        rng.choice(FONTS),
    )


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_DIR + name, size)


def _blocks(spec: CardSpec) -> tuple[list[tuple[str, int, bool]], list[tuple[str, int, bool]]]:
    """(text, size, bold) lines of the identity block and of the contact block."""
    who = [(spec.name, 46, True), (spec.title, 28, False), (spec.company, 32, True)]
    how = [
        (f"Tel: {spec.phone}", 26, False),
        (f"GSM: {spec.mobile}", 26, False),
        (f"E-posta: {spec.email}", 26, False),
        (spec.website, 26, False),
        (spec.street, 24, False),
        (spec.city, 24, False),
    ]
    return who, how


def render_card(spec: CardSpec, *, angle: float = 0.0, noise: float = 0.0, seed: int = 0) -> bytes:
    """A 1050 x 600 (300 dpi) card as PNG bytes, optionally rotated and speckled."""
    card = Image.new("L", (1050, 600), 255)
    draw = ImageDraw.Draw(card)
    who, how = _blocks(spec)
    if spec.layout == "two-column":
        columns = [(who, 50, 60), (how, 540, 60)]
    else:
        columns = [(who + how, 50, 30)]
    for lines, x0, y in columns:
        for text, size, bold in lines:
            points = size - (4 if len(columns) > 1 else 8)
            font = _font(BOLD[spec.font] if bold else spec.font, points)
            width = draw.textlength(text, font=font)
            # Text must stay inside its column (a long company name must not run into the right
            # column, a long email not off the card), as on any printed card.
            right = 510 if len(columns) > 1 and x0 < 540 else 1030
            while x0 + width > right and points > 12:
                points -= 2
                font = _font(BOLD[spec.font] if bold else spec.font, points)
                width = draw.textlength(text, font=font)
            x = (1050 - width) / 2 if spec.layout == "center" else x0
            draw.text((x, y), text, font=font, fill=0)
            y += int(size * 1.25) - (10 if len(columns) == 1 else 0)
    if noise:
        rng = random.Random(seed)
        pixels = card.load()
        assert pixels is not None  # a freshly drawn image always has pixel access
        for _ in range(int(1050 * 600 * noise)):
            pixels[rng.randrange(1050), rng.randrange(600)] = rng.choice((0, 128, 200))
        card = card.filter(ImageFilter.GaussianBlur(0.6))
    if angle:
        card = card.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    out = io.BytesIO()
    card.save(out, format="PNG")
    return out.getvalue()


def digits(text: str) -> str:
    """Only the digits of a phone number, for comparing printed and read numbers."""
    return re.sub(r"\D", "", text)


def score(spec: CardSpec, fields: dict[str, str]) -> dict[str, tuple[bool, bool]]:
    """Per field: (exact, within 90 % similarity)."""

    def pair(want: str, got: str) -> tuple[bool, bool]:
        return want == got, fuzz.ratio(want, got) >= 90

    return {
        "email": pair(spec.email, fields.get("email", "")),
        "phone": pair(digits(spec.phone), digits(fields.get("phone", ""))),
        "mobile": pair(digits(spec.mobile), digits(fields.get("mobile", ""))),
        "name": pair(spec.name, fields.get("full_name", "")),
        "company": pair(spec.company, fields.get("company", "")),
        "title": pair(spec.title, fields.get("title", "")),
    }


def main(count: int, noisy: bool, show: bool = False) -> None:
    from ingest.records import RawRecord
    from ingest.scan import parse_scan

    rng = random.Random(9)
    totals: dict[str, list[int]] = {}
    started = time.perf_counter()
    for i in range(count):
        spec = random_spec(rng)
        angle = rng.uniform(-3, 3) if noisy else 0.0
        data = render_card(spec, angle=angle, noise=0.01 if noisy else 0.0, seed=i)
        items = list(
            parse_scan(
                data, file_sha256=f"{i:064x}", origin=f"card{i}.png", received_at=datetime.now(UTC)
            )
        )
        fields = items[0].fields if items and isinstance(items[0], RawRecord) else {}
        for name, (exact, close) in score(spec, fields).items():
            if show and not exact:
                got = fields.get(_KEYS.get(name, name))
                print(f"card {i} {spec.layout} {name}: {got!r} != {spec}")
            row = totals.setdefault(name, [0, 0])
            row[0] += exact
            row[1] += close
    elapsed = time.perf_counter() - started
    print(f"{count} cards ({'noisy, ±3°' if noisy else 'clean'}), {elapsed / count:.2f} s/card")
    print(f"{'field':<8} {'exact':>7} {'≥90% sim':>9}")
    for name, (exact_count, close_count) in totals.items():
        print(f"{name:<8} {100 * exact_count / count:6.1f}% {100 * close_count / count:8.1f}%")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=200, help="cards to render")
    parser.add_argument(
        "--noisy", action="store_true", help="turn each card up to 3 degrees, add 1 %% noise"
    )
    parser.add_argument("--show", action="store_true", help="print what was misread on each card")
    args = parser.parse_args()
    main(args.count, args.noisy, args.show)
