"""The window as a user sees it on the sample database."""

from __future__ import annotations

import sqlite3

from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from lscb_desktop.services.settings import load_logo, load_settings
from lscb_desktop.ui import workers
from lscb_desktop.ui.app import create_app, log_file, show_unexpected_error
from lscb_desktop.ui.guide import GuideDialog
from lscb_desktop.ui.main_window import MainWindow, recent_databases
from lscb_desktop.ui.settings_dialog import SettingsDialog


def visible_names(win: MainWindow) -> list[str]:
    proxy = win.board_tab.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def test_the_title_names_the_organisation_and_the_file(window):
    name = window.database.display_name  # the file's name, or the server database's
    assert window.windowTitle() == f"Luton Safeguarding Children Board — {name}"
    assert "password" not in name and "***" not in name
    assert window.tabs.tabText(0) == "Home"
    assert window.tabs.tabText(1) == "Board"


def test_the_board_tab_lists_the_current_members(window):
    names = visible_names(window)
    assert len(names) == 20
    assert "Frances Pearson" in names
    assert "Chris Bridgett" not in names  # left; shown only with former members
    window.board_tab.show_former.setChecked(True)
    assert "Chris Bridgett" in visible_names(window)


def test_typing_in_the_search_box_narrows_the_table(window, qtbot):
    with qtbot.waitActive(window):
        window.activateWindow()
    window.board_tab.table.setFocus()
    qtbot.keyClick(window.board_tab.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.board_tab.search.hasFocus()
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
    first.show()
    first.tabs.setCurrentIndex(1)  # the Board
    first.board_tab.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    first.subgroups_tab.table.sortByColumn(8, Qt.SortOrder.DescendingOrder)
    first.subgroups_tab.table.setColumnWidth(0, 333)
    first.board_tab.splitter.setSizes([300, 150])
    board_sizes = first.board_tab.splitter.sizes()
    first.close()
    second = MainWindow(sample_db)
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (760, 520)
    header = second.board_tab.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        2,
        Qt.SortOrder.DescendingOrder,
    )
    assert second.database.display_name == sample_db.display_name
    assert second.tabs.currentIndex() == 1
    groups = second.subgroups_tab.table
    assert groups.columnWidth(0) == 333
    assert groups.model().index(0, 0).data() == "Learning and Improvement Group"  # most members
    assert second.board_tab.splitter.sizes() == board_sizes


def test_the_tabs_come_in_order_and_the_menus_have_the_standard_shortcuts(window):
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Home",
        "Board",
        "Sub-groups",
        "Meetings",
        "Attendance",
        "Audits",
        "Case reviews",
    ]
    shortcuts = {
        action.text().replace("&", ""): action.shortcut().toString()
        for menu in window.menuBar().findChildren(QMenu)
        for action in menu.actions()
    }
    assert shortcuts["Open database…"] == "Ctrl+O"
    assert shortcuts["New…"] == "Ctrl+N"
    assert shortcuts["Find"] == "Ctrl+F"
    assert shortcuts["Quit"] == "Ctrl+Q"
    assert shortcuts["User guide"] == "F1"
    assert window.board_tab.search.accessibleName() == "Search members"


def test_changing_the_terms_in_settings_changes_the_labels(window, answer, sample_db):
    def user(dialog: SettingsDialog):
        dialog.organisation_name.setText("Luton Safeguarding Children Partnership")
        dialog.term_board.setCurrentText("Partnership")
        dialog.save()

    answer(SettingsDialog, user)
    window.settings_action.trigger()
    name = window.database.display_name
    assert window.windowTitle() == f"Luton Safeguarding Children Partnership — {name}"
    assert window.tabs.tabText(1) == "Partnership"
    assert window.board_tab.heading.text() == "<b>Partnership members</b>"
    agencies = window.board_tab.agencies
    assert agencies.model.headerData(4, Qt.Orientation.Horizontal) == "Partnership members"
    assert "with no Partnership member" in agencies.title.text()
    assert window.view_actions[1].text() == "&Partnership"
    assert load_settings(sample_db).term_board == "Partnership"


def test_bad_settings_are_named_by_field_and_nothing_is_saved(window, answer, sample_db):
    seen = {}

    def user(dialog: SettingsDialog):
        dialog.organisation_name.setText("")
        dialog.phone.setText("12345")
        dialog.email.setText("office@")
        dialog.save()
        seen.update(
            {key: dialog.form.message(key) for key in ("organisation_name", "phone", "email")}
        )
        seen["kept"] = dialog.phone.text()
        dialog.reject()

    answer(SettingsDialog, user)
    window.settings_action.trigger()
    assert seen["organisation_name"] == "The organisation needs a name."
    assert "not a valid UK phone number" in seen["phone"]
    assert "is not an email address" in seen["email"]
    assert seen["kept"] == "12345"
    assert load_settings(sample_db).organisation_name == "Luton Safeguarding Children Board"


def test_a_logo_is_chosen_in_settings_and_kept_in_the_database(
    window, answer, tmp_path, monkeypatch, sample_db
):
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    logo = tmp_path / "logo.png"
    image.save(str(logo))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(logo), ""))

    def user(dialog: SettingsDialog):
        dialog.choose_logo()
        assert dialog.logo_preview.pixmap() is not None
        dialog.save()

    answer(SettingsDialog, user)
    window.settings_action.trigger()
    assert load_logo(sample_db) == logo.read_bytes()


