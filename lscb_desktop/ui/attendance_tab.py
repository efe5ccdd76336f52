"""The Attendance tab: record who came to a meeting (quickly, from the keyboard), with a live
quorum; and the year's attendance and representation rates with a chart."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop import clock
from lscb_desktop.models import AttendanceStatus, MeetingStatus
from lscb_desktop.reports.attendance_data import AgencyRate, MemberRate
from lscb_desktop.services.attendance import AttendeeRow, GuestRow, MeetingSheet, meeting_sheet
from lscb_desktop.services.attendance_figures import attendance_figures
from lscb_desktop.services.attendance_recording import mark_all_present, record_attendance
from lscb_desktop.services.groups import group_choices
from lscb_desktop.services.guests import add_guest, remove_guest
from lscb_desktop.services.history import Subject, attendance_id, subject
from lscb_desktop.services.meetings import MeetingRow, meeting_periods, meeting_rows
from lscb_desktop.services.people import person_choices
from lscb_desktop.services.periods import Period, period_containing
from lscb_desktop.services.settings import load_settings
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import Database
from lscb_desktop.ui.conflict_dialog import one_click
from lscb_desktop.ui.documents import attendance_document
from lscb_desktop.ui.table_model import Column, RecordTableModel
from lscb_desktop.ui.tables import make_proxy, make_table, selected

KEYS = {
    Qt.Key.Key_P: AttendanceStatus.PRESENT,
    Qt.Key.Key_A: AttendanceStatus.APOLOGIES,
    Qt.Key.Key_S: AttendanceStatus.SUBSTITUTE,
    Qt.Key.Key_X: AttendanceStatus.ABSENT,
}

ATTENDEE_COLUMNS: list[Column[AttendeeRow]] = [
    Column("Name", lambda r: r.name, 180, sort=lambda r: r.sort_name.casefold()),
    Column("Agency", lambda r: r.agency, 260),
    Column("Role", lambda r: r.role, 110),
    Column("Attendance", lambda r: r.status.label if r.status else "—", 100),
    Column("Attended for them", lambda r: r.substitute, 200),
    Column("Designated substitute", lambda r: r.designated_substitute, 170),
]
GUEST_COLUMNS: list[Column[GuestRow]] = [
    Column("Guest", lambda r: r.name, 200),
    Column("Organisation", lambda r: r.organisation, 240),
]


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def meeting_label(row: MeetingRow) -> str:
    return f"{row.starts_at:%a %d/%m/%Y %H:%M} — {row.group} ({row.status.label.lower()})"


class RecordPage(QWidget):
    """One meeting's attendance."""

    status = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.sheet: MeetingSheet | None = None
        self.group = QComboBox(self)
        self.group.setAccessibleName("Group")
        self.meeting = QComboBox(self)
        self.meeting.setAccessibleName("Meeting")
        self.meeting.setMinimumWidth(420)
        self.group.currentIndexChanged.connect(self._fill_meetings)
        self.older = QCheckBox("&Older meetings too", self)
        self.older.setToolTip("Otherwise the list starts with last year's meetings")
        self.older.toggled.connect(self._fill_meetings)
        self.meeting.currentIndexChanged.connect(self.refresh)
        self.quorum = self._quorum_label()
        self.note = QLabel(self)

        self.model: RecordTableModel[AttendeeRow] = RecordTableModel(
            ATTENDEE_COLUMNS, self, caution=lambda r: r.status is None
        )
        self.table = make_table(self, "attendance/attendees")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.setAccessibleName("Expected attendees")
        self.table.setToolTip("P present, A apologies, S substitute, X absent, Delete to clear")
        for index, column in enumerate(ATTENDEE_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        for key, status in KEYS.items():
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda s=status: self.mark(s))
        clear = QShortcut(QKeySequence(Qt.Key.Key_Backspace), self.table)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(lambda: self.mark(None))

        self.guest_model: RecordTableModel[GuestRow] = RecordTableModel(GUEST_COLUMNS, self)
        self.guests = make_table(self, "attendance/guests")
        self.guests.setModel(self.guest_model)
        self.guests.setAccessibleName("Guests")
        self.guests.setMaximumHeight(150)

        buttons, guest_buttons = self._buttons()
        top = QHBoxLayout()
        top.addWidget(self.group)
        top.addWidget(self.meeting, 1)
        top.addWidget(self.older)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.quorum)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(guest_buttons)
        layout.addWidget(self.guests)
        self.fill_groups()

    def _quorum_label(self) -> QLabel:
        label = QLabel(self)
        label.setObjectName("quorum")
        label.setAccessibleName("Quorum")
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        label.setFont(font)
        return label

    def _buttons(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        buttons = QHBoxLayout()
        self.buttons = []
        for text, slot in (
            ("&Present (P)", lambda: self.mark(AttendanceStatus.PRESENT)),
            ("A&pologies (A)", lambda: self.mark(AttendanceStatus.APOLOGIES)),
            ("&Substitute… (S)", lambda: self.mark(AttendanceStatus.SUBSTITUTE)),
            ("Absen&t (X)", lambda: self.mark(AttendanceStatus.ABSENT)),
            ("&Clear", lambda: self.mark(None)),
            ("All p&resent", self.all_present),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons.append(button)
        buttons.addStretch(1)
        guest_buttons = QHBoxLayout()
        guest_buttons.addWidget(QLabel("<b>Guests</b>"))
        guest_buttons.addStretch(1)
        for text, slot in (("Add &guest…", self.new_guest), ("Remove guest", self.drop_guest)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            guest_buttons.addWidget(button)
            self.buttons.append(button)

        return buttons, guest_buttons

    # -- choosing a meeting -------------------------------------------------------------------

    def fill_groups(self) -> None:
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("All groups", None)
        for choice in group_choices(self.database):
            self.group.addItem(choice.text, choice.id)
        self.group.setCurrentIndex(max(0, self.group.findData(current)))
        self.group.blockSignals(False)
        self._fill_meetings()

    def _fill_meetings(self) -> None:
        current = self.meeting.currentData()
        today = clock.today()
        since = None
        if not self.older.isChecked():
            # Last annual period onwards: what is being recorded, or planned.
            start_month = load_settings(self.database).annual_period_start_month
            this_year = period_containing(today, start_month)
            last_year = this_year.start.replace(year=this_year.start.year - 1)
            since = Period(last_year, dt.date(9998, 12, 31))
        rows = sorted(
            meeting_rows(
                self.database, group_id=self.group.currentData(), period=since, today=today
            ),
            key=lambda r: r.starts_at,
            reverse=True,
        )
        self.meeting.blockSignals(True)
        self.meeting.clear()
        for row in rows:
            self.meeting.addItem(meeting_label(row), row.id)
        index = self.meeting.findData(current)
        if index < 0:
            # The latest meeting that has happened: the one most likely being recorded.
            index = next((i for i, r in enumerate(rows) if r.date <= today), 0)
        self.meeting.setCurrentIndex(index)
        self.meeting.blockSignals(False)
        self.refresh()

    def select_meeting(self, meeting_id: int) -> None:
        self.group.setCurrentIndex(0)
        index = self.meeting.findData(meeting_id)
        if index < 0 and not self.older.isChecked():
            self.older.setChecked(True)
            index = self.meeting.findData(meeting_id)
        if index >= 0:
            self.meeting.setCurrentIndex(index)

    # -- showing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        meeting_id = self.meeting.currentData()
        row = self.table.currentIndex().row()
        self.sheet = meeting_sheet(self.database, meeting_id) if meeting_id else None
        for button in self.buttons:
            button.setEnabled(self.sheet is not None)
        if self.sheet is None:
            self.model.set_rows([])
            self.guest_model.set_rows([])
            self.quorum.setText("No meetings yet.")
            return
        self.model.set_rows(self.sheet.attendees)
        self.guest_model.set_rows(self.sheet.guests)
        quorum = self.sheet.quorum
        colour = {True: "#1b5e20", False: "#8a1c14", None: "#333333"}[quorum.quorate]
        self.quorum.setText(f"<span style='color:{colour}'>{quorum.text}</span>")
        recorded = sum(r.status is not None for r in self.sheet.attendees)
        note = f"{recorded} of {len(self.sheet.attendees)} recorded."
        if self.sheet.status is MeetingStatus.CANCELLED:
            note = "This meeting was cancelled: its attendance counts for no rate. " + note
        elif self.sheet.status is MeetingStatus.PLANNED:
            note = "This meeting is still planned: rates count it once it is marked held. " + note
        self.note.setText(note + "  Keys: P present, A apologies, S substitute, X absent.")
        if self.sheet.attendees and self.current_attendee() is None:
            # The table keeps the selected person across a refresh; else the same line as before.
            self.table.selectRow(max(0, min(row, len(self.sheet.attendees) - 1)))

    def current_attendee(self) -> AttendeeRow | None:
        return selected(self.table, AttendeeRow)

    def selected_record(self) -> Subject | None:
        guest = selected(self.guests, GuestRow)
        if guest is not None and self.guests.hasFocus():
            return subject(f"Guest: {guest.name}", ("guest", guest.id))
        meeting_id = self.meeting.currentData()
        if meeting_id is None:
            return None
        title = self.meeting.currentText()
        attendee = self.current_attendee()
        if attendee is not None:
            found = attendance_id(self.database, meeting_id, attendee.person_id)
            if found is not None:
                return subject(f"{attendee.name} at {title}", ("attendance", found))
        return subject(title, ("meeting", meeting_id))

    # -- recording ----------------------------------------------------------------------------

    def _ask_substitute(self, row: AttendeeRow) -> tuple[int | None, str] | None:
        people = person_choices(self.database)
        names = [choice.text for choice in people]
        first = []
        if row.designated_substitute_id is not None:
            first = [c.text for c in people if c.id == row.designated_substitute_id]
        options = first + [n for n in names if n not in first]
        text, ok = QInputDialog.getItem(
            self,
            "Substitute",
            f"Who attended for {row.name}? Pick a person or type a name:",
            options,
            0,
            True,
        )
        if not ok or not text.strip():
            return None
        chosen = next((c.id for c in people if c.text == text), None)
        return chosen, "" if chosen else text.strip()

    def mark(self, status: AttendanceStatus | None) -> None:
        row = self.current_attendee()
        if row is None or self.sheet is None:
            return
        substitute_id, substitute_name = None, ""
        if status is AttendanceStatus.SUBSTITUTE:
            answer = self._ask_substitute(row)
            if answer is None:
                return
            substitute_id, substitute_name = answer
        try:
            record_attendance(
                self.database,
                self.sheet.meeting_id,
                row.person_id,
                status,
                substitute_id=substitute_id,
                substitute_name=substitute_name,
            )
        except InvalidInput as exc:
            QMessageBox.warning(self, "Attendance", "\n".join(exc.problems.values()))
            return
        current = self.table.currentIndex().row()
        self.refresh()
        # On to the next person, for quick entry down the list.
        self.table.selectRow(min(current + 1, self.model.rowCount() - 1))
        self.status.emit(f"{row.name}: {status.label if status else 'cleared'}")

    def all_present(self) -> None:
        if self.sheet is None:
            return
        count = mark_all_present(self.database, self.sheet.meeting_id)
        self.refresh()
        self.status.emit(f"Marked {count} present")

    def new_guest(self) -> None:
        if self.sheet is None:
            return
        text, ok = QInputDialog.getText(
            self,
            "Add guest",
            "Guest's name, and organisation after a comma:",
            QLineEdit.EchoMode.Normal,
        )
        if not ok:
            return
        name, _, organisation = text.partition(",")
        try:
            add_guest(self.database, self.sheet.meeting_id, name, organisation)
        except InvalidInput as exc:
            QMessageBox.warning(self, "Add guest", "\n".join(exc.problems.values()))
            return
        self.refresh()

    def drop_guest(self) -> None:
        guest = selected(self.guests, GuestRow)
        remove = guest and partial(remove_guest, self.database, guest.id, version=guest.version)
        if remove and one_click(self, "Remove guest", remove):
            self.refresh()


MEMBER_RATE_COLUMNS: list[Column[MemberRate]] = [
    Column("Member", lambda r: r.name, 180, sort=lambda r: r.sort_name.casefold()),
    Column("Group", lambda r: r.group, 200),
    Column("Agency", lambda r: r.agency, 230),
    Column("Meetings", lambda r: r.meetings, 70),
    Column("Attended", lambda r: r.attended, 70),
    Column("Apologies", lambda r: r.apologies, 75),
    Column("Sent substitute", lambda r: r.substitutes, 100),
    Column("Rate", lambda r: percent(r.rate), 60, sort=lambda r: r.rate or 0),
]
AGENCY_RATE_COLUMNS: list[Column[AgencyRate]] = [
    Column("Agency", lambda r: r.agency, 260),
    Column("Group", lambda r: r.group, 200),
    Column("Meetings held", lambda r: r.meetings, 95),
    Column("Represented", lambda r: r.represented, 90),
    Column("Rate", lambda r: percent(r.rate), 60, sort=lambda r: r.rate or 0),
]


class FiguresPage(QWidget):
    """A period's rates for a group or all groups; below the threshold is marked in red."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.threshold = load_settings(database).attendance_threshold / 100
        self.period = QComboBox(self)
        self.period.setAccessibleName("Annual period")
        self.group = QComboBox(self)
        self.group.setAccessibleName("Group")
        self.summary = QLabel(self)
        self.members_model: RecordTableModel[MemberRate] = RecordTableModel(
            MEMBER_RATE_COLUMNS, self, warn=lambda r: self.below(r.rate)
        )
        self.agencies_model: RecordTableModel[AgencyRate] = RecordTableModel(
            AGENCY_RATE_COLUMNS, self, warn=lambda r: self.below(r.rate)
        )
        self.members = make_table(self, "attendance/member-rates")
        self.members.setModel(make_proxy(self, self.members_model))
        self.members.setAccessibleName("Members' attendance rates")
        self.agencies = make_table(self, "attendance/agency-rates")
        self.agencies.setModel(make_proxy(self, self.agencies_model))
        self.agencies.setAccessibleName("Agencies' representation rates")
        for index, member_column in enumerate(MEMBER_RATE_COLUMNS):
            self.members.setColumnWidth(index, member_column.width)
        for index, agency_column in enumerate(AGENCY_RATE_COLUMNS):
            self.agencies.setColumnWidth(index, agency_column.width)
        self.chart = QChart()
        self.chart.setTitle("Agency representation")
        self.chart.legend().hide()
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumWidth(360)

        top = QHBoxLayout()
        top.addWidget(QLabel("Period"))
        top.addWidget(self.period)
        top.addWidget(QLabel("Group"))
        top.addWidget(self.group, 1)
        top.addWidget(self.summary, 2)
        self.workbook_button = QPushButton("Save the annual &workbook…", self)
        self.workbook_button.clicked.connect(self.save_workbook)
        top.addWidget(self.workbook_button)
        right = QSplitter(Qt.Orientation.Horizontal, self)
        right.setObjectName("attendance/figures-splitter")
        tables = QSplitter(Qt.Orientation.Vertical, right)
        tables.addWidget(self.members)
        tables.addWidget(self.agencies)
        right.addWidget(tables)
        right.addWidget(self.chart_view)
        right.setSizes([820, 420])
        self.splitter = right
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(right, 1)
        self.fill_filters()
        self.period.currentIndexChanged.connect(self.refresh)
        self.group.currentIndexChanged.connect(self.refresh)
        # The figures are worked out when the page is first shown (see AttendanceTab).

    def below(self, rate: float | None) -> bool:
        """A rate under the attendance threshold (from the settings)."""
        return rate is not None and rate < self.threshold

    def fill_filters(self) -> None:
        settings = load_settings(self.database)
        self.threshold = settings.attendance_threshold / 100
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

    def refresh(self) -> None:
        period = self.period.currentData()
        if period is None:
            return
        figures = attendance_figures(self.database, period, self.group.currentData())
        self.members_model.set_rows(figures.members)
        agencies = figures.agency_totals if self.group.currentData() is None else figures.agencies
        self.agencies_model.set_rows(agencies)
        low_members = sum(
            1 for r in figures.members if r.rate is not None and r.rate < self.threshold
        )
        low_agencies = sum(1 for r in agencies if r.rate is not None and r.rate < self.threshold)
        self.summary.setText(
            f"{figures.held} meetings held in {period.name} "
            f"({period.start:%d/%m/%Y} to {period.end:%d/%m/%Y}); below {self.threshold:.0%}: "
            f"{low_members} member(s), {low_agencies} agenc{'y' if low_agencies == 1 else 'ies'}"
        )
        self._draw_chart(agencies)

    def save_workbook(self) -> None:
        period = self.period.currentData()
        if period is not None:
            label = self.group.currentText()
            attendance_document(self, self.database, period, self.group.currentData(), label)

    def _draw_chart(self, rows: list[AgencyRate]) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        rows = sorted((r for r in rows if r.rate is not None), key=lambda r: r.rate or 0)
        if not rows:
            return
        bars = QBarSet("Representation")
        labels = []
        for row in rows:
            bars.append(round((row.rate or 0) * 100))
            short = row.agency if len(row.agency) <= 28 else row.agency[:27] + "…"
            labels.append(short)
        series = QHorizontalBarSeries()
        series.append(bars)
        self.chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append(labels)
        values = QValueAxis()
        values.setRange(0, 100)
        values.setLabelFormat("%d%%")
        self.chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(names)
        series.attachAxis(values)


class AttendanceTab(QWidget):
    status = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record = RecordPage(database, self)
        self.record.status.connect(self.status)
        self.figures = FiguresPage(database, self)
        self.inner = QTabWidget(self)
        self.inner.addTab(self.record, "&Record a meeting")
        self.inner.addTab(self.figures, "&Figures for a period")
        self.inner.currentChanged.connect(self._page_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.inner)

    def _page_changed(self, index: int) -> None:
        if index == 1:
            self.figures.refresh()

    def refresh(self) -> None:
        self.record.fill_groups()
        self.figures.fill_filters()
        if self.inner.currentWidget() is self.figures:
            self.figures.refresh()

    def focus_search(self) -> None:
        self.record.table.setFocus()

    def new_record(self) -> None:
        self.record.new_guest()

    def edit_record(self) -> None:
        self.record.table.setFocus()

    def remove_record(self) -> None:
        self.record.mark(None)

    def delete_record(self) -> None:
        self.record.mark(None)

    def tables(self) -> list[QTableView]:
        return [self.record.table, self.figures.members, self.figures.agencies]

    def selected_record(self) -> Subject | None:
        """What Edit > History… shows: the selected guest, or the selected attendee's recorded
        attendance (the meeting itself until it is recorded)."""
        if self.inner.currentWidget() is not self.record:
            return None
        return self.record.selected_record()
