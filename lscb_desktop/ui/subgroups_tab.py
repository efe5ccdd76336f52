"""The Sub-groups tab: every group, and for the selected one its members and terms of reference."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop import clock
from lscb_desktop.services.groups import (
    GroupRow,
    archive_group,
    group_rows,
)
from lscb_desktop.services.history import Subject, subject
from lscb_desktop.store import Database
from lscb_desktop.ui.group_form import GroupForm, NewGroupDialog
from lscb_desktop.ui.members_panel import MembersPanel
from lscb_desktop.ui.record_tab import RecordTab
from lscb_desktop.ui.table_model import ROW_ROLE, Column, RecordTableModel
from lscb_desktop.ui.tables import link_search, make_proxy, make_table, select_where

GROUP_COLUMNS: list[Column[GroupRow]] = [
    Column("Group", lambda r: r.name, 240),
    Column("Short name", lambda r: r.short_name, 80),
    Column("Kind", lambda r: r.kind, 100, sort=lambda r: r.kind_order),
    Column("Chair", lambda r: r.chair, 150),
    Column("Deputy", lambda r: r.deputy, 190),
    Column("Meets", lambda r: r.meeting_frequency, 95),
    Column(
        "Quorum",
        lambda r: r.quorum,
        90,
        # By the number of agencies, then the partners required (a number: the proxy sorts
        # numbers and text, not tuples).
        sort=lambda r: (r.quorum_agencies or 0) * 1000 + len(r.quorum_partners),
    ),
    Column("Accountable to", lambda r: r.accountable_to, 190),
    Column("Members", lambda r: r.current_members, 70),
    Column("Archived", lambda r: r.archived_on, 90),
]
ARCHIVED_COLUMN = len(GROUP_COLUMNS) - 1


class SubgroupsTab(RecordTab):
    status = Signal(str)
    #: A group was added, renamed, archived or its members changed (the Board tab may show it).
    changed = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.model: RecordTableModel[GroupRow] = RecordTableModel(GROUP_COLUMNS, self)
        self.proxy = make_proxy(self, self.model)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search groups (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search groups")
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.show_archived = QCheckBox("Show a&rchived groups", self)
        self.show_archived.toggled.connect(self.refresh)
        self.table: QTableView = make_table(self, "groups/list")
        link_search(self.search, self.table)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Groups")
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        for index, column in enumerate(GROUP_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.new_button = QPushButton("&New group…", self)
        self.archive_button = QPushButton("Arc&hive group…", self)
        self.new_button.clicked.connect(self.new_group)
        self.archive_button.clicked.connect(self.archive_or_restore)

        self.heading = QLabel(self)
        self.details = self._details()

        upper = self._groups_list()
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.heading)
        lower_layout.addWidget(self.details)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("groups/splitter")
        self.splitter.addWidget(upper)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        rows_shown = 9  # the sample's eight groups and a little room
        self.splitter.setSizes(
            [self.table.verticalHeader().defaultSectionSize() * rows_shown + 70, 480]
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.refresh()
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def _groups_list(self) -> QWidget:
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_archived)
        top.addWidget(self.new_button)
        top.addWidget(self.archive_button)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.table)
        return upper

    def _details(self) -> QTabWidget:
        """The selected group's members and terms of reference."""
        self.members = MembersPanel(self.database, "groups/members", self)
        self.members.changed.connect(self._members_changed)
        self.members.status.connect(self.status)
        self.terms = GroupForm(self.database, self)
        self.save_terms_button = QPushButton("&Save terms of reference", self)
        self.revert_terms_button = QPushButton("Undo changes", self)
        self.save_terms_button.clicked.connect(self.save_terms)
        self.revert_terms_button.clicked.connect(lambda: self.terms.load(self.terms.group_id))
        terms_page = QWidget(self)
        terms_layout = QVBoxLayout(terms_page)
        terms_layout.addWidget(self.terms)
        terms_buttons = QHBoxLayout()
        terms_buttons.addStretch(1)
        terms_buttons.addWidget(self.revert_terms_button)
        terms_buttons.addWidget(self.save_terms_button)
        terms_layout.addLayout(terms_buttons)
        details = QTabWidget(self)
        details.addTab(self.members, "Members")
        details.addTab(terms_page, "Terms of reference")
        return details

    # -- showing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.current_group()
        archived = self.show_archived.isChecked()
        self.model.set_rows(group_rows(self.database, include_archived=archived))
        self.table.setColumnHidden(ARCHIVED_COLUMN, not archived)
        if selected is not None:
            self.select_group(selected.id)
        shown = self.members.group_id
        self._show_selected()
        if shown is not None and self.members.group_id == shown:
            self.members.refresh()  # the same group: its members as they are now

    def current_group(self) -> GroupRow | None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].data(ROW_ROLE) if rows else None
        return row if isinstance(row, GroupRow) else None

    def select_group(self, group_id: int) -> bool:
        return select_where(self.table, lambda row: row.id == group_id)

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        if self.terms.group_id is not None and self.terms.is_dirty():
            answer = QMessageBox.question(
                self,
                "Terms of reference",
                f"Save the changes to the terms of reference of {self.terms.loaded.name}?",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel or (
                answer == QMessageBox.StandardButton.Save and self.terms.save() is None
            ):
                # Stay on the group being edited, with what was typed.
                blocker = self.table.selectionModel().blockSignals(True)
                self.table.selectionModel().select(
                    selected, self.table.selectionModel().SelectionFlag.Deselect
                )
                self.table.selectionModel().select(
                    deselected, self.table.selectionModel().SelectionFlag.Select
                )
                self.table.selectionModel().blockSignals(blocker)
                self.details.setCurrentIndex(1)
                return
        self._show_selected()

    def _show_selected(self) -> None:
        group = self.current_group()
        self.archive_button.setEnabled(group is not None)
        self.details.setEnabled(group is not None)
        if group is None:
            self.heading.setText("Select a group to see its members and terms of reference.")
            self.members.set_group(None, "")
            self.terms.load(None)
            return
        archived = f" — archived {group.archived_on:%d/%m/%Y}" if group.archived_on else ""
        self.heading.setText(f"<b>{group.name}</b>{archived}")
        self.archive_button.setText("Rest&ore group…" if group.archived_on else "Arc&hive group…")
        if self.members.group_id != group.id:
            self.members.set_group(group.id, group.name)
        if self.terms.group_id != group.id or not self.terms.is_dirty():
            self.terms.load(group.id)

    # -- changing -----------------------------------------------------------------------------

    def _members_changed(self) -> None:
        self.refresh()
        self.changed.emit()

    def save_terms(self) -> None:
        saved = self.terms.save()
        if saved is not None:
            self.refresh()
            self.changed.emit()
            self.status.emit(f"Saved the terms of reference of {self.terms.value().name}")

    def new_group(self) -> None:
        dialog = NewGroupDialog(self.database, self)
        if dialog.exec() and dialog.saved_id is not None:
            self.search.clear()
            self.refresh()
            self.select_group(dialog.saved_id)
            self.changed.emit()
            self.status.emit("Added a group")

    def archive_or_restore(self) -> None:
        group = self.current_group()
        if group is None:
            return
        if group.archived_on is not None:
            archive_group(self.database, group.id, None)
            self.status.emit(f"Restored {group.name}")
        else:
            answer = QMessageBox.question(
                self,
                "Archive group",
                f"Archive {group.name}? It leaves the list of current groups; its meetings, "
                "members and attendance are kept and it can be restored under "
                "“Show archived groups”.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            archive_group(self.database, group.id, clock.today())
            self.status.emit(f"Archived {group.name}")
        self.refresh()
        self.changed.emit()

    # -- the Edit menu ------------------------------------------------------------------------

    def focus_search(self) -> None:
        widget = self.members.search if self.members.table.hasFocus() else self.search
        widget.setFocus()
        widget.selectAll()

    def new_record(self) -> None:
        self.details.setCurrentWidget(self.members)
        self.members.new_record()

    def edit_part(self) -> MembersPanel:
        """Edit, Remove and Delete act on the group's members."""
        return self.members

    def tables(self) -> list[QTableView]:
        return [self.table, self.members.table]

    def selected_record(self) -> Subject | None:
        """What Edit > History… shows: the member selected in the members list when it is in
        use, otherwise the selected group."""
        from lscb_desktop.ui.history_dialog import member_subject  # noqa: PLC0415

        group = self.current_group()
        if self.members.table.hasFocus() and group is not None:
            member = member_subject(self.members, f"member of {group.name}")
            if member is not None:
                return member
        return subject(group.name, ("board_group", group.id)) if group is not None else None
