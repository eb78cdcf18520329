"""Pure layout of quotes and invoices: labels, number formats, text safety, print setup."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from exports.cells import clean_text, is_formula_like, text_cell
from exports.documents import SellerInfo, build_invoice_document, build_quote_document
from exports.errors import UnsafeFileName, UnsupportedLanguage
from exports.files import document_file_name, document_path
from exports.formats import money_format, percent_format, quantity_format
from exports.labels import payment_terms, tax_name
from exports.layout import layout_document
from pipeline.domain.lines import Discount
from pipeline.domain.parties import Product
from pipeline.domain.process import accept_quote, create_quote, issue_invoice, qualify_lead
from tests.support.builders import lead

AT = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
SELLER = SellerInfo(name="Deniz Yazılım A.Ş.", address="Büyükdere Cd. 1\nİstanbul", iban="TR12 3")


def _quote(company: str = "Anadolu Makine A.Ş."):
    opp = qualify_lead(lead(company=company), currency="TRY", at=AT)
    widget = Product("W-1", "Widget", Decimal("19.99"), "TRY", Decimal("20"))
    hours = Product("S-1", "Service", Decimal("150"), "TRY", Decimal("8.5"), unit="h")
    opp.add_line(widget, Decimal("3"), Discount.parse("10%"), at=AT)
    opp.add_line(hours, Decimal("2.5"), Discount.parse("15.50"), at=AT)
    quote = create_quote(opp, seq=12, year=2026, at=AT)
    quote.set_discount(Discount.parse("5%"), at=AT)
    quote.activate(at=AT)
    return quote


def _invoice():
    order = accept_quote(_quote(), seq=3, year=2026, at=AT)
    order.fulfil(at=AT)
    return issue_invoice(order, seq=7, year=2026, payment_days=14, at=AT)


def _cells(layout):
    return {(c.row, c.col): c for c in layout.sheets[0].cells}


def _texts(layout) -> set[str]:
    return {c.value for c in layout.sheets[0].cells if isinstance(c.value, str)}


def _total(layout, label: str):
    cells = _cells(layout)
    row = next(r for (r, c), cell in cells.items() if c == 6 and cell.value == label)
    return cells[(row, 10)]


def test_turkish_quote_is_labelled_in_turkish():
    texts = _texts(layout_document(build_quote_document(_quote(), SELLER, "tr")))
    expected = {"Teklif", "Ara Toplam", "Genel Toplam", "Birim Fiyat", "Miktar", "Açıklama"}
    assert expected | {"Geçerlilik", "KDV %20", "KDV %8,5", "İndirim (%5)"} <= texts


def test_english_quote_is_labelled_in_english():
    texts = _texts(layout_document(build_quote_document(_quote(), SELLER, "en")))
    assert {"Quote", "Subtotal", "Grand Total", "Unit Price", "VAT 20%", "Discount (5%)"} <= texts


def test_turkish_invoice_shows_due_date_and_balance_labels():
    texts = _texts(layout_document(build_invoice_document(_invoice(), SELLER, "tr")))
    assert {"Fatura", "Vade Tarihi", "Ödenen", "Kalan Bakiye", "Sipariş"} <= texts


def test_layout_language_overrides_the_document_language():
    doc = build_quote_document(_quote(), SELLER, "en")
    assert "Teklif" in _texts(layout_document(doc, "tr-TR"))


def test_unknown_language_is_refused_with_the_supported_ones():
    with pytest.raises(UnsupportedLanguage) as raised:
        build_quote_document(_quote(), SELLER, "de")
    assert raised.value.supported == ("en", "tr")


def test_totals_cells_hold_the_domain_figures():
    quote = _quote()
    totals = quote.totals()
    layout = layout_document(build_quote_document(quote, SELLER, "en"))
    assert _total(layout, "Grand Total").value == totals.total == Decimal("432.08")
    assert _total(layout, "Subtotal").value == totals.subtotal
    assert _total(layout, "VAT 8.5%").value == totals.taxes[0].tax
    assert _total(layout, "Grand Total").number_format == '"TRY "#,##0.00'


def test_line_cells_hold_values_and_formats():
    layout = layout_document(build_quote_document(_quote(), SELLER, "tr"))
    cells = _cells(layout)
    header = next(r for (r, c), cell in cells.items() if c == 2 and cell.value == "Stok Kodu")
    first = header + 1
    assert cells[(first, 4)].value == Decimal("3") and cells[(first, 4)].number_format == "#,##0"
    assert cells[(first, 6)].number_format == '"₺"#,##0.00'
    assert cells[(first, 7)].value == Decimal("0.1") and cells[(first, 7)].number_format == "0%"
    assert cells[(first, 8)].value == Decimal("6.00")
    assert cells[(first + 1, 9)].value == Decimal("0.085")
    assert cells[(first + 1, 9)].number_format == "0.00%"
    assert cells[(first + 1, 7)].value is None  # an amount discount has no percent


def test_line_header_repeats_on_each_page_and_panes_freeze_below_it():
    sheet = layout_document(build_quote_document(_quote(), SELLER, "en")).sheets[0]
    header = next(c.row for c in sheet.cells if c.col == 2 and c.value == "SKU")
    assert sheet.print_spec.title_rows == (header, header)
    assert sheet.freeze_row == header + 1
    assert sheet.print_spec.fit_width == 1 and sheet.print_spec.orientation == "portrait"


def test_properties_carry_the_document_date_and_seller():
    props = layout_document(build_invoice_document(_invoice(), SELLER, "en")).properties
    assert props.created == datetime(2026, 3, 4, tzinfo=UTC)
    assert props.creator == "Deniz Yazılım A.Ş." and props.title == "Invoice INV-2026-00007"


def test_formula_like_customer_name_is_marked_literal_in_the_layout():
    layout = layout_document(build_quote_document(_quote('=HYPERLINK("http://x","y")'), SELLER))
    name = next(c for c in layout.sheets[0].cells if c.value == '=HYPERLINK("http://x","y")')
    assert name.literal is True


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r", "\uff1d"])
def test_text_starting_with_a_formula_prefix_is_neutralised(prefix):
    cell = text_cell(3, 2, f"{prefix}SUM(A1:A9)")
    assert cell.literal is True
    assert cell.value == f"{prefix}SUM(A1:A9)"  # kept as written, only marked
    assert is_formula_like(f"{prefix}1+1")


@pytest.mark.parametrize("text", ["Acme", "a=b", "5 + 3", "", " =not first"])
def test_ordinary_text_is_not_marked(text):
    assert text_cell(1, 1, text).literal is False


def test_characters_xml_cannot_carry_are_removed_but_tabs_and_newlines_stay():
    assert clean_text("A\x00c\x1fme\tLtd\nx\ud800") == "Acme\tLtd\nx"


def test_text_made_formula_like_by_cleaning_is_still_caught():
    assert text_cell(1, 1, "\x01=cmd").literal is True


@pytest.mark.parametrize(
    ("currency", "lang", "expected"),
    [
        ("TRY", "tr", '"₺"#,##0.00'),
        ("TRY", "en", '"TRY "#,##0.00'),
        ("EUR", "en", '"€"#,##0.00'),
        ("JPY", "en", '"¥"#,##0'),
        ("KWD", "tr", '"KWD "#,##0.000'),
    ],
)
def test_money_format_follows_babel_symbol_and_minor_units(currency, lang, expected):
    assert money_format(currency, lang) == expected


def test_percent_and_quantity_formats_show_only_needed_decimals():
    assert percent_format(Decimal("2E+1")) == "0%"
    assert percent_format(Decimal("8.5")) == "0.00%"
    assert quantity_format(Decimal("2.500")) == "#,##0.0"
    assert quantity_format(Decimal("4")) == "#,##0"


def test_tax_names_follow_the_language():
    assert tax_name(Decimal("20"), "tr") == "KDV %20"
    assert tax_name(Decimal("8.5"), "en") == "VAT 8.5%"


def test_invoice_payment_terms_name_the_days_and_the_due_date():
    assert payment_terms("en", 14, date(2026, 3, 18)) == (
        "Payment due within 14 days, by Mar 18, 2026."
    )
    assert payment_terms("tr", 30, None) == "Ödeme, fatura tarihinden itibaren 30 gün içinde."


def test_file_name_is_the_reprinted_document_number():
    assert document_file_name("quo-2026-12-R2") == "QUO-2026-00012-R2.xlsx"
    path = document_path(Path("/out"), "invoice", "INV-2026-00007")
    assert path == Path("/out/invoices/INV-2026-00007.xlsx")


@pytest.mark.parametrize("number", ["../../etc/passwd", "QUO-2026-1/../x", "", "=cmd"])
def test_anything_but_a_document_number_is_refused_as_a_file_name(number):
    with pytest.raises(UnsafeFileName):
        document_file_name(number)


def test_a_long_description_gets_a_taller_row_and_short_ones_keep_the_default():
    quote = _quote()
    quote.lines[0].description = "Hydraulic press spare part kit, " * 3  # 96 characters
    sheet = layout_document(build_quote_document(quote, SELLER)).sheets[0]
    header = next(c.row for c in sheet.cells if c.col == 2 and c.value == "SKU")
    assert sheet.heights == ((1, 28.0), (header + 1, 39.0))
