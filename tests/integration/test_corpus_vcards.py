"""Every vCard of the shared corpus, read in place: expected outcomes checked by hand.

The corpus lives beside the repository (``../shared/corpus``) or at ``$SALESFLOW_CORPUS``; see
its MANIFEST.md ("vCards") for what is hard about each file. ``EXPECTED`` lists, per file, the
items in the order the parser yields them: a dict of fields of a ``RawRecord`` (``""`` means the
field must be absent) or the reason code of a ``Rejected``. Each value was read off the file
by hand (QP and charsets decoded by hand too), not copied from the parser's output.
"""

from __future__ import annotations

import os
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ingest.names import split_full_name
from ingest.records import RawRecord, Rejected
from ingest.vcard import parse_vcards
from ingest.vcard_fields import clean_email, clean_phone

CORPUS = Path(
    os.environ.get("SALESFLOW_CORPUS")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
)
VCARDS = CORPUS / "vcards"
if not VCARDS.is_dir():
    pytest.skip("../shared/corpus not found; corpus tests need it", allow_module_level=True)

WHEN = datetime(2024, 5, 6, tzinfo=UTC)
Outcome = dict[str, str] | str

FRANK = {"full_name": "Frank Dawson", "first_name": "Frank", "last_name": "Dawson",
         "email": "Frank_Dawson@Lotus.com", "phone": "+1-919-676-9515",
         "company": "Lotus Development Corporation"}  # fmt: skip
JOHN_DOE = {"full_name": "John Doe", "first_name": "John", "last_name": "Doe"}
OTTOMAN = {"full_name": "John Ottoman Doe", "first_name": "John", "last_name": "Doe"}
N = "Ñ"

