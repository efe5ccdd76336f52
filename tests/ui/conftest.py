"""Helpers for driving the window: modal dialogs are answered by a function instead of a user."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from lscb_desktop.ui.app import create_app
from lscb_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, sample_db):
    create_app()
    win = MainWindow(sample_db)
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentWidget(win.board_tab)  # most tests start where the day's work does
    return win


@pytest.fixture
def answer(monkeypatch):
    """``answer(DialogClass, fill)``: when the window opens such a dialog, ``fill(dialog)`` plays
    the user (typing, pressing buttons) and the dialog's result is what ``exec`` returns."""

    def install(cls: type[QDialog], fill: Callable[[QDialog], object]) -> list[QDialog]:
        opened: list[QDialog] = []

        def exec_(dialog: QDialog) -> int:
            opened.append(dialog)
            fill(dialog)
            return dialog.result()

        monkeypatch.setattr(cls, "exec", exec_)
        return opened

    return install


@pytest.fixture
def message_boxes(monkeypatch):
    """Every QMessageBox question, warning or information is recorded and answered Yes/OK."""
    shown: list[tuple[str, str]] = []

    def record(kind: str, reply: QMessageBox.StandardButton):
        def show(_parent, title, text, *args, **kwargs):
            shown.append((kind, text))
            return reply

        return show

    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.Yes))
    monkeypatch.setattr(QMessageBox, "warning", record("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(
        QMessageBox, "information", record("information", QMessageBox.StandardButton.Ok)
    )
    return shown
