"""Pure layout of the pipeline report: funnel (with a bar chart), then one section per stage.

Money sections have one row per (state, currency): amounts in different currencies are shown
side by side, never added.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time

from exports.cells import ChartSpec, PrintSpec, Properties, SheetLayout, WorkbookLayout
from exports.formats import date_format, money_format
from exports.layout import Grid
from exports.report import Figure, PipelineReport

SHEET = "Pipeline"
WIDTHS = ((1, 24.0), (2, 12.0), (3, 12.0), (4, 18.0))
CHART_COL = 6
MONEY_COLUMNS = ("State", "Count", "Currency", "Total")


def layout_pipeline_report(report: PipelineReport) -> WorkbookLayout:
    """The workbook layout of ``report`` (English labels)."""
    grid = Grid()
    grid.put(1, 1, "Sales pipeline report", "report-title", span=4)
    grid.put(2, 1, "As of", "info-label")
    grid.put(2, 2, report.today, "info", date_format("en"))
    chart, row = _funnel(grid, report, 4)
    sections: list[tuple[str, Sequence[Figure], tuple[str, ...]]] = [
        ("Leads by state", report.leads_by_state, ("State", "Count")),
        ("Leads by status", report.leads_by_status, ("Status", "Count")),
        ("Leads by source", report.leads_by_source, ("Source", "Count")),
        ("Opportunities", report.opportunities, (*MONEY_COLUMNS[:3], "Estimated revenue")),
        ("Quotes", report.quotes, MONEY_COLUMNS),
        ("Orders", report.orders, MONEY_COLUMNS),
        ("Invoices", report.invoices, MONEY_COLUMNS),
    ]
    for title, figures, columns in sections:
        row = _section(grid, title, figures, columns, row + 2)
    row = _outstanding(grid, report, row + 2)
    if report.run_stats:
        row = _run_stats(grid, report, row + 2)
    sheet = SheetLayout(
        name=SHEET,
        cells=tuple(grid.cells),
        merges=tuple(grid.merges),
        widths=WIDTHS,
        print_spec=PrintSpec(),
        charts=(chart,),
    )
    props = Properties(
        title=f"Sales pipeline report {report.today.isoformat()}",
        creator="salesflow",
        created=datetime.combine(report.today, time(0), tzinfo=UTC),
        language="en",
    )
    return WorkbookLayout(sheets=(sheet,), properties=props)


def _header(grid: Grid, row: int, title: str, columns: Sequence[str]) -> None:
    grid.put(row, 1, title, "section", span=len(columns))
    for col, name in enumerate(columns, start=1):
        grid.put(row + 1, col, name, "th" if col == 1 else "th-num")


def _funnel(grid: Grid, report: PipelineReport, top: int) -> tuple[ChartSpec, int]:
    _header(grid, top, "Funnel", ("Stage", "Count", "Conversion"))
    header_row = top + 1
    row = header_row
    for step in report.funnel:
        row += 1
        grid.put(row, 1, step.stage, "td")
        grid.put(row, 2, step.count, "td-num", "#,##0")
        grid.put(row, 3, step.rate, "td-num", "0.0%")
    chart = ChartSpec(
        title="Sales funnel",
        category_col=1,
        value_col=2,
        header_row=header_row,
        last_row=max(row, header_row + 1),
        anchor=(top, CHART_COL),
        y_title="Count",
    )
    return chart, row


def _section(
    grid: Grid, title: str, figures: Sequence[Figure], columns: tuple[str, ...], top: int
) -> int:
    """A table of figures: label, count, then one (currency, amount) row per currency."""
    _header(grid, top, title, columns)
    row = top + 1
    for figure in figures:
        row += 1
        grid.put(row, 1, figure.label, "td")
        grid.put(row, 2, figure.count, "td-num", "#,##0")
        for index, (currency, amount) in enumerate(figure.amounts):
            row += 1 if index else 0
            grid.put(row, 3, currency, "td")
            grid.put(row, 4, amount, "td-num", money_format(currency, "en"))
    return row


def _outstanding(grid: Grid, report: PipelineReport, top: int) -> int:
    _header(grid, top, "Outstanding balance", ("Currency", "Amount"))
    row = top + 1
    for currency, amount in report.outstanding:
        row += 1
        grid.put(row, 1, currency, "td")
        grid.put(row, 2, amount, "td-num", money_format(currency, "en"))
    return row


def _run_stats(grid: Grid, report: PipelineReport, top: int) -> int:
    _header(grid, top, "Last run", ("Figure", "Value"))
    row = top + 1
    for name, value in report.run_stats:
        row += 1
        grid.put(row, 1, name, "td")
        grid.put(row, 2, value, "td-num", "#,##0")
    return row