# fmt: off
EXPECTED: dict[str, list[Outcome]] = {
    "aosp-vcard__v21_base64_no_2_crlf.vcf": [{"full_name": "fullname", "last_name": "name"}],
    "aosp-vcard__v21_blackberry_photo.vcf": [
        {"full_name": "boogie", "last_name": "boogie", "email": "forrestgump@walladalla.com",
         "phone": "+5555555", "mobile": "+5555556"}],
    "aosp-vcard__v21_complicated.vcf": [
        {"full_name": "Joe Due", "first_name": "Forrest", "last_name": "Gump",
         "email": "forrestgump@walladalla.com", "phone": "(111) 555-1212", "mobile": "0311111111",
         "company": "Gump Shrimp Co.", "title": "Shrimp Man", "city": "Baytown"}],
    "aosp-vcard__v21_invalid_comment_line.vcf": [
        {"full_name": "Conference Call", "first_name": "Conference Call", "last_name": "",
         "notes": "This is an (sharp ->#<- sharp) example. This message must NOT be ignored."}],
    "aosp-vcard__v21_invalid_multiple_line.vcf": [
        {"full_name": "Omega", "first_name": "Omega", "email": "omega@example.com"}],
    "aosp-vcard__v21_japanese_1.vcf": [
        {"full_name": "安藤ロイド", "last_name": "安藤ロイド", "phone": "0300000000"}],
    "aosp-vcard__v21_japanese_2.vcf": [
        {"full_name": "安藤 ロイド 1", "first_name": "ロイド1", "last_name": "安藤",
         "street": "東京都渋谷区桜丘町26-1セルリアンタワー6階", "postcode": "150-8512",
         "notes": "メモ"}],
    "aosp-vcard__v21_malformed_photo.vcf": [{"full_name": "fullname", "last_name": "name"}],
    "aosp-vcard__v21_multiple_entry.vcf": [
        {"last_name": "安藤ロイド3", "phone": "9"}, {"last_name": "安藤ロイド4", "phone": "15"},
        {"last_name": "安藤ロイド5", "phone": "17"}],
    "aosp-vcard__v21_nest.vcf": [
        {"last_name": "nest1"}, {"last_name": "nest2"}, {"last_name": "parent", "phone": "1"}],
    "aosp-vcard__v21_simple_1.vcf": [
        {"full_name": "Roid Ando", "first_name": "Roid", "last_name": "Ando"}],
    "aosp-vcard__v21_winmo_65.vcf": [{"full_name": "Example", "last_name": "Example"}],
    "aosp-vcard__v30_ios_613_multiline.vcf": [
        {"full_name": "Bob Smith", "first_name": "Bob", "last_name": "Smith",
         "email": "bob@smithauto.com", "mobile": "(650) 555-1212", "phone": "",
         "company": "Smith Auto Repair", "website": "www.smithauto.com"}],
    "aosp-vcard__v30_multibyte_param.vcf": [
        {"full_name": "G M F", "first_name": "G", "last_name": "F", "phone": "1"}],
    "aosp-vcard__v40_sort_as.vcf": [
        {"full_name": "安藤 ロイド", "first_name": "ロイド", "last_name": "安藤",
         "company": "グーグル"}],
    "eds__11.vcf": [
        {"full_name": "Invalid AttributeParam", "first_name": "Invalid",
         "last_name": "AttributeParam"}],
    "eds__12.vcf": [
        {"full_name": "Michael Brüning", "first_name": "Michael", "last_name": "Brüning",
         "email": "ext-Michael.Bruning@nokia.com", "phone": "+4973117546691",
         "mobile": "+491622433834", "street": "Münsterplatz 21", "city": "Ulm"}],
    "eds__13.vcf": [
        {"full_name": "Ralf Engels", "email": "Frank_Dawson@Lotus.com",
         "phone": "+1-919-676-9515", "company": "Ralf Engels evil tests",
         "street": "Evil semicolon city;", "city": "Semicolon;way"}],
    "eds__4.vcf": [
        {"full_name": "canada address", "first_name": "canada", "last_name": "address",
         "city": "Newmarket", "postcode": "L3Y 4A1"}],
    "eds__5.vcf": [
        {"full_name": "十城目管理大型知座", "first_name": "十城目管理大型知座",
         "email": "weird@weird.com", "company": "十城目管理大型知座",
         "title": "十城目管理大型知座"}],
    "eds__6.vcf": [FRANK],
    "eds__7.vcf": [FRANK],  # no BEGIN:VCARD: the card is recovered up to its END
    "eds__8.vcf": [FRANK],  # no END:VCARD: recovered at the end of the file
    "eds__9.vcf": [{**FRANK, "email": ""}],  # cut off in the EMAIL line
    "ez-vcard__John_Doe_ANDROID.vcf": [
        {"email": "john.doe@company.com", "full_name": ""},
        {"email": "jane.doe@company.com", "full_name": ""},
        {"full_name": f"{N} {N} {N} {N} {N}", "last_name": f"{N} {N} {N} {N}",
         "mobile": "123456789"},
        {"full_name": " ".join([N] * 11), "mobile": "123456", "phone": "234567"},
        {"full_name": f"{N} {N} {N} {N}", "first_name": f"{N} {N} {N}",
         "last_name": f"{N} {N}", "email": "bob@company.com", "company": N * 12},
        {"full_name": N * 4, "email": "henry@company.com", "mobile": "55556666"}],
    "ez-vcard__John_Doe_BLACK_BERRY.vcf": [
        {"full_name": "John Doe", "first_name": "john", "last_name": "Doe",
         "mobile": "+96123456789", "company": "Acme Solutions"}],
    "ez-vcard__John_Doe_EVOLUTION.vcf": [
        {"full_name": "Mr. John Richter, James Doe Sr.", "first_name": "John",
         "last_name": "Doe", "email": "john.doe@ibm.com", "phone": "905-555-1234",
         "mobile": "905-666-1234", "company": "IBM", "title": "Money Counter"}],
    "ez-vcard__John_Doe_GMAIL.vcf": [
        {"full_name": "Mr. John Richter, James Doe Sr.", "first_name": "John",
         "last_name": "Doe", "email": "john.doe@ibm.com", "phone": "905-666-1234",
         "mobile": "905-555-1234", "company": "IBM", "website": "http://www.ibm.com"}],
    "ez-vcard__John_Doe_IPHONE.vcf": [
        {"full_name": "Mr. John Richter James Doe Sr.", "first_name": "John",
         "last_name": "Doe", "email": "john.doe@ibm.com", "phone": "905-777-1234",
         "mobile": "905-555-1234", "company": "IBM"}],
    "ez-vcard__John_Doe_LOTUS_NOTES.vcf": [
        {"full_name": "Mr. Doe John I Johny", "first_name": "John", "last_name": "Doe",
         "email": "john.doe@ibm.com", "mobile": "+1 (212) 204-34456", "phone": "",
         "company": "IBM", "title": "Generic Accountant"}],
    "ez-vcard__John_Doe_MAC_ADDRESS_BOOK.vcf": [
        {"full_name": "Mr. John Richter,James Doe Sr.", "first_name": "John",
         "last_name": "Doe", "email": "john.doe@ibm.com", "phone": "905-777-1234",
         "mobile": "905-555-1234", "company": "IBM"}],
    "ez-vcard__John_Doe_MS_OUTLOOK.vcf": [
        {"full_name": "Mr. John Richter James Doe Sr.", "first_name": "John",
         "last_name": "Doe", "email": "john.doe@ibm.cm", "phone": "(905) 555-1234",
         "mobile": "", "company": "IBM", "city": "Albaney"}],
    "ez-vcard__fullcontact.vcf": [
        {"full_name": "Prefix FirstName MiddleName LastName Suffix", "first_name": "FirstName",
         "last_name": "LastName", "email": "home@example.com", "phone": "555-555-1112",
         "mobile": "555-555-1113", "company": "Organization1", "city": "WorkCity"}],
    "ez-vcard__gmail-list.vcf": [
        {"full_name": "Arnold Smith", "email": "asmithk@gmail.com"},
        {"full_name": "Chris Beatle", "email": "chrisy55d@yahoo.com"},
        {"full_name": "Doug White", "first_name": "Doug", "last_name": "White",
         "email": "dwhite@gmail.com"}],
    "ez-vcard__gmail-single.vcf": [
        {"full_name": "Greg Dartmouth", "first_name": "Greg", "last_name": "Dartmouth",
         "email": "gdartmouth@hotmail.com", "mobile": "555 555 1111", "phone": "555 555 2222",
         "company": "TheCompany", "title": "TheJobTitle"}],
    "ez-vcard__gmail-single2.vcf": [
        {"full_name": "VCard Test", "first_name": "VCard", "last_name": "Test",
         "email": "email@example.com", "phone": "5555551113", "mobile": "5555551115",
         "company": "TheCompany"}],
    "ez-vcard__issue114.vcf": [
        {"full_name": "Dummy, Dummy", "first_name": "Dummy", "last_name": "Dummy",
         "email": "dummy.dummy@dummy.com", "mobile": "+49 1234 56789",
         "phone": "+49 9876 54321", "company": "Dummy GmbH"}],
    "ez-vcard__outlook-2003.vcf": [
        {"full_name": "John Doe III", "first_name": "John", "last_name": "Doe",
         "email": "jdoe@hotmail.com", "phone": "BusinessPhone", "mobile": "MobilePhone",
         "company": "Company, The"}],
    "ez-vcard__outlook-2007.vcf": [
        {"full_name": "Mr. Michael Angstadt Jr.", "first_name": "Michael",
         "last_name": "Angstadt", "email": "mike.angstadt@gmail.com",
         "phone": "(111) 555-1111", "mobile": "(111) 555-4444", "company": "TheCompany"}],
    "ez-vcard__rfc6350-example.vcf": [
        {"full_name": "Simon Perreault", "first_name": "Simon", "last_name": "Perreault",
         "email": "simon.perreault@viagenie.ca", "phone": "+1-418-656-9254 ext. 102",
         "mobile": "+1-418-262-6501", "company": "Viagenie", "city": "Quebec"}],
    "ez-vcard__thunderbird-MoreFunctionsForAddressBook-extension.vcf": [
        {"full_name": "John Doe", "first_name": "John", "last_name": "Doe",
         "email": "doe.john@hotmail.com", "phone": "555-555-1111", "mobile": "555-555-5555",
         "company": "TheOrganization", "title": "TheTitle"}],
    "gaia__vcard_21_dquote.vcf": [
        {"full_name": "Fórrest Gump", "first_name": "Fórrest", "last_name": "Gump",
         "email": "forrestgump@example.com", "phone": "(111) 555-1212",
         "company": "Bóbba Gump Shrimp Co.", "title": "Shrómp Man",
         "street": "100 Wáters Edge"}],
    "gaia__vcard_2_qp.vcf": [
        {"full_name": "Tanja Tanzbein", "phone": "+3434269362248"},
        {"full_name": "Thomas Rücker", "first_name": "Thomas", "last_name": "Rücker",
         "mobile": "+72682252873"}],
    "jeroen__contacts.vcf": [
        {"full_name": "Thies-Tillman Jacobsen", "email": ""},
        {"full_name": "Lenn Biernoth", "email": "lenn@lbi.net", "title": "Strassenreiniger"},
        {"full_name": "Ludwig-Götz Graßl", "first_name": "Ludwig-Götz", "last_name": "Graßl",
         "email": "ludwig-goetz@ludwig-goetz-grassl.org"},
        {"full_name": "Marita Kreutzer", "email": ""},
        {"full_name": "Kathi Hoelzl", "email": "kathi.hoelzl@alhilal.net"}],
    "jeroen__invalid_encoding.vcf": [
        {"full_name": "Jeroen Desloovere", "first_name": "Jeroen", "last_name": "Desloovere",
         "email": "site@example.com"}],
    "kcontacts__vcard10.vcf": [
        {"company": "Bike Shop", "full_name": ""},
        {"full_name": "Field after Address broken", "first_name": "Broken",
         "website": "http://some-webseite.com", "city": "Urt"},
        {"full_name": "Field after Address not broken", "website": "http://some-webseite.com"},
        {"full_name": "Dr. med. Surname Name", "first_name": "Surname", "last_name": "Name",
         "title": "Facharzt für Allgemeinmedizin"},
        {"full_name": "Second Doctor", "company": "", "title": "Dentist"}],
    "kcontacts__vcard3.vcf": [
        {"full_name": "ian geiser", "first_name": "ian", "last_name": "geiser",
         "email": "geiseri@yahoo.com", "company": "Source eXtreme"}],
    "kcontacts__vcard4.vcf": [
        {"full_name": "", "email": "hello@ximian.com", "phone": "(617) 236-0442",
         "company": "Ximian, Inc."}],
    "kcontacts__vcard5.vcf": [
        {"full_name": "Mustermann, Heiko", "first_name": "Heiko", "last_name": "Mustermann",
         "email": "heiko.mustermann@freenet.org", "phone": "0351 443322",
         "mobile": "0173 223344", "company": "KDE"}],
    "kcontacts__vcard7.vcf": ["vcard-no-identity"],
    "kcontacts__vcard9.vcf": [
        {"full_name": "βγδεαβγδ1" * 11,
         "last_name": "123ㄓㄕㄖbcde" + "αβγδ" * 6 + "αβㄤㄓㄕㄖ"}],
    "kcontacts__vcard_legacy_messaging_fields.vcf": [
        {"full_name": "My Name", "first_name": "My", "last_name": "Name"}],
    "kcontacts__vcardwithitemasapplesupport.vcf": [
        {"full_name": "Name of Broken Card", "first_name": "SOMENAME",
         "phone": "(111) 111-1111", "company": "SOME COMPANY", "city": "CITY"}],
    "khard__altid.vcf": [
        {"full_name": "altid", "first_name": "one", "last_name": "representation"}],
    "khard__korean-c.vcf": [{"full_name": "최유림"}],
    "khard__photov3.vcf": [{"full_name": "with photo v3"}],
    "khard__photov4.vcf": [{"full_name": "with photo v4"}],
    "khard__tel-value-uri.vcf": [{"full_name": "bug 195", "mobile": "67545678"}],
    "khard__unparsable.vcf": [{"full_name": "second contact with minimal Vcard"}],
    "l0b0-vcard__continuation_at_start.vcf": [JOHN_DOE],
    "l0b0-vcard__invalid_param_name.vcf": [JOHN_DOE],
    "l0b0-vcard__line_ending_mac.vcf": [JOHN_DOE],
    "l0b0-vcard__line_ending_mixed.vcf": [JOHN_DOE],
    "l0b0-vcard__missing_end.vcf": [OTTOMAN],
    "l0b0-vcard__missing_start.vcf": [OTTOMAN],
    "l0b0-vcard__missing_version.vcf": [OTTOMAN],
    "l0b0-vcard__scrambled_case.vcf": [JOHN_DOE],
    "py-vobject__radicale-1587.vcf": [
        {"full_name": "Given Family", "first_name": "Given", "last_name": "Family"}],
    "radicale__broken-vcard.vcf": [
        {"full_name": "", "email": "test-misses-N-or-FN@example.com"}],
    "radicale__broken-vcards.vcf": [
        {"full_name": "", "email": "test-misses-N-or-FN@example.com"},
        {"full_name": "", "email": "test-misses-N-or-FN@example1.com"}],
    "radicale__contact2-with-bday.vcf": [
        {"full_name": "Test-FN", "first_name": "GivenTest", "last_name": "FamilyTest"}],
    "radicale__contact4-with-bday-no-year.vcf": [
        {"full_name": "Test bday without year Thunderbird CardBook"}],
    "radicale__contact_multiple_v4.vcf": [
        {"full_name": "Contact1", "last_name": "Contact1"},
        {"full_name": "Contact2", "last_name": "Contact2"}],
    "radicale__contact_photo_with_data_uri.vcf": [{"full_name": "Contact", "last_name": "Contact"}],
    "sabre-vobject__issue153.vcf": [
        {"full_name": "Test Benutzer", "first_name": "Test", "last_name": "Benutzer"}],
    "sabre-vobject__issue64.vcf": ["vcard-no-identity"],  # nothing but a PHOTO
    "thunderbird__export.vcf": [
        {"full_name": "contact number one", "first_name": "contact", "last_name": "one",
         "email": "contact1@invalid"},
        {"full_name": "contact number two", "email": "contact2@invalid",
         "notes": "here's some unicode text…"}],
    "vcard4android__allfields-vcard3.vcf": [
        {"full_name": "Ämi Display", "first_name": "Firstname", "last_name": "Lastname",
         "email": "private@example.com", "phone": "+49 1234 56788", "company": "ABC, Inc.",
         "title": "Director, Research and Development"}],
    "vcard4android__strange-rev.vcf": [
        {"full_name": "Name Name", "first_name": "Name", "last_name": "Name",
         "phone": "+49000000"}],
}
# fmt: on

