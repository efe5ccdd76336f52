"""One group's members: a searchable, sortable table with the actions a business unit needs.

The Board tab shows the Strategic Board's members in one; the Sub-groups tab shows the selected
group's.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop import clock
from lscb_desktop.services.members import (
    HasHistory,
    MemberRow,
    delete_membership,
    email_list,
    group_members,
)
from lscb_desktop.store import Database
from lscb_desktop.ui.conflict_dialog import one_click
from lscb_desktop.ui.documents import agreement_document, contacts_document
from lscb_desktop.ui.member_dialog import MemberDialog
from lscb_desktop.ui.small_dialogs import ChecklistDialog, EndMembershipDialog
from lscb_desktop.ui.table_model import ROW_ROLE, Column, RecordTableModel
from lscb_desktop.ui.tables import link_search, make_proxy, make_table, select_where, selected

MEMBER_COLUMNS: list[Column[MemberRow]] = [
    Column("Name", lambda r: r.name, 150, sort=lambda r: r.sort_name.casefold()),
    Column("Role", lambda r: r.role, 95),
    Column("Position", lambda r: r.position, 150),
    Column("Agency", lambda r: r.agency, 200),
    Column("Job title", lambda r: r.job_title, 165),
    Column("Email", lambda r: r.email, 215),
    Column("Phone", lambda r: r.phone, 100),
    Column("Substitute", lambda r: r.substitute, 105),
    Column("Agreement signed", lambda r: r.agreement_signed, 115),
    Column("Induction", lambda r: r.induction, 65, sort=lambda r: r.induction_done),
    Column("Left", lambda r: r.end_date, 90),
]
LEFT_COLUMN = len(MEMBER_COLUMNS) - 1


class MembersPanel(QWidget):
    """A group's members; ``changed`` is emitted after anything is saved."""

    changed = Signal()
    status = Signal(str)

    def __init__(self, database: Database, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.group_id: int | None = None
        self.group_name = ""
        self.model: RecordTableModel[MemberRow] = RecordTableModel(MEMBER_COLUMNS, self)
        self.proxy = make_proxy(self, self.model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search members (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search members")
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.show_former = QCheckBox("Show &former members", self)
        self.show_former.toggled.connect(self.refresh)
        self.count_label = QLabel(self)

        self.table = make_table(self, name)
        link_search(self.search, self.table)
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAccessibleName("Members")
        for index, column in enumerate(MEMBER_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        self.table.doubleClicked.connect(self.edit_record)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        for signal in (self.proxy.modelReset, self.proxy.layoutChanged, self.search.textChanged):
            signal.connect(self._update_count)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_record)

        self.add_button = QPushButton("&Add member…", self)
        self.edit_button = QPushButton("&Edit…", self)
        self.checklist_button = QPushButton("&Checklist…", self)
        self.end_button = QPushButton("E&nd membership…", self)
        self.delete_button = QPushButton("&Delete…", self)
        self.copy_button = QPushButton("Copy e&mails", self)
        self.copy_button.setToolTip(
            "Copy the selected members' email addresses (or everyone's shown), "
            "separated by semicolons, ready to paste into Outlook"
        )
        self.add_button.clicked.connect(self.new_record)
        self.edit_button.clicked.connect(self.edit_record)
        self.checklist_button.clicked.connect(self.edit_checklist)
        self.end_button.clicked.connect(self.end_membership)
        self.delete_button.clicked.connect(self.delete_record)
        self.copy_button.clicked.connect(self.copy_emails)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_former)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._button_row())
        self._update_buttons()

    def _button_row(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.checklist_button,
            self.end_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self._documents_button())
        buttons.addWidget(self.copy_button)
        return buttons

    def _documents_button(self) -> QToolButton:
        button = QToolButton(self)
        button.setText("Documents")
        button.setAccessibleName("Member documents")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        menu.addAction("Membership &agreement for the selected member…", self.agreement_for_member)
        menu.addAction(
            "Print the selected member's agreement…", lambda: self.agreement_for_member(True)
        )
        menu.addAction("Membership agreements for the &whole group…", self.agreements_for_group)
        menu.addSeparator()
        menu.addAction("&Contact list (PDF)…", lambda: self.contacts(workbook=False))
        menu.addAction("Contact list (&workbook)…", lambda: self.contacts(workbook=True))
        button.setMenu(menu)
        return button

    def agreement_for_member(self, to_printer: bool = False) -> None:
        row = self.current_row()
        if row is None:
            QMessageBox.information(self, "Membership agreement", "Select a member first.")
            return
        agreement_document(
            self, self.database, row.name, person_id=row.person_id, to_printer=to_printer
        )

    def agreements_for_group(self) -> None:
        if self.group_id is not None:
            agreement_document(self, self.database, self.group_name, group_id=self.group_id)

    def contacts(self, *, workbook: bool) -> None:
        if self.group_id is not None:
            contacts_document(
                self, self.database, self.group_id, self.group_name, workbook=workbook
            )

    # -- showing ------------------------------------------------------------------------------

    def set_group(self, group_id: int | None, group_name: str) -> None:
        self.group_id = group_id
        self.group_name = group_name
        self.add_button.setEnabled(group_id is not None)
        self.refresh()

    def refresh(self) -> None:
        former = self.show_former.isChecked()
        rows = (
            []
            if self.group_id is None
            else group_members(self.database, self.group_id, include_former=former)
        )
        self.table.setColumnHidden(LEFT_COLUMN, not former)
        self.model.set_rows(rows)
        self._update_buttons()

    def _update_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown} of {total}" if shown != total else f"{total} members")

    def _update_buttons(self, *_args: object) -> None:
        row = self.current_row()
        for button in (self.edit_button, self.checklist_button, self.delete_button):
            button.setEnabled(row is not None)
        self.end_button.setEnabled(row is not None and row.end_date is None)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def current_row(self) -> MemberRow | None:
        return selected(self.table, MemberRow)

    def selected_rows(self) -> list[MemberRow]:
        return [index.data(ROW_ROLE) for index in self.table.selectionModel().selectedRows()]

    def shown_rows(self) -> list[MemberRow]:
        return [self.proxy.index(i, 0).data(ROW_ROLE) for i in range(self.proxy.rowCount())]

    def select_membership(self, membership_id: int) -> None:
        select_where(self.table, lambda row: row.membership_id == membership_id)

    # -- changing -----------------------------------------------------------------------------

    def _saved(self, membership_id: int | None, message: str) -> None:
        self.refresh()
        if membership_id is not None:
            self.select_membership(membership_id)
        self.changed.emit()
        self.status.emit(message)

    def new_record(self) -> None:
        if self.group_id is None:
            return
        dialog = MemberDialog(self.database, self.group_id, self.group_name, parent=self)
        if dialog.exec() == MemberDialog.DialogCode.Accepted and dialog.saved_id is not None:
            added = f"Added a member to {self.group_name}"
            self._saved(dialog.saved_id, f"{added}. {dialog.outcome}" if dialog.outcome else added)

    def edit_record(self) -> None:
        row = self.current_row()
        if row is None or self.group_id is None:
            return
        dialog = MemberDialog(
            self.database, self.group_id, self.group_name, row.membership_id, self
        )
        if dialog.exec() == MemberDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self._saved(dialog.saved_id, dialog.outcome or f"Saved {row.name}")

    def edit_checklist(self) -> None:
        row = self.current_row()
        if row is None:
            return
        dialog = ChecklistDialog(self.database, row.membership_id, row.name, self)
        if dialog.exec():
            self._saved(row.membership_id, f"Saved {row.name}'s checklist")

    def end_membership(self) -> None:
        row = self.current_row()
        if row is None:
            self.status.emit("Select the member whose membership ends")
            return
        if row.end_date is not None and row.end_date < clock.today():
            self.status.emit(f"{row.name}'s membership already ended on {row.end_date:%d/%m/%Y}")
            return
        # A last day still to come can be changed (to today, say).
        dialog = EndMembershipDialog(
            self.database, row.membership_id, row.name, self.group_name, self, row.end_date
        )
        with self.database.journal.labelled(f"end {row.name}'s membership"):
            ended = dialog.exec()
        if ended:
            self._saved(None, f"Ended {row.name}'s membership of {self.group_name}")

    def remove_record(self) -> None:
        """Edit > End membership: the usual way a member goes."""
        self.end_membership()

    def delete_record(self) -> None:
        row = self.current_row()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete membership",
            f"Delete {row.name}'s membership of {self.group_name}?\n\nOnly a membership entered "
            "by mistake should be deleted; one that has ended should be ended instead. "
            "The person stays on file.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        delete = partial(delete_membership, self.database, row.membership_id, version=row.version)
        try:
            if not one_click(self, "Delete membership", delete):
                return  # someone else changed or deleted it since the list was shown
        except HasHistory as exc:
            QMessageBox.information(self, "Delete membership", str(exc))
            return
        self._saved(None, f"Deleted {row.name}'s membership of {self.group_name}")

    def copy_emails(self) -> None:
        rows = self.selected_rows() or self.shown_rows()
        text = email_list(rows)
        QGuiApplication.clipboard().setText(text)
        count = len(text.split("; ")) if text else 0
        self.status.emit(f"Copied {count} email address(es) to the clipboard")
