"""The window keeps copies of papers private: a paper opened or a document printed is written
only into the program's private temporary folder, and closing the window removes it; the log
and the window's settings file are the user's alone."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QApplication

from lscb_desktop.config import config_dir, data_dir, log_dir, temp_root
from lscb_desktop.services import privacy
from lscb_desktop.services.agenda import read_paper
from lscb_desktop.store import open_database
from lscb_desktop.ui.app import log_file, run_window
from lscb_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def whole_program(whole_program, monkeypatch, tmp_path, message_boxes):
    """``run_window`` as the program runs it (the umask, excepthook, log handler and private
    session put back afterwards by the shared fixture), with ``tempfile`` pointed at a folder of
    the test's own: the system's temporary folder, as far as the program knows."""
    system_temp = tmp_path / "system temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    monkeypatch.setenv("TMPDIR", str(system_temp))
    yield system_temp


def test_papers_opened_and_printed_stay_private_and_go_when_the_window_closes(
    qtbot, monkeypatch, whole_program, sample_path
):
    system_temp = whole_program
    paper_ids: list[int] = []
    opened: list[Path] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile())) or True
    )
    while_printing: list[dict[Path, int]] = []

    def preview(_dialog: QPrintPreviewDialog) -> int:
        made = [p for p in _files(temp_root()) if p.name != privacy.PARTIALS]
        while_printing.append({p: _mode(p) for p in made})
        return 1

    monkeypatch.setattr(QPrintPreviewDialog, "exec", preview)
    problems: list[BaseException] = []
    after_printing: list[Path] = []

    def use_the_window() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        try:
            (window,) = [w for w in shown if isinstance(w, MainWindow)]
            tab = window.meetings_tab
            window.tabs.setCurrentWidget(tab)
            tab.group_filter.setCurrentIndex(tab.group_filter.findText("Strategic Board"))
            tab.period_filter.setCurrentIndex(tab.period_filter.findText("2026-27"))
            assert tab.select_meeting(next(r.id for r in tab.model.rows if r.papers == 3))
            row = next(i for i, r in enumerate(tab.agenda_model.rows) if r.paper_id is not None)
            tab.agenda.selectRow(row)
            paper_ids.append(tab.agenda_model.rows[row].paper_id or 0)
            tab.open_paper()
            tab.document("agenda", to_printer=True)
            after_printing.extend(_files(temp_root()))
        except BaseException as exc:  # shown after the window has gone, not left running
            problems.append(exc)
        finally:  # whatever happened, the window closes and run_window returns
            for widget in shown:
                widget.close()
            QApplication.exit(0)

    shown_by_run_window = MainWindow.show

    def show(window: MainWindow) -> None:
        shown_by_run_window(window)
        QTimer.singleShot(0, use_the_window)  # once app.exec() runs, as the user would

    monkeypatch.setattr(MainWindow, "show", show)
    watchdog = QTimer()  # a test that goes wrong fails rather than hangs
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: QApplication.exit(1))
    watchdog.start(120_000)
    try:
        code = run_window(str(sample_path))
    finally:
        watchdog.stop()
    if problems:
        raise problems[0]
    assert code == 0

    # While the window was open: the paper and the printed PDF, in the private folder.
    (paper,) = opened
    folder = paper.parent.parent
    assert folder.parent == temp_root()
    assert folder.name.startswith(f"{os.getpid()}-")
    database = open_database(sample_path)
    name, content = read_paper(database, paper_ids[0])
    database.dispose()
    assert content
    (printing,) = while_printing
    made = {(p.parent.parent, p.parent.name[:6], p.name): mode for p, mode in printing.items()}
    # the paper read-only, so an editor offers Save As instead of keeping edits in a temporary copy
    assert made == {(folder, "paper-", name): 0o400, (folder, "print-", "document.pdf"): 0o600}
    # the printed PDF deleted once printed, and nothing anywhere else
    assert [p for p in after_printing if p.name != privacy.PARTIALS] == [paper]
    assert _files(system_temp) == []

    # Closed: nothing left, not even the folder.
    assert not paper.exists()
    assert list(temp_root().iterdir()) == []

    # The log and the window's settings are the user's alone, in folders that are too.
    (ini,) = config_dir().rglob("*.ini")
    assert log_file().exists()
    for path in (ini, log_file()):
        assert _mode(path) == 0o600, path
    for folder in (data_dir(), config_dir(), ini.parent, log_dir(), temp_root()):
        assert _mode(folder) == 0o700, folder