def test_new_and_open_database_switch_the_window_and_are_remembered(
    window, answer, tmp_path, monkeypatch, sample_path
):
    fresh = tmp_path / "fresh.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(fresh), ""))

    def user(dialog: SettingsDialog):
        dialog.organisation_name.setText("Anytown Safeguarding Children Partnership")
        dialog.term_board.setCurrentText("Partnership")
        dialog.save()

    answer(SettingsDialog, user)
    trigger(window, "New database…")
    assert window.windowTitle() == "Anytown Safeguarding Children Partnership — fresh.sqlite"
    assert window.board_tab.members.model.rowCount() == 0
    assert window.subgroups_tab.model.rowCount() == 0
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sample_path), ""))
    trigger(window, "Open database…")
    assert window.windowTitle() == "Luton Safeguarding Children Board — sample.sqlite"
    assert window.board_tab.members.model.rowCount() == 20
    assert recent_databases()[:2] == [str(sample_path.resolve()), str(fresh.resolve())]


def test_a_database_from_a_newer_version_is_refused_and_the_open_one_stays(
    window, tmp_path, monkeypatch, message_boxes
):
    newer = tmp_path / "newer.sqlite"
    with sqlite3.connect(newer) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        connection.execute("INSERT INTO alembic_version VALUES ('ffffffffffff')")
    connection.close()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(newer), ""))
    trigger(window, "Open database…")
    assert message_boxes[0][0] == "warning"
    assert "newer" in message_boxes[0][1]
    assert window.windowTitle().endswith(window.database.display_name)
    assert window.board_tab.members.model.rowCount() == 20


def test_an_unexpected_error_is_shown_with_the_log_file_and_the_program_goes_on(
    window, monkeypatch, caplog
):
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError as exc:
        show_unexpected_error(type(exc), exc, exc.__traceback__)
    assert "Something went wrong: disk on fire" in shown[0].text()
    assert str(log_file()) in shown[0].text()
    assert not shown[0].detailedText()  # the traceback goes to the log, not the screen
    assert "RuntimeError: disk on fire" in caplog.text  # written to the log file in the program
    assert window.isVisible()


def test_a_database_error_is_shown_in_words_without_its_sql(window, monkeypatch, caplog):
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    try:
        with window.database.engine.connect() as connection:
            connection.execute(text("INSERT INTO person (id, name) VALUES (1, 'x')"))
    except SQLAlchemyError as exc:
        show_unexpected_error(type(exc), exc, exc.__traceback__)
    assert "The database could not do what was asked." in shown[0].text()
    assert "INSERT" not in shown[0].text() + shown[0].detailedText()
    assert "INSERT INTO person" in caplog.text


def test_an_export_cancelled_from_the_progress_dialog_writes_no_file(window, tmp_path, monkeypatch):
    target = tmp_path / "records.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    real = workers._Runner._report

    def press_cancel_at_once(runner, step):
        runner.cancel_requested.set()
        return real(runner, step)

    monkeypatch.setattr(workers._Runner, "_report", press_cancel_at_once)
    window.export_action.trigger()
    assert not target.exists()
    assert list(tmp_path.glob("*.xlsx")) == []
    assert window.statusBar().currentMessage() == "Export cancelled: no file was written"


def test_the_user_guide_opens_from_the_help_menu(window, answer):
    opened = answer(GuideDialog, lambda dialog: dialog.reject())
    trigger(window, "User guide")
    text = opened[0].browser.toPlainText()
    assert "Copy emails" in text
    assert "statutory partner with no Board member" in text


def trigger(window: MainWindow, text: str) -> None:
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if action.text().replace("&", "") == text:
                action.trigger()
                return
    raise AssertionError(f"no menu item {text}")


def test_the_case_review_clock_is_set_in_settings(window, answer, sample_db):
    def user(dialog: SettingsDialog):
        dialog.clock["review_panel_working_days"].setValue(3)
        dialog.save()

    answer(SettingsDialog, user)
    window.settings_action.trigger()
    assert load_settings(sample_db).review_panel_working_days == 3
    steps = {s.label: s for s in window.reviews_tab.model.rows[0].steps}
    assert steps["National Panel notified"].due.isoformat() == "2026-11-23"  # 18/11 + 3


def test_only_the_first_tab_is_built_at_start_and_others_catch_up_when_shown(
    qtbot, sample_db, answer
):
    create_app()
    win = MainWindow(sample_db)
    qtbot.addWidget(win)
    win.show()
    assert list(win._built) == ["home"]
    win.tabs.setCurrentIndex(1)
    assert list(win._built) == ["home", "board"]
    before = win.board_tab.members.model.rowCount()
    win.tabs.setCurrentIndex(2)
    tab = win.subgroups_tab
    tab.select_group(next(r.id for r in tab.model.rows if r.short_name == "Board"))

    def user(dialog):
        dialog.name.setText("New Board Member")
        dialog.save_button.click()

    from lscb_desktop.ui.member_dialog import MemberDialog

    answer(MemberDialog, user)
    tab.members.new_record()
    assert win.board_tab.members.model.rowCount() == before  # stale until shown
    win.tabs.setCurrentIndex(1)
    assert win.board_tab.members.model.rowCount() == before + 1
