"""The History view: who changed the selected record when, and each field from what to what."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.services.history import (
    FieldChange,
    HistoryEntry,
    Subject,
    read_history,
    subject,
)
from lscb_desktop.store import Database
from lscb_desktop.ui.table_model import ROW_ROLE, Column, RecordTableModel
from lscb_desktop.ui.tables import link_search, make_proxy, make_table

if TYPE_CHECKING:
    from lscb_desktop.ui.members_panel import MembersPanel

#: A record's whole life is shown up to this many entries; older ones are counted.
LIMIT = 1000


@dataclass(frozen=True)
class ChangeRow:
    """One field of one change (a change that names no field is a row of its own)."""

    entry: HistoryEntry
    change: FieldChange | None

    @property
    def old(self) -> str:
        if self.change is None or self.entry.operation == "insert":
            return ""
        return self.change.old

    @property
    def new(self) -> str:
        if self.change is None or self.entry.operation == "delete":
            return ""
        return self.change.new


def change_rows(entries: Sequence[HistoryEntry]) -> list[ChangeRow]:
    return [ChangeRow(entry, change) for entry in entries for change in (entry.changes or (None,))]


COLUMNS: list[Column[ChangeRow]] = [
    Column(
        "When",
        lambda r: f"{r.entry.at:%d/%m/%Y %H:%M}",
        120,
        # Entries of the same minute keep the order they were made in.
        sort=lambda r: f"{r.entry.at.isoformat()} {r.entry.id:012d}",
    ),
    Column("Who", lambda r: r.entry.user, 90),
    Column("What", lambda r: r.entry.what.capitalize(), 70),
    Column("Record", lambda r: r.entry.record, 240),
    Column("Field", lambda r: r.change.label if r.change else "", 200),
    Column("From", lambda r: r.old, 200),
    Column("To", lambda r: r.new, 200),
]
WHEN, WHO, WHAT, RECORD, FIELD, FROM, TO = range(len(COLUMNS))


class HistoryDialog(QDialog):
    """Read-only; Esc or Close shuts it."""

    def __init__(self, database: Database, subject: Subject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History — {subject.title}")
        self.subject = subject
        history = read_history(database, subject.records, limit=LIMIT)
        self.model: RecordTableModel[ChangeRow] = RecordTableModel(COLUMNS, self)
        self.model.set_rows(change_rows(history.entries))
        self.proxy = make_proxy(self, self.model)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search the changes (a field, a name, a user)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the changes")
        self.search.textChanged.connect(self._filter)
        self.table: QTableView = make_table(self, "history/changes")
        link_search(self.search, self.table)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(f"Changes to {subject.title}")
        for index, column in enumerate(COLUMNS):
            self.table.setColumnWidth(index, column.width)
        self.table.sortByColumn(WHEN, Qt.SortOrder.DescendingOrder)
        self.count_label = QLabel(self)
        self.summary = self._summary(len(history.entries), history.left_out)
        self._filter("")
        heading = QLabel(
            f"<b>{subject.title}</b>: who changed it when, and each field from what to what.",
            self,
        )
        heading.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1180, 520)
        self.search.setFocus()

    def _summary(self, shown: int, left_out: int) -> str:
        if shown == 0:
            return "No changes recorded."
        text = f"{shown} entr{'y' if shown == 1 else 'ies'} in the change log"
        if left_out:
            text += f"; {left_out:,} older left out"
        return text

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        shown = self.proxy.rowCount()
        if text and shown != self.model.rowCount():
            self.count_label.setText(f"{shown} of {self.model.rowCount()} rows match")
        else:
            self.count_label.setText(self.summary)

    def rows(self) -> list[ChangeRow]:
        """The rows as shown, in the order shown (for tests and copying)."""
        return [self.proxy.index(i, 0).data(ROW_ROLE) for i in range(self.proxy.rowCount())]

    @classmethod
    def show_for(cls, database: Database, subject: Subject, parent: QWidget | None = None) -> None:
        cls(database, subject, parent).exec()


def member_subject(panel: MembersPanel, seat: str) -> Subject | None:
    """The selected member's person and membership, for the History view."""
    row = panel.current_row()
    if row is None:
        return None
    return subject(
        f"{row.name} ({seat})", ("person", row.person_id), ("membership", row.membership_id)
    )
