"""Helpers for driving the window: modal dialogs are answered by a function instead of a user."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from lscb_desktop.services import privacy
from lscb_desktop.ui.app import create_app
from lscb_desktop.ui.main_window import MainWindow
from lscb_desktop.ui.unsaved import AsksBeforeDiscarding


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


@pytest.fixture
def whole_program(monkeypatch):
    """``run_window`` as the program runs it, with what it changes for the whole process (the
    excepthook, the log handler, the private session) put back afterwards."""
    privacy.end_private_session()
    umask = os.umask(0o022)
    os.umask(umask)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    handlers = list(logging.getLogger().handlers)
    yield
    for handler in logging.getLogger().handlers:
        if handler not in handlers:
            logging.getLogger().removeHandler(handler)
            handler.close()
    privacy.end_private_session()
    os.umask(umask)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    """A form a test leaves open with something typed in it is closed when the test ends (by
    pytest-qt, before the fixtures' teardown), with no one there to answer "Discard changes?":
    it is closed as if unchanged. (No widget is touched here: one being destroyed would crash.)"""
    asks = AsksBeforeDiscarding.has_changes
    AsksBeforeDiscarding.has_changes = lambda _self: False  # type: ignore[method-assign]
    try:
        return (yield)
    finally:
        AsksBeforeDiscarding.has_changes = asks  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _a_program_opens_papers(monkeypatch):
    """The test machine may have no program for PDFs or Word files; a council desktop has.
    The tests of a computer without one (test_opening.py) say so themselves."""
    from lscb_desktop.services import opening

    monkeypatch.setattr(opening, "program_for", lambda _path: "a viewer")


@pytest.fixture(autouse=True)
def _no_unanswered_message_box(monkeypatch):
    """A message box no test answers would wait for a click for ever: it fails the test instead,
    naming what it said. Tests that expect one answer it themselves (``message_boxes``)."""

    def unanswered(kind: str):
        def show(_parent, title, text, *args, **kwargs):
            raise AssertionError(f"unanswered {kind} “{title}”: {text}")

        return show

    for kind in ("question", "information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, unanswered(kind))
