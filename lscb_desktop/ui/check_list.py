"""A list of records to tick (the agencies a quorum requires), kept in a model.

A model rather than QListWidget items: items with data set from Python crash PySide6 6.x as
the program exits (see ``home_tab.LinesModel``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from lscb_desktop.services.people import Choice

Index = QModelIndex | QPersistentModelIndex
#: The id of the record a line is about.
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _state(value: Any) -> Qt.CheckState:
    if isinstance(value, Qt.CheckState):
        return value
    return Qt.CheckState(int(value))


class CheckListModel(QAbstractListModel):
    """Choices, each ticked or not; ``changed`` is emitted when a tick changes."""

    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.choices: list[Choice] = []
        self.ticked: set[int] = set()

    def set_choices(self, choices: Sequence[Choice]) -> None:
        self.beginResetModel()
        self.choices = list(choices)
        known = {choice.id for choice in self.choices}
        self.ticked &= known
        self.endResetModel()

    def set_ticked(self, ids: Iterable[int]) -> None:
        self.ticked = set(ids) & {choice.id for choice in self.choices}
        if self.choices:
            self.dataChanged.emit(
                self.index(0), self.index(len(self.choices) - 1), [Qt.ItemDataRole.CheckStateRole]
            )
        self.changed.emit()

    def ticked_ids(self) -> tuple[int, ...]:
        """The ticked records' ids, in the list's order."""
        return tuple(choice.id for choice in self.choices if choice.id in self.ticked)

    def ticked_texts(self) -> list[str]:
        return [choice.text for choice in self.choices if choice.id in self.ticked]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.choices)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.choices):
            return None
        choice = self.choices[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return choice.text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if choice.id in self.ticked else Qt.CheckState.Unchecked
        if role == ID_ROLE:
            return choice.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        ident = self.choices[index.row()].id
        if _state(value) == Qt.CheckState.Checked:
            self.ticked.add(ident)
        else:
            self.ticked.discard(ident)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.changed.emit()
        return True


class CheckList(QListView):
    """A list of choices to tick with the mouse or the space bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list_model = CheckListModel(self)
        self.setModel(self.list_model)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)

    def set_choices(self, choices: Sequence[Choice]) -> None:
        self.list_model.set_choices(choices)

    def set_ticked(self, ids: Iterable[int]) -> None:
        self.list_model.set_ticked(ids)

    def ticked_ids(self) -> tuple[int, ...]:
        return self.list_model.ticked_ids()
