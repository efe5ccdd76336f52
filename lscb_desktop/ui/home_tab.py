"""The Home tab: the start of the day. Each line opens the record it is about."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QListView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.services.history import Subject, subject
from lscb_desktop.services.home import Home, HomeLine, home
from lscb_desktop.store import Database
from lscb_desktop.ui.record_tab import RecordTab

URGENT = QColor("#8a1c14")
QUIET = QColor("#777777")


class LinesModel(QAbstractListModel):
    """Lines of the Home view. (A model rather than QListWidget items: thousands of items with
    data or fonts set from Python crash PySide6 6.x as the program exits.)"""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[HomeLine] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_lines(self, lines: list[HomeLine]) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else max(1, len(self.lines))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not self.lines:
            if role == Qt.ItemDataRole.DisplayRole:
                return "Nothing."
            return QUIET if role == Qt.ItemDataRole.ForegroundRole else None
        line = self.lines[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return line.text
        if line.urgent and role == Qt.ItemDataRole.ForegroundRole:
            return URGENT
        if line.urgent and role == Qt.ItemDataRole.FontRole:
            return self._bold
        return None


class HomeTab(RecordTab):
    #: (kind, record id): "meeting", "action", "case_review", "audit" or "attendance".
    open_record = Signal(str, int)
    status = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.lists: dict[str, QListView] = {}
        self.models: dict[str, LinesModel] = {}
        grid = QGridLayout()
        sections = (
            ("next_meetings", "Next meetings and their papers deadlines", 0, 0),
            ("overdue_papers", "Papers overdue", 0, 1),
            ("review_steps", "Case review steps due in the next 10 working days, or overdue", 1, 0),
            ("overdue_actions", "Actions overdue", 1, 1),
            ("audits", "Audits this quarter", 2, 0),
            ("attendance_to_record", "Attendance still to record", 2, 1),
        )
        for key, title, row, column in sections:
            box = QGroupBox(title, self)
            view = QListView(box)
            view.setAccessibleName(title)
            view.setWordWrap(True)
            view.setUniformItemSizes(True)
            model = LinesModel(view)
            view.setModel(model)
            view.activated.connect(lambda index, k=key: self._activated(k, index))
            view.doubleClicked.connect(lambda index, k=key: self._activated(k, index))
            inner = QVBoxLayout(box)
            inner.addWidget(view)
            grid.addWidget(box, row, column)
            self.lists[key] = view
            self.models[key] = model
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(QLabel("Double-click a line, or select it and press Enter, to open it."))
        layout.addLayout(grid, 1)
        self.refresh()

    def refresh(self, today: dt.date | None = None) -> None:
        summary: Home = home(self.database, today)
        self.heading.setText(f"{summary.today:%A %d %B %Y}")
        for key, model in self.models.items():
            view = self.lists[key]
            index = view.currentIndex()
            chosen = None
            if index.isValid() and index.row() < len(model.lines):
                line = model.lines[index.row()]
                chosen = (line.kind, line.record_id)
            model.set_lines(getattr(summary, key))
            # The line the user had selected stays selected, wherever it now is.
            for row, line in enumerate(model.lines):
                if (line.kind, line.record_id) == chosen:
                    view.setCurrentIndex(model.index(row, 0))
                    break

    def _activated(self, key: str, index: QModelIndex) -> None:
        lines = self.models[key].lines
        if lines and index.isValid():
            line = lines[index.row()]
            self.open_record.emit(line.kind, line.record_id)

    def open_line(self, key: str, row: int) -> None:
        """Opens a line as a double-click would (for the keyboard-free paths, and tests)."""
        self._activated(key, self.models[key].index(row, 0))

    def lines(self, key: str) -> list[str]:
        return [line.text for line in self.models[key].lines]

    def tables(self) -> list[QTableView]:
        return []

    def selected_record(self) -> Subject | None:
        """What Edit > History… shows: the selected line's record (the list in use first)."""
        views = sorted(self.lists.items(), key=lambda item: not item[1].hasFocus())
        for key, view in views:
            index = view.currentIndex()
            lines = self.models[key].lines
            if index.isValid() and view.selectionModel().isSelected(index):
                line = lines[index.row()]
                return subject(line.text, (line.kind, line.record_id))
        return None
