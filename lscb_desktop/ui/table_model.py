"""A table model over a list of plain row objects, described by named columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

RowT = TypeVar("RowT")

#: The value a proxy sorts by (dates as dates, numbers as numbers), rather than the shown text.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The row object itself.
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex

#: The fields that name the record a row is about, in the order they are looked for.
_KEY_FIELDS = ("id", "membership_id", "person_id", "agency_id")


def row_key(row: object) -> Hashable | None:
    """What identifies a row's record across a refresh (its id), or None for a row without one.
    The row's kind is part of it: a meeting 7 is not an action 7."""
    for name in _KEY_FIELDS:
        value = getattr(row, name, None)
        if value is not None:
            return (type(row).__name__, name, value)
    return None


@dataclass(frozen=True)
class Column(Generic[RowT]):
    header: str
    value: Callable[[RowT], Any]
    width: int = 120
    #: What to sort by when it differs from the value ("Hassan, Dr Mohamed" by name).
    sort: Callable[[RowT], Any] | None = None

    def text(self, row: RowT) -> str:
        value = self.value(row)
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        return str(value)

    def sort_key(self, row: RowT) -> Any:
        value = self.sort(row) if self.sort is not None else self.value(row)
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            return value.casefold()
        return value


#: Rows that need attention (a statutory partner with no Board member) are drawn in these.
WARNING_BACKGROUND = QColor("#fde2e1")
WARNING_FOREGROUND = QColor("#8a1c14")
_WARNING_COLOURS: dict[int, QColor] = {
    Qt.ItemDataRole.BackgroundRole: WARNING_BACKGROUND,
    Qt.ItemDataRole.ForegroundRole: WARNING_FOREGROUND,
}
#: Rows that need attention soon (papers due in the next few days) are drawn in these.
_CAUTION_COLOURS: dict[int, QColor] = {
    Qt.ItemDataRole.BackgroundRole: QColor("#fff4d6"),
    Qt.ItemDataRole.ForegroundRole: QColor("#6b4e00"),
}


class RecordTableModel(QAbstractTableModel, Generic[RowT]):
    """Rows of plain objects; ``warn(row)`` true draws a row in red (it needs attention now),
    ``caution(row)`` in amber (it will soon)."""

    def __init__(
        self,
        columns: Sequence[Column[RowT]],
        parent: Any = None,
        warn: Callable[[RowT], bool] | None = None,
        caution: Callable[[RowT], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.warn = warn
        self.caution = caution
        self._rows: list[RowT] = []

    def set_columns(self, columns: Sequence[Column[RowT]]) -> None:
        """New columns of the same number (headers that follow the settings' terms)."""
        self.columns = list(columns)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1)
            )

    @property
    def rows(self) -> list[RowT]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[RowT]) -> None:
        """New rows; a table made by ``tables.make_table`` keeps its selected records (by id),
        its sort and its filter across this."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> RowT:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort_key(row)
        if role == ROW_ROLE:
            return row
        if role in _WARNING_COLOURS:
            return self._colour(row, role)
        return None

    def _colour(self, row: RowT, role: int) -> QColor | None:
        if self.warn is not None and self.warn(row):
            return _WARNING_COLOURS[role]
        if self.caution is not None and self.caution(row):
            return _CAUTION_COLOURS[role]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return None
