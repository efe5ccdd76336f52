"""The Meetings tab: every meeting with its papers deadline, the selected one's agenda, and the
action log across meetings."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop import clock
from lscb_desktop.models import MeetingStatus
from lscb_desktop.services.agenda import (
    AgendaRow,
)
from lscb_desktop.services.groups import group_choices
from lscb_desktop.services.history import Subject, subject
from lscb_desktop.services.meeting_removal import delete_meeting, what_goes
from lscb_desktop.services.meetings import MeetingRow, meeting_periods, meeting_rows
from lscb_desktop.services.periods import period_containing
from lscb_desktop.services.settings import load_settings
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import Database
from lscb_desktop.ui.action_log import ActionLog, action_subject
from lscb_desktop.ui.agenda_actions import AGENDA_COLUMNS, AgendaActions, agenda_columns
from lscb_desktop.ui.buttons import button as _button
from lscb_desktop.ui.conflict_dialog import one_click
from lscb_desktop.ui.meeting_dialogs import (
    MeetingDialog,
    PlanYearDialog,
    ask,
)
from lscb_desktop.ui.meeting_documents import MeetingDocuments
from lscb_desktop.ui.paper_drops import PaperDrops
from lscb_desktop.ui.record_tab import RecordTab
from lscb_desktop.ui.table_model import ROW_ROLE, Column, RecordTableModel
from lscb_desktop.ui.tables import link_search, make_proxy, make_table, select_where


def _papers(row: MeetingRow) -> str:
    expected = row.papers + row.papers_missing
    if not expected:
        return "—"
    return f"{row.papers} of {expected}"


MEETING_COLUMNS: list[Column[MeetingRow]] = [
    Column("Date", lambda r: r.date, 90, sort=lambda r: r.starts_at),
    Column("Time", lambda r: r.time, 95),
    Column("Group", lambda r: r.group, 230),
    Column("Kind", lambda r: r.kind.label, 95),
    Column("Status", lambda r: r.status.label, 80),
    Column("Papers due", lambda r: r.papers_due, 90),
    Column("Papers", _papers, 120, sort=lambda r: r.papers_missing),
    Column("Items", lambda r: r.items, 55),
    Column("Venue", lambda r: r.venue, 260),
]


class MeetingsTab(MeetingDocuments, AgendaActions, RecordTab):
    status = Signal(str)
    #: Meetings or attendance-relevant records changed (the Attendance tab refreshes).
    changed = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.today = clock.today()

        self._make_filters()

        # -- meetings -----------------------------------------------------------------------
        self.model: RecordTableModel[MeetingRow] = RecordTableModel(
            MEETING_COLUMNS,
            self,
            warn=lambda r: r.papers_overdue(self.today),
            caution=lambda r: r.papers_due_soon(self.today),
        )
        self.proxy = make_proxy(self, self.model)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = make_table(self, "meetings/list")
        link_search(self.search, self.table)
        self.table.setModel(self.proxy)
        # Upcoming first, as the service orders them, until the user sorts by a column.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAccessibleName("Meetings")
        for index, column in enumerate(MEETING_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        self.table.selectionModel().selectionChanged.connect(self._meeting_selected)
        self.table.doubleClicked.connect(self.edit_meeting)
        self.count_label = QLabel(self)

        # -- agenda -------------------------------------------------------------------------
        self.agenda_model: RecordTableModel[AgendaRow] = RecordTableModel(
            agenda_columns(self._sent), self, caution=lambda r: r.waiting_for_paper
        )
        self.agenda = make_table(self, "meetings/agenda")
        self.agenda.setModel(self.agenda_model)
        self.agenda.setSortingEnabled(False)
        self.agenda.setAccessibleName("Agenda")
        for index, agenda_column in enumerate(AGENDA_COLUMNS):
            self.agenda.setColumnWidth(index, agenda_column.width)
        self.agenda.doubleClicked.connect(self.edit_item)
        PaperDrops(self.agenda, self._paper_dropped, self.status.emit)
        for keys, offset in (("Ctrl+Up", -1), ("Ctrl+Down", 1)):
            shortcut = QShortcut(QKeySequence(keys), self.agenda)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda o=offset: self.move_item(o))
        self.agenda_heading = QLabel(self)
        self.agenda_heading.setWordWrap(True)

        self.inner = QTabWidget(self)
        self.inner.addTab(self._meetings_page(), "&Meetings and agendas")
        self.actions_page = ActionLog(database, self)
        self.inner.currentChanged.connect(self._page_changed)
        self.actions_page.status.connect(self.status)
        self.inner.addTab(self.actions_page, "&Action log")
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        for widget in (self.group_filter, self.period_filter, self.status_filter):
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count_label)
        layout.addLayout(filters)
        layout.addWidget(self.inner)
        self.refresh()

    def _make_filters(self) -> None:
        self.group_filter = QComboBox(self)
        self.group_filter.setAccessibleName("Group")
        self.period_filter = QComboBox(self)
        self.period_filter.setAccessibleName("Annual period")
        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName("Status")
        self.status_filter.addItem("Any status", None)
        for status in MeetingStatus:
            self.status_filter.addItem(status.label, status)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search meetings (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search meetings")
        self._fill_filters()
        for combo in (self.group_filter, self.period_filter, self.status_filter):
            combo.currentIndexChanged.connect(self.refresh)

    def _meetings_page(self) -> QWidget:
        page = QWidget(self)
        top_buttons = QHBoxLayout()
        for button in (
            _button("&New meeting…", self.new_meeting, self),
            _button("&Edit meeting…", self.edit_meeting, self),
            _button("&Plan a year…", self.plan_year, self),
            _button(
                "Delete meeting…",
                self.delete_meeting,
                self,
                "Delete the meeting with its "
                "agenda, papers, attendance and actions (Del); Edit > Undo puts it back",
            ),
            self._documents_button(),
        ):
            top_buttons.addWidget(button)
        top_buttons.addStretch(1)
        legend = QLabel(
            "<span style='background:#fde2e1;color:#8a1c14'>&nbsp;papers overdue&nbsp;</span> "
            "<span style='background:#fff4d6;color:#6b4e00'>&nbsp;papers due within 3 days"
            "&nbsp;</span>"
        )
        top_buttons.addWidget(legend)
        upper = QWidget(page)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top_buttons)
        upper_layout.addWidget(self.table)

        self.agenda_buttons = [
            _button("Add &item…", self.new_item, self),
            _button("Edit item…", self.edit_item, self),
            _button("Remove item", self.remove_item, self),
            _button("Move &up", lambda: self.move_item(-1), self, "Ctrl+Up"),
            _button("Move &down", lambda: self.move_item(1), self, "Ctrl+Down"),
            _button(
                "Standard items",
                self.add_standard,
                self,
                "Add the group's opening and closing items",
            ),
            _button("Copy agenda from…", self.copy_agenda, self),
        ]
        self.paper_buttons = [
            _button("Attach pape&r…", self.attach_paper, self),
            _button("&Open paper", self.open_paper, self),
            _button("Confidential?", self.toggle_confidential, self),
            _button("Remove paper", self.remove_paper, self),
            _button("Add ac&tion…", self.new_action, self),
            _button("Edit standard items…", self.edit_standard, self),
        ]
        lower = QWidget(page)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.agenda_heading)
        lower_layout.addWidget(self.agenda, 1)
        for buttons in (self.agenda_buttons, self.paper_buttons):
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(button)
            row.addStretch(1)
            lower_layout.addLayout(row)
        self.splitter = QSplitter(Qt.Orientation.Vertical, page)
        self.splitter.setObjectName("meetings/splitter")
        self.splitter.addWidget(upper)
        self.splitter.addWidget(lower)
        self.splitter.setSizes([300, 400])
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        return page

    def _fill_filters(self) -> None:
        group = self.group_filter.currentData()
        first_time = self.period_filter.count() == 0
        period = self.period_filter.currentData()
        if first_time:
            # This year's meetings to start with (upcoming first); "All periods" shows the rest.
            start_month = load_settings(self.database).annual_period_start_month
            period = period_containing(self.today, start_month)
        for combo in (self.group_filter, self.period_filter):
            combo.blockSignals(True)
            combo.clear()
        self.group_filter.addItem("All groups", None)
        for choice in group_choices(self.database):
            self.group_filter.addItem(choice.text, choice.id)
        self.period_filter.addItem("All periods", None)
        for each in meeting_periods(self.database, self.today):
            self.period_filter.addItem(each.name, each)
        self.group_filter.setCurrentIndex(max(0, self.group_filter.findData(group)))
        if period is not None:
            self.period_filter.setCurrentIndex(max(0, self.period_filter.findText(period.name)))
        for combo in (self.group_filter, self.period_filter):
            combo.blockSignals(False)

    # -- showing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.current_meeting()
        self.today = clock.today()
        rows = meeting_rows(
            self.database,
            group_id=self.group_filter.currentData(),
            period=self.period_filter.currentData(),
            status=self.status_filter.currentData(),
            today=self.today,
        )
        self.model.set_rows(rows)
        overdue = sum(r.papers_overdue(self.today) for r in rows)
        self.count_label.setText(
            f"{len(rows)} meetings" + (f", {overdue} with papers overdue" if overdue else "")
        )
        if selected is not None:
            self.select_meeting(selected.id)
        elif rows:
            self.table.selectRow(0)
        self._show_agenda()
        self.actions_page.set_filters(self.group_filter.currentData())

    def clear_filters(self) -> None:
        """Every meeting of every group and period, and no search: so any meeting can be shown."""
        for combo in (self.group_filter, self.period_filter, self.status_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.clear()
        self.refresh()

    def current_meeting(self) -> MeetingRow | None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].data(ROW_ROLE) if rows else None
        return row if isinstance(row, MeetingRow) else None

    def select_meeting(self, meeting_id: int) -> bool:
        return select_where(self.table, lambda row: row.id == meeting_id)

    def _meeting_selected(self, *_args: object) -> None:
        self._show_agenda()

    # -- meetings -----------------------------------------------------------------------------

    def new_meeting(self) -> None:
        dialog = MeetingDialog(self.database, None, self.group_filter.currentData(), self)
        if ask(dialog) and dialog.saved_id is not None:
            self._fill_filters()
            self.refresh()
            self.select_meeting(dialog.saved_id)
            self.changed.emit()
            self.status.emit("Added a meeting")

    def edit_meeting(self) -> None:
        meeting = self.current_meeting()
        if meeting is None:
            return
        if ask(MeetingDialog(self.database, meeting.id, parent=self)):
            self.refresh()
            self.changed.emit()
            self.status.emit("Saved the meeting")

    def delete_meeting(self) -> None:
        """Deletes the selected meeting once the user has seen what goes with it."""
        meeting = self.current_meeting()
        if meeting is None:
            QMessageBox.information(self, "Delete meeting", "Select the meeting to delete.")
            return
        goes = what_goes(self.database, meeting.id)
        if goes.refusal:
            QMessageBox.information(self, "Delete meeting", goes.refusal)
            return
        answer = QMessageBox.question(
            self,
            "Delete meeting",
            f"Delete the meeting {goes.name} with {goes.in_words()}?\n\nEdit > Undo puts it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        label = f"delete meeting {meeting.starts_at:%d/%m/%Y}"
        try:
            with self.database.journal.labelled(label):
                deleted = one_click(
                    self,
                    "Delete meeting",
                    partial(delete_meeting, self.database, meeting.id, version=None),
                )
        except InvalidInput as exc:  # confirmed by someone else meanwhile
            QMessageBox.information(self, "Delete meeting", " ".join(exc.problems.values()))
            return
        if deleted:
            self._fill_filters()
            self.refresh()
            self.changed.emit()
            self.status.emit(f"Deleted the meeting {goes.name}")

    def plan_year(self) -> None:
        periods = [
            self.period_filter.itemData(i)
            for i in range(1, self.period_filter.count())
            if self.period_filter.itemData(i).end >= self.today
        ]
        dialog = PlanYearDialog(self.database, periods[::-1], self.group_filter.currentData(), self)
        if ask(dialog):
            self._fill_filters()
            self.refresh()
            self.changed.emit()
            skipped = f"; {dialog.skipped} already planned" if dialog.skipped else ""
            plural = "" if dialog.added == 1 else "s"
            self.status.emit(f"Added {dialog.added} meeting{plural}{skipped}")

    def _page_changed(self, index: int) -> None:
        """The action log has its own search and filters: the meetings' ones are hidden there
        (the group chosen applies to both)."""
        for widget in (self.period_filter, self.status_filter, self.search, self.count_label):
            widget.setVisible(index == 0)
        if index == 1:
            self.actions_page.shown()

    # -- the Edit menu ------------------------------------------------------------------------

    def focus_search(self) -> None:
        target = self.actions_page.search if self.inner.currentIndex() == 1 else self.search
        target.setFocus()
        target.selectAll()

    def new_record(self) -> None:
        if self.inner.currentIndex() == 1:
            return
        self.new_meeting()

    def edit_record(self) -> None:
        if self.inner.currentIndex() == 1:
            self.actions_page.edit_action()
        elif self.agenda.hasFocus():
            self.edit_item()
        else:
            self.edit_meeting()

    def remove_record(self) -> None:
        """Edit > Remove: the agenda item in the agenda, else the meeting selected."""
        if self.inner.currentIndex() == 1:
            self.status.emit("Actions are not deleted: mark one done, or edit it")
        elif self.agenda.hasFocus():
            self.remove_item()
        else:
            self.delete_meeting()

    def tables(self) -> list[QTableView]:
        return [self.table, self.agenda, self.actions_page.table]

    def selected_record(self) -> Subject | None:
        """What Edit > History… shows: the action in the action log, the agenda item when the
        agenda is in use, otherwise the meeting."""
        if self.inner.currentIndex() == 1:
            action = self.actions_page.current_action()
            return action_subject(action) if action is not None else None
        item = self.current_item()
        if item is not None and self.agenda.hasFocus():
            return subject(f"Agenda item: {item.title}", ("agenda_item", item.id))
        meeting = self.current_meeting()
        if meeting is None:
            return None
        return subject(
            f"{meeting.group}, {meeting.starts_at:%d/%m/%Y %H:%M}", ("meeting", meeting.id)
        )
