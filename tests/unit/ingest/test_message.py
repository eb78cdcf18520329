"""Inquiry email parsing: leads, auto-replies, bounces, rejections, charsets and broken MIME."""

from __future__ import annotations

import quopri
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.message import parse_message, sniff_message
from ingest.records import AutoReply, Bounce, Interest, RawRecord, Rejected

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "email"
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
REF = "imap://INBOX/1700000000/42"


def parse(data: bytes) -> list[object]:
    return list(parse_message(data, source_ref=REF, origin="INBOX", received_at=NOW))


def only(data: bytes) -> object:
    items = parse(data)
    assert len(items) == 1, items
    return items[0]


def lead(data: bytes) -> RawRecord:
    item = parse(data)[0]
    assert isinstance(item, RawRecord), item
    return item


def mail(headers: str, body: str | bytes = "Hello,\n\nplease call me.\n") -> bytes:
    raw = body if isinstance(body, bytes) else body.encode("utf-8")
    return headers.strip().encode("utf-8") + b"\r\n\r\n" + raw


PLAIN = "From: Ali Veli <ali@firma.example>\nTo: sales@us.example\nSubject: Hello\n"


# --- leads from realistic fixtures -------------------------------------------------------------


def test_turkish_windows1254_inquiry_gives_name_signature_and_quantities() -> None:
    record = lead((FIXTURES / "turkish_inquiry_windows1254.eml").read_bytes())
    assert record.fields["email"] == "ayse.yilmaz@anadolumakine.example"
    assert (record.fields["first_name"], record.fields["last_name"]) == ("Ayşe", "Yılmaz")
    assert record.fields["title"] == "Satın Alma Müdürü"
    assert record.fields["company"] == "Anadolu Makine San. ve Tic. A.Ş."
    assert record.fields["phone"] == "+90 212 555 12 34"
    assert record.fields["mobile"] == "+90 532 555 67 89"
    assert record.fields["website"] == "www.anadolumakine.example"
    assert record.interests == (Interest("hidrolik pompa", 50), Interest("dişli motor", 20))
    assert record.source_ref == REF
    assert record.message_id == "<20240312074105.3F2A1@anadolumakine.example>"
    assert record.provenance["title"] == f"{record.message_id} signature line 2"


def test_message_date_header_becomes_received_at() -> None:
    record = lead((FIXTURES / "turkish_inquiry_windows1254.eml").read_bytes())
    assert record.received_at == datetime.fromisoformat("2024-03-12T10:41:05+03:00")


def test_html_only_inquiry_is_rendered_to_text_without_style_or_script() -> None:
    record = lead((FIXTURES / "html_only_inquiry_iso8859-9.eml").read_bytes())
    assert record.fields["full_name"] == "Kemal Öztürk"
    assert record.fields["title"] == "Genel Müdür"
    assert record.fields["company"] == "Öztürk Gıda Ltd. Şti."
    assert record.fields["phone"] == "0 (232) 444 55 66"
    assert record.fields["subject"] == "Vana teklif isteği"
    assert "font-family" not in record.fields["notes"]
    assert "tracking" not in record.fields["notes"]
    assert Interest("paslanmaz vana", 200) in record.interests
    assert record.provenance["notes"].endswith("body (text/html)")


def test_reply_to_is_the_contact_and_quoted_thread_does_not_pollute_signature() -> None:
    record = lead((FIXTURES / "english_reply_with_quote.eml").read_bytes())
    assert record.fields["email"] == "purchasing@acme-industrial.example"
    assert record.extra_emails == ("john.smith@acme-industrial.example",)
    assert (record.fields["first_name"], record.fields["last_name"]) == ("John", "Smith")
    assert record.fields["title"] == "Purchasing Manager"
    assert record.fields["company"] == "ACME Industrial Supplies Ltd"
    assert record.fields["mobile"] == "+44 7700 900123"
    assert "+90 216" not in " ".join(record.extra_phones) + record.fields["phone"]
    assert "Sales Manager" not in record.fields["notes"]
    assert record.interests == (Interest("GM-50 gear motors", 20), Interest("M8 flange bolts", 100))


def test_vcard_attachment_becomes_an_extra_record_with_attachment_ref() -> None:
    pytest.importorskip("ingest.vcard")
    items = parse((FIXTURES / "inquiry_with_vcard_attachment.eml").read_bytes())
    assert isinstance(items[0], RawRecord)
    assert items[0].interests == (Interest("Planetengetriebe PG-80", 30),)
    cards = [i for i in items[1:] if isinstance(i, RawRecord)]
    assert len(cards) == 1
    assert cards[0].source_ref.startswith(f"{REF}#att-1")
    assert "anna.weber@weber-antriebe.example" in (cards[0].fields.get("email", ""),)


