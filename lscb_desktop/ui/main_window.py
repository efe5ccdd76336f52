"""The main window: tabs over the open database, and the File menu's workbook and backup actions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QTabWidget,
    QWidget,
)

from lscb_desktop import APP_NAME, __version__
from lscb_desktop.services.files import OutputError
from lscb_desktop.services.settings import load_settings
from lscb_desktop.services.workbook import ImportFailed, import_workbook, iter_export
from lscb_desktop.store import Database, DatabaseError
from lscb_desktop.ui.board_tab import BoardTab


class MainWindow(QMainWindow):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.settings = load_settings(database)
        self.setWindowTitle(f"{self.settings.organisation_name} — {database.display_name}")
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.board_tab = BoardTab(database, self.settings.term_board, self)
        self.tabs.addTab(self.board_tab, self.settings.term_board)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self.statusBar().showMessage(f"Database: {database.path or database.url}")
        self._restore_state()

    # -- menus --------------------------------------------------------------------------------

    def _action(
        self, text: str, slot: object, shortcut: QKeySequence.StandardKey | str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.import_action = self._action("&Import workbook…", self.import_workbook)
        self.export_action = self._action("&Export workbook…", self.export_workbook)
        self.backup_action = self._action("&Backup now…", self.backup_now)
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self._action("&Find", self.focus_search, QKeySequence.StandardKey.Find))
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&About", self.about))

    def focus_search(self) -> None:
        current = self.tabs.currentWidget()
        if hasattr(current, "focus_search"):
            current.focus_search()

    # -- workbook and backup --------------------------------------------------------------------

    def _folder(self) -> str:
        return str(QSettings().value("paths/last_folder", str(Path.home())))

    def _remember_folder(self, path: str) -> None:
        QSettings().setValue("paths/last_folder", str(Path(path).parent))

    def import_workbook(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import workbook", self._folder(), "Excel workbooks (*.xlsx)"
        )
        if not path:
            return
        self._remember_folder(path)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = import_workbook(self.database, Path(path))
        except ImportFailed as failed:
            QApplication.restoreOverrideCursor()
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Import workbook",
                f"{Path(path).name} was not imported: {len(failed.problems)} "
                "problem(s) were found. Nothing in the database was changed.\n\n"
                "Correct the rows below in the workbook and import it again.",
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setDetailedText("\n".join(str(p) for p in failed.problems))
            box.exec()
            return
        QApplication.restoreOverrideCursor()
        self.board_tab.refresh()
        text = result.summary()
        if result.warnings:
            text += "\n\nWarnings:\n" + "\n".join(result.warnings)
        QMessageBox.information(self, "Import workbook", text)

    def export_workbook(self) -> None:
        suggested = str(
            Path(self._folder()) / f"{self.settings.organisation_short_name} records "
            f"{dt.date.today():%Y-%m-%d}.xlsx"
        )
        path, _ = QFileDialog.getSaveFileName(
            self, "Export workbook", suggested, "Excel workbooks (*.xlsx)"
        )
        if not path:
            return
        self._remember_folder(path)
        progress = QProgressDialog("Exporting…", "Cancel", 0, 100, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        try:
            for step in iter_export(self.database, Path(path)):
                progress.setValue(int(step.fraction * 100))
                progress.setLabelText(step.message)
                QApplication.processEvents()
                if progress.wasCanceled():
                    return
        except OutputError as exc:
            QMessageBox.warning(self, "Export workbook", str(exc))
            return
        finally:
            progress.close()
        self.statusBar().showMessage(f"Exported to {path}", 8000)

    def backup_now(self) -> None:
        if self.database.path is None:
            QMessageBox.information(self, "Backup", "Only a database file can be backed up here.")
            return
        stem = self.database.path.stem
        suggested = str(
            Path(self._folder()) / f"{stem} backup {dt.datetime.now():%Y-%m-%d %H%M}.sqlite"
        )
        path, _ = QFileDialog.getSaveFileName(self, "Backup now", suggested, "Databases (*.sqlite)")
        if not path:
            return
        self._remember_folder(path)
        try:
            self.database.backup_to(Path(path))
        except (DatabaseError, OSError) as exc:
            QMessageBox.warning(self, "Backup", f"The backup was not made: {exc}")
            return
        self.statusBar().showMessage(f"Backed up to {path}", 8000)

    def about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Records, meetings and attendance for "
            f"{self.settings.organisation_name}.<br><br>"
            f"Database: {self.database.path or self.database.url}",
        )

    # -- window state ----------------------------------------------------------------------------

    def _restore_state(self) -> None:
        store = QSettings()
        geometry = store.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)
        header = store.value("board/header")
        if header is not None:
            self.board_tab.table.horizontalHeader().restoreState(header)
        self.tabs.setCurrentIndex(int(str(store.value("window/tab", 0) or 0)))

    def closeEvent(self, event: QCloseEvent) -> None:
        store = QSettings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/tab", self.tabs.currentIndex())
        store.setValue("board/header", self.board_tab.table.horizontalHeader().saveState())
        super().closeEvent(event)
