"""File > Copy database to…: every record of the open database into a new file or an empty
shared database (a file to the server when an office moves in, the server to a file as a
backup), with a progress window; then the offer to open the copy. File > Backup now… of a shared
database writes such a file copy too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.services.connections import ServerConnection
from lscb_desktop.services.progress import Progress
from lscb_desktop.store import DatabaseError
from lscb_desktop.ui.connect_dialog import ConnectDialog, ServerLogin
from lscb_desktop.ui.recent import last_folder, remember_folder
from lscb_desktop.ui.workers import Report, run_with_progress

if TYPE_CHECKING:
    from lscb_desktop.store.copying import CopyResult
    from lscb_desktop.store.copying import Progress as CopyProgress
    from lscb_desktop.ui.main_window import MainWindow

FILES = "Databases (*.sqlite)"


class CopyDialog(QDialog):
    """Where the copy goes: a new file, or an empty database on a server."""

    def __init__(self, source: str, suggested: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Copy database to")
        self.server: ServerLogin | None = None
        self.target: Path | ServerLogin | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Every record of {source} (papers and the change log included) is copied; "
            f"{source} itself is left as it is.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.to_file = QRadioButton("A new &file", self)
        self.to_server = QRadioButton("An empty &shared database on a server", self)
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.to_file)
        self.choice.addButton(self.to_server)
        self.to_file.setChecked(True)
        self.path = QLineEdit(str(suggested), self)
        self.path.setAccessibleName("File for the copy")
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self.browse)
        self.server_label = QLabel("(none chosen yet)", self)
        self.server_label.setAccessibleName("Server database for the copy")
        choose = QPushButton("C&hoose…", self)
        choose.clicked.connect(self.choose_server)
        grid = QGridLayout()
        grid.addWidget(self.to_file, 0, 0, 1, 2)
        grid.addWidget(self.path, 1, 0)
        grid.addWidget(browse, 1, 1)
        grid.addWidget(self.to_server, 2, 0, 1, 2)
        grid.addWidget(self.server_label, 3, 0)
        grid.addWidget(choose, 3, 1)
        layout.addLayout(grid)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color:#8a1c14")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Copy")
        buttons.accepted.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Copy to a new file", self.path.text(), FILES)
        if path:
            self.path.setText(path)
            self.to_file.setChecked(True)

    def choose_server(self) -> None:
        chosen = ConnectDialog.ask(
            self,
            self.server.connection if self.server else None,
            title="Copy to a shared database",
            ok_text="&Choose",
        )
        if chosen is not None:
            self.server = chosen
            self.server_label.setText(chosen.connection.label)
            self.to_server.setChecked(True)

    def copy(self) -> None:
        if self.to_server.isChecked():
            if self.server is None:
                self.problem.setText("Choose the server database first (Choose…).")
                return
            self.target = self.server
        else:
            text = self.path.text().strip()
            if not text:
                self.problem.setText("Name the new file for the copy.")
                return
            path = Path(text).expanduser()
            self.target = path.with_suffix(".sqlite") if path.suffix == "" else path
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, source: str, suggested: Path) -> Path | ServerLogin | None:
        dialog = cls(source, suggested, parent)
        dialog.exec()
        return dialog.target if dialog.result() == QDialog.DialogCode.Accepted else None


def _copy_job(
    window: MainWindow, target: Path | ServerLogin, *, replace: bool = False
) -> Callable[[Report], CopyResult]:
    """The copy as a job for run_with_progress (copying is imported when first wanted)."""
    from lscb_desktop.store.copying import copy_database, copy_to_file  # noqa: PLC0415

    source = window.database

    def job(report: Report) -> CopyResult:
        shown = [-1]

        def progress(step: CopyProgress) -> None:
            # Each whole per cent once: a copy has thousands of chunks, and every report is a
            # signal to the window's thread. Cancel is noticed here (report raises).
            percent = int(step.fraction * 100)
            if percent != shown[0]:
                shown[0] = percent
                report(Progress(step.done, step.total, step.text))

        if isinstance(target, ServerLogin):
            return copy_database(source, target.url, progress=progress)
        if replace:
            return copy_to_file(source, target, replace=True, progress=progress)
        return copy_database(source, target, progress=progress)

    return job


def _run_copy(
    window: MainWindow, title: str, target: Path | ServerLogin, *, replace: bool = False
) -> CopyResult | None:
    """Runs the copy behind a progress window; None (having said why) when it was not made."""
    job = _copy_job(window, target, replace=replace)
    outcome = run_with_progress(window, title, job, "Copying…")
    if outcome.cancelled:
        window.show_status("Copy cancelled: nothing was kept")
        return None
    if isinstance(outcome.error, DatabaseError):
        QMessageBox.warning(window, title, str(outcome.error))
        return None
    if outcome.error is not None:
        raise outcome.error
    return outcome.result


def _name(target: Path | ServerLogin) -> str:
    return target.connection.label if isinstance(target, ServerLogin) else str(target)


def copy_from_window(window: MainWindow) -> None:
    """File > Copy database to…: choose, copy with progress, then offer to open the copy."""
    database = window.database
    stem = database.path.stem if database.path else _server_name(window)
    suggested = Path(last_folder()) / f"{stem} copy {dt.datetime.now():%Y-%m-%d %H%M}.sqlite"
    target = CopyDialog.ask(window, window.where(), suggested)
    if target is None:
        return
    if isinstance(target, Path):
        remember_folder(str(target))
    result = _run_copy(window, "Copy database", target)
    if result is None:
        return
    if isinstance(target, ServerLogin):
        target.keep_password()  # it worked: remembered if the user asked
    answer = QMessageBox.question(
        window,
        "Copy database",
        f"Copied {result.total:,} records to {_name(target)}, and checked them.\n\n"
        f"Open the copy now? ({window.where()} stays as it is.)",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer == QMessageBox.StandardButton.Yes:
        window.switch_to(target)
    else:
        window.show_status(f"Copied to {_name(target)}")


def _server_name(window: MainWindow) -> str:
    return ServerConnection.from_url(window.database.engine.url).database or "lscb"


def backup_server(window: MainWindow) -> None:
    """File > Backup now… of a shared database: a file copy of it, checked record by record."""
    name = _server_name(window)
    suggested = str(Path(last_folder()) / f"{name} backup {dt.datetime.now():%Y-%m-%d %H%M}.sqlite")
    path, _ = QFileDialog.getSaveFileName(window, "Backup now", suggested, FILES)
    if not path:
        return
    remember_folder(path)
    target = Path(path)
    # The file dialog has asked before replacing a file that is there; the copy still refuses,
    # in words, one that is a database open in another program or not a database of ours.
    if _run_copy(window, "Backup", target, replace=target.exists()) is not None:
        window.show_status(f"Backed up to {path}")
