"""File > Import workbook… and Export workbook…: the window's side of the workbook (the reading
and writing are services.workbook's), each behind a progress window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from lscb_desktop import clock
from lscb_desktop.services.files import OutputError
from lscb_desktop.services.settings import load_settings
from lscb_desktop.ui.recent import last_folder, remember_folder
from lscb_desktop.ui.workers import Report, consume, run_with_progress

if TYPE_CHECKING:
    from lscb_desktop.ui.main_window import MainWindow


def import_into(window: MainWindow) -> None:
    """File > Import workbook…: the records of a workbook, behind a progress window."""
    path, _ = QFileDialog.getOpenFileName(
        window, "Import workbook", last_folder(), "Excel workbooks (*.xlsx)"
    )
    if not path:
        return
    remember_folder(path)
    from lscb_desktop.services.workbook import ImportFailed, import_workbook  # noqa: PLC0415

    database = window.database
    with database.journal.paused():  # an import is put back from a backup, not with Undo
        outcome = run_with_progress(
            window,
            "Import workbook",
            lambda report: import_workbook(database, Path(path), report),
            f"Importing {Path(path).name}…",
        )
    if outcome.cancelled:
        window.show_status("Import cancelled: nothing was changed")
        return
    if isinstance(outcome.error, ImportFailed):
        failed = outcome.error
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Import workbook",
            f"{Path(path).name} was not imported: {len(failed.problems)} "
            "problem(s) were found. Nothing in the database was changed.\n\n"
            "Correct the rows below in the workbook and import it again.",
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setDetailedText("\n".join(str(p) for p in failed.problems))
        box.exec()
        return
    if outcome.error is not None:
        raise outcome.error
    result = outcome.result
    assert result is not None
    window.undo.clear("Undo cleared: an import is not undone step by step")
    window.settings = load_settings(window.database)
    window.apply_terms()
    window.refresh_all()
    text = result.summary()
    if result.warnings:
        text += "\n\nWarnings:\n" + "\n".join(result.warnings)
    QMessageBox.information(window, "Import workbook", text)


def export_from(window: MainWindow) -> None:
    """File > Export workbook…: every record into a new workbook."""
    suggested = str(
        Path(last_folder()) / f"{window.settings.organisation_short_name} records "
        f"{clock.today():%Y-%m-%d}.xlsx"
    )
    path, _ = QFileDialog.getSaveFileName(
        window, "Export workbook", suggested, "Excel workbooks (*.xlsx)"
    )
    if not path:
        return
    remember_folder(path)
    from lscb_desktop.services.workbook import iter_export  # noqa: PLC0415 - openpyxl, late

    database = window.database

    def job(report: Report) -> None:
        consume(iter_export(database, Path(path)), report)

    outcome = run_with_progress(window, "Export workbook", job, "Exporting…")
    if outcome.cancelled:
        window.show_status("Export cancelled: no file was written")
    elif isinstance(outcome.error, OutputError):
        QMessageBox.warning(window, "Export workbook", str(outcome.error))
    elif outcome.error is not None:
        raise outcome.error
    else:
        window.show_status(f"Exported to {path}")
