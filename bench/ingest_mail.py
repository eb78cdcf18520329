"""Synthetic inquiry emails (one ``.eml`` file each) for the ingestion benchmark.

Written from templates rather than ``email.message.EmailMessage`` so generating 10,000 messages
takes seconds. They look like what a web shop's sales inbox receives: an encoded-word display
name, a Message-ID, a quoted-printable plain part (half of them with an HTML alternative in
base64), a request naming a product and a quantity, a closing phrase and a signature with a
title, a company with a legal suffix, phones and a website; one in four quotes an earlier mail.
"""

from __future__ import annotations

import base64
import html
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.utils import format_datetime
from pathlib import Path

from bench.ingest_synth import Person, make_person, quoted_printable

SALES = "=?utf-8?b?U2F0xLHFnw==?= <satis@ornek-makine.com.tr>"  # "Satış"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _address(p: Person) -> str:
    name = f"{p.first} {p.last}"
    encoded = Header(name, "utf-8").encode(linesep="\r\n") if not name.isascii() else f'"{name}"'
    return f"{encoded} <{p.email}>"


def _body(p: Person, i: int) -> str:
    """The sender's text: greeting, request, closing phrase, signature (and a quote)."""
    if p.turkish:
        text = (
            "Merhaba,\n\n"
            f"{p.quantity} adet {p.product} için fiyat teklifi rica ediyoruz. Teslim süresi ve "
            "ödeme koşullarını da iletebilir misiniz?\n\nSaygılarımla,\n\n"
        )
    else:
        text = (
            "Hello,\n\n"
            f"We would like a quote for {p.quantity} pcs of {p.product}, delivered to "
            f"{p.city}. Please include lead times.\n\nBest regards,\n\n"
        )
    signature = [f"{p.first} {p.last}", p.title, p.company, f"Tel: {p.phone}"]
    signature += [
        f"{'Cep' if p.turkish else 'Mobile'}: {p.mobile}",
        p.website.removeprefix("https://"),
    ]
    text += "\n".join(line for line in signature if line) + "\n"
    if i % 4 == 0:
        text += (
            "\nOn Mon, 5 Jan 2026 at 10:00, Satış <satis@ornek-makine.com.tr> wrote:\n"
            "> Merhaba, katalogumuz ektedir.\n> İyi çalışmalar\n"
        )
    return text


def message_bytes(i: int) -> bytes:
    """Inquiry number ``i`` as RFC 822 bytes (CRLF line endings)."""
    p = make_person(i)
    body = _body(p, i)
    subject = Header(f"Fiyat talebi: {p.product}", "utf-8").encode(linesep="\r\n")
    head = [
        f"From: {_address(p)}",
        f"To: {SALES}",
        f"Subject: {subject}",
        f"Date: {format_datetime(START + timedelta(minutes=i))}",
        f"Message-ID: <{i}.bench@{p.email.rpartition('@')[2]}>",
        "MIME-Version: 1.0",
    ]
    plain = [
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "\r\n".join(quoted_printable(line) for line in body.split("\n")),
    ]
    if i % 2:
        lines = head + plain
    else:
        boundary = f"=_bench_{i:08d}"
        markup = (
            "<html><body><p>" + html.escape(body).replace("\n", "<br>\n") + "</p></body></html>"
        )
        encoded = base64.encodebytes(markup.encode()).decode().replace("\n", "\r\n")
        lines = head + [
            f'Content-Type: multipart/alternative; boundary="{boundary}"',
            "",
            f"--{boundary}",
            *plain,
            f"--{boundary}",
            'Content-Type: text/html; charset="utf-8"',
            "Content-Transfer-Encoding: base64",
            "",
            encoded,
            f"--{boundary}--",
        ]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def write_emails(folder: Path, count: int) -> list[Path]:
    """``count`` inquiry messages, one ``.eml`` file each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"inquiry-{i:06d}.eml"
        path.write_bytes(message_bytes(i))
        paths.append(path)
    return paths
