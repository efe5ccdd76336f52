"""Papers dropped onto an agenda item from Explorer (or any file manager).

The agenda list takes one file at a time, dropped on the item it belongs to; what happens then
is Attach paper… with that file (the same checks and question, agenda_papers.attach_file). A
drop of several files, of something that is not a file, or beside the items is answered in
words and attaches nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QTableView

__all__ = ["PaperDrops", "dropped_file"]


def dropped_file(data: QMimeData) -> Path | str:
    """The one local file dropped, or why the drop cannot be a paper."""
    files = (
        [url.toLocalFile() for url in data.urls() if url.isLocalFile()] if data.hasUrls() else []
    )
    if not files:
        return "Drop a file (a PDF, Word or Excel paper) onto the agenda item it belongs to."
    if len(files) > 1:
        return f"{len(files)} files were dropped: drop one paper at a time, onto its item."
    return Path(files[0])


class PaperDrops(QObject):
    """Lets ``table`` (the agenda) take a paper dropped onto a row: ``drop(row, path)`` is
    called with the row under the pointer, ``refuse(message)`` when the drop cannot be one."""

    def __init__(
        self,
        table: QTableView,
        drop: Callable[[int, Path], None],
        refuse: Callable[[str], None],
    ) -> None:
        super().__init__(table)
        self.table = table
        self.drop = drop
        self.refuse = refuse
        table.setAcceptDrops(True)
        table.viewport().setAcceptDrops(True)
        table.viewport().installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QDragEnterEvent | QDragMoveEvent):
            if event.mimeData().hasUrls():
                event.acceptProposedAction()
                row = self.table.indexAt(event.position().toPoint()).row()
                if row >= 0:
                    self.table.selectRow(row)  # the item the paper will go to
            else:
                event.ignore()
            return True
        if isinstance(event, QDropEvent):
            event.acceptProposedAction()
            found = dropped_file(event.mimeData())
            row = self.table.indexAt(event.position().toPoint()).row()
            if isinstance(found, str):
                self.refuse(found)
            elif row < 0:
                self.refuse(f"Drop {found.name} onto the agenda item it belongs to.")
            else:
                self.drop(row, found)
            return True
        return False
