"""The details of the selected attendee: the reason for apologies (a list kept in the settings,
or any other typed), when they arrived late or left early, and notes. Enter saves; a refusal is
shown under its field and what was typed stays."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.models import AttendanceStatus
from lscb_desktop.services.attendance import AttendeeRow
from lscb_desktop.services.attendance_cells import AWAY, THERE
from lscb_desktop.services.attendance_recording import record_details
from lscb_desktop.services.settings import load_settings
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import Database
from lscb_desktop.ui.attendance_changes import Declined, ask_and_retry
from lscb_desktop.ui.conflict_dialog import one_click
from lscb_desktop.ui.forms import Form

_TIME = re.compile(r"(\d{1,2})[:.]?(\d{2})")


def parse_time(text: str, field: str, problems: dict[str, str]) -> dt.time | None:
    """ "10:20", "10.20" or "1020" as a time; "" as none; else the problem under ``field``."""
    text = text.strip()
    if not text:
        return None
    match = _TIME.fullmatch(text)
    if match is not None:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    problems[field] = f"“{text}” is not a time of day: type it as 10:20."
    return None


class DetailsPanel(QGroupBox):
    """What else is recorded for the attendee selected in the table."""

    #: A detail was saved: the page shows it (a status message).
    saved = Signal(str)

    def __init__(
        self, database: Database, meeting_id: Callable[[], int | None], parent: QWidget | None
    ) -> None:
        super().__init__("Details", parent)
        self.database = database
        self.meeting_id = meeting_id
        self.row: AttendeeRow | None = None
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        self.reason.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.arrived_at = QLineEdit(self)
        self.arrived_at.setPlaceholderText("e.g. 10:20")
        self.left_at = QLineEdit(self)
        self.left_at.setPlaceholderText("e.g. 11:05")
        self.notes = QLineEdit(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        form_layout = QFormLayout()
        self.form = Form(form_layout)
        # Mnemonics only where no menu, tab or button of the page has the letter already.
        self.form.add("reason", "Reason:", self.reason, "Reason for apologies")
        self.form.add("arrived_at", "Arrived la&te at:", self.arrived_at, "Arrived late at")
        self.form.add("left_at", "Left earl&y at:", self.left_at, "Left early at")
        self.form.add("notes", "Notes:", self.notes, "Notes")
        self.save_button = QPushButton("Save details", self)
        self.save_button.clicked.connect(self.save)
        for edit in (self.arrived_at, self.left_at, self.notes):
            edit.returnPressed.connect(self.save)
        line_edit = self.reason.lineEdit()
        if line_edit is not None:
            line_edit.returnPressed.connect(self.save)
        self.error = QLabel(self)
        self.error.setObjectName("status_message")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(form_layout)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.fill_reasons()
        self.show_row(None)

    def fill_reasons(self) -> None:
        """The settings' reasons (a blank first, for none)."""
        text = self.reason.currentText()
        self.reason.blockSignals(True)
        self.reason.clear()
        self.reason.addItem("")
        self.reason.addItems(load_settings(self.database).reasons)
        self.reason.setEditText(text)
        self.reason.blockSignals(False)

    def editing(self) -> bool:
        """Whether something typed here is not saved yet (a refresh must not wipe it)."""
        row = self.row
        if row is None:
            return False
        return (
            self.reason.currentText().strip() != row.reason
            or self.arrived_at.text().strip() != _hhmm(row.arrived_at)
            or self.left_at.text().strip() != _hhmm(row.left_at)
            or self.notes.text().strip() != row.notes
            or not self.error.isHidden()
            or any(self.form.message(key) for key in self.form.messages)
        )

    def show_row(self, row: AttendeeRow | None, *, keep_typing: bool = False) -> None:
        """Shows ``row``'s details; with ``keep_typing``, what is typed for the same person
        stays (a refresh while they type)."""
        same = row is not None and self.row is not None and row.person_id == self.row.person_id
        if keep_typing and same and self.editing():
            self.row = row
            self._enable(row)
            return
        self.row = row
        self.form.clear_problems()
        self.error.hide()
        self.reason.setEditText(row.reason if row else "")
        self.arrived_at.setText(_hhmm(row.arrived_at) if row else "")
        self.left_at.setText(_hhmm(row.left_at) if row else "")
        self.notes.setText(row.notes if row else "")
        self._enable(row)

    def _enable(self, row: AttendeeRow | None) -> None:
        status = row.status if row else None
        self.setTitle(f"Details: {row.name}" if row else "Details")
        self.reason.setEnabled(status in AWAY)
        self.arrived_at.setEnabled(status in THERE)
        self.left_at.setEnabled(status in THERE)
        self.notes.setEnabled(status is not None)
        self.save_button.setEnabled(status is not None)
        if row is None:
            self.status.setText("Select someone in the list.")
        elif status is None:
            self.status.setText("Record whether they came first (P, A, S or X).")
        elif status in AWAY:
            self.status.setText(f"{status.label}: a reason may be given.")
        elif status is AttendanceStatus.SUBSTITUTE:
            self.status.setText(
                f"Substitute: {row.substitute}. When they arrived late or left early:"
            )
        else:
            self.status.setText("Present. When they arrived late or left early:")

    def save(self) -> None:
        row, meeting_id = self.row, self.meeting_id()
        if row is None or meeting_id is None or row.status is None:
            return
        self.form.clear_problems()
        self.error.hide()
        problems: dict[str, str] = {}
        arrived = parse_time(self.arrived_at.text(), "arrived_at", problems)
        left = parse_time(self.left_at.text(), "left_at", problems)
        if problems:
            self.form.show_problems(problems)
            return
        reason = self.reason.currentText() if row.status in AWAY else ""
        notes = self.notes.text()

        def change() -> None:
            ask_and_retry(
                self,
                "Details",
                lambda **flags: record_details(
                    self.database,
                    meeting_id,
                    row.person_id,
                    reason=reason,
                    notes=notes,
                    arrived_at=arrived if row.status in THERE else None,
                    left_at=left if row.status in THERE else None,
                    **flags,
                ),
            )

        try:
            if not one_click(self, "Details", change):
                return
        except InvalidInput as exc:
            left_over = self.form.show_problems(exc.problems)
            if left_over:  # "status": nothing is recorded for them yet
                self.error.setText(" ".join(left_over))
                self.error.show()
            return
        except Declined:
            return
        self.saved.emit(f"{row.name}: details saved")


def _hhmm(value: dt.time | None) -> str:
    return f"{value:%H:%M}" if value is not None else ""
