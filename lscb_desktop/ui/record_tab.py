"""What every main-window tab is to the Edit menu: one small base class instead of the same
eight methods in every tab.

The Edit menu's verbs (New, Edit, Remove, Delete, Find, History) act on the current tab, which
hands them to the part of it in use: :meth:`RecordTab.edit_part` (a members panel, say). A tab
with nothing to add or remove says so in the status bar rather than doing nothing in silence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QTableView, QWidget

if TYPE_CHECKING:
    from lscb_desktop.services.history import Subject


class RecordTab(QWidget):
    """A tab of records. Subclasses override what they do; the defaults delegate to
    :meth:`edit_part` when it is another widget, else focus :attr:`search` and say why
    nothing else happens."""

    #: A passing message for the status bar.
    status = Signal(str)
    #: Records changed here (the other tabs show them when next shown).
    changed = Signal()

    #: What Edit > New, Remove and Delete say where this tab makes and removes nothing.
    nothing_new = "Nothing is added on this tab"
    nothing_removed = "Nothing is removed on this tab"

    def refresh(self) -> None:
        """Reads the records again (the selection, sort and search kept)."""

    def edit_part(self) -> Any:
        """The part of the tab the Edit menu acts on now (itself, by default)."""
        return self

    def _delegate(self, verb: str) -> bool:
        part = self.edit_part()
        if part is self or part is None:
            return False
        getattr(part, verb)()
        return True

    def search_box(self) -> QLineEdit | None:
        """The search box Edit > Find (Ctrl+F) goes to."""
        box = getattr(self, "search", None)
        return box if isinstance(box, QLineEdit) else None

    def focus_search(self) -> None:
        if self._delegate("focus_search"):
            return
        box = self.search_box()
        if box is not None:
            box.setFocus()
            box.selectAll()

    def new_record(self) -> None:
        if not self._delegate("new_record"):
            self.status.emit(self.nothing_new)

    def edit_record(self) -> None:
        self._delegate("edit_record")

    def remove_record(self) -> None:
        if not self._delegate("remove_record"):
            self.status.emit(self.nothing_removed)

    def delete_record(self) -> None:
        if not self._delegate("delete_record"):
            self.remove_record()

    def tables(self) -> list[QTableView]:
        """The tab's lists (their column widths and sort are remembered)."""
        return self.findChildren(QTableView)

    def selected_record(self) -> Subject | None:
        """What Edit > History… shows."""
        return None


__all__ = ["RecordTab"]
