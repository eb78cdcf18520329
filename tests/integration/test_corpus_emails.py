"""Every real-world email of the shared corpus ends as a lead, auto-reply, bounce or rejection.

The expected outcome of each file was checked by opening it (see MANIFEST.md for what is hard
about each one). Leads name the contact address and, where the message has one, the display name.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.message import parse_message
from ingest.records import AutoReply, Bounce, RawRecord, Rejected

CORPUS = Path(
    os.environ.get("SALESFLOW_CORPUS")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
)
EMAILS = CORPUS / "emails"
if not EMAILS.is_dir():
    pytest.skip("../shared/corpus not found; corpus tests need it", allow_module_level=True)

NOW = datetime(2024, 1, 1, tzinfo=UTC)


def lead(email: str, name: str | None = None) -> tuple[str, str, str | None]:
    return ("lead", email, name)


def auto() -> tuple[str, str, None]:
    return ("auto-reply", "", None)


def bounce(*recipients: str) -> tuple[str, tuple[str, ...], None]:
    return ("bounce", recipients, None)


EXPECTED: dict[str, tuple[str, object, str | None]] = {
    "django-mailbox__bad_character_attachment.eml": lead(
        "Reisinger.Adam@example.com", "Reisinger Ádám"
    ),
    "django-mailbox__message_with_invalid_content_for_declared_encoding.eml": lead(
        "somebody@somewhere.com", "Somebody"
    ),
    # Reply-To differs from From, so it is the contact address.
    "django-mailbox__message_with_invalid_encoding.eml": lead("private00@qq.com", "Refinance"),
    "django-mailbox__message_with_single_byte_encoding.eml": lead(
        "somebody@somewhere.com", "Somebody"
    ),
    "django-mailbox__message_with_single_byte_extended_subject_encoding.eml": lead(
        "mr.test32@mail.ru", "test test"
    ),
    # Precedence: bulk without any mailing-list header (added by a forwarding relay).
    "django-mailbox__message_with_utf8_char.eml": auto(),
    "flanker__8bitmime.eml": lead("bob@example.com", "bob"),
    "flanker__bounce-zed.eml": bounce(
        "asdfasdfasdfasdfasdfasdfewrqertrtyrthsfgdfgadfqeadvxzvz@gmail.com"
    ),
    "flanker__false-multipart.eml": lead("broken.mime@notreallymultipart.com", "Mime Breaker"),
    "flanker__iphone.eml": lead("someone@somewhere.com", "Danielle"),
    # A person's mail from a postmaster@ address is not a bounce.
    "flanker__long-links.eml": lead("postmaster@example.com", "Bob"),
    "flanker__mailformed-headers.eml": lead("headers@gmail.com", "Юникод запрещен"),
    "flanker__missing-final-boundary.eml": lead("me@example.com"),
    "flanker__outlook-express.eml": lead("bob@example.com", "Bobby"),
    "flanker__quoted-printable.eml": lead("bob@example.com", "Bob"),
    "flanker__spam-broken-headers.eml": lead("admin@advertise-bz.cn", "Link Directory SUbmitter"),
    "lkml__linux-mips_2001-01-07_vcf-7bit-attachment.eml": lead(
        "octavp@isratech.ro", "Nicu Popovici"
    ),
    "lkml__linux-mm_2010-01-30_vcf-base64-attachment.eml": lead(
        "vedran.furac@gmail.com", "Vedran Furač"
    ),
    "mikel-mail__attachment_nonascii_filename.eml": lead("foo@example.com"),
    "mikel-mail__attachment_with_encoded_name.eml": lead(
        "xxxxxxxxx.xxxxxxx@gmail.com", "xxxxxxxxx xxxxxxx"
    ),
    "mikel-mail__content_transfer_encoding_empty.eml": lead("3712f2@msa.hinet.net"),
    "mikel-mail__content_transfer_encoding_qp_with_space.eml": lead(
        "fyouizjnp@swissonline.ch", "Wilmer Capps"
    ),
    # Reply-To has a name but an empty address: From stays the contact, the name is kept.
    "mikel-mail__encoding_madness.eml": lead("no-reply@crm.el-example.org", "KLAUS- HÄNSCHEL"),
    "mikel-mail__japanese_shift_jis.eml": lead("xxxxxxx@docomo.ne.jp"),
    "mikel-mail__ks_c_5601-1987.eml": lead("from@example.com"),
    "mikel-mail__must_supply_encoding.eml": lead(
        "44.41.17.14.11.2010.1139.1.328.1477949.614@reply.here2there-travelers-msgs.net",
        "Biz Phone Systems from EclipseMediaOnline",
    ),
    "mikel-mail__raw_email10.eml": lead("xxx@xxxx.xxx"),
    "mikel-mail__raw_email_with_illegal_boundary.eml": lead(
        "email_test@me.nowhere", "Mikel Lindsaar"
    ),
    "mikel-mail__report_530.eml": bounce("edwin@zzzzzzz.com"),
    "mikel-mail__utf8_headers.eml": lead("jdöe@mächine.example", "Jöhn Doe"),
    "mimekit__ukr.eml": lead("rrtest1@xink.io", "RR Tester 1"),
    "nodemailer-mailparser__spam.eml": lead(
        "noreply@guide-des-vins-de-bourgogne.fr", "Matilda Klein"
    ),
    "sisimai__lhost-office365-01.eml": bounce("kijitora@example.com"),
    "sisimai__lhost-outlook-01.eml": bounce("kijitora@example.jp"),
    "sisimai__not-rb-issue-368-bug.eml": bounce("xxxx@yyyyyy.net"),
    "sisimai__rfc3834-01.eml": auto(),
    "sisimai__rfc3834-02.eml": auto(),
    "sisimai__rfc3834-03.eml": auto(),
    "sisimai__rfc3834-04.eml": auto(),
    "sisimai__rfc3834-05.eml": auto(),
    "sisimai__rfc3834-06.eml": auto(),
    "sisimai__rhost-google-03.eml": bounce("kijitora@google.example.com", "neko@example.co.jp"),
    "spamscope-mail-parser__mail_malformed_2.eml": bounce("abh@netpar.com.br"),
    "spamscope-mail-parser__mail_malformed_3.eml": lead(
        "smgesi4@gmail.com", "El Punto de los Frutos & Verdes"
    ),
    "spamscope-mail-parser__mail_outlook_1.msg": ("rejected", "msg-outlook", None),
    "talon__android.eml": lead("bob@example.com", "Sergey Obykhov"),
    "talon__gmail.eml": lead("xxx@gmail.com", "Megan One"),
    "talon__hotmail.eml": lead("xxx@hotmail.com", "Alexey Q"),
    "talon__iphone.eml": lead("xxx@gmail.com", "xxx"),
    "talon__outlook.eml": lead("me@example.com"),
}


def _parse(name: str) -> list[object]:
    data = (EMAILS / name).read_bytes()
    return list(parse_message(data, source_ref=f"file://{name}", origin=name, received_at=NOW))


def _outcome(items: list[object]) -> str:
    first = items[0]
    if isinstance(first, RawRecord):
        return "lead"
    if isinstance(first, AutoReply):
        return "auto-reply"
    if isinstance(first, Bounce):
        return "bounce"
    assert isinstance(first, Rejected) and first.reason and first.message
    return "rejected"


def test_the_table_covers_every_corpus_email() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in EMAILS.iterdir())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_email_has_the_checked_outcome(name: str) -> None:
    kind, value, display_name = EXPECTED[name]
    items = _parse(name)
    assert _outcome(items) == kind
    first = items[0]
    if isinstance(first, RawRecord):
        assert first.fields["email"] == value
        assert first.fields.get("full_name") == display_name
        assert first.received_at.tzinfo is not None
    elif isinstance(first, Bounce):
        assert first.recipients == value
    elif isinstance(first, Rejected):
        assert first.reason == value


def test_outcome_counts(capsys: pytest.CaptureFixture[str]) -> None:
    counts = Counter(_outcome(_parse(name)) for name in sorted(EXPECTED))
    with capsys.disabled():
        print(f"\ncorpus emails by outcome: {dict(sorted(counts.items()))}")
    assert counts == {"lead": 35, "auto-reply": 7, "bounce": 7, "rejected": 1}


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("lkml__linux-mm_2010-01-30_vcf-base64-attachment.eml", "vedran.furac@gmail.com"),
        ("lkml__linux-mips_2001-01-07_vcf-7bit-attachment.eml", "octavp@isratech.ro"),
    ],
)
def test_vcard_attachments_of_list_posts_become_records(name: str, email: str) -> None:
    pytest.importorskip("ingest.vcard")
    cards = [i for i in _parse(name)[1:] if isinstance(i, RawRecord)]
    assert [c.source_ref.split("#")[1].startswith("att-") for c in cards] == [True]
    assert cards[0].fields.get("email", "").lower() == email
