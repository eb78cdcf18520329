"""Synthetic people and their vCards and CSV rows for the ingestion benchmark.

Deterministic (seeded per row number): a file written twice has the same bytes. Every person
has a unique email and phone; names, companies, titles and cities come from small Turkish and
English pools, so per-value caches see the repetition real exports have. Emails are written by
``bench.ingest_mail``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

CARDS_PER_FILE = 1000
QP_EVERY = 50  # one card in 50 is a legacy v2.1 quoted-printable card (Outlook, Android)

# Name pools about as varied as a real regional lead list; companies are built from parts so
# there are thousands of them (identity resolution blocks on company and on names, and ten
# companies shared by 100k people would be a degenerate worst case, not a benchmark).
TR_FIRST = (
    "Ahmet Ayşe Işıl Mehmet İsmail Şükrü Zeynep Ali Elif Murat Ilgın Gülşen Çağrı Emre Burak "
    "Fatma Hatice Mustafa Hüseyin Hasan İbrahim Ömer Yusuf Özlem Derya Serkan Tuğba Gökhan "
    "Merve Oğuz Selin Kübra Barış Deniz Volkan Ebru Kerem Sibel Cem Aslı"
).split()
TR_LAST = (
    "Yılmaz Kaya Demir Çağlar Öztürk Aydın Ağaoğlu Kılıç Şahin Işık Güneş Doğan Çelik Arslan "
    "Yıldız Koç Kurt Özdemir Aslan Çetin Kara Polat Erdoğan Bulut Keskin Ünal Acar Taş Kaplan "
    "Korkmaz Özkan Ateş Bozkurt Yücel Tekin Sarı Güler Coşkun Akgül Uysal"
).split()
EN_FIRST = (
    "John Mary Isabel William Emma Olivia James Sophia Liam Ingrid Peter Anna Lukas Sarah "
    "Michael Laura David Julia Thomas Hannah Daniel Emily Felix Clara Robert"
).split()
EN_LAST = (
    "Smith Johnson Williams Brown Miller Davis Garcia Müller Schmidt O'Brien Fischer Weber "
    "Wagner Becker Taylor Anderson Thomas Moore Martin Clark Lewis Walker Hall Young King"
).split()
TR_PARTS = (
    "Anadolu Ağaoğlu Boğaziçi Ege Çukurova Marmara Karadeniz Toros Kapadokya Trakya Uludağ "
    "Erciyes Akdeniz Fırat Dicle Köroğlu Yıldırım Gökçe Altın Demirtaş"
).split()
TR_TRADE = "Makine Hidrolik İnşaat Lojistik Tekstil Gıda Plastik Otomotiv Enerji Ambalaj".split()
TR_SUFFIX = ["San. ve Tic. A.Ş.", "Ltd. Şti.", "AŞ", "Sanayi A.Ş.", "Dış Tic. Ltd. Şti."]
EN_PARTS = "Acme Globex Initech Umbrella Stark Wayne Hooli Vandelay Northwind Contoso".split()
EN_TRADE = "Tools Logistics Machinery Foods Plastics Motors Energy Packaging Systems Labs".split()
EN_SUFFIX = ["Ltd", "LLC", "Inc.", "GmbH", "Corporation"]
TR_TITLE = ["Satın Alma Müdürü", "Genel Müdür", "Satış Uzmanı", "Proje Mühendisi", ""]
EN_TITLE = ["Purchasing Manager", "CEO", "Sales Engineer", "Procurement Lead", ""]
TR_CITY = [("İstanbul", "34394"), ("İzmir", "35210"), ("Ankara", "06510"), ("Bursa", "16140")]
EN_CITY = [  # city, postcode, country as written, phone prefix
    ("Chicago", "60601", "USA", "+1 312"),
    ("Boston", "02108", "United States", "+1 617"),
    ("Berlin", "10115", "Germany", "+49 30"),
    ("München", "80331", "Deutschland", "+49 89"),
]
PRODUCTS = ["Hidrolik pompa", "Rulman 6204", "Pnömatik silindir", "Redüktör", "Conveyor belt"]


@dataclass(frozen=True, slots=True)
class Person:
    """One synthetic contact."""

    first: str
    last: str
    email: str
    phone: str
    mobile: str
    company: str
    title: str
    street: str
    city: str
    postcode: str
    country: str
    website: str
    product: str
    quantity: int
    turkish: bool


def make_person(i: int) -> Person:
    """Person number ``i``: 70% Turkish, 30% US/German; email and phones unique by ``i``."""
    rng = random.Random(i)
    turkish = rng.random() < 0.7
    n = f"{i:07d}"
    if turkish:
        first, last = rng.choice(TR_FIRST), rng.choice(TR_LAST)
        company = f"{rng.choice(TR_PARTS)} {rng.choice(TR_TRADE)} {rng.choice(TR_SUFFIX)}"
        title = rng.choice(TR_TITLE)
        city, postcode = rng.choice(TR_CITY)
        domain, country = f"firma{i % 997}.com.tr", "Türkiye"
        phone, mobile = f"+90 212 {n[:3]} {n[3:5]} {n[5:]}", f"0532 {n[:3]} {n[3:5]} {n[5:]}"
        street = f"Büyükdere Cad. No:{i % 300 + 1}"
    else:
        first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
        company = f"{rng.choice(EN_PARTS)} {rng.choice(EN_TRADE)} {rng.choice(EN_SUFFIX)}"
        title = rng.choice(EN_TITLE)
        city, postcode, country, prefix = rng.choice(EN_CITY)
        domain = f"company{i % 997}.com"
        phone, mobile = f"{prefix} {n[:3]} {n[3:]}", f"{prefix} 9{n}"
        street = f"{i % 900 + 1} Main Street"
    local = f"{_ascii(first)}.{_ascii(last)}.{i}".lower()
    return Person(
        first=first,
        last=last,
        email=f"{local}@{domain}",
        phone=phone,
        mobile=mobile,
        company=company,
        title=title,
        street=street,
        city=city,
        postcode=postcode,
        country=country,
        website=f"https://www.{domain}",
        product=rng.choice(PRODUCTS),
        quantity=rng.randint(1, 500),
        turkish=turkish,
    )


def _ascii(text: str) -> str:
    return text.translate(str.maketrans("ıİşŞğĞüÜöÖçÇ'", "iIsSgGuUoOcC-"))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str, width: int = 74) -> str:
    """RFC 6350 folding (by characters, which keeps multibyte letters whole)."""
    parts = [line[k : k + width] for k in range(0, len(line), width)]
    return "\r\n ".join(parts)


def card_v30(p: Person, i: int) -> str:
    """A v3.0 card as phone and mail clients export it (CRLF, folded long NOTE)."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_escape(p.last)};{_escape(p.first)};;;",
        f"FN:{_escape(p.first)} {_escape(p.last)}",
        f"ORG:{_escape(p.company)}",
        f"TITLE:{_escape(p.title)}" if p.title else "",
        f"EMAIL;TYPE=INTERNET,WORK:{p.email}",
        f"TEL;TYPE=WORK,VOICE:{p.phone}",
        f"TEL;TYPE=CELL:{p.mobile}",
        f"ADR;TYPE=WORK:;;{_escape(p.street)};{p.city};;{p.postcode};{p.country}",
        f"URL:{p.website}",
    ]
    if i % 5 == 0:  # a long note, folded over several lines
        note = f"Fuarda görüşüldü\\, {p.quantity} adet {p.product} için teklif istedi. " * 3
        lines.append(_fold(f"NOTE:{note.strip()}"))
    lines.append("END:VCARD")
    return "\r\n".join(line for line in lines if line) + "\r\n"


