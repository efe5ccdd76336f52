"""The Attendance tab: record who came to a meeting (quickly, from the keyboard) with a live
quorum (:mod:`attendance_record`); the figures for a period with a chart
(:mod:`attendance_figures`); and the register of interests (:mod:`interests_page`)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTableView, QTabWidget, QVBoxLayout, QWidget

from lscb_desktop.services.history import Subject, subject
from lscb_desktop.store import Database
from lscb_desktop.ui.attendance_figures import FiguresPage
from lscb_desktop.ui.attendance_record import RecordPage, meeting_label
from lscb_desktop.ui.interests_page import InterestsPage
from lscb_desktop.ui.record_tab import RecordTab

__all__ = ["AttendanceTab", "FiguresPage", "InterestsPage", "RecordPage", "meeting_label"]


class AttendanceTab(RecordTab):
    status = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record = RecordPage(database, self)
        self.record.status.connect(self.status)
        self.figures = FiguresPage(database, self)
        self.figures.open_meeting.connect(self.open_meeting)
        self.interests = InterestsPage(database, self)
        self.interests.open_meeting.connect(self.open_meeting)
        self.inner = QTabWidget(self)
        self.inner.addTab(self.record, "&Record a meeting")
        self.inner.addTab(self.figures, "&Figures for a period")
        self.inner.addTab(self.interests, "Register of &interests")
        self.inner.currentChanged.connect(self._page_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.inner)

    def _page_changed(self, _index: int) -> None:
        # The figures and the register are worked out when they are shown, not before.
        page = self.inner.currentWidget()
        if page is self.figures:
            self.figures.refresh()
        elif page is self.interests:
            self.interests.refresh()
        elif page is self.record:
            self.record.refresh()

    def open_meeting(self, meeting_id: int) -> None:
        """Shows a meeting on the Record page (from the figures' caveats or the register)."""
        self.inner.setCurrentWidget(self.record)
        self.record.select_meeting(meeting_id)
        self.record.table.setFocus()

    def refresh(self) -> None:
        self.record.fill_groups()
        self.figures.fill_filters()
        if self.inner.currentWidget() is self.figures:
            self.figures.refresh()
        elif self.inner.currentWidget() is self.interests:
            self.interests.refresh()

    def focus_search(self) -> None:
        if self.inner.currentWidget() is self.interests:
            self.interests.search.setFocus()
        else:
            self.record.table.setFocus()

    def _focused_list(self) -> str:
        """Which of the Record page's lists Edit menu commands act on: the one with focus."""
        if self.record.declarations.hasFocus():
            return "declarations"
        if self.record.guests.hasFocus():
            return "guests"
        return "attendees"

    def new_record(self) -> None:
        """Edit > New…: a declaration when the declarations have focus, else a guest."""
        self.inner.setCurrentWidget(self.record)
        if self._focused_list() == "declarations":
            self.record.declaration_list.new_declaration()
        else:
            self.record.guest_list.new_guest()

    def edit_record(self) -> None:
        focused = self._focused_list()
        if focused == "declarations":
            self.record.declaration_list.edit_declaration()
        elif focused == "guests":
            self.record.guest_list.edit_guest()
        else:
            self.record.edit_details()

    def remove_record(self) -> None:
        self.delete_record()

    def delete_record(self) -> None:
        """Edit > Delete…: removes the selected declaration or guest when their list has focus,
        else clears the selected attendee's row (as Backspace and Delete on it do)."""
        if self.inner.currentWidget() is not self.record:
            return
        focused = self._focused_list()
        if focused == "declarations":
            self.record.declaration_list.drop_declaration()
        elif focused == "guests":
            self.record.guest_list.drop_guest()
        else:
            self.record.mark(None)

    def tables(self) -> list[QTableView]:
        return [
            self.record.table,
            self.record.guests,
            self.record.declarations,
            self.record.item_quorum.table,
            self.figures.members,
            self.figures.agencies,
            self.interests.table,
        ]

    def selected_record(self) -> Subject | None:
        """What Edit > History… shows: the selected guest or declaration, or the selected
        attendee's recorded attendance (the meeting itself until it is recorded)."""
        page = self.inner.currentWidget()
        if page is self.interests:
            row = self.interests.current()
            if row is None:
                return None
            return subject(
                f"Declaration of interest: {row.name}, {row.item}", ("declaration", row.id)
            )
        if page is not self.record:
            return None
        return self.record.selected_record()
