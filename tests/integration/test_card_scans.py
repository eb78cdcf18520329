"""Business cards rendered with Pillow, read back through the real Tesseract by ``parse_scan``.

Needs Debian ``tesseract-ocr tesseract-ocr-eng tesseract-ocr-tur``, ``poppler-utils`` (PDF) and
``fonts-dejavu-core``; each test skips with the install command when its tool is missing.
Names and companies are compared exactly or, where OCR of Turkish capitals varies, with a
stated similarity tolerance; emails and phone digits must be exact.
"""

from __future__ import annotations

import io
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytesseract
import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz import fuzz

from bench.cards import FONT_DIR, CardSpec, digits, render_card
from ingest import ocr
from ingest.card_image import skew_angle
from ingest.errors import UnsupportedInput
from ingest.records import ParsedItem, RawRecord, Rejected
from ingest.scan import parse_scan
from ingest.turkish import transliterate

HAS_TESSERACT = ocr.tesseract_available()
needs_tesseract = pytest.mark.skipif(
    not HAS_TESSERACT, reason=f"Tesseract is not installed; {ocr.INSTALL_HINT}"
)
if not Path(FONT_DIR, "DejaVuSans.ttf").exists():
    pytest.skip("DejaVu fonts missing: apt-get install fonts-dejavu-core", allow_module_level=True)

WHEN = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
SHA = "5" * 64
# OCR may drop a dot or read "İ" as "I"; above this rapidfuzz ratio a name is the same name.
SIMILAR = 90


def same_text(got: str, want: str) -> bool:
    """Equal up to OCR's usual slips: lost Turkish diacritics ("Ağaoğlu" read as "Agaoglu")
    or a similarity of at least ``SIMILAR``."""
    return transliterate(got) == transliterate(want) or fuzz.ratio(got, want) >= SIMILAR


def card(layout: str, font: str = "DejaVuSans.ttf", **changes: str) -> CardSpec:
    values = {
        "name": "Çiğdem Şahin",
        "title": "Satın Alma Müdürü",
        "company": "Anadolu Makine San. ve Tic. A.Ş.",
        "email": "cigdem.sahin@anadolumakine.com.tr",
        "phone": "+90 212 555 12 34",
        "mobile": "+90 532 987 65 43",
        "street": "Atatürk Cad. No:12",
        "city": "34710 Kadıköy/İstanbul",
        "website": "www.anadolumakine.com.tr",
        "layout": layout,
        "font": font,
    }
    values.update(changes)
    return CardSpec(**values)


def scan(data: bytes, **options: object) -> list[ParsedItem]:
    return list(
        parse_scan(data, file_sha256=SHA, origin="card.png", received_at=WHEN, **options)  # type: ignore[arg-type]
    )


def only_record(items: list[ParsedItem]) -> RawRecord:
    assert len(items) == 1, items
    assert isinstance(items[0], RawRecord), items[0]
    return items[0]


def assert_read(spec: CardSpec, record: RawRecord) -> None:
    fields = record.fields
    assert fields["email"] == spec.email
    assert digits(fields["phone"]) == digits(spec.phone)
    assert same_text(fields["full_name"], spec.name), fields["full_name"]
    assert same_text(fields["company"], spec.company), fields["company"]


@needs_tesseract
@pytest.mark.parametrize(
    "spec",
    [
        card("left"),
        card("center", "DejaVuSerif.ttf", name="İsmail Ağaoğlu", email="ismail@anadolumakine.com"),
        card(
            "two-column",
            name="Gülşen Öztürk",
            company="Ege Tekstil Ltd. Şti.",
            email="g.ozturk@egetekstil.com.tr",
            title="Genel Müdür",
        ),
        card(
            "left",
            name="Sarah Miller",
            company="Northwind Inc.",
            title="Sales Manager",
            email="sarah.miller@northwind.com",
            phone="+44 20 7946 0958",
        ),
    ],
    ids=["left", "centered-serif", "two-column", "english"],
)
def test_rendered_cards_are_read_field_by_field(spec: CardSpec) -> None:
    record = only_record(scan(render_card(spec)))
    assert_read(spec, record)
    assert digits(record.fields["mobile"]) == digits(spec.mobile)
    assert record.source_ref == f"file://{SHA}#card-1"
    assert record.source == "scan"


@needs_tesseract
def test_turkish_letters_survive_ocr_exactly_on_a_clean_card() -> None:
    spec = card("left")
    record = only_record(scan(render_card(spec)))
    assert record.fields["full_name"] == "Çiğdem Şahin"
    assert record.fields["title"] == "Satın Alma Müdürü"


@needs_tesseract
@pytest.mark.parametrize("angle", [3.0, -3.0])
def test_slightly_rotated_noisy_cards_are_still_read(angle: float) -> None:
    spec = card("left", name="Oğuz Yılmaz", email="oguz@anadolumakine.com.tr")
    record = only_record(scan(render_card(spec, angle=angle, noise=0.01, seed=3)))
    assert_read(spec, record)


@needs_tesseract
def test_exif_orientation_is_applied_before_reading() -> None:
    spec = card("left")
    upright = Image.open(io.BytesIO(render_card(spec)))
    stored = upright.rotate(90, expand=True)  # as a phone sensor stores a portrait shot
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    out = io.BytesIO()
    stored.convert("RGB").save(out, format="JPEG", quality=92, exif=exif)
    assert_read(spec, only_record(scan(out.getvalue())))