FILES = sorted(p.name for p in VCARDS.glob("*.vcf"))


def _ours(name: str) -> list[RawRecord | Rejected]:
    data = (VCARDS / name).read_bytes()
    items = list(parse_vcards(data, file_sha256="0" * 64, origin=name, received_at=WHEN))
    assert all(isinstance(item, RawRecord | Rejected) for item in items)
    return items  # type: ignore[return-value]


def _as_outcome(item: RawRecord | Rejected) -> Outcome:
    return item.fields if isinstance(item, RawRecord) else item.reason


def _matches(expected: list[Outcome], got: list[Outcome]) -> bool:
    if len(expected) != len(got):
        return False
    for want, have in zip(expected, got, strict=True):
        if isinstance(want, str) or isinstance(have, str):
            if want != have:
                return False
        elif any(have.get(key, "") != value for key, value in want.items()):
            return False
    return True


def test_every_corpus_file_is_in_the_table() -> None:
    assert FILES == sorted(EXPECTED)


@pytest.mark.parametrize("name", FILES)
def test_corpus_file_gives_the_hand_checked_outcome(name: str) -> None:
    items = _ours(name)
    assert items, "a file must give at least one record or rejection"
    for item in items:
        if isinstance(item, Rejected):
            assert item.reason and item.message and item.location.startswith("card ")
    got = [_as_outcome(item) for item in items]
    assert len(got) == len(EXPECTED[name]), got
    assert [_project(want, have) for want, have in zip(EXPECTED[name], got, strict=True)] == (
        EXPECTED[name]
    )