def quoted_printable(text: str) -> str:
    """Quoted-printable UTF-8 (line breaks as =0D=0A) with "=" soft breaks, Outlook style."""
    encoded = "".join(chr(b) if 32 <= b < 127 and b != 61 else f"={b:02X}" for b in text.encode())
    # Break every 70 characters, never inside an "=XX" escape.
    lines, line = [], ""
    for piece in re.findall(r"=[0-9A-F]{2}|.", encoded):
        if len(line) + len(piece) > 70:
            lines.append(line)
            line = ""
        line += piece
    return "=\r\n".join([*lines, line])


def card_v21_qp(p: Person) -> str:
    """A legacy v2.1 card with CHARSET=UTF-8 quoted-printable values and soft line breaks."""
    qp = ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
    address = f";;{p.street}\r\n{p.postcode} {p.city};{p.city};;{p.postcode};{p.country}"
    lines = [
        "BEGIN:VCARD",
        "VERSION:2.1",
        f"N{qp}{quoted_printable(f'{p.last};{p.first};;;')}",
        f"FN{qp}{quoted_printable(f'{p.first} {p.last}')}",
        f"ORG{qp}{quoted_printable(p.company)}",
        f"TITLE{qp}{quoted_printable(p.title)}" if p.title else "",
        f"TEL;WORK;VOICE:{p.phone}",
        f"TEL;CELL:{p.mobile}",
        f"EMAIL;PREF;INTERNET:{p.email}",
        f"ADR;WORK{qp}{quoted_printable(address)}",
        "END:VCARD",
    ]
    return "\r\n".join(line for line in lines if line) + "\r\n"