@needs_tesseract
@pytest.mark.parametrize("turn", [90, 180])
def test_a_card_scanned_sideways_or_upside_down_is_turned_upright(turn: int) -> None:
    spec = card("center")
    turned = Image.open(io.BytesIO(render_card(spec))).rotate(turn, expand=True)
    out = io.BytesIO()
    turned.save(out, format="PNG")  # no EXIF: only Tesseract's orientation detection can tell
    assert_read(spec, only_record(scan(out.getvalue())))


@needs_tesseract
def test_provenance_points_at_the_ocr_line_with_its_confidence() -> None:
    record = only_record(scan(render_card(card("left"))))
    assert record.provenance["email"].startswith("card.png page 1 OCR line ")
    assert "(conf " in record.provenance["email"]
    assert "cigdem.sahin@anadolumakine.com.tr" in record.provenance["ocr_text"]


@needs_tesseract
def test_key_fields_below_the_threshold_are_marked_for_review() -> None:
    record = only_record(scan(render_card(card("left")), min_confidence=101.0))
    note = record.fields["review"]
    assert note.startswith("low-confidence: ")
    assert "name " in note and "email " in note and "phone " in note


@needs_tesseract
def test_a_clean_card_needs_no_review() -> None:
    record = only_record(scan(render_card(card("left"))))
    assert "review" not in record.fields


@needs_tesseract
def test_a_blank_card_is_rejected_as_having_no_text() -> None:
    out = io.BytesIO()
    Image.new("L", (1050, 600), 255).save(out, format="PNG")
    [item] = scan(out.getvalue())
    assert isinstance(item, Rejected)
    assert item.reason == "scan-no-text"


@needs_tesseract
def test_text_without_a_name_email_or_phone_is_rejected_with_the_text_kept() -> None:
    image = Image.new("L", (1050, 600), 255)
    font = ImageFont.truetype(FONT_DIR + "DejaVuSans.ttf", 40)
    ImageDraw.Draw(image).text((60, 250), "Fine tools since 1987", font=font, fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    [item] = scan(out.getvalue())
    assert isinstance(item, Rejected)
    assert item.reason == "scan-no-identity"
    assert "Fine tools since 1987" in item.raw["ocr_text"]


@needs_tesseract
def test_bytes_that_are_not_an_image_are_rejected_not_raised() -> None:
    [item] = scan(b"\x89PNG\r\n\x1a\nbroken")
    assert isinstance(item, Rejected)
    assert item.reason == "scan-unreadable"


@needs_tesseract
def test_every_frame_of_a_multipage_tiff_is_a_card() -> None:
    first, second = card("left"), card("center", name="Ayşe Kılıç", email="ayse@egetekstil.com")
    pages = [Image.open(io.BytesIO(render_card(s))) for s in (first, second)]
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    items = scan(out.getvalue())
    assert [i.source_ref for i in items] == [f"file://{SHA}#card-1", f"file://{SHA}#card-2"]
    assert [i.fields["email"] for i in items if isinstance(i, RawRecord)] == [
        first.email,
        second.email,
    ]


@needs_tesseract
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="apt-get install poppler-utils")
def test_every_page_of_a_scanned_pdf_is_a_card() -> None:
    first, second = card("two-column"), card("left", name="Emma Taylor", email="emma@acme.com")
    pages = [Image.open(io.BytesIO(render_card(s))).convert("RGB") for s in (first, second)]
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=300)
    items = scan(out.getvalue(), kind="pdf")
    assert [i.source_ref for i in items] == [f"file://{SHA}#card-1", f"file://{SHA}#card-2"]
    records = [i for i in items if isinstance(i, RawRecord)]
    assert [r.fields["email"] for r in records] == [first.email, second.email]
    assert records[1].provenance["email"].startswith("card.png page 2 ")


@pytest.mark.parametrize("tilt", [3.0, -2.0])
def test_the_skew_of_a_tilted_card_is_measured_to_half_a_degree(tilt: float) -> None:
    tilted = Image.open(io.BytesIO(render_card(card("left"), angle=tilt)))
    assert abs(skew_angle(tilted.convert("L")) + tilt) <= 0.5


def test_a_straight_card_is_not_rotated() -> None:
    assert skew_angle(Image.open(io.BytesIO(render_card(card("two-column")))).convert("L")) == 0.0


@needs_tesseract
def test_a_page_tesseract_fails_on_is_rejected_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise pytesseract.TesseractError(1, "Error in pixCreate")

    monkeypatch.setattr(pytesseract, "image_to_data", crash)
    [item] = scan(render_card(card("left")))
    assert isinstance(item, Rejected)
    assert item.reason == "scan-ocr-failed"
    assert "pixCreate" in item.message


def test_missing_tesseract_is_reported_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    ocr.ocr_languages.cache_clear()
    try:
        with pytest.raises(UnsupportedInput) as caught:
            scan(b"anything")
    finally:
        ocr.ocr_languages.cache_clear()
    assert caught.value.reason == "ocr-not-available"
    assert "apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-tur" in str(caught.value)
