"""Helpers every list in the window shares: a read-only sortable table over a filter proxy,
and finding or selecting the row object behind it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from lscb_desktop.ui.table_model import ROW_ROLE, SORT_ROLE

T = TypeVar("T")


def make_table(parent: QWidget, name: str) -> QTableView:
    """A read-only table of whole rows, sortable, as every list in the program is."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.horizontalHeader().setStretchLastSection(True)
    return table


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
