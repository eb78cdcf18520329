"""Pure layout of a quote or invoice on one A4 sheet: cells, merges, widths, print setup.

Blocks from top to bottom: title and seller; customer (left) beside the document facts
(right); the line table (its header row repeats on every printed page and the panes freeze
below it); the totals; notes and terms. Values stay Decimal/date; formats say how they look.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time
from decimal import Decimal

from exports.cells import (
    CellSpec,
    CellValue,
    MergeSpec,
    PrintSpec,
    Properties,
    SheetLayout,
    WorkbookLayout,
    text_cell,
)
from exports.documents import Document, DocumentLine, InvoiceDocument, QuoteDocument
from exports.formats import (
    date_format,
    money_format,
    percent_format,
    percent_value,
    quantity_format,
)
from exports.labels import (
    format_day,
    labels_for,
    language_of,
    rate_text,
    status_text,
    tax_name,
)
from exports.styles import STYLES

COLUMNS = 10
# Widths in characters: #, SKU, description, qty, unit, unit price, disc %, disc, VAT %, amount.
WIDTHS = (5.0, 13.0, 36.0, 9.0, 7.0, 13.0, 8.0, 12.0, 8.0, 15.0)
LINE_HEADERS = (
    ("line_no", "th"),
    ("sku", "th"),
    ("description", "th"),
    ("quantity", "th-num"),
    ("unit", "th"),
    ("unit_price", "th-num"),
    ("discount_pct", "th-num"),
    ("discount", "th-num"),
    ("tax_rate", "th-num"),
    ("line_total", "th-num"),
)
AMOUNT_COL, BASE_COL, TOTAL_LABEL_COL, DESCRIPTION_COL = 10, 9, 6, 3
ROW_HEIGHT = 13.0  # points per line of 10 pt text
TITLE_HEIGHT = 28.0  # the 20 pt title


class Grid:
    """Collects cells and merged ranges; text goes through ``text_cell``."""

    def __init__(self) -> None:
        self.cells: list[CellSpec] = []
        self.merges: list[MergeSpec] = []

    def put(
        self,
        row: int,
        col: int,
        value: CellValue,
        style: str = "text",
        fmt: str = "General",
        *,
        span: int = 1,
    ) -> None:
        """Place ``value`` at (row, col), spread over ``span`` columns when more than one.

        Only wrapped text is merged: other text simply overflows into the empty cells beside
        it, which prints the same and writes much faster. Covered cells still get the style
        when it has a border or fill, so rules and shading run the full width.
        """
        if isinstance(value, str):
            self.cells.append(text_cell(row, col, value, style))
        else:
            self.cells.append(CellSpec(row, col, value, style, fmt))
        if span <= 1:
            return
        look = STYLES[style]
        if look.wrap:
            self.merges.append(MergeSpec(row, col, row, col + span - 1))
        elif look.border != "none" or look.fill is not None:
            self.cells.extend(CellSpec(row, c, None, style) for c in range(col + 1, col + span))


def layout_document(doc: Document, lang: str | None = None) -> WorkbookLayout:
    """The workbook layout of a quote or invoice, labelled in ``lang`` (default: the doc's)."""
    code = language_of(lang or doc.lang)
    words = labels_for(code)
    grid = Grid()
    row = _header(grid, doc, words)
    row = _parties(grid, doc, words, code, row + 1)
    header_row = row + 1
    row = _line_table(grid, doc, words, code, header_row)
    row = _totals(grid, doc, words, code, row + 2)
    _notes(grid, doc, words, code, row + 2)
    sheet = SheetLayout(
        name=doc.number,
        cells=tuple(grid.cells),
        merges=tuple(grid.merges),
        widths=tuple(enumerate(WIDTHS, start=1)),
        heights=((1, TITLE_HEIGHT), *_line_heights(doc.lines, header_row)),
        freeze_row=header_row + 1,
        print_spec=PrintSpec(title_rows=(header_row, header_row)),
    )
    props = Properties(
        title=f"{words[doc.kind]} {doc.number}",
        creator=doc.seller.name,
        created=datetime.combine(doc.document_date, time(0), tzinfo=UTC),
        subject=words[doc.kind],
        language=code,
    )
    return WorkbookLayout(sheets=(sheet,), properties=props)


def _header(grid: Grid, doc: Document, words: Mapping[str, str]) -> int:
    """Title on the left, the seller on the right; returns the last row used."""
    grid.put(1, 1, words[doc.kind], "title", span=5)
    grid.put(1, 6, doc.seller.name, "seller-name", span=5)
    seller = doc.seller
    extra = [*seller.address]
    extra += [f"{words['tax_id']}: {seller.tax_id}"] if seller.tax_id else []
    extra += [value for value in (seller.email, seller.phone) if value]
    for offset, text in enumerate(extra, start=2):
        grid.put(offset, 6, text, "seller", span=5)
    return 1 + len(extra)


def _parties(grid: Grid, doc: Document, words: Mapping[str, str], lang: str, top: int) -> int:
    """Customer block (A:E) beside the document facts (G:J); returns the last row used."""
    customer = doc.customer
    left = [(words["customer"], "label"), (customer.name, "strong")]
    if customer.contact:
        left.append((f"{words['attention']}: {customer.contact}", "text"))
    left += [(text, "text") for text in (*customer.address, customer.email, customer.phone) if text]
    for offset, (text, style) in enumerate(left):
        grid.put(top + offset, 1, text, style, span=5)
    facts = _facts(doc, words, lang)
    for offset, (label, value, fmt) in enumerate(facts):
        grid.put(top + offset, 7, label, "info-label", span=2)
        grid.put(top + offset, 9, value, "info", fmt, span=2)
    return top + max(len(left), len(facts)) - 1


def _facts(doc: Document, words: Mapping[str, str], lang: str) -> list[tuple[str, CellValue, str]]:
    day = date_format(lang)
    facts: list[tuple[str, CellValue, str]] = [
        (words["number"], doc.number, "@"),
        (words["date"], doc.document_date, day),
    ]
    if isinstance(doc, QuoteDocument):
        until: CellValue = doc.valid_until if doc.valid_until else words["no_date"]
        facts.append((words["valid_until"], until, day))
    if isinstance(doc, InvoiceDocument):
        facts.append((words["due_on"], doc.due_on, day))
        facts.append((words["order"], doc.order_number, "@"))
        facts.append((words["quote_ref"], doc.quote_number, "@"))
    facts.append((words["currency"], doc.currency, "@"))
    facts.append((words["status"], status_text(doc.status, lang), "@"))
    return facts


def _line_table(
    grid: Grid, doc: Document, words: Mapping[str, str], lang: str, header_row: int
) -> int:
    """The bordered line table; returns its last row."""
    for col, (key, style) in enumerate(LINE_HEADERS, start=1):
        grid.put(header_row, col, words[key], style)
    money = money_format(doc.currency, lang)
    for row, line in enumerate(doc.lines, start=header_row + 1):
        _line_row(grid, row, line, money)
    return header_row + len(doc.lines)


def _line_row(grid: Grid, row: int, line: DocumentLine, money: str) -> None:
    grid.put(row, 1, line.line_no, "td-num", "0")
    grid.put(row, 2, line.sku, "td")
    grid.put(row, 3, line.description, "td-wrap")
    grid.put(row, 4, line.quantity, "td-num", quantity_format(line.quantity))
    grid.put(row, 5, line.unit, "td")
    grid.put(row, 6, line.unit_price, "td-num", money)
    if line.discount_kind == "percent":
        pct = percent_value(line.discount_value)
        grid.put(row, 7, pct, "td-num", percent_format(line.discount_value))
    else:
        grid.put(row, 7, None, "td-num")
    amount = line.discount_amount if line.discount_kind != "none" else None
    grid.put(row, 8, amount, "td-num", money)
    grid.put(row, 9, percent_value(line.tax_rate), "td-num", percent_format(line.tax_rate))
    grid.put(row, 10, line.net, "td-num", money)


def _line_heights(lines: tuple[DocumentLine, ...], header_row: int) -> list[tuple[int, float]]:
    """Heights for lines whose description wraps: Excel does not grow rows when opening."""
    per_line = int(WIDTHS[DESCRIPTION_COL - 1])
    heights = []
    for row, line in enumerate(lines, start=header_row + 1):
        count = sum(max(1, -(-len(part) // per_line)) for part in line.description.splitlines())
        if count > 1:
            heights.append((row, ROW_HEIGHT * count))
    return heights


def _totals(grid: Grid, doc: Document, words: Mapping[str, str], lang: str, top: int) -> int:
    """Totals under the amount column; returns the last row used."""
    money = money_format(doc.currency, lang)
    discount = words["overall_discount"]
    if doc.overall_discount_rate is not None:
        discount = f"{discount} ({rate_text(doc.overall_discount_rate, lang)})"
    rows: list[tuple[str, Decimal, str]] = [
        (words["gross"], doc.gross, "total"),
        (words["line_discounts"], doc.line_discounts, "total"),
        (words["subtotal"], doc.subtotal, "total"),
        (discount, doc.overall_discount, "total"),
        (words["net"], doc.net, "total"),
    ]
    row = top
    for label, value, style in rows:
        _total_row(grid, row, label, value, style, money)
        row += 1
    for band in doc.taxes:
        _total_row(grid, row, tax_name(band.rate, lang), band.tax, "total", money)
        grid.put(row, BASE_COL, band.base, "tax-base", money)
        row += 1
    _total_row(grid, row, words["tax_total"], doc.tax_total, "total", money)
    _total_row(grid, row + 1, words["total"], doc.total, "grand", money)
    row += 1
    if isinstance(doc, InvoiceDocument):
        _total_row(grid, row + 1, words["amount_paid"], doc.amount_paid, "total", money)
        _total_row(grid, row + 2, words["balance"], doc.balance, "grand", money)
        row += 2
    return row


def _total_row(grid: Grid, row: int, label: str, value: Decimal, style: str, money: str) -> None:
    label_style = "grand-label" if style == "grand" else "total-label"
    grid.put(row, TOTAL_LABEL_COL, label, label_style, span=BASE_COL - TOTAL_LABEL_COL)
    if style == "grand":
        grid.put(row, BASE_COL, None, label_style)
    grid.put(row, AMOUNT_COL, value, style, money)


def _notes(grid: Grid, doc: Document, words: Mapping[str, str], lang: str, top: int) -> int:
    """Notes and terms, one merged full-width row each; returns the last row used."""
    notes: list[str] = []
    if isinstance(doc, QuoteDocument):
        if doc.is_draft:
            notes.append(words["draft_text"])
        if doc.valid_until is not None:
            notes.append(words["valid_text"].format(date=format_day(doc.valid_until, lang)))
    notes.append(f"{words['payment_terms']}: {doc.payment_terms}")
    if doc.iban:
        notes.append(f"{words['bank']}: {doc.seller.name} — {words['iban']} {doc.iban}")
    grid.put(top, 1, words["notes"], "notes-label", span=COLUMNS)
    for offset, text in enumerate(notes, start=1):
        grid.put(top + offset, 1, text, "note", span=COLUMNS)
    return top + len(notes)