def _project(want: Outcome, have: Outcome) -> Outcome:
    """``have`` narrowed to the keys of ``want`` (for a readable assertion diff)."""
    if isinstance(want, str) or isinstance(have, str):
        return have
    return {key: have.get(key, "") for key in want}


def test_records_carry_card_refs_and_provenance() -> None:
    items = _ours("ez-vcard__gmail-list.vcf")
    assert [item.source_ref for item in items] == [f"file://{'0' * 64}#card-{i}" for i in (1, 2, 3)]
    record = items[1]
    assert isinstance(record, RawRecord)
    assert record.provenance["email"] == "ez-vcard__gmail-list.vcf card 2 EMAIL;TYPE=INTERNET"


def _vobject_outcomes(data: bytes) -> list[Outcome]:
    """What plain ``vobject.readComponents`` gives, mapped onto the same fields."""
    import vobject

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cards = list(vobject.readComponents(text))
    return [_vobject_fields(card) for card in cards]


def _vobject_fields(card: Any) -> Outcome:
    """One vobject card as fields, with our name fallbacks and value cleaning applied, so that
    the comparison is about reading the file, not about those choices."""

    def values(name: str) -> list[Any]:
        return [line.value for line in card.contents.get(name, [])]

    fields = {"full_name": next((str(v).strip() for v in values("fn")), "")}
    for n in values("n")[:1]:
        fields["first_name"], fields["last_name"] = str(n.given).strip(), str(n.family).strip()
        words = (fields["first_name"], str(n.additional).strip(), fields["last_name"])
        fields["full_name"] = fields["full_name"] or " ".join(w for w in words if w)
    if fields["full_name"] and not (fields.get("first_name") or fields.get("last_name")):
        fields["first_name"], fields["last_name"] = split_full_name(fields["full_name"])
    for org in values("org")[:1]:
        fields["company"] = str(org[0] if isinstance(org, list) and org else org).strip()
    emails = [clean_email(str(v)) for v in values("email")]
    tels = [clean_phone(str(v)) for v in values("tel")]
    if not (any(fields.values()) or emails or tels):
        return "vcard-no-identity"
    fields["_emails"], fields["_tels"] = "\n".join(emails), "\n".join(tels)
    return fields


