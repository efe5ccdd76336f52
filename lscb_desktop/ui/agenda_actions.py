"""The Meetings tab's agenda half: the selected meeting's agenda items (add, edit, remove,
move, standard items, copy from an earlier meeting), their papers and the actions raised on
them. A mixin of :class:`lscb_desktop.ui.meetings_tab.MeetingsTab`, which builds the widgets."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox, QPushButton, QTableView, QWidget

from lscb_desktop.services.agenda import (
    AgendaRow,
    HasDeclarations,
    add_standard_items,
    agenda_rows,
    copy_agenda,
    move_item,
    previous_meetings,
    removal_refused,
    remove_item,
)
from lscb_desktop.services.pack_state import PackState, pack_state
from lscb_desktop.store import Database
from lscb_desktop.ui import agenda_papers
from lscb_desktop.ui.conflict_dialog import one_click
from lscb_desktop.ui.meeting_dialogs import ActionDialog, ItemDialog, StandardItemsDialog, ask
from lscb_desktop.ui.table_model import Column, RecordTableModel
from lscb_desktop.ui.tables import select_where, selected

if TYPE_CHECKING:
    import datetime as dt

    from PySide6.QtCore import SignalInstance

    from lscb_desktop.services.meetings import MeetingRow
    from lscb_desktop.ui.action_log import ActionLog


def agenda_columns(sent: Callable[[AgendaRow], str]) -> list[Column[AgendaRow]]:
    """The agenda's columns; ``sent`` says where an item's paper stands in the issued pack."""
    return [
        Column("No.", lambda r: r.number, 40),
        Column("Time", lambda r: f"{r.starts_at:%H:%M}", 55),
        Column("Item", lambda r: r.title, 300),
        Column("Presenter", lambda r: r.presenter, 170),
        Column("Purpose", lambda r: r.purpose, 90),
        Column("Minutes", lambda r: r.minutes, 60),
        Column(
            "Paper",
            lambda r: (
                "Waiting for paper"
                if r.waiting_for_paper
                else (f"{r.paper} (confidential)" if r.confidential else r.paper)
            ),
            280,
        ),
        Column("Sent", sent, 235),
    ]


AGENDA_COLUMNS = agenda_columns(lambda _row: "")


if TYPE_CHECKING:
    _Tab = QWidget
else:
    _Tab = object


class AgendaActions(_Tab):
    """The agenda's actions; the tab provides the widgets and the meeting selected."""

    database: Database
    today: dt.date
    agenda: QTableView
    agenda_model: RecordTableModel[AgendaRow]
    agenda_heading: QLabel
    #: The selected meeting's issued versions and what is new since (None: no meeting).
    pack: PackState | None = None
    agenda_buttons: list[QPushButton]
    paper_buttons: list[QPushButton]
    status: SignalInstance
    changed: SignalInstance
    actions_page: ActionLog

    if TYPE_CHECKING:  # the tab's own

        def current_meeting(self) -> MeetingRow | None: ...
        def select_meeting(self, meeting_id: int) -> bool: ...
        def refresh(self) -> None: ...

    def _show_agenda(self) -> None:
        meeting = self.current_meeting()
        for button in (*self.agenda_buttons, *self.paper_buttons):
            button.setEnabled(meeting is not None)
        if meeting is None:
            self.pack = None
            self.agenda_heading.setText("Select a meeting to see its agenda.")
            self.agenda_model.set_rows([])
            return
        state = ""
        if meeting.papers_overdue(self.today):
            state = " — <b style='color:#8a1c14'>papers overdue</b>"
        elif meeting.papers_due_soon(self.today):
            state = " — <b style='color:#6b4e00'>papers due soon</b>"
        rows = agenda_rows(self.database, meeting.id)
        self.pack = pack_state(self.database, meeting.id, rows)
        self.agenda_heading.setText(
            f"<b>{meeting.group}</b>, {meeting.starts_at:%A %d/%m/%Y at %H:%M}"
            f" ({meeting.status.label.lower()}) — papers due {meeting.papers_due:%d/%m/%Y}{state}"
            f"<br>{html.escape(self.pack.in_words())}"
        )
        self.agenda_model.set_rows(rows)

    def _sent(self, row: AgendaRow) -> str:
        """The agenda's Sent column: "In the pack", "New since the pack was issued", …"""
        return self.pack.item_words(row.id) if self.pack is not None else ""

    def current_item(self) -> AgendaRow | None:
        return selected(self.agenda, AgendaRow)

    def _after_agenda_change(self, item_id: int | None = None, message: str = "") -> None:
        meeting = self.current_meeting()
        self.refresh()
        if meeting is not None:
            self.select_meeting(meeting.id)
        if item_id is not None:
            select_where(self.agenda, lambda row: row.id == item_id)
        if message:
            self.status.emit(message)

    # -- the agenda ---------------------------------------------------------------------------

    def new_item(self) -> None:
        meeting = self.current_meeting()
        if meeting is None:
            return
        dialog = ItemDialog(self.database, meeting.id, parent=self)
        if ask(dialog):
            self._after_agenda_change(dialog.saved_id, "Added an agenda item")

    def edit_item(self) -> None:
        meeting, item = self.current_meeting(), self.current_item()
        if meeting is None or item is None:
            return
        if ask(ItemDialog(self.database, meeting.id, item.id, self)):
            self._after_agenda_change(item.id, "Saved the agenda item")

    def remove_item(self) -> None:
        item = self.current_item()
        if item is None:
            return
        refused = removal_refused(self.database, item.id)
        if refused:
            QMessageBox.information(self, "Remove item", refused)
            return
        answer = QMessageBox.question(
            self,
            "Remove agenda item",
            f"Remove item {item.number}, “{item.title}”, from the agenda"
            + (" with its paper" if item.paper else "")
            + "?",
        )
        remove = partial(remove_item, self.database, item.id, version=item.version)
        try:
            if answer == QMessageBox.StandardButton.Yes and one_click(self, "Remove item", remove):
                self._after_agenda_change(None, f"Removed “{item.title}”")
        except HasDeclarations as exc:
            QMessageBox.information(self, "Remove item", str(exc))

    def move_item(self, offset: int) -> None:
        item = self.current_item()
        if item is not None:
            move_item(self.database, item.id, offset)
            self._after_agenda_change(item.id)

    def add_standard(self) -> None:
        meeting = self.current_meeting()
        if meeting is not None:
            added = add_standard_items(self.database, meeting.id)
            self._after_agenda_change(None, f"Added {added} standard item(s)")

    def edit_standard(self) -> None:
        meeting = self.current_meeting()
        if meeting is not None:
            ask(StandardItemsDialog(self.database, meeting.group_id, meeting.group, self))

    def copy_agenda(self) -> None:
        meeting = self.current_meeting()
        if meeting is None:
            return
        earlier = previous_meetings(self.database, meeting.id)
        if not earlier:
            QMessageBox.information(
                self, "Copy agenda", f"{meeting.group} has no other meeting with an agenda."
            )
            return
        labels = [f"{starts:%d/%m/%Y %H:%M}" for _, starts in earlier]
        chosen, ok = QInputDialog.getItem(
            self,
            "Copy agenda",
            f"Copy the agenda of the {meeting.group} meeting on:",
            labels,
            0,
            False,
        )
        if ok:
            source = earlier[labels.index(chosen)][0]
            count = copy_agenda(self.database, source, meeting.id)
            self._after_agenda_change(None, f"Copied {count} items from {chosen}")

    # -- papers (lscb_desktop.ui.agenda_papers) -----------------------------------------------

    def _paper_action(self, action: Callable[[QWidget, Database, AgendaRow], str | None]) -> None:
        item = self.current_item()
        if item is not None and (message := action(self, self.database, item)):
            self._after_agenda_change(item.id, message)

    def attach_paper(self) -> None:
        self._paper_action(agenda_papers.attach)

    def attach_confirmed_minutes(self) -> None:
        """Documents > Attach the confirmed minutes…: they become the paper of the next
        meeting's "Minutes of the last meeting" item."""
        meeting = self.current_meeting()
        if meeting is None:
            QMessageBox.information(self, "Confirmed minutes", "Select the meeting first.")
            return
        if message := agenda_papers.attach_minutes(self, self.database, meeting.id):
            self.refresh()
            self.status.emit(message)

    def _paper_dropped(self, row: int, path: Path) -> None:
        """A file dropped onto an agenda row: Attach paper… with it, for that item."""
        if not 0 <= row < self.agenda_model.rowCount():
            return
        item = self.agenda_model.row_at(row)
        if message := agenda_papers.attach_file(self, self.database, item, path):
            self._after_agenda_change(item.id, message)

    def open_paper(self) -> None:
        self._paper_action(agenda_papers.open_paper)

    def toggle_confidential(self) -> None:
        self._paper_action(agenda_papers.toggle_confidential)

    def remove_paper(self) -> None:
        self._paper_action(agenda_papers.remove)

    # -- actions ------------------------------------------------------------------------------

    def new_action(self) -> None:
        meeting = self.current_meeting()
        if meeting is None:
            return
        item = self.current_item()
        dialog = ActionDialog(
            self.database,
            meeting_id=meeting.id,
            agenda_item_id=item.id if item else None,
            parent=self,
        )
        if ask(dialog):
            self.actions_page.refresh()
            self.status.emit("Added an action")
