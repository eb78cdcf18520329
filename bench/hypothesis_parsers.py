"""Property runs of the parsers on hostile bytes: any input gives items or a typed error.

The property: consuming ``parse_vcards`` / ``parse_sheet`` yields only ``RawRecord``,
``Rejected``, ``AutoReply`` or ``Bounce``, or raises an ``IngestError`` (which the drop folder
turns into a quarantine reason); ``parse_message`` never raises at all. Inputs are random bytes
and mutated valid files (bytes flipped, inserted, deleted, tokens spliced in; for XLSX the XML
inside the archive is mutated and re-zipped so calamine's parser is reached).

The unit tests (``tests/unit/ingest/test_hostile_properties.py``) import the strategies and
checks from here and run ~200 examples each; this script runs many more and prints a table::

    .venv/bin/python -m bench.hypothesis_parsers --examples 100000
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ingest.errors import IngestError
from ingest.message import parse_message
from ingest.records import AutoReply, Bounce, RawRecord, Rejected
from ingest.sheet import parse_sheet
from ingest.vcard import parse_vcards

WHEN = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
SHA = "ab" * 32
ITEM_TYPES = (RawRecord, Rejected, AutoReply, Bounce)

VCARD_SEEDS = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Y\xc4\xb1lmaz;Ay\xc5\x9fe;;;\r\n"
    b"FN:Ay\xc5\x9fe Y\xc4\xb1lmaz\r\nORG:Firma A.\xc5\x9e.\r\n"
    b"EMAIL;TYPE=WORK:ayse@firma.example\r\nTEL;TYPE=CELL:+90 532 111 22 33\r\n"
    b"ADR;TYPE=WORK:;;B\xc3\xbcy\xc3\xbckdere Cad. 1;\xc4\xb0stanbul;;34394;T\xc3\xbcrkiye\r\n"
    b"NOTE:Fuar\\, 2024\\nstand B\r\nEND:VCARD\r\n",
    b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=WINDOWS-1254;ENCODING=QUOTED-PRINTABLE:=DDnal;Ali\r\n"
    b"TEL;WORK:0212 555 12 34\r\nEMAIL;INTERNET:ali@x.example\r\n"
    b"PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRg==\r\n\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\nVERSION:4.0\nFN:John Smith\nEMAIL:john@example.com\nEND:VCARD\n",
)
EMAIL_SEEDS = (
    b"From: Ali Veli <ali@firma.example>\r\nTo: satis@bizim.example\r\nSubject: Teklif talebi\r\n"
    b"Date: Mon, 6 May 2024 09:30:00 +0300\r\nMessage-ID: <1@firma.example>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nMerhaba, 200 adet vana i\xc3\xa7in teklif.\r\n"
    b"Tel: 0532 111 22 33\r\n",
    b"From: a@x.example\r\nSubject: Quote\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
    b"Content-Type: text/html; charset=iso-8859-9\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n"
    b'\r\n<p>Fiyat =DDstiyoruz</p>\r\n--b1\r\nContent-Type: text/vcard; name="../../c.vcf"\r\n'
    b'Content-Disposition: attachment; filename="../../c.vcf"\r\n'
    b"Content-Transfer-Encoding: base64\r\n\r\n"
    b"QkVHSU46VkNBUkQNClZFUlNJT046My4wDQpGTjpBbGkNCkVORDpWQ0FSRA0K\r\n--b1--\r\n",
    b"From: MAILER-DAEMON@x.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
    b"--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n"
    b"Final-Recipient: rfc822; gone@y.example\r\nAction: failed\r\nStatus: 5.1.1\r\n--r--\r\n",
    b"From: b@y.example\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\n\r\nAway.\r\n",
)
CSV_SEEDS = (
    "Ad Soyad;E-posta;Telefon;Mesaj\r\nAyşe Yılmaz;ayse@firma.example;0532 111 22 33;"
    '"Merhaba; 200 adet\r\nvana"\r\nAli;;;\r\n'.encode("cp1254"),
    b"\xef\xbb\xbfName,Email,Phone,Company\nJohn Smith,john@example.com,+1 555 0100,ACME\n"
    b'"Doe, Jane",jane@example.com,,"Big ""Co"""\n',
    "Name\tEmail\n李雷\tli@example.cn\n".encode("utf-16"),
)
TOKENS = (
    b"\r\n", b"\n", b"\r", b"=\r\n", b"\x00", b'"', b";", b",", b"\t", b":", b"\\", b"=",
    b"BEGIN:VCARD\r\n", b"END:VCARD\r\n", b"--b1\r\n", b"--b1--", b"\xff\xfe", b"\xef\xbb\xbf",
    b"Content-Type: multipart/mixed; boundary=\"", b"=?utf-8?b?", b"?=", b"PK\x03\x04",
    b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", b"&a;", b"<c r=\"A1\" t=\"s\"><v>9999</v></c>",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xe2\x80\xae", b"\xc4", b"\xf0\x9f",
)  # fmt: skip


def _xlsx_seed() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (
        ["Ad Soyad", "E-posta", "Telefon", "Tarih"],
        ["Ayşe Yılmaz", "ayse@firma.example", 5321112233, datetime(2024, 3, 1)],
        ["Ali", None, 2125551234.0, None],
    ):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_SEED = _xlsx_seed()