def _vobject_right(expected: list[Outcome], got: list[Outcome]) -> bool:
    """Fair to vobject: email and phones only need to be among its values."""
    if len(expected) != len(got):
        return False
    for want, have in zip(expected, got, strict=True):
        if isinstance(want, str) or isinstance(have, str):
            if isinstance(want, str) != isinstance(have, str):
                return False
            continue
        for key, value in want.items():
            pool = have.get({"email": "_emails"}.get(key, "_tels"), "").split("\n")
            if key in ("email", "phone", "mobile"):
                if value and value not in pool:
                    return False
            elif key in ("full_name", "first_name", "last_name", "company"):
                if have.get(key, "") != value:
                    return False
    return True


def test_fraction_of_files_parsed_right_beats_vobject(capsys: pytest.CaptureFixture[str]) -> None:
    ours = sum(
        _matches(EXPECTED[name], [_as_outcome(item) for item in _ours(name)]) for name in FILES
    )
    theirs = 0
    for name in FILES:
        expected = EXPECTED[name]
        try:
            got = _vobject_outcomes((VCARDS / name).read_bytes())
        except Exception:  # vobject gives up on the whole file: right only if nothing was there
            theirs += all(isinstance(outcome, str) for outcome in expected)
            continue
        theirs += _vobject_right(expected, got)
    with capsys.disabled():
        print(f"\nvCard corpus: ours {ours}/{len(FILES)} = {ours / len(FILES):.1%}; "
              f"plain vobject {theirs}/{len(FILES)} = {theirs / len(FILES):.1%}")  # fmt: skip
    assert ours / len(FILES) >= 0.97
    assert ours > theirs
