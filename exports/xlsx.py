"""The one module that talks to openpyxl: renders layouts and writes document/report files.

Numbers are written as numbers (Decimal, which openpyxl stores with 16 significant digits),
dates as dates, every string as an inline string — text that looks like a formula also gets
Excel's quote prefix, so it stays text even when a person edits the cell. The package is
repacked with fixed times (``exports.package``) so the same document always gives the same
bytes, and ``exports.files`` decides whether an existing file may be replaced.
"""

from __future__ import annotations

from datetime import UTC
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from exports.cells import (
    CellSpec,
    ChartSpec,
    MergeSpec,
    PrintSpec,
    Properties,
    SheetLayout,
    WorkbookLayout,
)
from exports.documents import Document
from exports.files import OverwritePolicy, document_path, place_file
from exports.layout import layout_document
from exports.package import repack
from exports.report import PipelineReport
from exports.report_layout import layout_pipeline_report
from exports.styles import STYLES

STYLE_PREFIX = "salesflow-"
_THIN = Side(style="thin", color="9CA3AF")
_BORDERS = {
    "none": Border(),
    "box": Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN),
    "bottom": Border(bottom=_THIN),
    "top": Border(top=_THIN),
    "double-top": Border(top=Side(style="double", color="1F2937")),
}


def write_document(
    doc: Document,
    out_dir: Path,
    *,
    lang: str | None = None,
    overwrite_policy: OverwritePolicy = OverwritePolicy.REPLACE,
) -> tuple[Path, str]:
    """Write ``doc`` to ``<out_dir>/quotes|invoices/<number>.xlsx``; returns (path, sha256).

    Identical bytes already there: nothing is written. Different bytes: a quote is replaced
    (``REPLACE``) or refused (``REFUSE``); an invoice is always refused
    (``IssuedInvoiceChanged``).
    """
    target = document_path(out_dir, doc.kind, doc.number)
    data = render_workbook(layout_document(doc, lang))
    invoice_number = doc.number if doc.kind == "invoice" else None
    return place_file(data, target, policy=overwrite_policy, invoice_number=invoice_number)


