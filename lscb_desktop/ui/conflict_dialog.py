"""Saving a form that someone else changed meanwhile: what they changed and when, and the choice
of reloading theirs, saving this user's over theirs, or going back to editing. A record someone
else deleted gets a plain message. The form keeps what was typed either way.

A one-click change from a list (a delete, a paper replaced) has no form to keep: when its record
changed since the list was shown, :func:`one_click` says so in words and changes nothing."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.services.concurrency import (
    ChangedSinceShown,
    RecordChanged,
    RecordGone,
    Snapshot,
    conflict_words,
    expecting,
    snapshot,
)
from lscb_desktop.store import Database
from lscb_desktop.ui.unsaved import AsksBeforeDiscarding

T = TypeVar("T")

#: A save that meets someone else's save at the very moment is tried again this many times.
RETRIES = 3

SAME_MOMENT_WORDS = (
    "Someone else changed this record at the very moment, so nothing was changed. "
    "Refresh (F5) to see it as it is now."
)


class Choice(enum.Enum):
    RELOAD = "reload"
    OVERWRITE = "overwrite"
    KEEP_EDITING = "keep editing"


class Unsaved(Exception):
    """Nothing was saved (someone else's change, or a deleted record); the user has been told,
    and the form stays open."""


class ConflictDialog(QDialog):
    """What someone else changed, and three ways on; Escape (or closing) keeps editing."""

    def __init__(self, account: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Someone else has changed this record")
        self.choice = Choice.KEEP_EDITING
        heading = QLabel(
            "<b>Someone else has saved changes to this record since you opened it.</b> "
            "Nothing of yours has been saved yet, and what you typed is still in the form.",
            self,
        )
        heading.setWordWrap(True)
        self.account = QPlainTextEdit(account, self)
        self.account.setReadOnly(True)
        self.account.setAccessibleName("What they changed")
        self.account.setMinimumHeight(self.fontMetrics().height() * 7)
        advice = QLabel(
            "Reload theirs to see the record as it is now (what you typed is lost); save yours "
            "over theirs (their changes to these fields are lost); or keep editing.",
            self,
        )
        advice.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.reload_button = QPushButton("&Reload theirs", self)
        self.overwrite_button = QPushButton("&Save mine anyway", self)
        self.keep_button = QPushButton("&Keep editing", self)
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.overwrite_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_button.setDefault(True)
        self.reload_button.clicked.connect(lambda: self._choose(Choice.RELOAD))
        self.overwrite_button.clicked.connect(lambda: self._choose(Choice.OVERWRITE))
        self.keep_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.account, 1)
        layout.addWidget(advice)
        layout.addWidget(buttons)
        self.keep_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(560, 360)

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()

    def reject(self) -> None:
        self.choice = Choice.KEEP_EDITING
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, account: str) -> Choice:
        dialog = cls(account, parent)
        dialog.exec()
        choice = dialog.choice
        dialog.deleteLater()
        return choice


def show_gone(parent: QWidget | None, error: RecordGone | str) -> None:
    """The plain message for a record someone else has deleted."""
    QMessageBox.warning(parent, "Record deleted", str(error))


def one_click(parent: QWidget, title: str, change: Callable[[], object]) -> bool:
    """Runs a one-click change from a list (which names what the list showed); True when it
    was made. When someone else changed or deleted the record since the list was shown, the
    user is told in words (titled ``title``) and False is returned: nothing was changed."""
    try:
        change()
    except (ChangedSinceShown, RecordGone) as exc:
        QMessageBox.warning(parent, title, str(exc))
        return False
    except RecordChanged:  # changed between this change's reading and its writing
        QMessageBox.warning(parent, title, SAME_MOMENT_WORDS)
        return False
    return True


class SaveGuard:
    """A form's snapshot of the records it shows, and its saves under that snapshot.

    ``watch`` (before the form is filled) says which records the form shows; ``save`` runs the
    service that saves them, and when someone else has changed them meanwhile asks what to do:
    reload (``reload`` refills the form), save over theirs, or keep editing. It returns what the
    service returned, or raises :class:`Unsaved` with the form left as it is.
    """

    def __init__(self, parent: QWidget, database: Database) -> None:
        self.parent = parent
        self.database = database
        self.snapshot = Snapshot()

    def use(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def watch(self, *records: tuple[str, object]) -> None:
        self.snapshot = snapshot(self.database, *records)

    def save(self, action: Callable[[], T], reload: Callable[[], None]) -> T:
        attempts = 0
        while True:
            try:
                with expecting(self.snapshot) as expected:
                    result = action()
            except RecordGone as exc:
                show_gone(self.parent, exc)
                raise Unsaved(str(exc)) from exc
            except RecordChanged as exc:
                if not exc.records and attempts < RETRIES:
                    attempts += 1  # saved at the same moment: the check says what clashes
                    continue
                choice = ConflictDialog.ask(self.parent, conflict_words(self.database, exc))
                if choice is Choice.OVERWRITE:
                    self.snapshot = self.snapshot.accepting(exc)
                    continue
                if choice is Choice.RELOAD:
                    try:
                        reload()
                    except RecordGone as gone:
                        show_gone(self.parent, gone)
                raise Unsaved(str(exc)) from exc
            self.snapshot = expected.after()
            return result


class RecordDialog(AsksBeforeDiscarding):
    """A dialog that edits records on file: it notes them as it opens (:meth:`open_records`),
    saves under that note (:meth:`guarded_save`), and can reload them when someone else has
    changed them. A record deleted before the dialog is shown gives the plain message instead
    of the dialog (``exec`` returns Rejected). Esc or Cancel on a changed form asks first."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.guard = SaveGuard(self, database)
        #: Why the dialog cannot be shown: its record was deleted (the message).
        self.gone: str | None = None

    # -- for subclasses -------------------------------------------------------------------------

    def records(self) -> tuple[tuple[str, object], ...]:
        """The records the form edits, by table and key (none for a new record)."""
        return ()

    def take_snapshot(self) -> Snapshot:
        """The records the form shows, as they are now (before :meth:`load` reads them)."""
        records = self.records()
        return snapshot(self.database, *records) if records else Snapshot()

    def load(self) -> None:
        """Reads the records from the database and fills the form."""

    def clear_messages(self) -> None:
        """Clears the messages under the fields (a reload starts afresh)."""

    # -- opening, reloading, saving -----------------------------------------------------------

    def open_records(self) -> bool:
        """Notes the records and fills the form; False (and the message kept for ``exec``) when
        one has been deleted."""
        try:
            self.guard.use(self.take_snapshot())
            self.load()
        except RecordGone as exc:
            self.gone = str(exc)
            return False
        return True

    def reload(self) -> None:
        self.clear_messages()
        self.guard.use(self.take_snapshot())
        self.load()
        if self.isVisible():
            self.mark_clean()  # the form now shows what is on file

    def guarded_save(self, action: Callable[[], T]) -> T:
        """``action()`` under the form's snapshot; raises Unsaved when nothing was saved."""
        return self.guard.save(action, self.reload)

    def exec(self) -> int:
        if self.gone is not None:
            show_gone(self.parentWidget(), self.gone)
            return int(QDialog.DialogCode.Rejected.value)
        return super().exec()
