"""Backups in the window: the day's backup when a database is opened, the offer of the last good
backup when it turns out damaged, and File > Restore from backup….

The work is done by ``store.backups`` (Qt-free); this module asks the user and shows progress.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.store import Database, DatabaseError, open_database
from lscb_desktop.store.backups import (
    COUNTED,
    Backup,
    Contents,
    Restored,
    backup_at,
    backup_due,
    backup_folder,
    daily_backup,
    last_good_backup,
    list_backups,
    read_contents,
    restore_backup,
    shown,
)
from lscb_desktop.store.database import DamagedDatabase
from lscb_desktop.ui.workers import run_with_progress

log = logging.getLogger(__name__)

TITLE = "Restore from backup"
COLUMNS = ("Taken", "People", "Meetings", "Attendance", "Size", "Kind", "File")


class RestoreDialog(QDialog):
    """The backups of a database, newest first, with their date and counts of records."""

    def __init__(self, database_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.backups = list_backups(database_path)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Backups of {database_path.name}, kept in {backup_folder(database_path)}, newest "
            "first. Restoring one puts its records in place of the database's; the database as "
            "it is now is backed up first, so a restore can itself be undone.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(self.backups), len(COLUMNS), self)
        self.table.setObjectName("backups")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.contents: list[Contents] = []
        for row, backup in enumerate(self.backups):
            contents = read_contents(backup.path, check=None)  # the check comes on restoring
            self.contents.append(contents)
            counts = [
                f"{contents.counts[what]:,}" if what in contents.counts else "?"
                for _table, what in COUNTED
            ]
            cells = [shown(backup.taken), *counts, backup.size_text, backup.kind]
            cells.append(backup.path.name + (f" — {contents.problem}" if contents.problem else ""))
            for column, value in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        if not self.backups:
            layout.addWidget(
                QLabel(
                    "There are no backups yet: one is taken automatically the first time each "
                    "day the database is opened.",
                    self,
                )
            )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText("Restore…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        if self.backups:
            self.table.selectRow(0)
        self._selection_changed()
        self.resize(820, 420)

    def _selection_changed(self) -> None:
        row = self.table.currentRow() if self.table.selectedItems() else -1
        usable = 0 <= row < len(self.backups) and self.contents[row].sound
        self.restore_button.setEnabled(usable)

    def selected_backup(self) -> Path | None:
        if not self.table.selectedItems():
            return None
        return self.backups[self.table.currentRow()].path

    @classmethod
    def choose(cls, parent: QWidget | None, database_path: Path) -> Path | None:
        """The backup the user chose to restore, or None."""
        dialog = cls(database_path, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.selected_backup()


def _describe(backup: Backup, contents: Contents) -> str:
    return f"the backup taken {shown(backup.taken)} ({contents.counts_text()})"


def confirm_and_restore(
    parent: QWidget | None,
    database: Database,
    backup_path: Path,
    preface: str = "",
    contents: Contents | None = None,
    *,
    damaged: bool = False,
) -> Restored | None:
    """Checks the backup (unless ``contents`` says what a check just found), asks, closes the
    database's connections and restores the backup in its place (the current state is backed
    up first). None when nothing was done; the database is then still usable (its engine
    opens new connections as they are needed)."""
    path = database.path
    assert path is not None
    if contents is None:
        contents = read_contents(backup_path)
    if contents.problem:
        QMessageBox.warning(
            parent, TITLE, f"{backup_path.name} cannot be restored: {contents.problem}."
        )
        return None
    backup = backup_at(backup_path)
    kept = (
        f"The damaged file is kept beside it as {path.stem}.damaged-DATE.sqlite "
        "for your IT service."
        if damaged  # a damaged file cannot be backed up; it is set aside instead
        else "It is backed up first, so this restore can be undone from the same list."
    )
    answer = QMessageBox.question(
        parent,
        TITLE,
        f"{preface}Restore {path.name} from {_describe(backup, contents)}?\n\n"
        f"What is in the database now is replaced. {kept}",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    checked = contents
    database.dispose()  # no connection of ours may hold the file while it is replaced
    outcome = run_with_progress(
        parent, TITLE, lambda _report: restore_backup(path, backup_path, checked), "Restoring…"
    )
    if outcome.error is not None or outcome.result is None:
        QMessageBox.warning(parent, TITLE, _not_restored(outcome.error))
        return None
    restored = outcome.result
    kept = ""
    if restored.previous is not None:
        what = "The damaged database" if restored.previous_damaged else "The database as it was"
        kept = f"\n\n{what} is kept in {restored.previous}."
    QMessageBox.information(
        parent, TITLE, f"Restored {path.name} from {_describe(backup, contents)}.{kept}"
    )
    return restored


def _not_restored(error: BaseException | None) -> str:
    """The user's words for a restore that failed; the details go to the log."""
    if error is not None:
        log.error("The backup was not restored", exc_info=error)
    if isinstance(error, DatabaseError):  # written for the user
        return str(error)
    return (
        "The backup was not restored: the database file or its folder could not be written. "
        "Nothing was restored; the details are in the log."
    )


def offer_last_good_backup(parent: QWidget | None, database: Database, why: str) -> bool:
    """Says that the database is damaged and offers to restore its last good backup; True when
    it was restored (the caller opens the database again)."""
    path = database.path
    found = last_good_backup(path) if path is not None else None
    if found is None:
        QMessageBox.critical(
            parent,
            "Damaged database",
            f"{why}\n\nThere is no good backup of it in {backup_folder(path) if path else '—'}. "
            "Keep the file and ask your IT service to recover what they can.",
        )
        return False
    backup, contents = found
    preface = f"{why}\n\nThe last good backup is {backup.path.name}. "
    restored = confirm_and_restore(parent, database, backup.path, preface, contents, damaged=True)
    return restored is not None


def backup_on_open(parent: QWidget | None, database: Database) -> Database:
    """The day's backup of a database just opened (checked page by page, so a damaged file is
    found here once a day); a damaged one is reported with the offer of its last good backup.
    Returns the database to use: the same one, or the restored file opened afresh."""
    path = database.path
    if path is None or not backup_due(path):
        return database
    outcome = run_with_progress(
        parent, "Today's backup", lambda _report: daily_backup(path), "Taking today's backup…"
    )
    if isinstance(outcome.error, DamagedDatabase):
        if offer_last_good_backup(parent, database, str(outcome.error)):
            database.dispose()
            return open_database(path)
    elif isinstance(outcome.error, DatabaseError | OSError):
        log.warning("Today's backup of %s was not taken: %s", path, outcome.error)
    elif outcome.error is not None:
        raise outcome.error
    return database
