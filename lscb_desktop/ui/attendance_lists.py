"""Below the attendees on the Record page: the guests and officers in attendance, the
declarations of interest, and the quorum item by item where it differs from the meeting's."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.services.attendance import GuestRow, ItemQuorum, MeetingSheet
from lscb_desktop.services.declarations import DeclarationRow, remove_declaration
from lscb_desktop.services.guests import remove_guest
from lscb_desktop.services.quorum import Quorum
from lscb_desktop.store import Database
from lscb_desktop.ui.attendance_changes import attempt
from lscb_desktop.ui.attendance_dialogs import DeclarationDialog, GuestDialog
from lscb_desktop.ui.forms import FormDialog
from lscb_desktop.ui.table_model import Column, RecordTableModel
from lscb_desktop.ui.tables import make_table, select_where, selected
from lscb_desktop.words import and_list

GUEST_COLUMNS: list[Column[GuestRow]] = [
    Column("Guest or officer", lambda r: r.name, 190),
    Column("Organisation", lambda r: r.organisation, 230),
    Column("Job title", lambda r: r.job_title, 200),
    Column("In attendance for", lambda r: r.attending_for, 160),
]
DECLARATION_COLUMNS: list[Column[DeclarationRow]] = [
    Column("Item", lambda r: r.item, 220, sort=lambda r: (r.item_number, r.sort_name)),
    Column("Who", lambda r: r.name, 170, sort=lambda r: r.sort_name.casefold()),
    Column("Interest", lambda r: r.interest, 300),
    Column("What they did", lambda r: r.action.label, 120),
    Column("Notes", lambda r: r.notes, 200),
]
ITEM_QUORUM_COLUMNS: list[Column[ItemQuorum]] = [
    Column("Item", lambda r: f"Item {r.number}: {r.title}", 260, sort=lambda r: r.number),
    Column("Starts", lambda r: f"{r.starts_at:%H:%M}", 60),
    Column("Quorum for the item", lambda r: r.quorum.text, 330),
    Column("Left out (declared an interest)", lambda r: ", ".join(r.left_out), 220),
    Column("Counted", lambda r: ", ".join(r.quorum.agencies), 300),
]


def _buttons(owner: QWidget, *specs: tuple[str, object]) -> tuple[QHBoxLayout, list[QPushButton]]:
    row = QHBoxLayout()
    made = []
    for text, slot in specs:
        button = QPushButton(text, owner)
        button.clicked.connect(slot)
        row.addWidget(button)
        made.append(button)
    row.addStretch(1)
    return row, made


class _Panel(QWidget):
    """A list of one meeting's records with Add…, Edit… and Remove."""

    #: Something was changed (the words for the status bar): the page refreshes.
    changed = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.sheet: MeetingSheet | None = None
        self.items: list[tuple[int, str]] = []

    def set_sheet(self, sheet: MeetingSheet | None, items: list[tuple[int, str]]) -> None:
        self.sheet = sheet
        self.items = items

    def run(self, dialog: FormDialog, words: Callable[[], str]) -> int | None:
        """Shows a form, then gets rid of it; the saved record's id (the page told, in
        ``words()``), or None when it was cancelled."""
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            saved = dialog.saved_id
            self.changed.emit(words())
            return saved
        finally:
            dialog.deleteLater()