@st.composite
def mutated(draw: st.DrawFn, seeds: Iterable[bytes]) -> bytes:
    """A seed with 1-8 byte-level edits: flip, insert random bytes, delete a run, splice a
    token that means something to one of the formats."""
    data = bytearray(draw(st.sampled_from(tuple(seeds))))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(("flip", "insert", "delete", "token")))
        pos = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            data[min(pos, len(data) - 1)] ^= draw(st.integers(1, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        else:
            data[pos:pos] = draw(st.sampled_from(TOKENS))
    return bytes(data)


@st.composite
def mutated_xlsx(draw: st.DrawFn) -> bytes:
    """The seed workbook with one XML member mutated and the archive rebuilt (so the XML
    reader, not only the ZIP reader, meets the damage)."""
    with zipfile.ZipFile(io.BytesIO(XLSX_SEED)) as seed:
        members = {info.filename: seed.read(info) for info in seed.infolist()}
    target = draw(st.sampled_from(sorted(members)))
    members[target] = draw(mutated([members[target]]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def texts(value: object) -> Iterator[str]:
    """Every string inside an item (fields, dict keys and values, tuples, nested items)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from texts(key)
            yield from texts(inner)
    elif isinstance(value, tuple):
        for inner in value:
            yield from texts(inner)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from texts(getattr(value, field.name))


def check_items(items: Iterable[object]) -> int:
    """Consume a parser's items; every one must be a typed item whose strings a database can
    store (no NUL, no lone surrogate). Returns how many."""
    count = 0
    for item in items:
        assert isinstance(item, ITEM_TYPES), f"unexpected item {type(item).__name__}: {item!r}"
        for text in texts(item):
            assert "\x00" not in text, f"NUL in {item!r}"
            text.encode("utf-8")  # raises on a lone surrogate
        count += 1
    return count


def check_vcards(data: bytes) -> None:
    """``parse_vcards`` gives typed items or an ``IngestError``, whatever the bytes."""
    try:
        check_items(parse_vcards(data, file_sha256=SHA, origin="x.vcf", received_at=WHEN))
    except IngestError:
        pass


def check_message(data: bytes) -> None:
    """``parse_message`` gives at least one typed item and never raises."""
    items = parse_message(data, source_ref="imap://INBOX/1/1", origin="x.eml", received_at=WHEN)
    assert check_items(items) >= 1


def check_sheet(data: bytes, path: Path) -> None:
    """``parse_sheet`` on ``data`` written to ``path`` gives typed items or an ``IngestError``."""
    path.write_bytes(data)
    try:
        check_items(parse_sheet(path, file_sha256=SHA, origin=path.name, received_at=WHEN))
    except IngestError:
        pass


@dataclass(frozen=True, slots=True)
class Property:
    """One parser property: a name, the bytes strategy and the check."""

    name: str
    strategy: st.SearchStrategy[bytes]
    check: Callable[[bytes, Path], None]


def properties() -> list[Property]:
    """Every property this bench and the unit tests run."""
    return [
        Property("vcard random", st.binary(max_size=2048), lambda d, _: check_vcards(d)),
        Property("vcard mutated", mutated(VCARD_SEEDS), lambda d, _: check_vcards(d)),
        Property("email random", st.binary(max_size=2048), lambda d, _: check_message(d)),
        Property("email mutated", mutated(EMAIL_SEEDS), lambda d, _: check_message(d)),
        Property("csv random", st.binary(max_size=2048), lambda d, w: check_sheet(d, w / "x.csv")),
        Property("csv mutated", mutated(CSV_SEEDS), lambda d, w: check_sheet(d, w / "x.csv")),
        Property("xlsx bytes", mutated([XLSX_SEED]), lambda d, w: check_sheet(d, w / "x.xlsx")),
        Property("xlsx xml", mutated_xlsx(), lambda d, w: check_sheet(d, w / "x.xlsx")),
    ]


def run(prop: Property, examples: int, workdir: Path) -> tuple[int, str]:
    """Run one property for ``examples`` examples; (examples run, failure or "")."""
    ran = [0]

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(prop.strategy)
    def body(data: bytes) -> None:
        ran[0] += 1
        prop.check(data, workdir)

    try:
        body()
    except Exception as exc:  # the falsifying example, reported in the table
        return ran[0], f"{type(exc).__name__}: {str(exc)[:200]}"
    return ran[0], ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100_000, help="in total, split evenly")
    parser.add_argument("--only", default="", help="run properties whose name contains this")
    args = parser.parse_args()
    chosen = [p for p in properties() if args.only in p.name]
    each = max(1, args.examples // len(chosen))
    print(f"{'property':<16}{'examples':>10}{'failures':>10}{'seconds':>10}")
    total, started = 0, time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for prop in chosen:
            t = time.perf_counter()
            ran, failure = run(prop, each, Path(tmp))
            total += ran
            print(
                f"{prop.name:<16}{ran:>10}{int(bool(failure)):>10}{time.perf_counter() - t:>10.1f}"
            )
            if failure:
                print(f"    {failure}")
    print(f"{'total':<16}{total:>10}{'':>10}{time.perf_counter() - started:>10.1f}")


if __name__ == "__main__":
    main()
