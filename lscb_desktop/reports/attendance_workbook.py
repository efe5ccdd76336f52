"""The annual attendance workbook for the annual report: a summary by agency and group with a chart,
and a sheet per group with a code per member per meeting.

Rates are numbers formatted as percentages (so they sum and sort in Excel), rates below the
threshold are highlighted by conditional formatting (so they stay right when a cell is edited),
and every sheet prints landscape, one page wide, with its title rows repeated.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lscb_desktop.reports.attendance_data import AgencyRate, GroupGrid
from lscb_desktop.reports.workbook_text import text_never_formulas
from lscb_desktop.services.files import atomic_path
from lscb_desktop.services.periods import Period
from lscb_desktop.services.progress import Progress

PERCENT = "0%"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADER_FILL = PatternFill("solid", fgColor="E8ECF3")
LOW_FILL = PatternFill("solid", fgColor="FDE2E1")
LOW_FONT = Font(color="8A1C14")
LEGEND = (
    "P present · A apologies · S substitute sent · X absent · – not recorded · "
    "blank: not a member then"
)


@dataclass(frozen=True)
class WorkbookSpec:
    period: Period
    organisation: str
    marking: str
    threshold: float  # 0.75
    made: dt.date


def _sheet_title(name: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "", name)[:31] or "Group"
    base, number = title, 2
    while title.casefold() in used:
        suffix = f" ({number})"
        title = base[: 31 - len(suffix)] + suffix
        number += 1
    used.add(title.casefold())
    return title


def _print_setup(sheet: Worksheet, spec: WorkbookSpec, title_rows: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
    sheet.oddHeader.left.text = f"{spec.organisation}: attendance {spec.period.name}"
    sheet.oddHeader.center.text = spec.marking
    sheet.oddHeader.right.text = f"Made {spec.made:%d/%m/%Y}"
    sheet.oddFooter.center.text = spec.marking
    sheet.oddFooter.right.text = "Page &P of &N"


def _low_rate_rule(sheet: Worksheet, cells: str, threshold: float) -> None:
    sheet.conditional_formatting.add(
        cells,
        CellIsRule(operator="lessThan", formula=[str(threshold)], fill=LOW_FILL, font=LOW_FONT),
    )


def _heading(sheet: Worksheet, spec: WorkbookSpec, title: str) -> None:
    sheet["A1"] = title
    sheet["A1"].font = TITLE
    sheet["A2"] = (
        f"{spec.period.name}: {spec.period.start:%d/%m/%Y} to {spec.period.end:%d/%m/%Y}. "
        f"Made {spec.made:%d/%m/%Y}. {spec.marking}."
    )


def _header_row(sheet: Worksheet, row: int, values: list[object]) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def agency_totals(grids: list[GroupGrid]) -> list[AgencyRate]:
    """Each agency across the groups: meetings held at which it had a member, and represented."""
    totals: dict[str, list[int]] = {}
    ids: dict[str, int] = {}
    for grid in grids:
        for rate in grid.agencies:
            counts = totals.setdefault(rate.agency, [0, 0])
            counts[0] += rate.meetings
            counts[1] += rate.represented
            ids[rate.agency] = rate.agency_id
    return [
        AgencyRate(ids[name], name, "All groups", held, represented)
        for name, (held, represented) in sorted(totals.items(), key=lambda kv: kv[0].casefold())
    ]


def _summary(sheet: Worksheet, spec: WorkbookSpec, grids: list[GroupGrid]) -> None:
    _heading(sheet, spec, f"{spec.organisation}: attendance summary")
    sheet["A3"] = (
        "Rate = meetings at which the agency was represented (by a member or a substitute) "
        "÷ meetings held at which it had a member. Cancelled meetings are not counted. "
        f"Rates below {spec.threshold:.0%} are highlighted."
    )
    header = 5
    _header_row(sheet, header, ["Agency", "Group", "Meetings held", "Meetings represented", "Rate"])
    row = header
    totals = agency_totals(grids)
    for rate in totals:
        row += 1
        sheet.append([rate.agency, "All groups", rate.meetings, rate.represented, rate.rate])
    chart_last = row
    for grid in grids:
        for rate in grid.agencies:
            row += 1
            sheet.append([rate.agency, grid.group, rate.meetings, rate.represented, rate.rate])
    for cells in sheet.iter_rows(min_row=header + 1, max_row=row, min_col=5, max_col=5):
        for cell in cells:
            cell.number_format = PERCENT
    if row > header:
        _low_rate_rule(sheet, f"E{header + 1}:E{row}", spec.threshold)
        sheet.auto_filter.ref = f"A{header}:E{row}"
    sheet.freeze_panes = sheet.cell(row=header + 1, column=2)
    for letter, width in zip("ABCDE", (44, 34, 14, 14, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    if totals:
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"Agency representation, {spec.period.name}"
        chart.y_axis.title = "Rate"
        chart.y_axis.number_format = PERCENT
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.legend = None
        data = Reference(sheet, min_col=5, min_row=header, max_row=chart_last)
        names = Reference(sheet, min_col=1, min_row=header + 1, max_row=chart_last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(names)
        chart.height = max(8, 0.6 * len(totals))
        chart.width = 18
        sheet.add_chart(chart, "G5")
    _print_setup(sheet, spec, f"1:{header}")


def _group_sheet(sheet: Worksheet, spec: WorkbookSpec, grid: GroupGrid) -> None:
    _heading(sheet, spec, f"{grid.group}: attendance")
    sheet["A3"] = LEGEND
    header = 5
    dates = [f"{when:%d/%m/%Y}" for when in grid.meetings]
    _header_row(sheet, header, ["Member", "Agency", *dates, "Attended", "Meetings", "Rate"])
    first_code = 3
    last_code = first_code + len(dates) - 1
    rate_col = last_code + 3  # after Attended and Meetings
    row = header
    for line in grid.lines:
        row += 1
        values: list[object] = [line.name, line.agency]
        values += line.cells
        values += [line.rate.attended, line.rate.meetings, line.rate.rate]
        sheet.append(values)
        sheet.cell(row=row, column=rate_col).number_format = PERCENT
        for column in range(first_code, last_code + 1):
            sheet.cell(row=row, column=column).alignment = Alignment(horizontal="center")
    last_member = row
    for label, code in (("Present", "P"), ("Apologies", "A"), ("Substitutes", "S")):
        row += 1
        sheet.cell(row=row, column=1, value=f"{label} (per meeting)").font = BOLD
        for column in range(first_code, last_code + 1):
            count = sum(1 for line in grid.lines if line.cells[column - first_code] == code)
            cell = sheet.cell(row=row, column=column, value=count)
            cell.alignment = Alignment(horizontal="center")
    if last_member > header:
        rate_letter = get_column_letter(rate_col)
        _low_rate_rule(
            sheet, f"{rate_letter}{header + 1}:{rate_letter}{last_member}", spec.threshold
        )
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(rate_col)}{last_member}"
    sheet.freeze_panes = sheet.cell(row=header + 1, column=2)
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 34
    for column in range(first_code, rate_col + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 11
    _print_setup(sheet, spec, f"1:{header}")


def iter_attendance_workbook(
    grids: list[GroupGrid], spec: WorkbookSpec, target: Path
) -> Iterator[Progress]:
    """Writes the workbook to ``target``, yielding progress per sheet; abandoned, writes nothing."""
    total = len(grids) + 2
    with atomic_path(Path(target)) as partial:
        book = Workbook()
        summary = book.active
        assert summary is not None
        summary.title = "Summary"
        _summary(summary, spec, grids)
        yield Progress(1, total, "Summary")
        used = {"summary"}
        for done, grid in enumerate(grids, start=2):
            _group_sheet(book.create_sheet(_sheet_title(grid.short_name, used)), spec, grid)
            yield Progress(done, total, grid.group)
        book.properties.title = f"Attendance {spec.period.name}"
        book.properties.creator = spec.organisation
        text_never_formulas(book)
        book.save(partial)
        yield Progress(total, total, "Saved")
