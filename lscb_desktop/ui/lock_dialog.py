"""Opening a database for the window: who else has a file open (the lock beside it), with the
choice to open it read-only, open it anyway, or cancel, as GnuCash offers; a warning for a file
on a network drive, which points to the shared database.

The main window calls :func:`open_for_window` for every database it opens and :func:`release`
for every one it closes; ``database.read_only`` then says whether to show "(read-only)".
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.store import Database, lockfile, open_database, readonly
from lscb_desktop.store.database import database_url

log = logging.getLogger(__name__)

#: The locks this window holds, by database file (the file outlives a Database object that a
#: restore replaces).
_locks: dict[Path, list[lockfile.FileLock]] = {}


class LockedDialog(QDialog):
    """``luton.sqlite is open in LSCB Desktop by jsmith on OFFICE-PC since 23/11/2026 09:12.``
    with Open read-only / Open anyway / Cancel; ``exec`` returns one of the codes below."""

    CANCEL, READ_ONLY, ANYWAY = 0, 2, 3

    def __init__(self, database: Path, info: lockfile.LockInfo, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Database in use")
        self.message = QLabel(lockfile.held_message(database, info), self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        advice = QLabel(
            "Open it read-only to look without changing anything. Open it anyway only if you "
            "are sure nobody is using it: two people changing one file can lose each other's "
            "work.",
            self,
        )
        advice.setWordWrap(True)
        self.read_only_button = QPushButton("Open &read-only", self)
        self.anyway_button = QPushButton("Open &anyway", self)
        self.cancel_button = QPushButton("Cancel", self)
        self.read_only_button.setDefault(True)
        self.read_only_button.clicked.connect(lambda: self.done(self.READ_ONLY))
        self.anyway_button.clicked.connect(lambda: self.done(self.ANYWAY))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.read_only_button, self.anyway_button, self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(advice)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)

    @classmethod
    def ask(cls, parent: QWidget | None, database: Path, info: lockfile.LockInfo) -> int:
        return int(cls(database, info, parent).exec())


def _file_of(target: str | Path | None) -> Path | None:
    url = database_url(target)
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        return None
    return Path(url.removeprefix("sqlite:///"))


def open_for_window(parent: QWidget | None, target: str | Path | None) -> Database | None:
    """The database opened for this window, or None when the user cancels. Raises
    DatabaseError (the user's words) when it cannot be opened.

    A file is locked for this window (give it up with :func:`release`); when another program
    holds its lock the user chooses: read-only (``database.read_only``; nothing can be saved),
    anyway (the lock is taken over), or cancel. A file on a network drive gets a warning first.
    """
    path = _file_of(target)
    if path is None:
        return open_database(target)
    if lockfile.on_network_drive(path):
        QMessageBox.warning(parent, "Database on a network drive", lockfile.network_warning(path))
    try:
        lock: lockfile.FileLock | None = lockfile.acquire(path)
    except lockfile.Locked as held:
        choice = LockedDialog.ask(parent, path, held.info)
        if choice == LockedDialog.READ_ONLY:
            return open_read_only(path, held.info)
        if choice != LockedDialog.ANYWAY:
            return None
        lock = lockfile.acquire(path, take_over=True)
    except OSError as exc:  # a folder this user cannot write: SQLite will say so if it matters
        log.warning("No lock taken beside %s: %s", path, exc)
        lock = None
    try:
        database = open_database(path)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if lock is not None:
        _locks.setdefault(path, []).append(lock)
    return database


def open_read_only(path: Path, holder: lockfile.LockInfo) -> Database:
    """Opens ``path`` without writing anything to it or beside it: no migration, no lock, and
    every save refused in words (:func:`lscb_desktop.store.readonly.open_read_only`)."""
    return readonly.open_read_only(path, holder.holder_words)


def release(database: Database) -> None:
    """Gives up this window's hold on the database (its lock), before it is closed."""
    path = database.path
    if path is None:
        return
    held = _locks.get(path)
    if held:
        held.pop().release()
        if not held:
            del _locks[path]
