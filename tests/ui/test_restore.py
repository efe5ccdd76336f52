"""Backups in the window: the day's backup on opening, File > Restore from backup…, and the offer
of the last good backup when the database opened is damaged."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from lscb_desktop.store import backups, open_database
from lscb_desktop.store.backups import OPEN_ELSEWHERE, list_backups, take_backup
from lscb_desktop.ui import restore_dialog
from lscb_desktop.ui.app import create_app
from lscb_desktop.ui.main_window import MainWindow
from lscb_desktop.ui.restore_dialog import RestoreDialog
from tests.store.test_backups import corrupt


def attendance(database) -> int:
    with database.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM attendance").scalar_one())


def test_opening_the_window_takes_the_days_backup(window):
    [backup] = list_backups(window.database.path)
    assert backup.taken.date() == dt.date(2026, 11, 23)
    assert backup.path.parent == window.database.path.parent / "backups" / "sample.sqlite"


def test_restore_from_backup_lists_the_backups_and_restores_one(window, answer, message_boxes):
    old = window.database
    with old.engine.begin() as connection:  # records lost by mistake after the day's backup
        connection.exec_driver_sql("DELETE FROM guest")
        connection.exec_driver_sql("DELETE FROM attendance")
    assert attendance(old) == 0
    listed: list[list[str]] = []

    def choose_the_newest(dialog):
        for row in range(dialog.table.rowCount()):
            listed.append([dialog.table.item(row, c).text() for c in range(4)])
        dialog.table.selectRow(0)
        assert dialog.restore_button.isEnabled()
        dialog.accept()

    answer(RestoreDialog, choose_the_newest)
    window.restore_action.trigger()

    assert len(listed) == 1
    taken, people, meetings, records = listed[0]
    assert taken.startswith("23/11/2026 ")
    assert (people, meetings, records) == ("65", "79", "949")
    question = next(text for kind, text in message_boxes if kind == "question")
    assert "Restore sample.sqlite from the backup taken 23/11/2026" in question
    assert "65 people, 79 meetings, 949 attendance" in question
    info = next(text for kind, text in message_boxes if kind == "information")
    assert "The database as it was is kept in" in info
    assert window.database is not old  # reopened
    assert attendance(window.database) == 949
    notes = [b.note for b in list_backups(window.database.path)]
    assert notes.count("before-restore") == 1
    window.database.dispose()


def test_cancelling_the_restore_changes_nothing(window, answer, message_boxes):
    answer(RestoreDialog, lambda dialog: dialog.reject())
    before = window.database
    window.restore_action.trigger()
    assert window.database is before
    assert message_boxes == []
    assert len(list_backups(before.path)) == 1


def test_opening_a_damaged_database_offers_the_last_good_backup(
    qtbot, sample_path: Path, message_boxes, monkeypatch
):
    good = take_backup(sample_path, when=dt.datetime(2026, 11, 22, 17, 30))
    corrupt(sample_path)
    checked: list[Path] = []
    real_check = backups.check_file

    def check_file_counted(path: Path, pragma: str = "quick_check") -> list[str]:
        checked.append(path)
        return real_check(path, pragma)

    monkeypatch.setattr(backups, "check_file", check_file_counted)
    create_app()
    database = open_database(sample_path)
    win = MainWindow(database)
    qtbot.addWidget(win)
    question = next(text for kind, text in message_boxes if kind == "question")
    assert "The database sample.sqlite is damaged" in question
    assert "the backup taken 22/11/2026 17:30 (65 people, 79 meetings, 949 attendance)" in question
    assert win.database is not database
    assert attendance(win.database) == 949
    kept = list(sample_path.parent.glob("sample.damaged-*.sqlite"))
    assert len(kept) == 1
    assert checked.count(good.path) == 1  # checked once, when it was found, not again
    win.database.dispose()


def choose_the_newest(dialog):
    dialog.table.selectRow(0)
    dialog.accept()


def test_the_window_refuses_to_restore_while_another_window_has_the_database_open(
    window, answer, message_boxes, monkeypatch
):
    monkeypatch.setattr(backups, "LOCK_TIMEOUT", 0)
    before = window.database
    other = open_database(before.path)  # a second window on the same file
    try:
        answer(RestoreDialog, choose_the_newest)
        window.restore_action.trigger()
        warning = next(text for kind, text in message_boxes if kind == "warning")
        assert warning == OPEN_ELSEWHERE
        assert window.database is before
        with before.engine.begin() as connection:  # the window still works after the refusal
            connection.exec_driver_sql("DELETE FROM attendance WHERE id = 1")
        assert attendance(other) == 948  # one file: the saves of both windows are in it
    finally:
        other.dispose()
    assert [b.note for b in list_backups(before.path)] == [""]


def test_a_failed_restore_says_so_in_words_and_logs_the_details(
    window, answer, message_boxes, monkeypatch, caplog
):
    hidden = f"{window.database.path.parent}/.sample.sqlite.restoring-4242"

    def fail(*_args: object) -> None:
        raise PermissionError(13, "Permission denied", hidden)

    monkeypatch.setattr(restore_dialog, "restore_backup", fail)
    answer(RestoreDialog, choose_the_newest)
    with caplog.at_level(logging.ERROR, logger=restore_dialog.__name__):
        window.restore_action.trigger()
    warning = next(text for kind, text in message_boxes if kind == "warning")
    assert warning.startswith("The backup was not restored: ")
    assert "Nothing was restored" in warning
    for raw in (".restoring", "Errno", "Permission denied"):
        assert raw not in warning
    assert hidden in caplog.text  # the details, for whoever reads the log
    assert attendance(window.database) == 949  # the window carries on
