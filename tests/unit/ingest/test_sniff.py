"""Format detection: magic bytes beat names, text is told from junk, names only hint."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ingest.ole_directory import ole_stream_names
from ingest.sniff import FileKind, decode_head, explain, sniff

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def sniff_file(path: Path, name: str | None = None) -> tuple[FileKind, str | None]:
    return sniff(path, path.read_bytes()[:65536], name=name)


def real_xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Name", "Email"])
    book.active.append(["Ayşe Yılmaz", "ayse@example.com"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(stored_first, members[stored_first], zipfile.ZIP_STORED)
        for name, data in members.items():
            if name != stored_first:
                archive.writestr(name, data)
    return buffer.getvalue()


def ole2_bytes(entry_names: list[str]) -> bytes:
    """A minimal compound file: header, one FAT sector, one directory sector."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<I", header, 48, 1)  # directory starts at sector 1
    struct.pack_into("<II", header, 68, 0xFFFFFFFE, 0)  # no extra DIFAT sectors
    struct.pack_into("<109I", header, 76, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))
    directory = bytearray(512)
    for index, name in enumerate(["Root Entry", *entry_names][:4]):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        directory[index * 128 : index * 128 + len(raw)] = raw
        struct.pack_into("<HB", directory, index * 128 + 64, len(raw), 5 if index == 0 else 2)
    return bytes(header) + fat + bytes(directory)


def test_real_xlsx_made_with_openpyxl_is_xlsx(tmp_path):
    path = write(tmp_path, "leads.xlsx", real_xlsx_bytes())
    assert sniff_file(path) == (FileKind.XLSX, None)


def test_xlsx_is_recognised_by_content_whatever_its_name(tmp_path):
    path = write(tmp_path, "upload.bin", real_xlsx_bytes())
    assert sniff_file(path) == (FileKind.XLSX, None)


def test_fake_xlsx_full_of_junk_is_not_a_spreadsheet(tmp_path):
    path = write(tmp_path, "leads.xlsx", bytes(range(256)) * 20)
    assert sniff_file(path) == (FileKind.UNKNOWN, "not-a-spreadsheet")


def test_truncated_zip_with_spreadsheet_name_is_corrupt_zip(tmp_path):
    path = write(tmp_path, "leads.xlsx", real_xlsx_bytes()[:300])
    assert sniff_file(path) == (FileKind.UNKNOWN, "corrupt-zip")


def test_zip_without_workbook_is_rejected_by_name_hint(tmp_path):
    docx_like = zip_bytes({"word/document.xml": b"<w:document/>"})
    assert sniff_file(write(tmp_path, "notes.zip", docx_like)) == (
        FileKind.UNKNOWN,
        "zip-not-spreadsheet",
    )
    assert sniff_file(write(tmp_path, "leads.xlsx", docx_like)) == (
        FileKind.UNKNOWN,
        "not-a-spreadsheet",
    )


def test_ods_is_recognised_from_the_stored_mimetype_in_the_head(tmp_path):
    data = zip_bytes(
        {"mimetype": ODS_MIMETYPE, "content.xml": b"<office:document-content/>"},
        stored_first="mimetype",
    )
    assert sniff_file(write(tmp_path, "leads.dat", data)) == (FileKind.ODS, None)


def test_ods_with_compressed_mimetype_is_found_through_the_zip_directory(tmp_path):
    data = zip_bytes({"content.xml": b"<x/>", "mimetype": ODS_MIMETYPE})
    assert sniff_file(write(tmp_path, "leads.ods", data)) == (FileKind.ODS, None)


def test_ole2_header_is_xls_when_the_name_says_xls(tmp_path):
    path = write(tmp_path, "export.XLS", ole2_bytes([]))
    assert sniff_file(path) == (FileKind.XLS, None)


def test_ole2_with_unreadable_directory_and_other_name_is_outlook_msg(tmp_path):
    path = write(tmp_path, "mail.msg", ole2_bytes([])[:512])
    assert sniff_file(path) == (FileKind.OUTLOOK_MSG, None)


def test_ole2_with_workbook_stream_is_xls_even_when_named_otherwise(tmp_path):
    path = write(tmp_path, "export.dat", ole2_bytes(["Workbook", "SummaryInformation"]))
    assert ole_stream_names(path) == {"Root Entry", "Workbook", "SummaryInformation"}
    assert sniff_file(path) == (FileKind.XLS, None)


def test_ole2_with_message_streams_saved_as_eml_is_outlook_msg(tmp_path):
    path = write(tmp_path, "mail.eml", ole2_bytes(["__substg1.0_0037001F"]))
    assert sniff_file(path) == (FileKind.OUTLOOK_MSG, None)


def test_ole2_word_document_is_not_supported(tmp_path):
    path = write(tmp_path, "letter.doc", ole2_bytes(["WordDocument"]))
    assert sniff_file(path) == (FileKind.UNKNOWN, "ole2-not-supported")


def test_binary_junk_with_text_names_is_binary_junk(tmp_path):
    junk = os.urandom(4000)
    for name in ("leads.csv", "cards.vcf", "mail.eml"):
        assert sniff_file(write(tmp_path, name, junk)) == (FileKind.UNKNOWN, "binary-junk")


def test_text_with_many_nul_bytes_is_binary_junk(tmp_path):
    path = write(tmp_path, "leads.csv", b"name,email\n" + b"\x00" * 50 + b"a,b\n")
    assert sniff_file(path) == (FileKind.UNKNOWN, "binary-junk")


def test_two_stray_nul_bytes_in_a_long_mail_do_not_make_it_junk():
    text = b"From: a@example.com\nSubject: hi\n\n" + b"body line\n" * 300 + b"\x00\x00\n"
    assert decode_head(text) is not None


