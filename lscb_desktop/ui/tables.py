"""Helpers every list in the window shares: a read-only sortable table over a filter proxy,
and finding or selecting the row object behind it."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSignalBlocker,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTableView, QWidget

from lscb_desktop.ui.table_model import ROW_ROLE, SORT_ROLE, row_key

T = TypeVar("T")


class RecordTable(QTableView):
    """A table that keeps its selected records (found again by id), its current record and its
    scroll position when its model is reset, as it is on every refresh. Sort order and search
    text live in the proxy and survive a reset anyway.

    The selection is put back quietly (no selectionChanged): every tab's ``refresh`` brings what
    depends on the selection up to date itself, and a tab that asks before leaving an edited
    record (Sub-groups' terms of reference) must not see its own record "selected again"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._watched: QAbstractItemModel | None = None
        self._kept: tuple[set[Hashable], Hashable | None, int, int] | None = None

    def setModel(self, model: QAbstractItemModel | None) -> None:
        if self._watched is not None:
            self._watched.modelAboutToBeReset.disconnect(self._remember_selection)
            self._watched.modelReset.disconnect(self._restore_selection)
        # Connected after the view's and the selection model's own handlers, so the selection
        # is put back once Qt has cleared it.
        super().setModel(model)
        self._watched = model
        if model is not None:
            model.modelAboutToBeReset.connect(self._remember_selection)
            model.modelReset.connect(self._restore_selection)

    def _remember_selection(self) -> None:
        selection = self.selectionModel()
        keys = {row_key(index.data(ROW_ROLE)) for index in selection.selectedRows()} - {None}
        current = self.currentIndex()
        current_key = row_key(current.data(ROW_ROLE)) if current.isValid() else None
        self._kept = (keys, current_key, max(0, current.column()), self.verticalScrollBar().value())

    def _restore_selection(self) -> None:
        kept, self._kept = self._kept, None
        if kept is None:
            return
        keys, current_key, column, scrolled = kept
        model = self.model()
        if keys or current_key is not None:
            found = QItemSelection()
            current = QModelIndex()
            last = model.columnCount() - 1
            for row in range(model.rowCount()):
                index = model.index(row, 0)
                key = row_key(index.data(ROW_ROLE))
                if key is None:
                    continue
                if key in keys:
                    found.select(index, model.index(row, last))
                if key == current_key and not current.isValid():
                    current = model.index(row, column)
            selection = self.selectionModel()
            blocker = QSignalBlocker(selection)
            if current.isValid():
                selection.setCurrentIndex(current, QItemSelectionModel.SelectionFlag.NoUpdate)
            selection.select(
                found,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            blocker.unblock()
            self.viewport().update()
        self.updateGeometries()  # the scroll range of the new rows, before the position is set
        self.verticalScrollBar().setValue(scrolled)


def make_table(parent: QWidget, name: str) -> QTableView:
    """A read-only table of whole rows, sortable, as every list in the program is."""
    table = RecordTable(parent)
    table.setObjectName(name)
    # The rows come in the order the service gives (an agenda by number, attendees by name)
    # until the user clicks a heading: no arrow claims a sort that was never made. A list with
    # an opening sort of its own sets it (sortByColumn) after this.
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class _DownToTable(QObject):
    """Down in a search box goes to the list it searches, on its current (or first) row."""

    def __init__(self, search: QLineEdit, table: QTableView) -> None:
        super().__init__(search)
        self.table = table

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.table.setFocus(Qt.FocusReason.TabFocusReason)
            model = self.table.model()
            if not self.table.currentIndex().isValid() and model is not None:
                first = model.index(0, 0)
                if first.isValid():
                    select_index(self.table, first)
            return True
        return False


def link_search(search: QLineEdit, table: QTableView) -> None:
    """Tab (or Down) from a search box goes to the list it searches, whatever order the widgets
    were made in: the next thing a user does after searching is pick a row."""
    QWidget.setTabOrder(search, table)
    search.installEventFilter(_DownToTable(search, table))


def make_proxy(parent: QWidget, model: QAbstractItemModel) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


def selected(table: QTableView, kind: type[T]) -> T | None:
    """The row object of the table's selected (current) row, if it is a ``kind``."""
    index = table.currentIndex()
    if not index.isValid() or not table.selectionModel().isRowSelected(index.row()):
        return None
    row = index.data(ROW_ROLE)
    return row if isinstance(row, kind) else None


def select_where(table: QTableView, test: Callable[[Any], bool]) -> bool:
    """Selects (and scrolls to) the first row whose object passes ``test``."""
    model = table.model()
    for i in range(model.rowCount()):
        index = model.index(i, 0)
        if test(index.data(ROW_ROLE)):
            select_index(table, index)
            return True
    return False


def select_index(table: QTableView, index: QModelIndex) -> None:
    """Selects the index's whole row and makes it current. Unlike ``selectRow``, this does not
    read the keyboard: a Ctrl held down would toggle the row off instead."""
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    table.selectionModel().setCurrentIndex(index, flags)
    table.scrollTo(index)
