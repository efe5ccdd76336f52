"""Edit > Undo and Redo: every change the window commits is one step on a ``QUndoStack``.

The database's journal (:mod:`lscb_desktop.store.journal`) hands each committed change to
:class:`UndoController`, which pushes it as a command named for what it did ("delete meeting
27/11/2026"); undoing and redoing are :mod:`lscb_desktop.services.undo`. A step that someone
else's change has made impossible to put back clears the stack, with a note in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from lscb_desktop.services import undo as undoing
from lscb_desktop.store import Database, DatabaseError
from lscb_desktop.store.journal import Step

#: How many steps are kept (papers' bytes are kept with a step that deleted them).
UNDO_LIMIT = 50


class _StepCommand(QUndoCommand):
    """One step: already done when pushed; undo and redo put it back and make it again."""

    def __init__(self, controller: UndoController, step: Step) -> None:
        super().__init__(undoing.label_for(step))
        self.controller = controller
        self.step = step  # what undo puts back
        self.again: Step | None = None  # what redo makes again, once undone
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:  # QUndoStack.push calls redo: the change is already made
            self._pushed = True
            return
        again = self.again
        assert again is not None
        self.step = self.controller.run(lambda: undoing.redo(self.controller.database, again))

    def undo(self) -> None:
        self.again = self.controller.run(lambda: undoing.undo(self.controller.database, self.step))


class UndoController(QObject):
    """The window's undo stack over one database."""

    #: The tables a step put back or made again changed (the window refreshes what shows them).
    changed = Signal(object)
    #: A step the database made: pushed at once when made on this thread, and queued to it when
    #: made by a job on another (issuing a pack records it while the pack is built).
    _arrived = Signal(object)

    def __init__(self, window: QWidget, database: Database, status: Callable[[str], None]) -> None:
        super().__init__(window)
        self.window = window
        self.status = status
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(UNDO_LIMIT)
        self.database = database
        self._failure = ""
        self.undo_action = QAction("&Undo", window)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(lambda _checked=False: self.undo())
        self.redo_action = QAction("&Redo", window)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.redo_action.triggered.connect(lambda _checked=False: self.redo())
        self.stack.indexChanged.connect(self._update_actions)
        self._arrived.connect(self.push)
        self.watch(database)

    # -- the database ------------------------------------------------------------------------

    def watch(self, database: Database) -> None:
        """Records the changes made to ``database`` (another database: a fresh stack)."""
        if self.database is not database:
            self.database.journal.recording = False
            self.database.journal.on_step = None
        self.database = database
        self.stack.clear()
        database.journal.on_step = self._arrived.emit
        database.journal.recording = not database.read_only
        self._update_actions()

    def stop(self) -> None:
        self.database.journal.recording = False
        self.database.journal.on_step = None

    def push(self, step: Step) -> None:
        if not step.undoable:
            self.clear(
                f"“{undoing.label_for(step)}” cannot be undone; earlier steps are cleared from Undo"
            )
            return
        self.stack.push(_StepCommand(self, step))

    def clear(self, note: str) -> None:
        self.stack.clear()
        self.status(note)

    # -- undo and redo -----------------------------------------------------------------------

    def run(self, work: Callable[[], Step]) -> Step:
        """Does the undo or redo; on failure notes why (the stack is cleared afterwards)."""
        try:
            step = work()
        except (undoing.CannotUndo, DatabaseError) as exc:
            self._failure = str(exc)
            return Step("", ())
        self.changed.emit(undoing.tables_of(step))
        return step

    def _after(self, verb: str, text: str) -> None:
        failure, self._failure = self._failure, ""
        if failure:
            self.stack.clear()
            self.status("Undo cleared: " + failure)
            QMessageBox.information(self.window, f"{verb} {text}".strip(), failure)
        else:
            self.status(f"{'Undone' if verb == 'Undo' else 'Redone'}: {text}")

    def undo(self) -> None:
        if not self.stack.canUndo():
            self.status("Nothing to undo")
            return
        text = self.stack.undoText()
        self.stack.undo()
        self._after("Undo", text)

    def redo(self) -> None:
        if not self.stack.canRedo():
            self.status("Nothing to redo")
            return
        text = self.stack.redoText()
        self.stack.redo()
        self._after("Redo", text)

    def check(self, tables: frozenset[str] | set[str] | None) -> None:
        """Someone else changed ``tables`` (None: anything): when the next step to undo or
        redo can no longer be put back, the stack is cleared, with a note."""
        for index, redoing in ((self.stack.index() - 1, False), (self.stack.index(), True)):
            command = self.stack.command(index) if 0 <= index < self.stack.count() else None
            if not isinstance(command, _StepCommand):
                continue
            step = command.again if redoing else command.step
            if step is None or (tables is not None and not undoing.tables_of(step) & tables):
                continue
            if not undoing.still_as_left(self.database, step):
                self.clear(
                    "Undo cleared: someone else has changed records since, so “"
                    f"{command.text()}” can no longer be undone or redone"
                )
                return

    def _update_actions(self, *_args: object) -> None:
        if not shiboken6.isValid(self.stack):  # the window is closing
            return
        can_undo, can_redo = self.stack.canUndo(), self.stack.canRedo()
        self.undo_action.setText(f"&Undo {self.stack.undoText()}" if can_undo else "&Undo")
        self.redo_action.setText(f"&Redo {self.stack.redoText()}" if can_redo else "&Redo")
        self.undo_action.setEnabled(can_undo)
        self.redo_action.setEnabled(can_redo)


__all__ = ["UNDO_LIMIT", "UndoController"]