def test_utf16_and_utf32_csv_with_byte_order_marks_are_csv(tmp_path):
    rows = '"column1","column2"\n"Ayşe","Şişli"\n'
    utf16 = write(tmp_path, "a.csv", b"\xff\xfe" + rows.encode("utf-16-le"))
    # Salesforce test file: UTF-32BE text behind a 2-byte FE FF mark.
    utf32 = write(tmp_path, "b.csv", b"\xfe\xff" + rows.encode("utf-32-be"))
    bare16 = write(tmp_path, "c.txt", rows.encode("utf-16-le"))
    assert [sniff_file(p) for p in (utf16, utf32, bare16)] == [(FileKind.CSV, None)] * 3


def test_legacy_code_page_csv_is_text(tmp_path):
    path = write(tmp_path, "leads.csv", "Ad;Şehir\nAyşe;İstanbul\n".encode("cp1254"))
    assert sniff_file(path) == (FileKind.CSV, None)


def test_csv_renamed_to_xlsx_is_read_as_csv(tmp_path):
    path = write(tmp_path, "leads.xlsx", b"name,email\nAyse,ayse@example.com\n")
    assert sniff_file(path) == (FileKind.CSV, None)


def test_vcard_and_email_are_recognised_by_content(tmp_path):
    card = write(tmp_path, "x.txt", b"\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n")
    mbox = write(tmp_path, "y.txt", b"From someone@example.com\nSubject: offer\n\nhello\n")
    assert sniff_file(card) == (FileKind.VCARD, None)
    assert sniff_file(mbox) == (FileKind.EMAIL, None)


def test_vcard_properties_are_not_mistaken_for_mail_headers(tmp_path):
    path = write(tmp_path, "card.vcf", b"VERSION:3.0\nFN:Jo\nX-ANDROID:1\nTEL:1\nEND:VCARD\n")
    assert sniff_file(path) == (FileKind.VCARD, None)


def test_html_saved_as_xls_is_markup_not_supported(tmp_path):
    path = write(tmp_path, "report.xls", b"<html><body><table><tr><td>1</td></tr></table>")
    assert sniff_file(path) == (FileKind.UNKNOWN, "markup-not-supported")


def test_decisions_files_are_named_decisions_and_are_csv_or_xlsx(tmp_path):
    csv = write(tmp_path, "a.csv", b"quote,decision\nQ-1,won\n")
    xlsx = write(tmp_path, "b.xlsx", real_xlsx_bytes())
    assert sniff_file(csv, name="Decisions-2024-05.CSV") == (FileKind.DECISIONS, None)
    assert sniff_file(xlsx, name="decisions.xlsx") == (FileKind.DECISIONS, None)
    assert sniff_file(csv, name="my-decisions.csv") == (FileKind.CSV, None)


def test_images_pdf_and_empty_files(tmp_path):
    cases = {
        "card.jpg": (b"\xff\xd8\xff\xe0" + b"\x00" * 20, (FileKind.IMAGE, None)),
        "card.png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, (FileKind.IMAGE, None)),
        "scan.tif": (b"II*\x00" + b"\x00" * 20, (FileKind.IMAGE, None)),
        "offer.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", (FileKind.PDF, None)),
        "anim.gif": (b"GIF89a" + b"\x00" * 20, (FileKind.UNKNOWN, "image-not-supported")),
        "empty.csv": (b"", (FileKind.UNKNOWN, "empty-file")),
    }
    found = {name: sniff_file(write(tmp_path, name, data)) for name, (data, _) in cases.items()}
    assert found == {name: expected for name, (_, expected) in cases.items()}


def test_every_reason_code_has_a_sentence():
    assert explain("binary-junk").startswith("The file name says it is text")
    assert explain("no-such-code") == "no-such-code"


@pytest.fixture
def corpus() -> Path:
    root = Path(__file__).resolve().parents[3]
    path = Path(os.environ.get("SALESFLOW_CORPUS") or root / ".." / "shared" / "corpus")
    if not path.is_dir():
        pytest.skip("../shared/corpus not found; corpus tests need it")
    return path


EXPECTED_BY_SUFFIX = {
    ".vcf": FileKind.VCARD,
    ".eml": FileKind.EMAIL,
    ".csv": FileKind.CSV,
    ".xls": FileKind.XLS,
    ".xlsx": FileKind.XLSX,
    ".msg": FileKind.OUTLOOK_MSG,
}


def test_every_corpus_file_is_sniffed_as_its_extension_says(corpus):
    files = [p for p in corpus.rglob("*") if p.suffix in EXPECTED_BY_SUFFIX]
    wrong = {
        p.name: sniff_file(p) for p in files if sniff_file(p)[0] != EXPECTED_BY_SUFFIX[p.suffix]
    }
    assert len(files) > 100
    assert wrong == {}


def test_corpus_text_files_are_recognised_without_their_names(corpus):
    text_suffixes = {".eml", ".csv"}
    files = [p for p in corpus.rglob("*") if p.suffix in text_suffixes]
    wrong = [
        p.name for p in files if sniff_file(p, name="upload")[0] != EXPECTED_BY_SUFFIX[p.suffix]
    ]
    assert wrong == []


def test_corpus_outlook_msg_is_found_by_its_directory(corpus):
    path = corpus / "emails" / "spamscope-mail-parser__mail_outlook_1.msg"
    assert any(name.startswith("__substg1.0_") for name in ole_stream_names(path))
    assert sniff_file(path, name="forwarded.eml") == (FileKind.OUTLOOK_MSG, None)
