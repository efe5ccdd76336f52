"""The register of interests: every declaration of interest made at a meeting, newest first,
searchable as you type, sortable, and for one person; double-click opens the meeting."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from lscb_desktop.services.declarations import DeclarationRow, register_of_interests
from lscb_desktop.store import Database
from lscb_desktop.ui.table_model import ROW_ROLE, Column, RecordTableModel
from lscb_desktop.ui.tables import link_search, make_proxy, make_table, selected

REGISTER_COLUMNS: list[Column[DeclarationRow]] = [
    Column("Date", lambda r: r.starts_at.date(), 85),
    Column("Group", lambda r: r.group, 200),
    Column("Item", lambda r: r.item, 240, sort=lambda r: (r.starts_at, r.item_number)),
    Column("Person", lambda r: r.name, 170, sort=lambda r: r.sort_name.casefold()),
    Column("Agency", lambda r: r.agency, 210),
    Column("Interest", lambda r: r.interest, 320),
    Column("What they did", lambda r: r.action.label, 120),
]


class InterestsPage(QWidget):
    """Every declaration, for everyone or one person."""

    #: The meeting a declaration was made at, to open on the Record page.
    open_meeting = Signal(int)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search the register (any part of a name, group, item…)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the register of interests")
        self.person = QComboBox(self)
        self.person.setAccessibleName("Person")
        self.person.setMinimumWidth(220)
        self.count = QLabel(self)
        self.model: RecordTableModel[DeclarationRow] = RecordTableModel(REGISTER_COLUMNS, self)
        self.proxy = make_proxy(self, self.model)
        self.table = make_table(self, "attendance/register-of-interests")
        link_search(self.search, self.table)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Register of interests")
        for index, column in enumerate(REGISTER_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        self.table.doubleClicked.connect(self._open)
        self.search.textChanged.connect(self._search)
        self.person.currentIndexChanged.connect(self._show)
        top = QHBoxLayout()
        search_label = QLabel("&Search", self)
        search_label.setBuddy(self.search)
        person_label = QLabel("&Person", self)
        person_label.setBuddy(self.person)
        top.addWidget(search_label)
        top.addWidget(self.search, 2)
        top.addWidget(person_label)
        top.addWidget(self.person, 1)
        top.addWidget(self.count)
        hint = QLabel(
            "Declarations of interest made at meetings, newest first. Double-click one to open "
            "its meeting; they are recorded on the Record a meeting page.",
            self,
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        self.rows: list[DeclarationRow] = []

    def refresh(self) -> None:
        """Reads the register again, keeping the person, search, sort and selection."""
        self.rows = register_of_interests(self.database)
        chosen = self.person.currentData()
        people = sorted(
            {(r.sort_name.casefold(), r.name, r.person_id) for r in self.rows},
        )
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem("Everyone", None)
        for _, name, person_id in people:
            self.person.addItem(name, person_id)
        self.person.setCurrentIndex(max(0, self.person.findData(chosen)))
        self.person.blockSignals(False)
        self._show()

    def _show(self) -> None:
        person_id = self.person.currentData()
        rows = [r for r in self.rows if person_id is None or r.person_id == person_id]
        self.model.set_rows(rows)
        self._count()

    def _search(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._count()

    def _count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        word = "declaration" if total == 1 else "declarations"
        self.count.setText(f"{shown} of {total} {word}" if shown != total else f"{total} {word}")

    def current(self) -> DeclarationRow | None:
        return selected(self.table, DeclarationRow)

    def _open(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, DeclarationRow):
            self.open_meeting.emit(row.meeting_id)