def write_vcards(folder: Path, count: int, *, clean: bool) -> list[Path]:
    """``count`` cards in files of ``CARDS_PER_FILE``; ``clean`` writes every card as v3.0."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for start in range(0, count, CARDS_PER_FILE):
        cards = []
        for i in range(start, min(start + CARDS_PER_FILE, count)):
            p = make_person(i)
            legacy = not clean and i % QP_EVERY == QP_EVERY - 1
            cards.append(card_v21_qp(p) if legacy else card_v30(p, i))
        path = folder / f"contacts-{start // CARDS_PER_FILE:04d}.vcf"
        path.write_bytes("".join(cards).encode())
        paths.append(path)
    return paths


TR_HEADER = "Ad;Soyad;E-posta;Firma;Telefon;Unvan;Şehir;Ürün;Adet;Mesaj"
EN_HEADER = "First Name,Last Name,Email,Company,Phone,Job Title,City,Country,Product,Quantity,Notes"


def _cell(text: str, sep: str) -> str:
    if sep in text or '"' in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_row(p: Person, i: int, sep: str) -> str:
    """One web-form row; one in ten carries a quoted multi-line message."""
    message = f"{p.quantity} adet için fiyat rica ederiz;\nteşekkürler" if i % 10 == 0 else ""
    if sep == ";":
        cells = [p.first, p.last, p.email, p.company, p.phone, p.title, p.city]
        cells += [p.product, str(p.quantity), message]
    else:
        cells = [p.first, p.last, p.email, p.company, p.phone, p.title, p.city, p.country]
        cells += [p.product, str(p.quantity), message.replace(";", ",")]
    return sep.join(_cell(c, sep) for c in cells) + "\r\n"


def write_csvs(folder: Path, count: int) -> list[Path]:
    """Half the rows in a cp1254 ``;`` Turkish web-form export, half in a UTF-8 ``,`` one."""
    folder.mkdir(parents=True, exist_ok=True)
    half = count // 2
    specs = [
        ("form-tr.csv", TR_HEADER, ";", "cp1254", range(half)),
        ("form-en.csv", EN_HEADER, ",", "utf-8", range(half, count)),
    ]
    paths = []
    for name, header, sep, encoding, rows in specs:
        path = folder / name
        with path.open("w", encoding=encoding, errors="replace", newline="") as out:
            out.write(header + "\r\n")
            for i in rows:
                out.write(csv_row(make_person(i), i, sep))
        paths.append(path)
    return paths
