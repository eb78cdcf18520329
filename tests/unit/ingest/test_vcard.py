"""The vCard parser on small inline cards: each hard case of real exports, plus any-bytes safety."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.records import RawRecord, Rejected, SourceKind
from ingest.vcard import parse_vcards

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vcard"
SHA = "ab" * 32
WHEN = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)


def parse(data: bytes, **options: str) -> list[RawRecord | Rejected]:
    items = list(parse_vcards(data, file_sha256=SHA, origin="c.vcf", received_at=WHEN, **options))
    assert all(isinstance(item, RawRecord | Rejected) for item in items)
    return items  # type: ignore[return-value]


def card(*lines: str, end: str = "\r\n", encoding: str = "utf-8") -> bytes:
    return end.join(["BEGIN:VCARD", *lines, "END:VCARD", ""]).encode(encoding)


def record(data: bytes) -> RawRecord:
    items = parse(data)
    assert len(items) == 1 and isinstance(items[0], RawRecord), items
    return items[0]


# --- a clean card ----------------------------------------------------------------------------


def test_clean_30_card_fills_every_field_with_provenance() -> None:
    got = record(
        card(
            "VERSION:3.0",
            "N:Yılmaz;Ayşe;Gül;Dr.;",
            "FN:Dr. Ayşe Gül Yılmaz",
            "ORG:Anadolu Makine A.Ş.;Satın Alma",
            "TITLE:Müdür",
            "EMAIL;TYPE=INTERNET:ayse@gmail.example",
            "EMAIL;TYPE=work,pref:ayse@anadolu.example",
            "TEL;TYPE=HOME,VOICE:+90 216 555 00 00",
            "TEL;TYPE=WORK,VOICE:+90 212 555 12 34",
            "TEL;TYPE=CELL:+90 532 111 22 33",
            "TEL;TYPE=WORK,FAX:+90 212 555 12 35",
            "URL:https://anadolu.example",
            "ADR;TYPE=HOME:;;Ev Sok. 1;Ankara;;06000;Türkiye",
            "ADR;TYPE=WORK:;Kat 3;Büyükdere Cad. 5;İstanbul;;34394;Türkiye",
            "NOTE:Fuarda tanıştık",
        )
    )
    assert got.source is SourceKind.VCARD and got.source_ref == f"file://{SHA}#card-1"
    assert got.fields == {
        "full_name": "Dr. Ayşe Gül Yılmaz", "first_name": "Ayşe", "last_name": "Yılmaz",
        "email": "ayse@anadolu.example", "phone": "+90 212 555 12 34",
        "mobile": "+90 532 111 22 33", "company": "Anadolu Makine A.Ş.", "title": "Müdür",
        "website": "https://anadolu.example", "street": "Büyükdere Cad. 5, Kat 3",
        "city": "İstanbul", "postcode": "34394", "country": "Türkiye",
        "notes": "Fuarda tanıştık\nDepartment: Satın Alma",
    }  # fmt: skip
    assert got.extra_emails == ("ayse@gmail.example",)
    assert got.extra_phones == ("+90 216 555 00 00", "+90 212 555 12 35")
    assert got.provenance["email"] == "c.vcf card 1 EMAIL;TYPE=work,pref"
    assert got.provenance["city"] == "c.vcf card 1 ADR;TYPE=WORK"
    assert got.received_at == WHEN and got.origin == "c.vcf"


def test_several_cards_are_numbered_and_ref_prefix_replaces_the_file_ref() -> None:
    data = card("FN:Ann One") + card("FN:Bob Two")
    items = list(
        parse_vcards(data, file_sha256=SHA, origin="m", received_at=WHEN, ref_prefix="imap://x#a")
    )
    assert [i.source_ref for i in items] == ["imap://x#a#card-1", "imap://x#a#card-2"]
    assert [i.fields["full_name"] for i in items if isinstance(i, RawRecord)] == [
        "Ann One",
        "Bob Two",
    ]


# --- bytes, folds and line endings -----------------------------------------------------------


def test_fold_splitting_a_utf8_character_is_joined_before_decoding() -> None:
    name = "Łukasz Żółkiewski".encode()
    cut = name.index("Ż".encode()) + 1  # between the two bytes of "Ż"
    data = b"BEGIN:VCARD\r\nFN:" + name[:cut] + b"\r\n " + name[cut:] + b"\r\nEND:VCARD\r\n"
    assert record(data).fields["full_name"] == "Łukasz Żółkiewski"


def test_fold_may_split_the_property_name_and_parameters() -> None:
    got = record(
        card(
            "TEL;TYPE=VOICE,M",
            "\tSG,WORK:+1-919-676-9515",
            "EMAIL;TYPE=INTERNET",
            " ,PREF:a@b.example",
        )
    )
    assert got.fields["phone"] == "+1-919-676-9515"
    assert got.provenance["phone"].endswith("TEL;TYPE=VOICE,MSG,WORK")
    assert got.fields["email"] == "a@b.example"


@pytest.mark.parametrize("end", ["\r\n", "\n", "\r", "\r\r\n"])
def test_every_line_ending_gives_the_same_record(end: str) -> None:
    data = card("VERSION:3.0", "N:Doe;John;;;", "FN:John Doe", "NOTE:a long", "  note", end=end)
    got = record(data)
    assert (got.fields["first_name"], got.fields["last_name"]) == ("John", "Doe")
    assert got.fields["notes"] == "a long note"


def test_mixed_line_endings_in_one_file() -> None:
    got = record(b"BEGIN:VCARD\r\nVERSION:3.0\rN:Doe;John;;Mr;\nFN:John Doe\r\nEND:VCARD\r\n")
    assert got.fields["full_name"] == "John Doe" and got.fields["last_name"] == "Doe"


def test_utf16_file_with_bom_is_read() -> None:
    data = codecs.BOM_UTF16_LE + card("FN:Çağrı Kaya").decode().encode("utf-16-le")
    assert record(data).fields["full_name"] == "Çağrı Kaya"


# --- quoted-printable and charsets -----------------------------------------------------------


def test_quoted_printable_soft_breaks_are_joined() -> None:
    got = record(
        card(
            "VERSION:2.1",
            "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=",
            "Br=C3=BCning;=",
            "Michael",
            "NOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0A=",
            "#not a comment=",
            "",
            "TEL;CELL:0176 1",
        )
    )
    assert (got.fields["last_name"], got.fields["first_name"]) == ("Brüning", "Michael")
    assert got.fields["notes"] == "line one\n#not a comment"
    assert got.fields["mobile"] == "0176 1"


def test_bare_and_lowercase_quoted_printable_parameters_are_decoded() -> None:
    got = record(
        b"begin:vcard\nfn:Ann\nnote;quoted-printable:text=E2=80=A6\n"
        b"LABEL;QUOTED-PRINTABLE;WORK:1 Main St=0ABoston\nend:vcard\n"
    )
    assert got.fields["notes"] == "text…"
    assert got.fields["street"] == "1 Main St, Boston"


def test_quoted_printable_value_starting_on_a_folded_line() -> None:
    got = record(
        card(
            "VERSION:2.1",
            "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:",
            "  =52=C3=BC=63=6B=65=72;=54=68;;;",
        )
    )
    assert (got.fields["last_name"], got.fields["first_name"]) == ("Rücker", "Th")


def test_stray_equals_at_the_end_does_not_swallow_end_vcard() -> None:
    items = parse(card("FN;ENCODING=QUOTED-PRINTABLE:Ann=") + card("FN:Bob"))
    assert [i.fields["full_name"] for i in items if isinstance(i, RawRecord)] == ["Ann", "Bob"]


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("windows-1254", "Şükrü Öztürk"),
        ("ISO-8859-9", "Işıl Çağlar"),
        ("Shift_JIS", "安藤ロイド"),
        ("KOI8-R", "Дмитрий Иванов"),
    ],
)
def test_declared_charset_decodes_8bit_values(charset: str, text: str) -> None:
    data = b"BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=" + charset.encode() + b":"
    data += text.encode(charset) + b"\nEND:VCARD\n"
    assert record(data).fields["full_name"] == text


def test_declared_charset_applies_after_quoted_printable() -> None:
    encoded = "".join(f"={b:02X}" for b in "Ağaoğlu".encode("windows-1254"))
    got = record(card(f"ORG;CHARSET=windows-1254;ENCODING=QUOTED-PRINTABLE:{encoded}"))
    assert got.fields["company"] == "Ağaoğlu"


def test_unknown_charset_name_falls_back_to_utf8() -> None:
    got = record(card("N;CHARSET=invalid-encoding:Gräßle;Jörg;;;"))
    assert (got.fields["last_name"], got.fields["first_name"]) == ("Gräßle", "Jörg")


def test_wrong_declared_charset_is_corrected() -> None:
    utf8_as_latin1 = b"BEGIN:VCARD\nFN;CHARSET=ISO-8859-1:J\xc3\xb6rg Wei\xc3\x9f\nEND:VCARD\n"
    assert record(utf8_as_latin1).fields["full_name"] == "Jörg Weiß"
    cp1252_as_utf8 = "Schöne Grüße aus München von Jürgen Müller".encode("cp1252")
    got = record(b"BEGIN:VCARD\nFN:X\nNOTE;CHARSET=UTF-8:" + cp1252_as_utf8 + b"\nEND:VCARD\n")
    assert got.fields["notes"] == "Schöne Grüße aus München von Jürgen Müller"


def test_8bit_values_without_charset_are_utf8_when_valid_else_detected() -> None:
    assert record(card("FN:Ludwig-Götz Graßl")).fields["full_name"] == "Ludwig-Götz Graßl"
    latin = "Schöne Grüße aus München, Jürgen Müller, Bäckerei Weiß".encode("cp1252")
    got = record(b"BEGIN:VCARD\nFN:J\xfcrgen M\xfcller\nNOTE:" + latin + b"\nEND:VCARD\n")
    assert got.fields["full_name"] == "Jürgen Müller"
    assert "\ufffd" not in got.fields["notes"]


def test_turkish_21_qp_fixture_comes_out_in_exact_unicode() -> None:
    got = record((FIXTURES / "turkish-21-qp.vcf").read_bytes())
    assert got.fields["full_name"] == "Işıl Çağlar Öztürk"
    assert (got.fields["first_name"], got.fields["last_name"]) == ("Işıl", "Öztürk")
    assert got.fields["company"] == "Ağaoğlu İnşaat Ltd. Şti."
    assert got.fields["title"] == "Satın Alma Müdürü"
    assert (got.fields["street"], got.fields["city"]) == ("Büyükdere Cad. No:12", "İstanbul")
    assert got.fields["country"] == "Türkiye"
    assert got.fields["notes"] == "Fuarda görüşüldü\nŞubat 2024\nDepartment: Satınalma"
    assert got.fields["email"] == "isil.ozturk@agaoglu.example"


# --- structure: keywords, comments, broken cards ---------------------------------------------


def test_lowercase_and_mixed_case_keywords() -> None:
    got = record(b"bEGIn:VCaRD\r\nVErsiON:3.0\r\nn:Doe;John;;Mr;\r\nfN:John Doe\r\nEnD:vcArD\r\n")
    assert (got.fields["full_name"], got.fields["last_name"]) == ("John Doe", "Doe")


def test_missing_end_card_ends_at_the_next_begin_or_the_end_of_file() -> None:
    data = b"BEGIN:VCARD\nFN:Ann One\nBEGIN:VCARD\nFN:Bob Two\nEND:VCARD\nBEGIN:VCARD\nFN:Cem"
    items = parse(data)
    names = {i.source_ref[-6:]: i.fields["full_name"] for i in items if isinstance(i, RawRecord)}
    assert names == {"card-1": "Ann One", "card-2": "Bob Two", "card-3": "Cem"}


def test_missing_begin_card_is_recovered_before_its_end() -> None:
    got = record(b"VERSION:3.0\nFN:Frank Dawson\nEMAIL:f@lotus.example\nEND:VCARD\n")
    assert got.fields["email"] == "f@lotus.example"


def test_continuation_line_before_begin_and_comment_lines_are_tolerated() -> None:
    got = record(b" BEGIN:VCARD\r\n# exported by hand\r\nFN:John Doe\r\n#x:y\r\nEND:VCARD\r\n")
    assert got.fields == {"full_name": "John Doe", "first_name": "John", "last_name": "Doe"}


def test_nested_begin_vcard_yields_inner_and_outer_cards() -> None:
    data = b"BEGIN:VCARD\nN:parent\nBEGIN:VCARD\nN:nest1\nEND:VCARD\nTEL:1\nEND:VCARD\n"
    items = parse(data)
    assert [
        (i.source_ref[-6:], i.fields["last_name"]) for i in items if isinstance(i, RawRecord)
    ] == [
        ("card-2", "nest1"),
        ("card-1", "parent"),
    ]
    assert items[1].fields["phone"] == "1"  # type: ignore[union-attr]


def test_rfc2425_profile_line_and_unknown_lines_are_ignored() -> None:
    got = record(card("VERSION:3.0", "PROFILE:VCard", "FN:Ann", "FN", "X-messaging/irc-All:konqui"))
    assert got.fields == {"full_name": "Ann", "first_name": "Ann"}


# --- values ----------------------------------------------------------------------------------


def test_groups_and_apple_labels_mark_a_mobile() -> None:
    got = record(
        card(
            "FN:Bob",
            "item1.TEL:+1 650 555 0100",
            "item1.X-ABLabel:_$!<Mobile>!$_",
            "item2.TEL:+1 650 555 0199",
            "item2.X-ABLabel:GRAND_CENTRAL",
            "item3.EMAIL;type=INTERNET;type=pref:bob@smith.example",
        )
    )
    assert (got.fields["mobile"], got.fields["phone"]) == ("+1 650 555 0100", "+1 650 555 0199")
    assert got.provenance["email"].endswith("item3.EMAIL;type=INTERNET;type=pref")


def test_tel_uri_values_are_unwrapped() -> None:
    got = record(
        card(
            "FN:Simon",
            'TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+1-418-656-9254;ext=102',
            "TEL;VALUE=uri;TYPE=cell:tel:+1-418-262-6501",
        )
    )
    assert got.fields["phone"] == "+1-418-656-9254 ext. 102"
    assert got.fields["mobile"] == "+1-418-262-6501"


def test_escaped_characters_in_text_and_structured_values() -> None:
    got = record(
        card(
            "FN:Doe\\, John",
            "ORG:ABC\\, Inc.;R\\;D",
            "NOTE:line\\nnext\\Nlast \\\\ done",
            "URL:http\\://example.com",
            "ADR;TYPE=WORK:;;Evil \\; street;City;;1;",
        )
    )
    assert got.fields["full_name"] == "Doe, John"
    assert (got.fields["first_name"], got.fields["last_name"]) == ("John", "Doe")
    assert got.fields["company"] == "ABC, Inc."
    assert got.fields["notes"] == "line\nnext\nlast \\ done\nDepartment: R;D"
    assert got.fields["website"] == "http://example.com"
    assert got.fields["street"] == "Evil ; street"


def test_email_written_with_display_name_or_mailto_is_unwrapped() -> None:
    got = record(
        card(
            "FN:Omega",
            'EMAIL;INTERNET:"Omega"',
            "  <omega@example.com>",
            "EMAIL:mailto:o@x.example",
        )
    )
    assert got.fields["email"] == "omega@example.com"
    assert got.extra_emails == ("o@x.example",)


def test_photo_sound_logo_key_blobs_are_skipped() -> None:
    blob = "\r\n ".join(["QUJDREVGR0hJSktMTU5PUA=="] * 20000)
    bare = "\r\n".join(["QUJDREVGR0hJSktMTU5PUA=="] * 50)  # vCard 2.1: not indented
    got = record(
        card(
            "FN:Ann",
            f"PHOTO;ENCODING=b;TYPE=JPEG:{blob}",
            f"LOGO;ENCODING=BASE64:{bare}",
            "",
            "SOUND;ENCODING=b:QUJD",
            "KEY:x",
            "EMAIL:ann@x.example",
        )  # fmt: skip
    )
    assert got.fields == {"full_name": "Ann", "first_name": "Ann", "email": "ann@x.example"}


def test_n_gives_the_full_name_when_fn_is_missing() -> None:
    got = record(card("VERSION:2.1", "N:Gump;Forrest;Alexander;Mr.;"))
    assert got.fields["full_name"] == "Forrest Alexander Gump"
    assert got.provenance["full_name"] == "c.vcf card 1 N"


def test_fn_gives_first_and_last_name_when_n_is_missing_or_empty() -> None:
    got = record(card("N:;;;;", "FN:Jan van der Berg"))
    assert (got.fields["first_name"], got.fields["last_name"]) == ("Jan", "van der Berg")


def test_role_is_the_title_when_there_is_no_title() -> None:
    assert record(card("FN:A", "ROLE:Buyer")).fields["title"] == "Buyer"
    both = record(card("FN:A", "TITLE:Manager", "ROLE:Buyer"))
    assert (both.fields["title"], both.fields["notes"]) == ("Manager", "Role: Buyer")


# --- rejections ------------------------------------------------------------------------------


def test_card_without_identity_is_rejected_while_the_others_come_out() -> None:
    data = card("FN:Ann") + card("VERSION:3.0", "NOTE:nobody", "UID:42") + card("FN:Cem")
    items = parse(data)
    assert [type(i).__name__ for i in items] == ["RawRecord", "Rejected", "RawRecord"]
    rejected = items[1]
    assert isinstance(rejected, Rejected)
    assert (rejected.reason, rejected.location) == ("vcard-no-identity", "card 2")
    assert rejected.source_ref == f"file://{SHA}#card-2"
    assert rejected.raw == {"VERSION": "3.0", "NOTE": "nobody", "UID": "42"}


def test_organisation_alone_is_enough_identity() -> None:
    assert record(card("ORG:Bike Shop")).fields == {"company": "Bike Shop"}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"BEGIN:VCARD\nEND:VCARD\n", "vcard-empty"),
        (b"BEGIN:VCARD\nthis is not a property\nEND:VCARD\n", "vcard-unparsable"),
        (b"BEGIN:VCARD\nVERSION:4.0\nUID:x", "vcard-truncated"),
    ],
)
def test_broken_cards_are_rejected_with_a_precise_reason(data: bytes, reason: str) -> None:
    items = parse(data)
    assert len(items) == 1 and isinstance(items[0], Rejected)
    assert items[0].reason == reason and items[0].message


@pytest.mark.parametrize("data", [b"", b"hello world\n", b"From: a@b\nSubject: x\n\nbody"])
def test_file_without_any_card_is_one_rejection_for_the_whole_file(data: bytes) -> None:
    items = parse(data)
    assert len(items) == 1 and isinstance(items[0], Rejected)
    assert (items[0].reason, items[0].source_ref) == ("vcard-no-card", f"file://{SHA}")


_FRAGMENTS = [
    b"BEGIN:VCARD", b"END:VCARD", b"VERSION:2.1", b"FN:A\xc3", b"\xa7b", b"N:;;", b"=", b"=C3",
    b";ENCODING=QUOTED-PRINTABLE", b";CHARSET=bogus", b";CHARSET=utf-16", b"EMAIL", b"TEL:",
    b"PHOTO;ENCODING=b:", b" ", b"\t", b"\r", b"\n", b"\r\n", b"#", b":", b";", b'"', b"\\",
    b"item1.", b"ADR:", b"ORG:", b"\x00", b"\xff\xfe", b"tel:", b"<", b">",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), st.lists(st.sampled_from(_FRAGMENTS)).map(b"".join)))
def test_any_bytes_give_only_parsed_items(data: bytes) -> None:
    items = parse(data)
    assert items
    for item in items:
        if isinstance(item, Rejected):
            assert item.reason.startswith("vcard-") and item.message
