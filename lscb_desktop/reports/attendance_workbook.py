"""The annual attendance workbook for the annual report: a summary by agency and group with a
chart, the members across the groups, and a sheet per group with a code per member per meeting.

Counts are always shown (attended or represented, and expected, as numbers). Rates, when the
settings show percentages, are numbers formatted as percentages (so they sum and sort in Excel),
with rates below the threshold highlighted by conditional formatting (so they stay right when a
cell is edited). The summary says which meetings are not fully recorded or not confirmed with the
minutes, in the words the Attendance tab uses. Every sheet prints landscape, one page wide, with
its title rows repeated.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lscb_desktop.files import atomic_path
from lscb_desktop.periods import Period
from lscb_desktop.progress import Progress
from lscb_desktop.reports.attendance_data import (
    ALL_GROUPS,
    AgencyRate,
    Figures,
    GroupGrid,
    MemberRate,
)
from lscb_desktop.reports.workbook_text import text_never_formulas

PERCENT = "0%"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
NOTE_FONT = Font(bold=True, color="8A1C14")
HEADER_FILL = PatternFill("solid", fgColor="E8ECF3")
LOW_FILL = PatternFill("solid", fgColor="FDE2E1")
LOW_FONT = Font(color="8A1C14")
WRAP = Alignment(wrap_text=True, vertical="top")
CONFIRMED_ONLY = "Only attendance confirmed with the minutes is counted."
ALL_SOUND = "Every meeting counted is fully recorded and confirmed with the minutes."
LEGEND = (
    "Codes: P present in person · A apologies sent · S substitute sent (counts for the agency, "
    "not for the member) · X absent without apologies · – nothing recorded (counts as not "
    "attended) · blank: not a member (for that agency) on that date."
)
MEMBERS_SHEET = "Members"


@dataclass(frozen=True)
class WorkbookSpec:
    period: Period
    organisation: str
    marking: str
    threshold: float  # 0.75
    made: dt.date
    #: Rates beside the counts (the settings' "show percentages"); without them, counts only.
    percentages: bool = True
    #: Only meetings whose attendance is confirmed with the minutes are in the grids.
    confirmed_only: bool = False
    #: With ``confirmed_only``: the held meetings left out because they are not confirmed.
    left_out: int = 0


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


def _text_row(
    sheet: Worksheet, row: int, text: str, widths: list[float], *, font: Font | None = None
) -> None:
    """A sentence across the table's columns, wrapped, its row tall enough to show it all."""
    cell = sheet.cell(row=row, column=1, value=text)
    cell.alignment = WRAP
    if font is not None:
        cell.font = font
    if len(widths) > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    lines = math.ceil(len(text) / max(1.0, sum(widths) * 1.1))
    sheet.row_dimensions[row].height = 15 * max(1, lines)


def _header_row(sheet: Worksheet, row: int, values: Sequence[object]) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP


def _widths(sheet: Worksheet, widths: list[float]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def caveats(grids: list[GroupGrid], spec: WorkbookSpec) -> list[str]:
    """What a reader must know, in the words of :attr:`Figures.caveats` (as the Attendance tab
    gives them), with "Only attendance confirmed…" whenever only confirmed meetings count."""
    held = sum(len(grid.meetings) for grid in grids)
    unconfirmed = (
        spec.left_out
        if spec.confirmed_only
        else sum(1 for grid in grids for done in (grid.confirmed or []) if not done)
    )
    figures = Figures(
        period=spec.period,
        group=ALL_GROUPS,
        held=held,
        members=[],
        agencies=[],
        member_totals=[],
        agency_totals=[],
        incomplete=[m for grid in grids for m in (grid.incomplete or [])],
        unconfirmed=unconfirmed,
        confirmed_only=spec.confirmed_only,
    )
    notes = figures.caveats
    if spec.confirmed_only and not any(CONFIRMED_ONLY[:-1] in note for note in notes):
        notes.insert(0, CONFIRMED_ONLY)
    return notes


def agency_totals(grids: list[GroupGrid]) -> list[AgencyRate]:
    """Each agency across the groups: meetings held at which it had a member, and represented.
    Agencies with no member in any group during the period come last, with the groups' note."""
    totals: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    notes: dict[int, str] = {}
    for grid in grids:
        for rate in grid.agencies:
            counts = totals.setdefault(rate.agency_id, [0, 0])
            counts[0] += rate.meetings
            counts[1] += rate.represented
            names[rate.agency_id] = rate.agency
            if rate.note:
                notes.setdefault(rate.agency_id, rate.note)
    rows = [
        AgencyRate(agency_id, names[agency_id], ALL_GROUPS, held, represented)
        if held
        else AgencyRate(agency_id, names[agency_id], ALL_GROUPS, 0, 0, notes.get(agency_id, ""))
        for agency_id, (held, represented) in totals.items()
    ]
    return sorted(rows, key=lambda r: (r.meetings == 0, r.agency.casefold()))


def member_totals(grids: list[GroupGrid]) -> list[MemberRate]:
    """Each member across the groups, a line per agency represented: the sums of their lines on
    the group sheets (so the same as the Attendance tab's totals for all groups); ``group``
    names the groups by their short names."""
    totals: dict[tuple[int, int | None], list[tuple[str, MemberRate]]] = {}
    for grid in grids:
        for line in grid.lines:
            key = (line.rate.person_id, line.rate.agency_id)
            totals.setdefault(key, []).append((grid.short_name, line.rate))
    rows = []
    for each in totals.values():
        first = each[0][1]
        rates = [rate for _, rate in each]
        rows.append(
            MemberRate(
                person_id=first.person_id,
                name=first.name,
                sort_name=first.sort_name,
                agency=first.agency,
                group=", ".join(short for short, _ in each),
                meetings=sum(rate.meetings for rate in rates),
                attended=sum(rate.attended for rate in rates),
                apologies=sum(rate.apologies for rate in rates),
                substitutes=sum(rate.substitutes for rate in rates),
                agency_id=first.agency_id,
                absent=sum(rate.absent for rate in rates),
                unrecorded=sum(rate.unrecorded for rate in rates),
            )
        )
    return sorted(rows, key=lambda r: (r.sort_name.casefold(), r.agency.casefold()))


def _rate_cell(sheet: Worksheet, row: int, column: int, rate: AgencyRate | MemberRate) -> None:
    note = getattr(rate, "note", "")
    cell = sheet.cell(row=row, column=column, value=note or rate.rate)
    if not note:
        cell.number_format = PERCENT


def _summary(sheet: Worksheet, spec: WorkbookSpec, grids: list[GroupGrid]) -> None:
    _heading(sheet, spec, f"{spec.organisation}: attendance summary")
    widths = [44.0, 34.0, 13.0, 13.0, 12.0]
    rate_words = " Rate = Represented ÷ Expected." if spec.percentages else ""
    low = f" Rates below {spec.threshold:.0%} are highlighted." if spec.percentages else ""
    _text_row(
        sheet,
        3,
        "Represented: meetings at which the agency was represented (by a member or a "
        "substitute). Expected: meetings held at which it had a member (the agency recorded with "
        "each attendance, as it was on the day)."
        f"{rate_words} Cancelled meetings, and the business unit, advisers and others who do not "
        f"count towards a quorum, are not counted.{low}",
        widths,
    )
    row = 3
    for note in caveats(grids, spec):
        row += 1
        _text_row(sheet, row, note, widths, font=NOTE_FONT)
    if row == 3:
        row += 1
        _text_row(sheet, row, ALL_SOUND, widths)
    header = row + 2
    last_title = "Rate" if spec.percentages else "Note"
    _header_row(sheet, header, ["Agency", "Group", "Represented", "Expected", last_title])
    row = header
    totals = agency_totals(grids)
    chart_last = header
    for rate in totals:
        row += 1
        sheet.append([rate.agency, ALL_GROUPS, rate.represented, rate.meetings])
        chart_last = row if rate.meetings else chart_last
        if spec.percentages or rate.note:
            _rate_cell(sheet, row, 5, rate)
    for grid in grids:
        for rate in grid.agencies:
            row += 1
            sheet.append([rate.agency, grid.group, rate.represented, rate.meetings])
            if spec.percentages or rate.note:
                _rate_cell(sheet, row, 5, rate)
    if row > header:
        if spec.percentages:
            _low_rate_rule(sheet, f"E{header + 1}:E{row}", spec.threshold)
        sheet.auto_filter.ref = f"A{header}:E{row}"
    sheet.freeze_panes = sheet.cell(row=header + 1, column=2)
    _widths(sheet, widths)
    if chart_last > header:
        _chart(sheet, spec, header, chart_last)
    _print_setup(sheet, spec, f"1:{header}")


def _chart(sheet: Worksheet, spec: WorkbookSpec, header: int, last: int) -> None:
    """The agencies' representation across the groups: rates, or the counts without them."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"Agency representation, {spec.period.name}"
    if spec.percentages:
        chart.y_axis.title = "Rate"
        chart.y_axis.number_format = PERCENT
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.legend = None
        data = Reference(sheet, min_col=5, min_row=header, max_row=last)
    else:
        chart.y_axis.title = "Meetings"
        chart.y_axis.scaling.min = 0
        data = Reference(sheet, min_col=3, max_col=4, min_row=header, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
    chart.height = max(8, 0.6 * (last - header))
    chart.width = 18
    sheet.add_chart(chart, f"G{header}")


def _members(sheet: Worksheet, spec: WorkbookSpec, grids: list[GroupGrid]) -> None:
    _heading(sheet, spec, f"{spec.organisation}: members' attendance across the groups")
    columns = ["Member", "Agency", "Groups", "Attended", "Apologies", "Substitute sent"]
    columns += ["Absent", "Not recorded", "Expected"]
    columns += ["Rate"] if spec.percentages else []
    widths = [26.0, 34.0, 22.0] + [11.0] * (len(columns) - 3)
    rate_words = " Rate = Attended ÷ Expected." if spec.percentages else ""
    notes = [CONFIRMED_ONLY] if spec.confirmed_only else []
    _text_row(
        sheet,
        3,
        " ".join(
            [
                *notes,
                "Attended: meetings attended in person. Expected: meetings of their groups held "
                "while a member, a line for each agency they represented. Apologies and "
                f"substitutes are shown but are not attendance.{rate_words}",
            ]
        ),
        widths,
    )
    header = 5
    _header_row(sheet, header, columns)
    row = header
    for rate in member_totals(grids):
        row += 1
        sheet.append(
            [
                rate.name,
                rate.agency,
                rate.group,
                rate.attended,
                rate.apologies,
                rate.substitutes,
                rate.absent,
                rate.unrecorded,
                rate.meetings,
            ]
        )
        if spec.percentages:
            _rate_cell(sheet, row, len(columns), rate)
    last = get_column_letter(len(columns))
    if row > header:
        if spec.percentages:
            _low_rate_rule(sheet, f"{last}{header + 1}:{last}{row}", spec.threshold)
        sheet.auto_filter.ref = f"A{header}:{last}{row}"
    sheet.freeze_panes = sheet.cell(row=header + 1, column=2)
    _widths(sheet, widths)
    _print_setup(sheet, spec, f"1:{header}")


def _group_notes(grid: GroupGrid, spec: WorkbookSpec) -> str:
    """The group's own caveats (the meetings left out unconfirmed are counted on the summary)."""
    return " ".join(caveats([grid], replace(spec, left_out=0)))


def _group_sheet(sheet: Worksheet, spec: WorkbookSpec, grid: GroupGrid) -> None:
    _heading(sheet, spec, f"{grid.group}: attendance")
    dates = [f"{when:%d/%m/%Y}" for when in grid.meetings]
    columns = ["Member", "Agency", *dates, "Attended", "Expected"]
    columns += ["Rate"] if spec.percentages else []
    widths = [26.0, 34.0] + [11.0] * (len(columns) - 2)
    rate_words = " Rate = Attended ÷ Expected." if spec.percentages else ""
    _text_row(
        sheet,
        3,
        f"{LEGEND} Attended: meetings attended in person. Expected: meetings held while a "
        f"member.{rate_words}",
        widths,
    )
    notes = _group_notes(grid, spec)
    if notes:
        _text_row(sheet, 4, notes, widths, font=NOTE_FONT)
    header = 5
    _header_row(sheet, header, columns)
    first_code = 3
    last_code = first_code + len(dates) - 1
    row = header
    for line in grid.lines:
        row += 1
        sheet.append([line.name, line.agency, *line.cells, line.rate.attended, line.rate.meetings])
        if spec.percentages:
            _rate_cell(sheet, row, len(columns), line.rate)
        for column in range(first_code, last_code + 1):
            sheet.cell(row=row, column=column).alignment = Alignment(horizontal="center")
    last_member = row
    for label, code in (
        ("Present", "P"),
        ("Apologies", "A"),
        ("Substitutes", "S"),
        ("Absent", "X"),
        ("Not recorded", "–"),
    ):
        row += 1
        sheet.cell(row=row, column=1, value=f"{label} (per meeting)").font = BOLD
        for column in range(first_code, last_code + 1):
            count = sum(1 for line in grid.lines if line.cells[column - first_code] == code)
            cell = sheet.cell(row=row, column=column, value=count)
            cell.alignment = Alignment(horizontal="center")
    if grid.confirmed is not None:
        row += 1
        sheet.cell(row=row, column=1, value="Confirmed with the minutes").font = BOLD
        for column, done in enumerate(grid.confirmed, start=first_code):
            cell = sheet.cell(row=row, column=column, value="Yes" if done else "No")
            cell.alignment = Alignment(horizontal="center")
    last = get_column_letter(len(columns))
    if last_member > header:
        if spec.percentages:
            _low_rate_rule(sheet, f"{last}{header + 1}:{last}{last_member}", spec.threshold)
        sheet.auto_filter.ref = f"A{header}:{last}{last_member}"
    sheet.freeze_panes = sheet.cell(row=header + 1, column=2)
    _widths(sheet, widths)
    _print_setup(sheet, spec, f"1:{header}")


def iter_attendance_workbook(
    grids: list[GroupGrid], spec: WorkbookSpec, target: Path
) -> Iterator[Progress]:
    """Writes the workbook to ``target``, yielding progress per sheet; abandoned, writes nothing."""
    total = len(grids) + 3
    with atomic_path(Path(target)) as partial:
        book = Workbook()
        summary = book.active
        assert summary is not None
        summary.title = "Summary"
        _summary(summary, spec, grids)
        yield Progress(1, total, "Summary")
        _members(book.create_sheet(MEMBERS_SHEET), spec, grids)
        yield Progress(2, total, MEMBERS_SHEET)
        used = {"summary", MEMBERS_SHEET.casefold()}
        for done, grid in enumerate(grids, start=3):
            _group_sheet(book.create_sheet(_sheet_title(grid.short_name, used)), spec, grid)
            yield Progress(done, total, grid.group)
        book.properties.title = f"Attendance {spec.period.name}"
        book.properties.creator = spec.organisation
        text_never_formulas(book)
        book.save(partial)
        yield Progress(total, total, "Saved")