# --- sender and names --------------------------------------------------------------------------


def test_sender_without_display_name_leaves_names_empty() -> None:
    record = lead(mail("From: info@firma.example\nSubject: Hi\n"))
    assert record.fields["email"] == "info@firma.example"
    assert "first_name" not in record.fields and "full_name" not in record.fields


def test_corporate_domain_stands_in_for_company_but_freemail_does_not() -> None:
    corporate = lead(mail("From: Ali <ali@mail.anadolu.com.tr>\nSubject: x\n"))
    assert corporate.fields["company"] == "anadolu.com.tr"
    assert "From address domain" in corporate.provenance["company"]
    freemail = lead(mail("From: Ali <ali.veli@gmail.com>\nSubject: x\n"))
    assert "company" not in freemail.fields


def test_rfc2047_and_raw_utf8_sender_names_are_decoded() -> None:
    encoded = lead(mail("From: =?utf-8?B?w5ZtZXIgw4dlbGlr?= <omer@x.example>\nSubject: x\n"))
    assert encoded.fields["full_name"] == "Ömer Çelik"
    raw = lead(mail('From: "Jöhn Doe" <john@x.example>\nSubject: x\n'))
    assert (raw.fields["first_name"], raw.fields["last_name"]) == ("Jöhn", "Doe")


def test_message_without_sender_and_body_is_rejected() -> None:
    item = only(b"Subject: nothing here\r\nTo: sales@us.example\r\n\r\n")
    assert isinstance(item, Rejected)
    assert item.reason == "email-empty"


# --- charsets and broken MIME ------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["x-unknown", "_iso-2022-jp$ESC", "us-ascii", ""])
def test_bogus_or_wrong_charset_falls_back_to_detection(charset: str) -> None:
    ctype = f"text/plain; charset={charset}" if charset else "text/plain"
    body = "Merhaba, 50 adet çelik boru için teklif istiyoruz.".encode()
    record = lead(mail(PLAIN + f"Content-Type: {ctype}\nContent-Transfer-Encoding: 8bit\n", body))
    assert record.fields["notes"] == "Merhaba, 50 adet çelik boru için teklif istiyoruz."
    assert record.interests == (Interest("çelik boru", 50),)


def test_ks_c_5601_alias_decodes_korean() -> None:
    body = "안녕하세요".encode("cp949")
    record = lead(mail(PLAIN + 'Content-Type: text/plain; charset="ks_c_5601-1987"\n', body))
    assert record.fields["notes"] == "안녕하세요"


def test_quoted_printable_spelled_with_a_space_is_decoded() -> None:
    body = quopri.encodestring("Teşekkürler, görüşmek üzere".encode())
    headers = PLAIN + "Content-Type: text/plain; charset=utf-8\n"
    record = lead(mail(headers + "Content-Transfer-Encoding: quoted printable\n", body))
    assert record.fields["notes"] == "Teşekkürler, görüşmek üzere"


def test_quoted_printable_soft_breaks_are_joined() -> None:
    headers = PLAIN + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: qu"
    record = lead(mail(headers + "oted-printable\n", b"we need 20 units of gear mo=\r\ntors\r\n"))
    assert record.interests == (Interest("gear motors", 20),)


def test_empty_transfer_encoding_keeps_raw_body() -> None:
    headers = PLAIN + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: \n"
    assert lead(mail(headers, "Plain text")).fields["notes"] == "Plain text"


def test_multipart_with_illegal_boundary_is_salvaged_from_delimiter_lines() -> None:
    headers = PLAIN + "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=--=_A_1\n"
    body = "preamble\n\n----=_A_1\nContent-Type: text/plain\n\nReal body\n----=_A_1--\n"
    assert lead(mail(headers, body)).fields["notes"] == "Real body"


def test_missing_final_boundary_still_gives_the_body() -> None:
    headers = PLAIN + "Content-Type: multipart/alternative; boundary=next\n"
    assert lead(mail(headers, "--next\nContent-Type: text/plain\n\nSome body")).fields["notes"] == (
        "Some body"
    )


def test_false_multipart_without_parts_is_still_a_lead() -> None:
    headers = PLAIN + 'Content-Type: multipart/alternative; boundary="abc"\n'
    record = lead(mail(headers, "\r\n\r\n"))
    assert record.fields["email"] == "ali@firma.example"
    assert "notes" not in record.fields


