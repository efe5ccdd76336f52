"""The window as a user sees it on the sample database."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from lscb_desktop.ui.app import create_app
from lscb_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, sample_db):
    create_app()
    win = MainWindow(sample_db)
    qtbot.addWidget(win)
    win.show()
    return win


def visible_names(win: MainWindow) -> list[str]:
    proxy = win.board_tab.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def test_the_title_names_the_organisation_and_the_file(window):
    assert window.windowTitle() == "Luton Safeguarding Children Board — sample.sqlite"
    assert window.tabs.tabText(0) == "Board"


def test_the_board_tab_lists_the_current_members(window):
    names = visible_names(window)
    assert len(names) == 20
    assert "Frances Pearson" in names
    assert "Chris Bridgett" not in names  # left; shown only with former members
    window.board_tab.show_former.setChecked(True)
    assert "Chris Bridgett" in visible_names(window)


def test_typing_in_the_search_box_narrows_the_table(window, qtbot):
    window.focus_search()
    qtbot.keyClicks(window.board_tab.search, "police")
    assert visible_names(window) == ["Nick Bellingham"]
    assert window.board_tab.count_label.text() == "1 of 20"


def test_export_then_import_from_the_file_menu(window, tmp_path, monkeypatch):
    target = tmp_path / "records.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.export_action.trigger()
    assert load_workbook(target)["People"].max_row == 66

    bad = tmp_path / "bad.xlsx"
    book = Workbook()
    book.active.title = "People"
    book.active.append(["Name", "Agency"])
    book.active.append(["Ann Other", "Luton Zoo"])
    book.save(bad)
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    window.import_action.trigger()
    assert "Nothing in the database was changed" in shown[0].text()
    assert "People, row 2, Agency: unknown agency “Luton Zoo”" in shown[0].detailedText()


def test_the_window_remembers_its_size_and_tab(qtbot, sample_db):
    create_app()
    first = MainWindow(sample_db)
    qtbot.addWidget(first)
    first.resize(760, 520)  # the offscreen screen is 800 x 800
    first.board_tab.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    first.close()
    second = MainWindow(sample_db)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (760, 520)
    header = second.board_tab.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        2,
        Qt.SortOrder.DescendingOrder,
    )
    assert Path(second.database.path).name == "sample.sqlite"
