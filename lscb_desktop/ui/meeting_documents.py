"""The Meetings tab's Documents menu: the agenda, pack and register saved or printed, the pack
and its supplements issued and e-mailed, presenters reminded, the draft and confirmed minutes,
and the meetings shown as a calendar. A mixin of :class:`lscb_desktop.ui.meetings_tab.MeetingsTab`,
which builds the widgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QMenu, QMessageBox, QToolButton, QWidget

from lscb_desktop.store import Database
from lscb_desktop.ui import pack_issues
from lscb_desktop.ui.documents import (
    calendar_document,
    email_pack,
    meeting_document,
    remind_presenters,
)

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from lscb_desktop.services.meetings import MeetingRow

    _Tab = QWidget
else:
    _Tab = object

#: A job on the selected meeting (parent, database, meeting, group, when): the status message.
PackJob = Callable[[QWidget, Database, int, str, dt.datetime], str]


class MeetingDocuments(_Tab):
    """The Documents menu; the tab provides the meeting selected and its filters."""

    database: Database
    status: SignalInstance
    group_filter: QComboBox
    period_filter: QComboBox

    if TYPE_CHECKING:  # the tab's own

        def current_meeting(self) -> MeetingRow | None: ...
        def attach_confirmed_minutes(self) -> None: ...
        def _show_agenda(self) -> None: ...

    def _documents_button(self) -> QToolButton:
        button = QToolButton(self)
        button.setText("Documents")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        for text, what in (
            ("Save the &agenda…", "agenda"),
            ("Save the agenda &pack…", "pack"),
            ("Save the attendance &register…", "register"),
        ):
            menu.addAction(text, partial(self.document, what))
        menu.addSeparator()
        for text, what in (
            ("Print the agenda…", "agenda"),
            ("Print the agenda pack…", "pack"),
            ("Print the attendance register…", "register"),
        ):
            menu.addAction(text, partial(self.document, what, to_printer=True))
        menu.addSeparator()
        menu.addAction("&Issue the pack…", self.issue_pack)
        menu.addAction("Issue a &supplement…", self.issue_supplement)
        menu.addSeparator()
        menu.addAction("E-mail the pac&k…", self.email_pack)
        menu.addAction("E-mail the suppl&ement…", self.email_supplement)
        menu.addAction("Remind &presenters of missing papers…", self.remind_presenters)
        menu.addAction("Save the draft &minutes…", self.draft_minutes)
        menu.addAction("Attach the &confirmed minutes…", self.attach_confirmed_minutes)
        menu.addSeparator()
        menu.addAction("Save the meetings shown as a &calendar…", self.save_calendar)
        button.setMenu(menu)
        button.setAccessibleName("Documents")
        return button

    def _meeting_for(self, title: str) -> MeetingRow | None:
        meeting = self.current_meeting()
        if meeting is None:
            QMessageBox.information(self, title, "Select a meeting first.")
        return meeting

    def _pack_job(self, title: str, job: PackJob) -> None:
        meeting = self._meeting_for(title)
        if meeting is None:
            return
        said = job(self, self.database, meeting.id, meeting.group, meeting.starts_at)
        if said:
            self._show_agenda()
            self.status.emit(said)

    def draft_minutes(self) -> None:
        self.document("minutes")

    def issue_pack(self) -> None:
        self._pack_job("Issue the pack", pack_issues.issue_pack)

    def issue_supplement(self) -> None:
        self._pack_job("Issue a supplement", pack_issues.issue_supplement)

    def email_supplement(self) -> None:
        self._pack_job("E-mail the supplement", pack_issues.email_supplement)

    def email_pack(self) -> None:
        meeting = self.current_meeting()
        if meeting is None:
            QMessageBox.information(self, "E-mail the pack", "Select a meeting first.")
            return
        said = email_pack(self, self.database, meeting.id, meeting.group, meeting.starts_at)
        if said:
            self.status.emit(said)

    def remind_presenters(self) -> None:
        meeting = self.current_meeting()
        if meeting is None:
            QMessageBox.information(self, "Remind presenters", "Select a meeting first.")
            return
        said = remind_presenters(self, self.database, meeting.id, meeting.group, meeting.starts_at)
        if said:
            self.status.emit(said)

    def document(self, what: str, *, to_printer: bool = False) -> None:
        """The agenda, pack or register of the selected meeting, saved or printed."""
        meeting = self.current_meeting()
        if meeting is None:
            QMessageBox.information(self, "Documents", "Select a meeting first.")
            return
        meeting_document(
            self,
            self.database,
            what,
            meeting.id,
            meeting.group,
            meeting.starts_at,
            to_printer=to_printer,
        )

    def save_calendar(self) -> None:
        period = self.period_filter.currentData()
        label = " ".join(
            text
            for text in (self.group_filter.currentText(), period.name if period else "")
            if text
        )
        calendar_document(self, self.database, self.group_filter.currentData(), period, label)
