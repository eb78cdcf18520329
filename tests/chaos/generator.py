"""A reproducible drop folder for the chaos harness, and what storing it must produce.

CSV exports (200–2,000 rows each) draw from one pool of people, so the same person turns up
in several files; vCard files and ``.eml`` inquiries add more of the same pool; one file is
not a spreadsheet at all (quarantined) and one is an exact re-drop of another (already seen).
The generator knows every ``source_ref`` the ledger must end up holding.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path

FIRST = [
    "Ahmet", "Ayşe", "Mehmet", "Fatma", "Mustafa", "Emine", "Ali", "Hatice", "Hüseyin", "Zeynep",
    "Hasan", "Elif", "İbrahim", "Merve", "Murat", "Özlem", "Ömer", "Şule", "Yusuf", "Gül",
    "John", "Mary", "Peter", "Linda", "Klaus", "Anna", "Pierre", "Sophie", "Marco", "Giulia",
]  # fmt: skip
LAST = [
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
    "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan",
    "Şimşek", "Smith", "Jones", "Müller", "Schmidt", "Dubois", "Rossi", "Bianchi", "Novak",
    "Kowalski", "Hansen", "Berg", "Lindqvist", "Costa", "Silva", "Moreau", "Fischer",
]  # fmt: skip
ASCII = str.maketrans("çğıöşüÇĞİÖŞÜ", "cgiosuCGIOSU")


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    email: str
    phone: str  # E.164
    company: str

    @property
    def display_phone(self) -> str:
        d = self.phone[3:]
        return f"0{d[:3]} {d[3:6]} {d[6:8]} {d[8:]}"


@dataclass(frozen=True)
class InputFile:
    name: str
    data: bytes
    refs: tuple[str, ...]  # source_refs the ledger must hold for this file
    quarantined: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class DropSet:
    """Everything generated: the files and the people they mention."""

    files: list[InputFile] = field(default_factory=list)
    people: set[Person] = field(default_factory=set)

    @property
    def expected_refs(self) -> set[str]:
        return {ref for f in self.files for ref in f.refs}

    @property
    def distinct_files(self) -> dict[str, InputFile]:
        """sha256 -> file (a re-drop of identical bytes counts once)."""
        return {f.sha256: f for f in self.files}

    def write(self, inbox: Path) -> None:
        inbox.mkdir(parents=True, exist_ok=True)
        for f in self.files:
            (inbox / f.name).write_bytes(f.data)


def make_people(rng: random.Random, count: int) -> list[Person]:
    """``count`` people with distinct names, e-mail addresses and mobile numbers."""
    names = [(f, la) for f in FIRST for la in LAST]
    rng.shuffle(names)
    people = []
    for i, (first, last) in enumerate(names[:count]):
        local = f"{first}.{last}".lower().translate(ASCII)
        company = f"{LAST[(i * 7) % len(LAST)]} {rng.choice(['Makina', 'Tekstil', 'GmbH', 'Ltd'])}"
        domain = f"firm{i % 97}.example"
        phone = f"+90532{1000000 + i * 7:07d}"
        people.append(Person(first, last, f"{local}{i}@{domain}", phone, company))
    return people


def csv_file(people: list[Person]) -> bytes:
    """A web-form export: header row 1, one person per row from row 2."""
    lines = ["First Name,Last Name,E-mail,Phone,Company"]
    lines += [f"{p.first},{p.last},{p.email},{p.display_phone},{p.company}" for p in people]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def vcard_file(people: list[Person]) -> bytes:
    """vCard 3.0 cards, numbered from 1 in the ledger."""
    cards = [
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"N:{p.last};{p.first};;;\r\nFN:{p.first} {p.last}\r\nORG:{p.company}\r\n"
        f"TEL;TYPE=CELL:{p.phone}\r\nEMAIL;TYPE=INTERNET:{p.email}\r\nEND:VCARD\r\n"
        for p in people
    ]
    return "".join(cards).encode("utf-8")


def eml_file(p: Person, n: int) -> bytes:
    """A plain-text inquiry from ``p``; one ledger row for the whole message."""
    return (
        f"Message-ID: <chaos-{n}-{p.phone[1:]}@chaos.example>\r\n"
        "Date: Wed, 6 Mar 2024 14:03:22 +0000\r\n"
        f"From: {p.first.translate(ASCII)} {p.last.translate(ASCII)} <{p.email}>\r\n"
        "To: sales@salesflow.example\r\n"
        f"Subject: Quote request {n}\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Hello,\r\n\r\nplease send a quote for {n + 2} gear motors.\r\n\r\n"
        f"Regards,\r\n{p.first} {p.last}\r\n{p.company}\r\nMobile: {p.phone}\r\n"
    ).encode()


def generate(
    seed: int = 7,
    *,
    csvs: int = 22,
    vcards: int = 3,
    emails: int = 3,
    pool: int = 1000,
    rows: tuple[int, int] = (200, 2000),
) -> DropSet:
    """A drop set of ``csvs + vcards + emails + 2`` files (one bad, one re-drop)."""
    rng = random.Random(seed)
    people = make_people(rng, pool)
    out = DropSet()

    def add(name: str, data: bytes, refs: list[str], used: list[Person]) -> None:
        sha = hashlib.sha256(data).hexdigest()
        out.files.append(InputFile(name, data, tuple(f"file://{sha}{r}" for r in refs)))
        out.people.update(used)

    for i in range(csvs):
        chosen = rng.sample(people, min(len(people), rng.randint(*rows)))
        add(
            f"webform-{i:02d}.csv",
            csv_file(chosen),
            [f"#row-{n + 2}" for n in range(len(chosen))],
            chosen,
        )
    for i in range(vcards):
        chosen = rng.sample(people, min(len(people), rng.randint(5, 40)))
        add(
            f"cards-{i}.vcf",
            vcard_file(chosen),
            [f"#card-{n + 1}" for n in range(len(chosen))],
            chosen,
        )
    for i in range(emails):
        p = rng.choice(people)
        add(f"inquiry-{i}.eml", eml_file(p, i), [""], [p])
    bad = bytes(rng.randrange(256) for _ in range(4096))
    out.files.append(InputFile("broken-export.xlsx", b"PK\x03\x04" + bad, (), quarantined=True))
    first = out.files[0]
    out.files.append(InputFile("webform-00 (copy).csv", first.data, first.refs))
    return out
