"""Recording one meeting's attendance, quickly from the keyboard: P, A, S, X on the selected
row, Backspace or Delete to clear it; how much is recorded ("12 of 27 recorded") and whether it
is confirmed with the minutes; the live quorum, naming the agencies it counted, and item by
item; each attendee's details; the guests and officers in attendance; declarations of interest."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop import clock
from lscb_desktop.models import AttendanceStatus, MeetingStatus
from lscb_desktop.services.agenda import agenda_rows
from lscb_desktop.services.attendance import (
    AttendeeRow,
    MeetingSheet,
    item_quorums,
    meeting_sheet,
)
from lscb_desktop.services.attendance_recording import (
    mark_all_present,
    record_attendance,
    unconfirm_attendance,
)
from lscb_desktop.services.groups import group_choices
from lscb_desktop.services.history import Subject, attendance_id, subject
from lscb_desktop.services.meetings import MeetingRow, meeting_rows
from lscb_desktop.services.people import person_choices
from lscb_desktop.services.periods import Period, period_containing
from lscb_desktop.services.settings import load_settings
from lscb_desktop.store import Database
from lscb_desktop.ui.attendance_attendees import ATTENDEE_COLUMNS, AttendeeModel, RecordingKeys
from lscb_desktop.ui.attendance_changes import ask_and_retry, attempt
from lscb_desktop.ui.attendance_details import DetailsPanel
from lscb_desktop.ui.attendance_dialogs import ConfirmDialog, SubstituteDialog, item_lines
from lscb_desktop.ui.attendance_lists import DeclarationsPanel, GuestsPanel, ItemQuorumPanel
from lscb_desktop.ui.table_model import ROW_ROLE
from lscb_desktop.ui.tables import make_table, selected


def meeting_label(row: MeetingRow) -> str:
    return f"{row.starts_at:%a %d/%m/%Y %H:%M} — {row.group} ({row.status.label.lower()})"


def _big(label: QLabel, scale: float = 1.3) -> QLabel:
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


GREEN, RED, AMBER, GREY = "#1b5e20", "#8a1c14", "#6b4e00", "#333333"


class RecordPage(QWidget):
    """One meeting's attendance."""

    status = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.sheet: MeetingSheet | None = None
        self._shown_meeting: int | None = None
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
        self._headline_widgets()
        self._attendee_table()
        self.details = DetailsPanel(database, self.meeting.currentData, self)
        self.details.saved.connect(self._details_saved)
        self.guest_list = GuestsPanel(database, self)
        self.declaration_list = DeclarationsPanel(database, self)
        # The tables by the names other code (and earlier versions) use.
        self.guests, self.guest_model = self.guest_list.table, self.guest_list.model
        self.declarations = self.declaration_list.table
        self.item_quorum = ItemQuorumPanel(self)
        for panel in (self.guest_list, self.declaration_list):
            panel.changed.connect(self._panel_changed)
        self.lists = QTabWidget(self)
        self.lists.addTab(self.guest_list, "Guests and officers")
        self.lists.addTab(self.declaration_list, "Declarations of interest")
        self.lists.addTab(self.item_quorum, "Quorum item by item")
        self._layout()
        self.fill_groups()

    def _headline_widgets(self) -> None:
        self.recorded = _big(QLabel(self), 1.3)
        self.recorded.setObjectName("recorded")
        self.recorded.setAccessibleName("How much is recorded")
        self.confirmation = QLabel(self)
        self.confirmation.setObjectName("confirmation")
        self.confirmation.setAccessibleName("Confirmed with the minutes")
        self.confirm_button = QPushButton("Confirm with the &minutes…", self)
        self.confirm_button.clicked.connect(self.confirm)
        self.unconfirm_button = QPushButton("&Unconfirm…", self)
        self.unconfirm_button.clicked.connect(self.unconfirm)
        self.quorum = _big(QLabel(self), 1.3)
        self.quorum.setObjectName("quorum")
        self.quorum.setAccessibleName("Quorum")
        self.counted = QLabel(self)
        self.counted.setObjectName("counted")
        self.counted.setWordWrap(True)
        self.note = QLabel(self)
        self.note.setWordWrap(True)

    def _attendee_table(self) -> None:
        self.model = AttendeeModel(ATTENDEE_COLUMNS, self, caution=lambda r: r.status is None)
        self.table = make_table(self, "attendance/attendees")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.setAccessibleName("Expected attendees")
        self.table.setToolTip(
            "P present, A apologies, S substitute, X absent, Backspace or Delete to clear, "
            "Enter for the details"
        )
        for index, column in enumerate(ATTENDEE_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        self.keys = RecordingKeys(self.table)
        self.table.installEventFilter(self.keys)
        self.keys.pressed.connect(self.mark)
        self.keys.enter.connect(self.edit_details)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.group)
        top.addWidget(self.meeting, 1)
        top.addWidget(self.older)
        headline = QHBoxLayout()
        headline.addWidget(self.recorded)
        headline.addSpacing(24)
        headline.addWidget(self.confirmation, 1)
        headline.addWidget(self.confirm_button)
        headline.addWidget(self.unconfirm_button)
        buttons = QHBoxLayout()
        self.buttons = []
        for text, slot in (
            ("&Present (P)", lambda: self.mark(AttendanceStatus.PRESENT)),
            ("&Apologies (A)", lambda: self.mark(AttendanceStatus.APOLOGIES)),
            ("&Substitute… (S)", lambda: self.mark(AttendanceStatus.SUBSTITUTE)),
            ("Absent (&X)", lambda: self.mark(AttendanceStatus.ABSENT)),
            ("&Clear (Delete)", lambda: self.mark(None)),
            ("All prese&nt", self.all_present),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons.append(button)
        buttons.addStretch(1)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        side = QSplitter(Qt.Orientation.Horizontal, upper)
        side.setObjectName("attendance/record-details-splitter")
        side.addWidget(self.table)
        side.addWidget(self.details)
        side.setStretchFactor(0, 1)
        side.setSizes([980, 320])
        upper_layout.addWidget(side, 1)
        upper_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("attendance/record-splitter")
        split.addWidget(upper)
        split.addWidget(self.lists)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([420, 170])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(headline)
        layout.addWidget(self.quorum)
        layout.addWidget(self.counted)
        layout.addWidget(self.note)
        layout.addWidget(split, 1)

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
        self.details.fill_reasons()
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
        self.sheet = sheet = meeting_sheet(self.database, meeting_id) if meeting_id else None
        for button in (*self.buttons, self.confirm_button, self.unconfirm_button):
            button.setEnabled(sheet is not None)
        items = item_lines(agenda_rows(self.database, meeting_id)) if sheet else []
        self.guest_list.set_sheet(sheet, items)
        self.declaration_list.set_sheet(sheet, items)
        if sheet is None:
            self.model.set_rows([])
            self.details.show_row(None)
            self.item_quorum.set_items([], None)
            for label in (self.recorded, self.confirmation, self.counted, self.note):
                label.setText("")
            self.quorum.setText("No meetings yet.")
            return
        self.model.set_rows(sheet.attendees)
        self._show_headline(sheet)
        if sheet.attendees and self.current_attendee() is None:
            # The table keeps the selected person across a refresh; else the same line as before.
            self.table.selectRow(max(0, min(row, len(sheet.attendees) - 1)))
        # What is typed in the details stays across a refresh, not on to another meeting.
        same_meeting, self._shown_meeting = meeting_id == self._shown_meeting, meeting_id
        self.details.show_row(self.current_attendee(), keep_typing=same_meeting)
        self.lists.setTabText(0, f"Guests and officers ({len(sheet.guests)})")
        self.lists.setTabText(1, f"Declarations of interest ({len(sheet.declarations)})")

    def _show_headline(self, sheet: MeetingSheet) -> None:
        held = sheet.status is MeetingStatus.HELD
        colour = GREEN if sheet.complete else (RED if held else GREY)
        words = sheet.recorded_text
        if held and not sheet.complete:
            words += " — the rest count as not attended"
        self.recorded.setText(f"<span style='color:{colour}'>{words}</span>")
        if sheet.confirmed_on is not None:
            by = f" by {escape(sheet.confirmed_by)}" if sheet.confirmed_by else ""
            self.confirmation.setText(
                f"<span style='color:{GREEN}'><b>Confirmed with the minutes on "
                f"{sheet.confirmed_on:%d/%m/%Y}{by}</b></span>"
            )
        else:
            self.confirmation.setText("Not yet confirmed with the minutes.")
        self.confirm_button.setEnabled(sheet.confirmed_on is None)
        self.unconfirm_button.setEnabled(sheet.confirmed_on is not None)
        quorum = sheet.quorum
        colour = {True: GREEN, False: RED, None: GREY}[quorum.quorate]
        different = self.item_quorum.set_items(
            item_quorums(self.database, sheet.meeting_id, sheet), quorum
        )
        tab = "Quorum item by item"
        self.lists.setTabText(2, f"{tab} ({len(different)} differ)" if different else tab)
        extra = ""
        if different:
            word = "item" if len(different) == 1 else "items"
            extra = f" <span style='color:{AMBER}'>— differs for {len(different)} {word}</span>"
        self.quorum.setText(f"<span style='color:{colour}'>{escape(quorum.text)}</span>{extra}")
        self.counted.setText(quorum.counted_text)
        note = ""
        if sheet.status is MeetingStatus.CANCELLED:
            note = "This meeting was cancelled: its attendance counts for no rate. "
        elif sheet.status is MeetingStatus.PLANNED:
            note = "This meeting is still planned: rates count it once it is marked held. "
        self.note.setText(
            note + "Keys: P present, A apologies, S substitute, X absent, Backspace or Delete "
            "clears, Enter for the details. Greyed rows do not count towards the quorum."
        )

    def current_attendee(self) -> AttendeeRow | None:
        return selected(self.table, AttendeeRow)

    def _row_changed(self, current: QModelIndex) -> None:
        # The current row moves before the selection does: the row is read from the index.
        row = current.data(ROW_ROLE) if current.isValid() else None
        self.details.show_row(row if isinstance(row, AttendeeRow) else None)

    def edit_details(self) -> None:
        """Enter on the table: on to the selected attendee's details."""
        for field in (self.details.reason, self.details.arrived_at, self.details.notes):
            if field.isEnabled():
                field.setFocus()
                return

    def selected_record(self) -> Subject | None:
        guest = self.guest_list.current()
        if guest is not None and self.guests.hasFocus():
            return subject(f"Guest: {guest.name}", ("guest", guest.id))
        declaration = self.declaration_list.current()
        if declaration is not None and self.declarations.hasFocus():
            title = f"Declaration of interest: {declaration.name}, {declaration.item}"
            return subject(title, ("declaration", declaration.id))
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

    def mark(self, status: AttendanceStatus | None) -> None:
        row, sheet = self.current_attendee(), self.sheet
        if row is None or sheet is None:
            return
        if status is AttendanceStatus.SUBSTITUTE:
            if not self._ask_substitute(row, sheet):
                return
        else:
            change = lambda **flags: record_attendance(  # noqa: E731
                self.database, sheet.meeting_id, row.person_id, status, **flags
            )
            if not attempt(self, "Attendance", change):
                return
        current = self.table.currentIndex().row()
        self.refresh()
        # On to the next person, for quick entry down the list.
        self.table.selectRow(min(current + 1, self.model.rowCount() - 1))
        self.status.emit(f"{row.name}: {status.label if status else 'cleared'}")

    def _ask_substitute(self, row: AttendeeRow, sheet: MeetingSheet) -> bool:
        def record(substitute_id: int | None, name: str) -> None:
            ask_and_retry(
                self,
                "Substitute",
                lambda **flags: record_attendance(
                    self.database,
                    sheet.meeting_id,
                    row.person_id,
                    AttendanceStatus.SUBSTITUTE,
                    substitute_id=substitute_id,
                    substitute_name=name,
                    **flags,
                ),
            )

        dialog = SubstituteDialog(row, sheet, person_choices(self.database), record, self)
        try:
            return dialog.exec() == SubstituteDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

    def all_present(self) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        counts: list[int] = []
        change = lambda **flags: counts.append(  # noqa: E731
            mark_all_present(self.database, sheet.meeting_id, **flags)
        )
        if attempt(self, "All present", change):
            self.refresh()
            self.status.emit(f"Marked {counts[0]} present")

    def confirm(self) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        problem = sheet.confirm_problem
        if problem:
            QMessageBox.information(self, "Confirm with the minutes", problem)
            return
        dialog = ConfirmDialog(self.database, sheet, self)
        try:
            confirmed = dialog.exec() == ConfirmDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if confirmed:
            self.refresh()
            self.status.emit("Attendance confirmed with the minutes")

    def unconfirm(self) -> None:
        sheet = self.sheet
        if sheet is None or sheet.confirmed_on is None:
            return
        answer = QMessageBox.question(
            self,
            "Unconfirm",
            f"Unconfirm the attendance at {sheet.group}, {sheet.starts_at:%d/%m/%Y}, confirmed "
            f"with the minutes on {sheet.confirmed_on:%d/%m/%Y}? It can then be changed without "
            "asking, and the figures for confirmed meetings only leave it out.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            unconfirm_attendance(self.database, sheet.meeting_id)
            self.refresh()
            self.status.emit("Attendance no longer confirmed")

    def new_guest(self) -> None:
        self.guest_list.new_guest()

    def drop_guest(self) -> None:
        self.guest_list.drop_guest()

    def _details_saved(self, words: str) -> None:
        self.refresh()
        self.status.emit(words)

    def _panel_changed(self, words: str) -> None:
        self.refresh()
        self.status.emit(words)
