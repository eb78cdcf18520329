"""The memoising mail policy reads headers exactly as ``policy.default`` does."""

from __future__ import annotations

from email import message_from_bytes, policy

from ingest.mail_headers import MAIL_POLICY

RAW = (
    b"From: =?iso-8859-9?Q?=DE=FCkr=FC_=C7a=F0lar?= <sukru@example.com.tr>\r\n"
    b'To: satis@example.com, "Kaya, Ay\xc5\x9fe" <ayse@example.com>\r\n'
    b"Subject: =?utf-8?B?VGVrbGlmIHRhbGViaQ==?= 100 adet\r\n"
    b"Date: Fri, 27 Nov 2026 09:30:00 +0300\r\n"
    b'Content-Type: multipart/alternative; boundary="b1"\r\n'
    b"X-Broken: =?unknown-8bit?Q?=FF?=\r\n"
    b'\r\n--b1\r\nContent-Type: text/plain; charset="iso-8859-9"\r\n\r\nMerhaba\r\n--b1--\r\n'
)


def test_headers_read_through_the_memo_policy_equal_the_standard_ones() -> None:
    ours = message_from_bytes(RAW, policy=MAIL_POLICY)
    theirs = message_from_bytes(RAW, policy=policy.default)
    for name in ("From", "To", "Subject", "Date", "Content-Type", "X-Broken"):
        assert str(ours[name]) == str(theirs[name])
    assert ours["From"].addresses[0].display_name == "Şükrü Çağlar"
    assert ours.get_content_type() == "multipart/alternative"
    assert [p.get_content_charset() for p in ours.walk()] == [None, "iso-8859-9"]


def test_repeated_reads_of_a_header_return_the_same_parsed_value() -> None:
    msg = message_from_bytes(RAW, policy=MAIL_POLICY)
    assert msg["Subject"] is msg["Subject"]
    assert msg["Subject"] == "Teklif talebi 100 adet"


def test_header_values_keep_their_types_and_attributes() -> None:
    ours = message_from_bytes(RAW, policy=MAIL_POLICY)
    theirs = message_from_bytes(RAW, policy=policy.default)
    for name in ("From", "To", "Date", "Content-Type"):
        assert type(ours[name]).__mro__[1:] == type(theirs[name]).__mro__[1:]
    assert ours["Date"].datetime == theirs["Date"].datetime
    assert ours["Content-Type"].params == theirs["Content-Type"].params
    assert [a.addr_spec for a in ours["To"].addresses] == ["satis@example.com", "ayse@example.com"]


def test_many_messages_share_one_class_per_header_kind() -> None:
    # The standard registry builds a new class for every header it parses: cyclic garbage
    # that piles up until a full collection. Ours builds one per kind, whatever the volume.
    kinds = set()
    for i in range(300):
        raw = RAW.replace(
            b"Date: Fri, 27 Nov", f"Message-ID: <{i}@x.example>\r\nDate: Fri, 27 Nov".encode()
        )
        msg = message_from_bytes(raw.replace(b"100 adet", f"{i} adet".encode()), policy=MAIL_POLICY)
        kinds.update(type(msg[name]) for name in ("From", "To", "Subject", "Date", "Message-ID"))
    assert len(kinds) <= 5
