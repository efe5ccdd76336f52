"""Figures for a period: each member's attendance and each agency's representation, as counts
("9 of 12") and, unless the settings hide them, rates ("9 of 12 (75%)"); per group or across
the groups; only attendance confirmed with the minutes if asked; what a reader must know about
them (meetings not fully recorded, each openable); and a chart of agency representation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop import clock
from lscb_desktop.reports.attendance_data import AgencyRate, Figures, MemberRate, counted
from lscb_desktop.services.attendance_figures import attendance_figures
from lscb_desktop.services.groups import group_choices
from lscb_desktop.services.meetings import meeting_periods
from lscb_desktop.services.periods import period_containing
from lscb_desktop.services.settings import load_settings
from lscb_desktop.store import Database
from lscb_desktop.ui.attendance_chart import AgencyChart
from lscb_desktop.ui.documents import attendance_document
from lscb_desktop.ui.table_model import Column, RecordTableModel
from lscb_desktop.ui.tables import make_proxy, make_table

PER_GROUP, ACROSS_GROUPS = "Per group", "Across groups"
Index = QModelIndex | QPersistentModelIndex


def member_columns(percentages: bool) -> list[Column[MemberRate]]:
    return [
        Column("Member", lambda r: r.name, 150, sort=lambda r: r.sort_name.casefold()),
        Column("Group", lambda r: r.group, 150),
        Column("Agency", lambda r: r.agency, 190),
        Column(
            "Attended",
            lambda r: counted(r.attended, r.meetings, percentages=percentages),
            105,
            sort=lambda r: (r.rate if r.rate is not None else -1, r.attended),
        ),
        Column("Apologies", lambda r: r.apologies, 70),
        Column("Sent substitute", lambda r: r.substitutes, 100),
        Column("Absent", lambda r: r.absent, 55),
        Column("Not recorded", lambda r: r.unrecorded, 90),
    ]


def agency_columns(percentages: bool) -> list[Column[AgencyRate]]:
    return [
        Column("Agency", lambda r: r.agency, 250),
        Column("Group", lambda r: r.group, 170),
        Column(
            "Represented",
            lambda r: counted(r.represented, r.meetings, percentages=percentages),
            120,
            sort=lambda r: (r.rate if r.rate is not None else -1, r.represented),
        ),
        Column("Note", lambda r: r.note, 220),
    ]


class CaveatsModel(QAbstractListModel):
    """What a reader of the figures must know, then each meeting not fully recorded (a line
    that opens it)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[tuple[str, int | None]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_figures(self, figures: Figures) -> None:
        lines: list[tuple[str, int | None]] = []
        listed = "; ".join(m.text for m in figures.incomplete)
        for caveat in figures.caveats:
            if not (figures.incomplete and caveat.endswith(f": {listed}.")):
                lines.append((caveat, None))
                continue
            # The meetings not fully recorded one a line, each opening its record.
            lines.append((caveat.removesuffix(f" {listed}."), None))
            lines += [
                (f"      {m.text} — double-click to record it", m.meeting_id)
                for m in figures.incomplete
            ]
        self.beginResetModel()
        self.lines = lines
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.lines)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        text, meeting_id = self.lines[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.UserRole:
            return meeting_id
        if role == Qt.ItemDataRole.FontRole and meeting_id is None:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#6b4e00") if meeting_id is None else QColor("#0b4f8a")
        return None


class FiguresPage(QWidget):
    """A period's figures for a group or all groups; below the threshold is marked in red."""

    #: A meeting to open on the Record page (a caveat's meeting not fully recorded).
    open_meeting = Signal(int)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        settings = load_settings(database)
        self.threshold = settings.attendance_threshold / 100
        self.percentages = settings.show_percentages
        self.figures: Figures | None = None
        self.period = QComboBox(self)
        self.period.setAccessibleName("Annual period")
        self.group = QComboBox(self)
        self.group.setAccessibleName("Group")
        self.scope = QComboBox(self)
        self.scope.setAccessibleName("Per group or across groups")
        self.scope.addItems([PER_GROUP, ACROSS_GROUPS])
        self.confirmed = QCheckBox("&Confirmed meetings only", self)
        self.confirmed.setToolTip(
            "Count only meetings whose attendance is confirmed with the minutes"
        )
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.members_model: RecordTableModel[MemberRate] = RecordTableModel(
            member_columns(self.percentages), self, warn=lambda r: self.below(r.rate)
        )
        self.agencies_model: RecordTableModel[AgencyRate] = RecordTableModel(
            agency_columns(self.percentages), self, warn=lambda r: self.below(r.rate)
        )
        self.members = make_table(self, "attendance/member-rates")
        self.members.setModel(make_proxy(self, self.members_model))
        self.members.setAccessibleName("Members' attendance")
        self.agencies = make_table(self, "attendance/agency-rates")
        self.agencies.setModel(make_proxy(self, self.agencies_model))
        self.agencies.setAccessibleName("Agencies' representation")
        for index, member_column in enumerate(self.members_model.columns):
            self.members.setColumnWidth(index, member_column.width)
        for index, agency_column in enumerate(self.agencies_model.columns):
            self.agencies.setColumnWidth(index, agency_column.width)
        self.chart_view = AgencyChart(self)
        chart_scroll = QScrollArea(self)
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setWidget(self.chart_view)
        chart_scroll.setMinimumWidth(380)
        self.caveats_model = CaveatsModel(self)
        self.caveats = QListView(self)
        self.caveats.setModel(self.caveats_model)
        self.caveats.setWordWrap(True)
        self.caveats.setAccessibleName("Before using these figures")
        self.caveats.setStyleSheet("QListView { background: #fff4d6; border: 1px solid #e0c27a; }")
        # Activated: a double-click (a single click where the style says so), or Enter.
        self.caveats.activated.connect(self._open_caveat)
        self.workbook_button = QPushButton("Save the annual &workbook…", self)
        self.workbook_button.clicked.connect(self.save_workbook)
        self._layout(chart_scroll)
        self.fill_filters()
        for combo in (self.period, self.group, self.scope):
            combo.currentIndexChanged.connect(self.refresh)
        self.confirmed.toggled.connect(self.refresh)
        # The figures are worked out when the page is first shown (see AttendanceTab).

    def _layout(self, chart: QWidget) -> None:
        top = QHBoxLayout()
        for label, widget, stretch in (
            ("&Period", self.period, 0),
            ("&Group", self.group, 1),
            ("&Show", self.scope, 0),
        ):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            top.addWidget(caption)
            top.addWidget(widget, stretch)
        top.addWidget(self.confirmed)
        top.addStretch(1)
        top.addWidget(self.workbook_button)
        self.caveats_box = QFrame(self)
        box = QVBoxLayout(self.caveats_box)
        box.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("<b>Before using these figures</b>", self.caveats_box)
        box.addWidget(heading)
        box.addWidget(self.caveats)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("attendance/figures-splitter")
        tables = QSplitter(Qt.Orientation.Vertical, splitter)
        tables.addWidget(self.members)
        tables.addWidget(self.agencies)
        splitter.addWidget(tables)
        splitter.addWidget(chart)
        splitter.setSizes([880, 440])
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.caveats_box)
        layout.addWidget(splitter, 1)

    @property
    def chart(self) -> Any:
        """The chart shown now (a new one after each change of the filters)."""
        return self.chart_view.chart()

    def below(self, rate: float | None) -> bool:
        """A rate under the attendance threshold (from the settings)."""
        return rate is not None and rate < self.threshold

    def fill_filters(self) -> None:
        """The periods and groups as they are now, keeping the choices made (period, group, per
        group or across, confirmed only); the settings' threshold and percentages."""
        settings = load_settings(self.database)
        self.threshold = settings.attendance_threshold / 100
        if settings.show_percentages != self.percentages:
            self.percentages = settings.show_percentages
            self.members_model.set_columns(member_columns(self.percentages))
            self.agencies_model.set_columns(agency_columns(self.percentages))
        current_group = self.group.currentData()
        current_period = self.period.currentData() or period_containing(
            clock.today(), settings.annual_period_start_month
        )
        for combo in (self.period, self.group):
            combo.blockSignals(True)
            combo.clear()
        for each in meeting_periods(self.database):
            self.period.addItem(each.name, each)
        # Periods are matched by name: a combo finds Python objects by identity, not equality.
        self.period.setCurrentIndex(max(0, self.period.findText(current_period.name)))
        self.group.addItem("All groups", None)
        for choice in group_choices(self.database):
            self.group.addItem(choice.text, choice.id)
        self.group.setCurrentIndex(max(0, self.group.findData(current_group)))
        for combo in (self.period, self.group):
            combo.blockSignals(False)

    def across(self) -> bool:
        """Figures across the groups: chosen, or the same thing when one group is chosen."""
        return self.group.currentData() is not None or self.scope.currentText() == ACROSS_GROUPS

    def refresh(self) -> None:
        period = self.period.currentData()
        if period is None:
            return
        group_id = self.group.currentData()
        one_group = group_id is not None
        self.scope.setEnabled(not one_group)
        self.scope.setToolTip(
            "With one group chosen, its figures per group and across groups are the same"
            if one_group
            else "Per group: a line per member (or agency) and group; across groups: a line "
            "per member (or agency) over all the groups"
        )
        figures = attendance_figures(
            self.database, period, group_id, confirmed_only=self.confirmed.isChecked()
        )
        self.figures = figures
        across = self.across()
        members = figures.member_totals if across else figures.members
        agencies = figures.agency_totals if across else figures.agencies
        self.members_model.set_rows(members)
        self.agencies_model.set_rows(agencies)
        self._summarise(figures, members, agencies)
        self.caveats_model.set_figures(figures)
        self.caveats_box.setVisible(bool(figures.caveats))
        self._fit_caveats()
        where = figures.group if one_group else "across all groups"
        title = f"Agency representation, {where}"
        if not self.percentages:
            title += " (meetings)"
        # The chart needs one bar per agency: across the groups when all are shown.
        self.chart_view.draw(figures.agency_totals, title, percentages=self.percentages)

    def _summarise(
        self, figures: Figures, members: list[MemberRate], agencies: list[AgencyRate]
    ) -> None:
        period = figures.period
        low_members = sum(1 for r in members if self.below(r.rate))
        low_agencies = sum(1 for r in agencies if self.below(r.rate))
        meetings = "confirmed meetings" if figures.confirmed_only else "meetings"
        threshold = f"{self.threshold:.0%}" if self.percentages else "the threshold"
        self.summary.setText(
            f"{figures.held} {meetings} held in {period.name} ({period.start:%d/%m/%Y} to "
            f"{period.end:%d/%m/%Y}); below {threshold}: {low_members} member(s), "
            f"{low_agencies} agenc{'y' if low_agencies == 1 else 'ies'}"
        )

    def _fit_caveats(self) -> None:
        """As tall as its lines, up to six of them (then it scrolls)."""
        rows = min(self.caveats_model.rowCount(), 6)
        height = sum(max(self.caveats.sizeHintForRow(i), 0) for i in range(rows))
        self.caveats.setFixedHeight(height + 2 * self.caveats.frameWidth() + 4)

    def _open_caveat(self, index: QModelIndex) -> None:
        meeting_id = index.data(Qt.ItemDataRole.UserRole)
        if meeting_id is not None:
            self.open_meeting.emit(int(meeting_id))

    def save_workbook(self) -> None:
        period = self.period.currentData()
        if period is not None:
            attendance_document(
                self,
                self.database,
                period,
                self.group.currentData(),
                self.group.currentText(),
                confirmed_only=self.confirmed.isChecked(),
            )
