"""The Home tab: the start of the day. Each line opens the record it is about."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.services.home import Home, HomeLine, home
from lscb_desktop.store import Database

URGENT = QColor("#8a1c14")


class HomeTab(QWidget):
    #: (kind, record id): "meeting", "action", "case_review" or "audit".
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
        self.lists: dict[str, QListWidget] = {}
        grid = QGridLayout()
        sections = (
            ("next_meetings", "Next meetings and their papers deadlines", 0, 0),
            ("overdue_papers", "Papers overdue", 0, 1),
            ("review_steps", "Case review steps due in the next 10 working days, or overdue", 1, 0),
            ("overdue_actions", "Actions overdue", 1, 1),
            ("audits", "Audits this quarter", 2, 0),
        )
        for key, title, row, column in sections:
            box = QGroupBox(title, self)
            view = QListWidget(box)
            view.setAccessibleName(title)
            view.setWordWrap(True)
            view.itemActivated.connect(self._activated)
            view.itemDoubleClicked.connect(self._activated)
            inner = QVBoxLayout(box)
            inner.addWidget(view)
            grid.addWidget(box, row, column)
            self.lists[key] = view
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(QLabel("Double-click a line, or select it and press Enter, to open it."))
        layout.addLayout(grid, 1)
        self.refresh()

    def refresh(self, today: dt.date | None = None) -> None:
        summary: Home = home(self.database, today)
        self.heading.setText(f"{summary.today:%A %d %B %Y}")
        for key, view in self.lists.items():
            lines: list[HomeLine] = getattr(summary, key)
            view.clear()
            for line in lines:
                item = QListWidgetItem(line.text)
                item.setData(Qt.ItemDataRole.UserRole, (line.kind, line.record_id))
                if line.urgent:
                    item.setForeground(URGENT)
                    bold = QFont(item.font())
                    bold.setBold(True)
                    item.setFont(bold)
                view.addItem(item)
            if not lines:
                empty = QListWidgetItem("Nothing.")
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                view.addItem(empty)

    def _activated(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            kind, record_id = target
            self.open_record.emit(kind, int(record_id))

    def lines(self, key: str) -> list[str]:
        view = self.lists[key]
        return [
            view.item(i).text()
            for i in range(view.count())
            if view.item(i).flags() & Qt.ItemFlag.ItemIsEnabled
        ]

    # The Edit menu has nothing to do here.
    def focus_search(self) -> None: ...
    def new_record(self) -> None: ...
    def edit_record(self) -> None: ...
    def remove_record(self) -> None: ...
    def delete_record(self) -> None: ...

    def tables(self) -> list[QTableView]:
        return []