# --- auto-replies ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Auto-Submitted: auto-replied", "auto-submitted:auto-replied"),
        ("Auto-Submitted: auto-generated (vacation)", "auto-submitted:auto-generated (vacation)"),
        ("X-Auto-Response-Suppress: All", "x-auto-response-suppress"),
        ("X-Autoreply: yes", "x-autoreply"),
        ("X-Autorespond: yes", "x-autorespond"),
        ("Precedence: auto_reply", "precedence:auto_reply"),
        ("Precedence: bulk", "precedence:bulk"),
        ("Precedence: junk", "precedence:junk"),
    ],
)
def test_auto_reply_headers_make_an_auto_reply(header: str, reason: str) -> None:
    item = only(mail(PLAIN + header + "\n"))
    assert isinstance(item, AutoReply)
    assert item.reason == reason
    assert item.sender == "ali@firma.example"


def test_auto_submitted_no_is_a_normal_message() -> None:
    assert isinstance(only(mail(PLAIN + "Auto-Submitted: no\n")), RawRecord)


def test_mailing_list_post_with_precedence_bulk_is_still_a_lead() -> None:
    headers = PLAIN + "Precedence: bulk\nList-Id: <linux-mips.oss.sgi.com>\n"
    assert isinstance(only(mail(headers)), RawRecord)


@pytest.mark.parametrize(
    "subject",
    [
        "Automatic reply: Teklif",
        "Auto: Quote request",
        "Out of Office: Re: prices",
        "Abwesenheitsnotiz: Anfrage",
        "Otomatik yanıt: Fiyat teklifi",
        "İşyeri Dışında: Teklif",
        "Auto reply: Nyaan",
    ],
)
def test_vacation_subjects_make_an_auto_reply(subject: str) -> None:
    item = only(mail(f"From: a@b.example\nSubject: {subject}\n"))
    assert isinstance(item, AutoReply)
    assert item.reason.startswith("subject:")


# --- bounces -----------------------------------------------------------------------------------

DSN = """From: Mail Delivery System <MAILER-DAEMON@mx.us.example>
To: sales@us.example
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain

Your message could not be delivered.

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.us.example

Final-Recipient: rfc822; gone@customer.example
Original-Recipient: rfc822;alias@customer.example
Action: failed
Status: 5.1.1

Final-Recipient: rfc822; later@customer.example
Action: delayed
Status: 4.4.1

--B1
Content-Type: message/rfc822

From: sales@us.example
To: gone@customer.example
Subject: Your quote

Dear customer
--B1--
"""


def test_delivery_status_report_is_a_bounce_even_with_auto_submitted() -> None:
    item = only(DSN.encode())
    assert isinstance(item, Bounce)
    assert item.recipients == ("gone@customer.example", "alias@customer.example")
    assert item.status == "5.1.1"


def test_non_standard_bounce_reads_recipients_from_text_before_returned_message() -> None:
    body = (
        "Delivery to the following recipients failed.\n\n   buyer@customer.example\n\n"
        "Original message headers:\nFrom: sales@us.example\nTo: buyer@customer.example\n"
    )
    headers = "From: postmaster@customer.example\nTo: sales@us.example\n"
    item = only(mail(headers + "Subject: Delivery Status Notification (Failure)\n", body))
    assert isinstance(item, Bounce)
    assert item.recipients == ("buyer@customer.example",)


def test_postmaster_sender_with_ordinary_subject_is_not_a_bounce() -> None:
    item = only(mail("From: Bob <postmaster@example.com>\nSubject: Long links\n"))
    assert isinstance(item, RawRecord)


# --- rejections and robustness ------------------------------------------------------------------


def test_outlook_msg_bytes_are_rejected() -> None:
    item = only(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 500)
    assert isinstance(item, Rejected)
    assert item.reason == "msg-outlook"


@pytest.mark.parametrize("data", [b"%PDF-1.4\n...", b"just some words\nno headers", b""])
def test_non_rfc822_bytes_are_rejected(data: bytes) -> None:
    assert sniff_message(data) in ("not-rfc822", "empty")
    item = only(data)
    assert isinstance(item, Rejected)


def test_leading_blank_lines_and_mbox_separator_are_tolerated() -> None:
    data = b"   \r\nFrom ali@firma.example Mon Jan  1 00:00:00 2024\r\n" + mail(PLAIN)
    assert sniff_message(data) is None
    assert lead(data).fields["email"] == "ali@firma.example"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_never_raise(data: bytes) -> None:
    items = parse(data)
    assert items and all(isinstance(i, RawRecord | Rejected | AutoReply | Bounce) for i in items)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_after_headers_never_raises(text: str) -> None:
    data = mail(PLAIN + "Content-Type: multipart/mixed; boundary=x\n", text)
    items = parse(data)
    assert items and all(isinstance(i, RawRecord | Rejected | AutoReply | Bounce) for i in items)
