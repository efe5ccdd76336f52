"""Long jobs off the GUI thread, behind a progress dialog with a Cancel button.

A job is a function that takes a ``report`` callback and returns a result; it calls ``report``
with :class:`Progress` as it goes. When the user presses Cancel, the next ``report`` raises
:class:`Cancelled` inside the job, so a database session rolls back and a file being written is
removed, exactly as for any other error. Generators of progress (``iter_export``) are run with
:func:`consume`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from lscb_desktop.services.progress import Progress

T = TypeVar("T")
Report = Callable[[Progress], None]


class Cancelled(Exception):
    """Raised inside a job when the user has pressed Cancel."""


def consume(steps: Iterator[Progress], report: Report) -> None:
    """Runs a generator of progress, closing it (so it cleans up) if ``report`` raises."""
    try:
        for step in steps:
            report(step)
    finally:
        close = getattr(steps, "close", None)
        if close is not None:
            close()


@dataclass
class Outcome(Generic[T]):
    """How a job ended: its result, or the error it raised, or cancelled."""

    result: T | None = None
    error: BaseException | None = None
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


class _Runner(QObject):
    progressed = Signal(int, str)
    done = Signal()

    def __init__(self, job: Callable[[Report], Any]) -> None:
        super().__init__()
        self.job = job
        self.outcome: Outcome[Any] = Outcome()
        self.cancel_requested = threading.Event()

    def _report(self, step: Progress) -> None:
        if self.cancel_requested.is_set():
            raise Cancelled
        self.progressed.emit(int(step.fraction * 100), step.message)

    def run(self) -> None:
        try:
            self.outcome.result = self.job(self._report)
            if self.cancel_requested.is_set():
                # Finished before it noticed: the work is done, so say so rather than "cancelled".
                self.cancel_requested.clear()
        except Cancelled:
            self.outcome.cancelled = True
        except Exception as exc:  # handed to the GUI thread, which shows it
            self.outcome.error = exc
        finally:
            self.done.emit()


class _Shower(QObject):
    """Shows progress in the dialog, in the GUI thread: a QObject living there, so the queued
    signal is delivered there (a plain function as the slot ran in the worker thread, which
    touched the dialog from the wrong thread and now and then crashed)."""

    def __init__(self, dialog: QProgressDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    @Slot(int, str)
    def show(self, percent: int, message: str) -> None:
        self.dialog.setValue(percent)
        if message:
            self.dialog.setLabelText(message)


def run_with_progress(
    parent: QWidget | None, title: str, job: Callable[[Report], T], label: str = ""
) -> Outcome[T]:
    """Runs ``job`` on a worker thread while a modal progress dialog shows; returns its outcome.

    The GUI stays responsive (the dialog's event loop runs) and the call returns only when the
    job has ended, so callers read like ordinary sequential code.
    """
    runner = _Runner(job)
    thread = QThread(parent)
    runner.moveToThread(thread)
    dialog = QProgressDialog(label or title, "Cancel", 0, 100, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)

    shower = _Shower(dialog)

    def cancel() -> None:
        runner.cancel_requested.set()
        dialog.setLabelText("Cancelling…")

    loop = QEventLoop()
    runner.progressed.connect(shower.show, Qt.ConnectionType.QueuedConnection)
    runner.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    dialog.canceled.connect(cancel)
    thread.started.connect(runner.run)
    thread.start()
    loop.exec()
    thread.quit()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    thread.deleteLater()
    return runner.outcome