class GuestsPanel(_Panel):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.model: RecordTableModel[GuestRow] = RecordTableModel(GUEST_COLUMNS, self)
        self.table = make_table(self, "attendance/guests")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.setAccessibleName("Guests and officers in attendance")
        for index, column in enumerate(GUEST_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        self.table.doubleClicked.connect(self.edit_guest)
        buttons, self.buttons = _buttons(
            self,
            ("Add &guest or officer…", self.new_guest),
            ("Edit guest…", self.edit_guest),
            ("Remove guest", self.drop_guest),
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_sheet(self, sheet: MeetingSheet | None, items: list[tuple[int, str]]) -> None:
        super().set_sheet(sheet, items)
        self.model.set_rows(sheet.guests if sheet else [])
        for button in self.buttons:
            button.setEnabled(sheet is not None)

    def current(self) -> GuestRow | None:
        return selected(self.table, GuestRow)

    def new_guest(self) -> None:
        if self.sheet is None:
            return
        dialog = GuestDialog(self.database, self.sheet, self.items, parent=self)
        saved = self.run(dialog, lambda: f"Added {dialog.name.text().strip()}")
        if saved is not None:
            select_where(self.table, lambda r: getattr(r, "id", None) == saved)

    def edit_guest(self) -> None:
        guest = self.current()
        if self.sheet is None or guest is None:
            return
        dialog = GuestDialog(self.database, self.sheet, self.items, guest.id, self)
        self.run(dialog, lambda: f"Saved {dialog.name.text().strip()}")

    def drop_guest(self) -> None:
        guest = self.current()
        if guest is None:
            return
        remove = partial(remove_guest, self.database, guest.id, version=guest.version)
        if attempt(self, "Remove guest", remove):
            self.changed.emit(f"Removed {guest.name}")


class DeclarationsPanel(_Panel):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.model: RecordTableModel[DeclarationRow] = RecordTableModel(DECLARATION_COLUMNS, self)
        self.table = make_table(self, "attendance/declarations")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.setAccessibleName("Declarations of interest")
        for index, column in enumerate(DECLARATION_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        self.table.doubleClicked.connect(self.edit_declaration)
        buttons, self.buttons = _buttons(
            self,
            ("Add declaration…", self.new_declaration),
            ("Edit declaration…", self.edit_declaration),
            ("Remove declaration", self.drop_declaration),
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_sheet(self, sheet: MeetingSheet | None, items: list[tuple[int, str]]) -> None:
        super().set_sheet(sheet, items)
        self.model.set_rows(sheet.declarations if sheet else [])
        for button in self.buttons:
            button.setEnabled(sheet is not None)

    def current(self) -> DeclarationRow | None:
        return selected(self.table, DeclarationRow)

    def new_declaration(self) -> None:
        if self.sheet is None:
            return
        dialog = DeclarationDialog(self.database, self.sheet, self.items, parent=self)
        saved = self.run(dialog, lambda: "Declaration of interest recorded")
        if saved is not None:
            select_where(self.table, lambda r: getattr(r, "id", None) == saved)

    def edit_declaration(self) -> None:
        row = self.current()
        if self.sheet is None or row is None:
            return
        dialog = DeclarationDialog(self.database, self.sheet, self.items, row.id, self)
        self.run(dialog, lambda: "Declaration of interest saved")

    def drop_declaration(self) -> None:
        row = self.current()
        if row is None:
            return
        remove = partial(remove_declaration, self.database, row.id, version=row.version)
        if attempt(self, "Remove declaration", remove):
            self.changed.emit(f"Removed {row.name}'s declaration ({row.item})")


def differs(item: ItemQuorum, meeting: Quorum) -> bool:
    """Whether an item's quorum is not the meeting's (someone declared, came late, left)."""
    return item.quorum.quorate != meeting.quorate or item.quorum.counted != meeting.counted


class ItemQuorumPanel(QWidget):
    """The items whose quorum differs from the meeting's, and why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.model: RecordTableModel[ItemQuorum] = RecordTableModel(
            ITEM_QUORUM_COLUMNS, self, warn=lambda r: r.quorum.quorate is False
        )
        self.table: QTableView = make_table(self, "attendance/item-quorum")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.setAccessibleName("Quorum item by item")
        for index, column in enumerate(ITEM_QUORUM_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def set_items(self, items: list[ItemQuorum], meeting: Quorum | None) -> list[ItemQuorum]:
        """Shows the items whose quorum differs; returns them."""
        different = [i for i in items if meeting is not None and differs(i, meeting)]
        self.model.set_rows(different)
        if meeting is None:
            self.summary.setText("")
        elif not items:
            self.summary.setText("The meeting has no agenda items.")
        elif not different:
            self.summary.setText(
                f"Every one of the {len(items)} items had the meeting's quorum "
                "(no declaration left anyone out, and no late arrival or early departure "
                "changed it)."
            )
        else:
            numbers = and_list([str(i.number) for i in different])
            word = "Item" if len(different) == 1 else "Items"
            self.summary.setText(
                f"{word} {numbers}: the quorum differs from the meeting's, leaving out those who "
                "declared an interest and took no part, and anyone not in the room when the item "
                "began."
            )
        return different
