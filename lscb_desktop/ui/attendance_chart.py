"""The chart of agency representation beside the figures: rates (0–100%), or counts of meetings
represented and not when the settings hide percentages.

Each drawing is a new QChart handed to the view, and the one before is deleted: a chart whose
series and axes are removed and replaced in place can keep the old axis' labels on screen, drawn
over the new ones. Labels are the agencies' full names (the axis elides what does not fit), and
never two the same: a category axis takes each label once, so two agencies whose shortened names
matched would leave a bar without its label and the labels out of step with the bars."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from lscb_desktop.reports.attendance_data import AgencyRate

#: Height per bar, so that every agency's name can be read however many there are.
BAR_HEIGHT = 26
REPRESENTED = QColor("#1f77b4")
NOT_REPRESENTED = QColor("#d9d9d9")


def unique_labels(names: Sequence[str]) -> list[str]:
    """The names, a number added to any that repeats ("NSPCC", "NSPCC (2)")."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        count = seen.get(name, 0) + 1
        seen[name] = count
        labels.append(name if count == 1 else f"{name} ({count})")
    return labels


def chart_rows(rows: Sequence[AgencyRate]) -> list[AgencyRate]:
    """The agencies to chart, lowest rate at the bottom (as a horizontal chart draws them)."""
    counted = [r for r in rows if r.meetings]
    return sorted(counted, key=lambda r: ((r.rate or 0), r.represented, r.agency.casefold()))


def build_chart(rows: Sequence[AgencyRate], title: str, *, percentages: bool) -> QChart:
    """A new chart of ``rows``: rates, or represented and not represented as counts."""
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    rows = chart_rows(rows)
    if not rows:
        chart.legend().hide()
        return chart
    names = QBarCategoryAxis()
    names.append(unique_labels([r.agency for r in rows]))
    values = QValueAxis()
    if percentages:
        series: QHorizontalBarSeries | QHorizontalStackedBarSeries = QHorizontalBarSeries()
        bars = QBarSet("Representation")
        bars.setColor(REPRESENTED)
        for row in rows:
            bars.append(round((row.rate or 0) * 100))
        series.append(bars)
        values.setRange(0, 100)
        values.setLabelFormat("%d%%")
        chart.legend().hide()
    else:
        series = QHorizontalStackedBarSeries()
        there, away = QBarSet("Represented"), QBarSet("Not represented")
        there.setColor(REPRESENTED)
        away.setColor(NOT_REPRESENTED)
        for row in rows:
            there.append(row.represented)
            away.append(row.meetings - row.represented)
        series.append(there)
        series.append(away)
        most = max(r.meetings for r in rows)
        values.setRange(0, most)
        values.setTickCount(min(most, 10) + 1)
        values.setLabelFormat("%d")
        values.setTitleText("Meetings")
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
    chart.addSeries(series)
    chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
    # Along the top: a long chart scrolls, and its scale is in view from the start.
    chart.addAxis(values, Qt.AlignmentFlag.AlignTop)
    series.attachAxis(names)
    series.attachAxis(values)
    return chart


class AgencyChart(QChartView):
    """The chart view; :meth:`draw` replaces its chart with a new one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chart = QChart()  # referenced here as well as by the view, as each new one is
        self.setChart(self._chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumWidth(360)

    def draw(self, rows: Sequence[AgencyRate], title: str, *, percentages: bool) -> None:
        old = self.chart()
        new = build_chart(rows, title, percentages=percentages)
        self.setChart(new)
        self._chart = new
        if old is not None:
            old.deleteLater()  # the view gives up the old chart; nothing else holds it
        shown = len(chart_rows(rows))
        self.setMinimumHeight(max(240, 110 + BAR_HEIGHT * shown))
