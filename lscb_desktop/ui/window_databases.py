"""The main window's File menu actions on databases: new, open, recent, connect to a shared
database, back up, restore and copy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
)

from lscb_desktop.services.connections import ServerConnection, is_server_url
from lscb_desktop.services.settings import load_settings
from lscb_desktop.store import DatabaseError
from lscb_desktop.ui import lock_dialog
from lscb_desktop.ui.connect_dialog import ConnectDialog, ServerLogin, open_server
from lscb_desktop.ui.recent import (
    fill_recent_menu,
    remember_recent,
)
from lscb_desktop.ui.recent import last_folder as _folder
from lscb_desktop.ui.recent import remember_folder as _remember_folder
from lscb_desktop.ui.restore_dialog import RestoreDialog, backup_on_open, confirm_and_restore
from lscb_desktop.ui.window_parts import WindowParts

if TYPE_CHECKING:  # the dialogs below take the whole window
    from lscb_desktop.ui.main_window import MainWindow


class WindowDatabases(WindowParts):
    """Opening, backing up and restoring databases for :class:`MainWindow` (a mixin)."""

    # -- databases ----------------------------------------------------------------------------

    def _fill_recent_menu(self) -> None:
        fill_recent_menu(self.recent_menu, self.open_recent)

    def open_recent(self, entry: str) -> bool:
        """Opens a Recent entry: a file, or a shared database (its password from the credential
        store, or asked for)."""
        if is_server_url(entry):
            return self.switch_to(ServerLogin(ServerConnection.from_url(entry)))
        return self.switch_to(Path(entry))

    def connect_to_server(self) -> None:
        """File > Connect to a shared database…"""
        login = ConnectDialog.ask(self)
        if login is not None:
            self.switch_to(login)

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New database", _folder(), "Databases (*.sqlite)"
        )
        if not path:
            return
        target = Path(path)
        if target.suffix == "":
            target = target.with_suffix(".sqlite")
        if target.exists():
            QMessageBox.warning(
                self,
                "New database",
                f"{target.name} already exists and was left as it is. "
                "Use Open database… to open it, or choose another name.",
            )
            return
        _remember_folder(str(target))
        if self.switch_to(target):
            self.edit_settings()

    def open_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open database", _folder(), "Databases (*.sqlite *.db);;All files (*)"
        )
        if path:
            _remember_folder(path)
            self.switch_to(Path(path))

    def switch_to(self, target: Path | ServerLogin, *, reopen: bool = False) -> bool:
        """Opens another database in this window: a file, or a shared database (``reopen``: the
        same one again, after a restore); the current one stays open if that fails."""
        if self._is_open(target) and not reopen:
            return True
        try:
            if isinstance(target, ServerLogin):
                opened = open_server(self, target)
            else:
                opened = lock_dialog.open_for_window(self, target)
            if opened is None:  # the user cancelled
                return False
            try:
                database = backup_on_open(self, opened)
            except BaseException:  # give the file's lock back: others must not see it held
                lock_dialog.release(opened)
                opened.dispose()
                raise
        except DatabaseError as exc:
            QMessageBox.warning(self, "Open database", str(exc))
            return False
        self._save_state()
        self.live_refresh.stop()
        old = self.database
        self.database = database
        self.undo.watch(database)
        self.settings = load_settings(database)
        index = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if widget is not None:
                widget.deleteLater()
        self.tabs.blockSignals(False)
        self.tabs.currentChanged.disconnect(self._tab_shown)
        self._build_tabs()
        self.tabs.setCurrentIndex(index)
        self._tab(self.TAB_KEYS[index])
        self.apply_terms()
        lock_dialog.release(old)
        old.dispose()
        remember_recent(database)
        self.live_refresh.watch(database)
        self.show_status(f"Opened {database.display_name}")
        return True

    def _is_open(self, target: Path | ServerLogin) -> bool:
        if isinstance(target, ServerLogin):
            return (
                self.database.on_server
                and ServerConnection.from_url(self.database.engine.url) == target.connection
            )
        return self.database.path is not None and target.resolve() == self.database.path.resolve()

    def backup_now(self) -> None:
        if self.database.on_server:
            from lscb_desktop.ui.copy_dialog import backup_server  # noqa: PLC0415

            backup_server(cast("MainWindow", self))
            return
        if self.database.path is None:
            QMessageBox.information(self, "Backup", "Only a database file can be backed up here.")
            return
        stem = self.database.path.stem
        suggested = str(Path(_folder()) / f"{stem} backup {dt.datetime.now():%Y-%m-%d %H%M}.sqlite")
        path, _ = QFileDialog.getSaveFileName(self, "Backup now", suggested, "Databases (*.sqlite)")
        if not path:
            return
        _remember_folder(path)
        try:
            self.database.backup_to(Path(path))
        except (DatabaseError, OSError) as exc:
            QMessageBox.warning(self, "Backup", f"The backup was not made: {exc}")
            return
        self.show_status(f"Backed up to {path}")

    def restore_from_backup(self) -> None:
        """File > Restore from backup…: choose a backup, confirm, restore, reopen."""
        path = self.database.path
        if path is None:
            QMessageBox.information(
                self,
                "Restore",
                "Restore from backup is for database files only. A shared database is restored "
                "on its server by your IT team; or open a backup file here and copy it to an "
                "empty database on the server with File > Copy database to….",
            )
            return
        backup = RestoreDialog.choose(self, path)
        if backup is None:
            return
        self.live_refresh.stop()  # its connection to the file too must let go of it
        if confirm_and_restore(self, self.database, backup):
            self.switch_to(path, reopen=True)
        else:
            self.live_refresh.watch(self.database)

    def copy_database(self) -> None:
        """File > Copy database to…: a new file or a (new, empty) shared database."""
        from lscb_desktop.ui.copy_dialog import copy_from_window  # noqa: PLC0415

        copy_from_window(cast("MainWindow", self))

    # -- workbook -----------------------------------------------------------------------------

    def import_workbook(self) -> None:
        from lscb_desktop.ui.workbook_actions import import_into  # noqa: PLC0415

        import_into(cast("MainWindow", self))

    def export_workbook(self) -> None:
        from lscb_desktop.ui.workbook_actions import export_from  # noqa: PLC0415

        export_from(cast("MainWindow", self))
