"""Hostile workbooks: zip bombs, entity bombs and crafted archives are refused with a reason."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from ingest.errors import InputTooLarge, UnsupportedInput
from ingest.limits import MAX_ZIP_UNCOMPRESSED_BYTES, XML_PROLOG_SCAN_BYTES
from ingest.records import RawRecord
from ingest.sheet import parse_sheet
from ingest.sniff import FileKind, sniff
from ingest.zip_container import check_zip_container, declares_entities

WHEN = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
SHEET_XML = "xl/worksheets/sheet1.xml"
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(2, 10))
    + "]>\n"
)


def workbook_members() -> dict[str, bytes]:
    """The members of a small valid XLSX with one lead."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ad Soyad", "E-posta"])
    sheet.append(["Ayşe Yılmaz", "ayse@firma.example"])
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def write_bomb(path: Path, member: str, megabytes: int) -> Path:
    """A valid workbook plus ``member`` holding ``megabytes`` MB of zeros, streamed in 1 MB
    chunks so neither the test nor the archive ever holds it (it compresses ~1000:1)."""
    members = workbook_members()
    members.pop(member, None)
    write_zip(path, members)
    chunk = b"\0" * 1_000_000
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(member, "w", force_zip64=True) as handle:
            for _ in range(megabytes):
                handle.write(chunk)
    return path


def with_doctype(xml: bytes, doctype: str) -> bytes:
    """``xml`` with ``doctype`` placed before its root element."""
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return doctype.encode() + body


def parse(path: Path) -> list[object]:
    return list(parse_sheet(path, file_sha256="ab" * 32, origin=path.name, received_at=WHEN))


def test_a_sound_workbook_passes_the_container_check_and_is_read(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "leads.xlsx", workbook_members())
    check_zip_container(path)
    (record,) = parse(path)
    assert isinstance(record, RawRecord)
    assert record.fields["email"] == "ayse@firma.example"


def test_a_sheet_inflating_past_the_total_limit_is_refused_as_a_zip_bomb(tmp_path: Path) -> None:
    started = time.perf_counter()
    size_mb = MAX_ZIP_UNCOMPRESSED_BYTES // 1_000_000 + 10
    path = write_bomb(tmp_path / "bomb.xlsx", SHEET_XML, size_mb)
    assert path.stat().st_size < 2_000_000  # the bomb itself is small
    assert sniff(path, path.read_bytes()[:65536]) == (FileKind.XLSX, None)
    with pytest.raises(InputTooLarge) as caught:
        parse(path)
    assert caught.value.reason == "zip-bomb"
    assert "the limit is 200 MB" in str(caught.value)
    assert time.perf_counter() - started < 30  # built and refused without inflating


def test_a_small_member_inflating_a_thousandfold_is_refused_as_a_zip_bomb(tmp_path: Path) -> None:
    path = write_bomb(tmp_path / "ratio.xlsx", "xl/media/image1.png", 20)
    with pytest.raises(InputTooLarge) as caught:
        parse(path)
    assert caught.value.reason == "zip-bomb"
    assert "xl/media/image1.png" in str(caught.value)
    assert "the limit is 100:1" in str(caught.value)


def test_billion_laughs_in_the_sheet_xml_is_refused_before_any_reader(tmp_path: Path) -> None:
    members = workbook_members()
    members[SHEET_XML] = with_doctype(members[SHEET_XML], BILLION_LAUGHS)
    with pytest.raises(UnsupportedInput) as caught:
        parse(write_zip(tmp_path / "lol.xlsx", members))
    assert caught.value.reason == "xml-entities"
    assert SHEET_XML in str(caught.value)


def test_an_external_entity_in_the_workbook_xml_is_refused(tmp_path: Path) -> None:
    members = workbook_members()
    xxe = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    members["xl/workbook.xml"] = with_doctype(members["xl/workbook.xml"], xxe)
    with pytest.raises(UnsupportedInput) as caught:
        parse(write_zip(tmp_path / "xxe.xlsx", members))
    assert caught.value.reason == "xml-entities"


def test_an_ods_content_xml_with_a_doctype_is_refused(tmp_path: Path) -> None:
    members = {
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": BILLION_LAUGHS.encode() + b"<office:document-content/>",
    }
    with pytest.raises(UnsupportedInput) as caught:
        parse(write_zip(tmp_path / "lol.ods", members))
    assert caught.value.reason == "xml-entities"


def test_a_doctype_hidden_behind_a_long_comment_is_still_refused() -> None:
    comment = b"<!--" + b"x" * XML_PROLOG_SCAN_BYTES + b"-->"
    assert declares_entities(b'<?xml version="1.0"?>' + comment + b"<!DOCTYPE a []><a/>")


def test_a_doctype_in_utf16_xml_is_found() -> None:
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY b "c">]><a/>'
    assert declares_entities(xml.encode("utf-16"))


def test_ordinary_xml_declarations_and_comments_do_not_count_as_entities() -> None:
    xml = b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- <!DOCTYPE --><worksheet a="&amp;"/>'
    assert not declares_entities(xml)


@pytest.mark.parametrize("name", ["../../evil.xml", "/etc/cron.d/x.xml", "C:/x.xml", "..\\x.xml"])
def test_members_named_outside_the_archive_are_refused(tmp_path: Path, name: str) -> None:
    members = workbook_members() | {name: b"<a/>"}
    with pytest.raises(UnsupportedInput) as caught:
        parse(write_zip(tmp_path / "crafted.xlsx", members))
    assert caught.value.reason == "zip-unsafe"


def test_an_archive_with_more_than_ten_thousand_members_is_refused(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "many.xlsx", workbook_members())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as archive:
        for n in range(10_001):
            archive.writestr(f"xl/junk/{n}", b"")
    with pytest.raises(UnsupportedInput) as caught:
        parse(path)
    assert caught.value.reason == "zip-unsafe"
    assert "10,0" in str(caught.value)


def test_a_damaged_sheet_member_is_quarantined_as_corrupt_not_a_crash(tmp_path: Path) -> None:
    members = workbook_members()
    members[SHEET_XML] = members[SHEET_XML].replace(b"</sheetData>", b"</sheetDat>")
    with pytest.raises(UnsupportedInput) as caught:
        parse(write_zip(tmp_path / "broken.xlsx", members))
    assert caught.value.reason == "sheet-corrupt"
