"""The Meetings tab's action log: actions across meetings, filtered by group, owner and status,
overdue ones in red, soonest due first."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from lscb_desktop import clock
from lscb_desktop.models import ActionStatus
from lscb_desktop.services.actions import ActionRow, action_rows, mark_done
from lscb_desktop.services.history import Subject, subject
from lscb_desktop.services.people import person_choices
from lscb_desktop.store import Database
from lscb_desktop.ui.buttons import button as _button
from lscb_desktop.ui.choice_combo import ChoiceCombo
from lscb_desktop.ui.meeting_dialogs import ActionDialog, ask
from lscb_desktop.ui.table_model import Column, RecordTableModel
from lscb_desktop.ui.tables import link_search, make_proxy, make_table, select_where, selected

ACTION_COLUMNS: list[Column[ActionRow]] = [
    Column("Action", lambda r: r.description, 330),
    Column("Group", lambda r: r.group, 190),
    Column("Meeting", lambda r: r.meeting_date, 85),
    Column("Item", lambda r: r.item, 160),
    Column("Owner", lambda r: r.owner, 150),
    # No due date last: an action with a date is the one to chase.
    Column("Due", lambda r: r.due_date, 85, sort=lambda r: (r.due_date is None, r.due_date)),
    Column("Status", lambda r: r.status.label, 70),
    Column("Done", lambda r: r.done_date, 85),
]

#: The column the log opens sorted by, soonest first.
DUE = 5


class ActionLog(QWidget):
    """Actions across meetings, filtered by group, owner and status; overdue ones in red."""

    status = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.group_id: int | None = None
        self.loaded = False
        self.today = clock.today()
        self.owner = ChoiceCombo(person_choices(database), blank="Any owner")
        self.owner.setAccessibleName("Owner")
        self.owner.setMinimumWidth(220)
        self.owner.picked.connect(lambda _owner: self.refresh())  # chosen or typed
        self.state = QComboBox(self)
        self.state.setAccessibleName("Action status")
        self.state.addItem("Any status", None)
        for status in ActionStatus:
            self.state.addItem(status.label, status)
        self.state.setCurrentIndex(1)  # open
        self.state.currentIndexChanged.connect(self.refresh)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search actions (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search actions")
        self.model: RecordTableModel[ActionRow] = RecordTableModel(
            ACTION_COLUMNS, self, warn=lambda r: r.overdue(self.today)
        )
        self.proxy: QSortFilterProxyModel = make_proxy(self, self.model)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = make_table(self, "meetings/actions")
        link_search(self.search, self.table)
        self.table.setModel(self.proxy)
        self.table.sortByColumn(DUE, Qt.SortOrder.AscendingOrder)
        self.table.setAccessibleName("Actions")
        for index, column in enumerate(ACTION_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        self.table.doubleClicked.connect(self.edit_action)
        self.count_label = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Owner"))
        top.addWidget(self.owner)
        top.addWidget(self.state)
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(_button("&Edit action…", self.edit_action, self))
        buttons.addWidget(_button("Mark &done", self.mark_done, self))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_filters(self, group_id: int | None) -> None:
        self.group_id = group_id
        if self.loaded:
            self.refresh()

    def shown(self) -> None:
        """The log loads when first shown, not when the Meetings tab opens."""
        if not self.loaded:
            self.refresh()

    def refresh(self) -> None:
        self.loaded = True
        self.today = clock.today()
        rows = action_rows(
            self.database,
            group_id=self.group_id,
            owner_id=self.owner.current_id(),
            status=self.state.currentData(),
        )
        self.model.set_rows(rows)
        overdue = sum(r.overdue(self.today) for r in rows)
        self.count_label.setText(
            f"{len(rows)} action{'' if len(rows) == 1 else 's'}"
            + (f", {overdue} overdue" if overdue else "")
        )

    def show_action(self, action_id: int) -> bool:
        """Selects an action, showing every status and owner so that it is there to select."""
        for combo in (self.owner, self.state):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.clear()
        self.refresh()
        return select_where(self.table, lambda row: row.id == action_id)

    def current_action(self) -> ActionRow | None:
        return selected(self.table, ActionRow)

    def edit_action(self) -> None:
        row = self.current_action()
        if row is not None and ask(ActionDialog(self.database, row.id, parent=self)):
            self.refresh()
            self.status.emit("Saved the action")

    def mark_done(self) -> None:
        row = self.current_action()
        if row is None or row.status is ActionStatus.DONE:
            return
        mark_done(self.database, row.id, self.today)
        self.refresh()
        self.status.emit(f"Marked done: {row.description[:60]}")


def action_subject(action: ActionRow) -> Subject:
    text = " ".join(action.description.split())
    short = text if len(text) <= 60 else text[:59] + "…"
    return subject(f"Action: {short}", ("action", action.id))
