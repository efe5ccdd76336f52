"""The Board tab: the Strategic Board's members, searchable and sortable."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.services.members import MemberRow, board_group_id, group_members
from lscb_desktop.store import Database
from lscb_desktop.ui.table_model import SORT_ROLE, Column, RecordTableModel

MEMBER_COLUMNS: list[Column[MemberRow]] = [
    Column("Name", lambda r: r.name, 150, sort=lambda r: r.sort_name.casefold()),
    Column("Role", lambda r: r.role, 105),
    Column("Agency", lambda r: r.agency, 200),
    Column("Job title", lambda r: r.job_title, 165),
    Column("Email", lambda r: r.email, 215),
    Column("Phone", lambda r: r.phone, 100),
    Column("Substitute", lambda r: r.substitute, 105),
    Column("Agreement signed", lambda r: r.agreement_signed, 120),
    Column("Induction", lambda r: r.induction, 70),
    Column("Left", lambda r: r.end_date, 90),
]


class BoardTab(QWidget):
    def __init__(
        self, database: Database, board_term: str = "Board", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.model: RecordTableModel[MemberRow] = RecordTableModel(MEMBER_COLUMNS, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search members (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search members")
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.show_former = QCheckBox("Show former members", self)
        self.show_former.toggled.connect(self.refresh)
        self.count_label = QLabel(self)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setAccessibleName(f"{board_term} members")
        for index, column in enumerate(MEMBER_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.search.textChanged.connect(self._update_count)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_former)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self) -> None:
        group_id = board_group_id(self.database)
        rows = (
            []
            if group_id is None
            else group_members(self.database, group_id, include_former=self.show_former.isChecked())
        )
        self.table.setColumnHidden(len(MEMBER_COLUMNS) - 1, not self.show_former.isChecked())
        self.model.set_rows(rows)

    def _update_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown} of {total}" if shown != total else f"{total} members")

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
