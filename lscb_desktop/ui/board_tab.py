"""The Board tab: the Strategic Board's members, and the agencies they represent."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.services.agencies import AgencyRow, agency_rows
from lscb_desktop.services.history import Subject, subject
from lscb_desktop.services.members import board_group_id
from lscb_desktop.store import Database
from lscb_desktop.ui.history_dialog import member_subject
from lscb_desktop.ui.members_panel import MembersPanel
from lscb_desktop.ui.record_tab import RecordTab
from lscb_desktop.ui.small_dialogs import AgencyDialog
from lscb_desktop.ui.table_model import Column, RecordTableModel
from lscb_desktop.ui.tables import link_search, make_proxy, make_table, selected


def agency_columns(board_term: str) -> list[Column[AgencyRow]]:
    return [
        Column("Agency", lambda r: r.name, 260),
        Column("Short name", lambda r: r.short_name, 90),
        Column("Sector", lambda r: r.sector, 110),
        Column("Statutory partner", lambda r: "Yes" if r.statutory_partner else "No", 110),
        Column(f"{board_term} members", lambda r: "; ".join(r.representatives) or "—", 250),
        Column("Counts for quorum", lambda r: "Yes" if r.counts_for_quorum else "No", 120),
        Column(
            "Flag",
            lambda r: f"Statutory partner with no {board_term} member" if r.unrepresented else "",
            250,
        ),
    ]


class AgenciesPanel(QWidget):
    """The partner agencies, their current Board members, and who is missing."""

    changed = Signal()

    def __init__(
        self, database: Database, board_term: str = "Board", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.board_term = board_term
        self.model: RecordTableModel[AgencyRow] = RecordTableModel(
            agency_columns(board_term), self, warn=lambda row: row.unrepresented
        )
        self.proxy = make_proxy(self, self.model)
        self.title = QLabel(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search agencies")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search agencies")
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table: QTableView = make_table(self, "board/agencies")
        link_search(self.search, self.table)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Agencies")
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        for index, column in enumerate(self.model.columns):
            self.table.setColumnWidth(index, column.width)
        self.table.doubleClicked.connect(self.edit_agency)
        self.new_button = QPushButton("New a&gency…", self)
        self.edit_button = QPushButton("Edit agenc&y…", self)
        self.new_button.clicked.connect(self.new_agency)
        self.edit_button.clicked.connect(self.edit_agency)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.search)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        rows = agency_rows(self.database)
        self.model.set_rows(rows)
        missing = sum(row.unrepresented for row in rows)
        text = f"<b>Agencies</b> ({len(rows)})"
        if missing:
            text += (
                f" — <span style='color:#8a1c14'><b>{missing} statutory partner(s) with no "
                f"{self.board_term} member</b></span>"
            )
        self.title.setText(text)

    def set_terms(self, board_term: str) -> None:
        self.board_term = board_term
        self.model.set_columns(agency_columns(board_term))
        self.refresh()

    def current_agency(self) -> AgencyRow | None:
        return selected(self.table, AgencyRow)

    def new_agency(self) -> None:
        if AgencyDialog(self.database, None, self).exec():
            self.refresh()
            self.changed.emit()

    def edit_agency(self) -> None:
        row = self.current_agency()
        if row is not None and AgencyDialog(self.database, row.id, self).exec():
            self.refresh()
            self.changed.emit()


class BoardTab(RecordTab):
    status = Signal(str)

    def __init__(
        self, database: Database, board_term: str = "Board", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.members = MembersPanel(database, "board/members", self)
        self.agencies = AgenciesPanel(database, board_term, self)
        self.heading = QLabel(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("board/splitter")
        holder = QWidget(self)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.members)
        self.splitter.addWidget(holder)
        self.splitter.addWidget(self.agencies)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.members.changed.connect(self.agencies.refresh)
        self.agencies.changed.connect(self.members.refresh)
        self.members.status.connect(self.status)
        self.board_term = board_term
        self.set_terms(board_term)
        self.refresh()

    # The table, search box and model of the members, for tests and the main window.
    @property
    def table(self) -> QTableView:
        return self.members.table

    @property
    def search(self) -> QLineEdit:
        return self.members.search

    @property
    def proxy(self) -> QSortFilterProxyModel:
        return self.members.proxy

    @property
    def show_former(self) -> QCheckBox:
        return self.members.show_former

    @property
    def count_label(self) -> QLabel:
        return self.members.count_label

    def set_terms(self, board_term: str) -> None:
        self.board_term = board_term
        self.heading.setText(f"<b>{board_term} members</b>")
        self.members.table.setAccessibleName(f"{board_term} members")
        self.agencies.set_terms(board_term)

    def refresh(self) -> None:
        group_id = board_group_id(self.database)
        self.members.set_group(group_id, f"the {self.board_term}")
        self.agencies.refresh()

    def edit_part(self) -> MembersPanel:
        """The Edit menu acts on the members list."""
        return self.members

    def tables(self) -> list[QTableView]:
        return [self.members.table, self.agencies.table]

    def selected_record(self) -> Subject | None:
        """What Edit > History… shows: the selected member (their person and membership), or
        the selected agency when the agencies list is in use."""
        agency = self.agencies.current_agency()
        if agency is not None and self.agencies.table.hasFocus():
            return subject(agency.name, ("agency", agency.id))
        member = member_subject(self.members, f"{self.board_term} member")
        if member is not None:
            return member
        return subject(agency.name, ("agency", agency.id)) if agency is not None else None
