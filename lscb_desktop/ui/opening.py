"""Opening a file in the program the computer uses for it, or saying plainly that none will."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from lscb_desktop.services import opening


def open_file(parent: QWidget, title: str, path: Path, where: str) -> bool:
    """Opens ``path``; when no program on this computer opens such files, says so, and where
    the file is (``where``: "It is saved at …"). Whether it was opened."""
    if opening.program_for(path) is not None and QDesktopServices.openUrl(
        QUrl.fromLocalFile(str(path))
    ):
        return True
    kind = path.suffix.lower() or "such"
    QMessageBox.information(
        parent,
        title,
        f"No program on this computer opens {kind} files, so {path.name} was not opened. "
        f"{where}\n\nAsk your IT service for a program that opens them.",
    )
    return False