def write_pipeline_report(report: PipelineReport, path: Path) -> tuple[Path, str]:
    """Write the report to ``path`` if it names a .xlsx file, else to
    ``<path>/reports/pipeline-<date>.xlsx``; returns (path, sha256)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path / "reports" / f"pipeline-{report.today.isoformat()}.xlsx"
    data = render_workbook(layout_pipeline_report(report))
    return place_file(data, path, policy=OverwritePolicy.REPLACE)


def render_workbook(layout: WorkbookLayout) -> bytes:
    """The .xlsx bytes of ``layout`` (the same layout always gives the same bytes)."""
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for sheet in layout.sheets:
        _render_sheet(wb, wb.create_sheet(sheet.name), sheet)
    _set_properties(wb, layout.properties)
    buffer = BytesIO()
    # ExcelWriter rather than wb.save(): save() stamps "modified" with the current time.
    with ZipFile(buffer, "w", ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return repack(buffer.getvalue(), layout.properties.created)


def _render_sheet(wb: Workbook, ws: Worksheet, sheet: SheetLayout) -> None:
    _register_styles(wb, sheet)
    for spec in sheet.cells:
        _render_cell(ws, spec)
    styled = {(c.row, c.col) for c in sheet.cells if STYLES[c.style].border != "none"}
    for m in sheet.merges:
        _merge(ws, m, bordered=(m.first_row, m.first_col) in styled)
    for col, width in sheet.widths:
        ws.column_dimensions[get_column_letter(col)].width = width
    for row, height in sheet.heights:
        ws.row_dimensions[row].height = height
    if sheet.freeze_row is not None:
        ws.freeze_panes = f"A{sheet.freeze_row}"
    _page_setup(ws, sheet.print_spec, sheet)
    for chart in sheet.charts:
        _add_chart(ws, chart)


def _merge(ws: Worksheet, m: MergeSpec, *, bordered: bool) -> None:
    coord = CellRange(
        min_row=m.first_row, min_col=m.first_col, max_row=m.last_row, max_col=m.last_col
    ).coord
    if bordered:
        # merge_cells() draws the border around the whole range (slow, so only when needed).
        ws.merge_cells(coord)
    else:
        # The covered cells are empty, so recording the range is all the file needs.
        ws.merged_cells.add(MergedCellRange(ws, coord))


def _register_styles(wb: Workbook, sheet: SheetLayout) -> None:
    """One named style per style key, so each cell takes a ready style instead of four objects."""
    for key in dict.fromkeys(c.style for c in sheet.cells):
        name = STYLE_PREFIX + key
        if name not in wb.style_names:
            font, fill, border, alignment = _style(key)
            named = NamedStyle(name=name, font=font, border=border, alignment=alignment)
            if fill is not None:
                named.fill = fill
            wb.add_named_style(named)


def _render_cell(ws: Worksheet, spec: CellSpec) -> None:
    cell = ws.cell(row=spec.row, column=spec.col)
    cell.value = spec.value
    if isinstance(spec.value, str):
        # openpyxl types "=…" as a formula; a string is only ever a string here.
        cell.data_type = "s"
    cell.style = STYLE_PREFIX + spec.style
    if spec.literal:
        cell.quotePrefix = True
    cell.number_format = spec.number_format


@lru_cache(maxsize=64)
def _style(key: str) -> tuple[Font, PatternFill | None, Border, Alignment]:
    spec = STYLES[key]
    font = Font(
        name="Calibri", size=spec.size, bold=spec.bold, italic=spec.italic, color=spec.color
    )
    fill = PatternFill("solid", fgColor=spec.fill) if spec.fill else None
    alignment = Alignment(horizontal=spec.halign, vertical=spec.valign, wrap_text=spec.wrap)
    return font, fill, _BORDERS[spec.border], alignment


def _page_setup(ws: Worksheet, spec: PrintSpec, sheet: SheetLayout) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = spec.orientation
    ws.page_setup.fitToWidth = spec.fit_width
    ws.page_setup.fitToHeight = spec.fit_height
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    left, right, top, bottom = spec.margins
    ws.page_margins = PageMargins(
        left=left, right=right, top=top, bottom=bottom, header=0.3, footer=0.3
    )
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{get_column_letter(sheet.last_col)}{sheet.last_row}"
    if spec.title_rows is not None:
        first, last = spec.title_rows
        ws.print_title_rows = f"{first}:{last}"
    footer = ws.oddFooter
    if footer is not None:  # always there on a new sheet; the stubs allow None
        footer.center.text = "&P / &N"
        footer.right.text = sheet.name.replace("&", "&&")


def _add_chart(ws: Worksheet, spec: ChartSpec) -> None:
    chart = BarChart()
    chart.type = "bar"
    chart.title = spec.title
    chart.legend = None
    chart.y_axis.title = spec.y_title
    chart.x_axis.scaling.orientation = "maxMin"  # first stage on top, like a funnel
    values = Reference(ws, min_col=spec.value_col, min_row=spec.header_row, max_row=spec.last_row)
    categories = Reference(
        ws, min_col=spec.category_col, min_row=spec.header_row + 1, max_row=spec.last_row
    )
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(categories)
    chart.width, chart.height = 16, 8
    row, col = spec.anchor
    ws.add_chart(chart, f"{get_column_letter(col)}{row}")


def _set_properties(wb: Workbook, props: Properties) -> None:
    # openpyxl stores naive UTC times in core.xml.
    when = props.created.astimezone(UTC).replace(tzinfo=None)
    wb.properties.title = props.title
    wb.properties.creator = props.creator
    wb.properties.lastModifiedBy = props.creator
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.subject = props.subject or None
    wb.properties.language = props.language or None
