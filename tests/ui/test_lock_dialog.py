"""The window and the lock beside a database file: a file another program has open offers
read-only, open anyway or cancel, as GnuCash does; read-only saves nothing and says so; a
stopped program's lock is taken over silently; a file on a network drive gets a warning."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from lscb_desktop.services.people import PersonInput, save_person
from lscb_desktop.store import DatabaseError, lockfile
from lscb_desktop.store.lockfile import LockInfo, lock_path, read_lock
from lscb_desktop.store.readonly import ReadOnlyDatabase
from lscb_desktop.ui import lock_dialog
from lscb_desktop.ui.app import create_app, run_window, show_unexpected_error
from lscb_desktop.ui.lock_dialog import LockedDialog, open_for_window, release
from lscb_desktop.ui.main_window import MainWindow
from tests.conftest import FIXTURES

pytestmark = pytest.mark.sqlite_only  # the lock is a SQLite file's

HOLDER = LockInfo("jsmith", lockfile.this_machine(), os.getppid(), dt.datetime(2026, 11, 23, 9, 12))
READ_ONLY_WORDS = (
    f"This database is open read-only because jsmith on {lockfile.this_machine()} has it open; "
    "nothing was saved."
)


@pytest.fixture(autouse=True)
def _local_disks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No network drives unless a test says so, whatever this computer mounts."""
    table = tmp_path / "mounts"
    table.write_text("/dev/sda1 / ext4 rw 0 0\n", encoding="utf-8")
    monkeypatch.setattr(lockfile, "MOUNTS", table)


def hold(database: Path, info: LockInfo = HOLDER) -> Path:
    path = lock_path(database)
    path.write_text(info.to_text(), encoding="utf-8")
    return path


def digest(path: Path) -> str:
    """What the file holds, read through SQLite (the WAL included)."""
    with sqlite3.connect(path) as connection:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()


def press(button_name: str):
    def fill(dialog: LockedDialog) -> None:
        getattr(dialog, button_name).click()

    return fill


def test_read_only_saves_nothing_and_says_why(qtbot, answer, sample_path: Path) -> None:
    create_app()
    lock = hold(sample_path)
    before = digest(sample_path)
    shown = answer(LockedDialog, press("read_only_button"))
    database = open_for_window(None, sample_path)
    assert database is not None
    (dialog,) = shown
    assert dialog.message.text() == (
        f"sample.sqlite is open in LSCB Desktop by jsmith on {lockfile.this_machine()} since "
        "23/11/2026 09:12."
    )
    assert [b.text() for b in (dialog.read_only_button, dialog.anyway_button)] == [
        "Open &read-only",
        "Open &anyway",
    ]
    assert database.read_only
    assert read_lock(lock) == HOLDER  # theirs, untouched

    window = MainWindow(database)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.tabs.setCurrentWidget(window.attendance_tab)
    page = window.attendance_tab.record
    page.table.setFocus()
    page.table.selectRow(0)
    shown_before = page.model.index(0, 3).data()
    with qtbot.capture_exceptions() as raised:
        qtbot.keyClick(page.table, Qt.Key.Key_X)  # Absent
    ((kind, error, trace),) = raised
    assert isinstance(error, ReadOnlyDatabase)
    boxes = answer(QMessageBox, lambda box: None)
    show_unexpected_error(kind, error, trace)  # what the program's excepthook shows
    assert [box.text() for box in boxes] == [READ_ONLY_WORDS]
    page.refresh()
    assert page.model.index(0, 3).data() == shown_before

    with pytest.raises(ReadOnlyDatabase) as refused:  # a form's save, through the ORM
        save_person(database, PersonInput(name="Nobody Saved"))
    assert str(refused.value) == READ_ONLY_WORDS
    with database.engine.connect() as connection:  # SQLite itself refuses too
        assert connection.exec_driver_sql("PRAGMA query_only").scalar() == 1
    window.close()
    release(database)
    database.dispose()
    assert read_lock(lock) == HOLDER  # still theirs: read-only never took it
    assert digest(sample_path) == before


def test_open_anyway_takes_the_lock(answer, sample_path: Path) -> None:
    lock = hold(sample_path)
    answer(LockedDialog, press("anyway_button"))
    database = open_for_window(None, sample_path)
    assert database is not None
    assert not database.read_only
    mine = read_lock(lock)
    assert mine is not None
    assert mine.pid == os.getpid()
    save_person(database, PersonInput(name="Saved Anyway"))
    release(database)
    database.dispose()
    assert read_lock(lock) == HOLDER  # they still have it open: the lock is theirs again


def test_cancel_opens_nothing(answer, sample_path: Path) -> None:
    lock = hold(sample_path)
    before = digest(sample_path)
    answer(LockedDialog, press("cancel_button"))
    assert open_for_window(None, sample_path) is None
    assert read_lock(lock) == HOLDER
    assert digest(sample_path) == before


def test_a_stopped_programs_lock_is_taken_over_without_asking(answer, sample_path: Path) -> None:
    stopped = subprocess.Popen([sys.executable, "-c", "pass"])
    stopped.wait()
    lock = hold(sample_path, LockInfo("jsmith", lockfile.this_machine(), stopped.pid, HOLDER.since))
    asked = answer(LockedDialog, press("cancel_button"))
    database = open_for_window(None, sample_path)
    assert database is not None
    assert asked == []
    assert not database.read_only
    info = read_lock(lock)
    assert info is not None
    assert info.pid == os.getpid()
    release(database)
    database.dispose()
    assert not lock.exists()


def test_another_computers_lock_shows_its_age(answer, sample_path: Path) -> None:
    since = dt.datetime.now().replace(microsecond=0) - dt.timedelta(hours=5)
    hold(sample_path, LockInfo("alice", "OFFICE-PC-7", 1234, since))
    shown = answer(LockedDialog, press("cancel_button"))
    assert open_for_window(None, sample_path) is None
    (dialog,) = shown
    assert "by alice on OFFICE-PC-7 since" in dialog.message.text()
    assert "taken 5 hours ago on another computer" in dialog.message.text()


def test_read_only_refuses_a_file_that_would_need_upgrading(answer, tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "schema-0003.sqlite", old)
    hold(old)
    before = old.read_bytes()
    answer(LockedDialog, press("read_only_button"))
    with pytest.raises(DatabaseError, match="cannot be opened read-only while jsmith on"):
        open_for_window(None, old)
    assert old.read_bytes() == before


def test_a_file_on_a_network_drive_gets_a_warning(
    message_boxes, monkeypatch, sample_path: Path, tmp_path: Path
) -> None:
    table = tmp_path / "network mounts"
    table.write_text(f"//fileserver/lscb {sample_path.parent.resolve()} cifs rw 0 0\n")
    monkeypatch.setattr(lockfile, "MOUNTS", table)
    database = open_for_window(None, sample_path)
    assert database is not None
    ((kind, text),) = message_boxes
    assert kind == "warning"
    assert text.startswith("sample.sqlite is on a network drive")
    assert text.endswith("File > Connect to a shared database…")
    release(database)
    database.dispose()


def test_a_file_on_a_local_disk_gets_no_warning(message_boxes, sample_path: Path) -> None:
    database = open_for_window(None, sample_path)
    assert database is not None
    assert message_boxes == []
    assert read_lock(lock_path(sample_path)) is not None
    release(database)
    database.dispose()
    assert not lock_path(sample_path).exists()


def test_run_window_holds_the_lock_until_the_window_closes(
    whole_program, monkeypatch, sample_path: Path
) -> None:
    during: list[LockInfo | None] = []

    def exec_(_app: QApplication) -> int:
        during.append(read_lock(lock_path(sample_path)))
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    monkeypatch.setattr(MainWindow, "show", lambda window: None)
    assert run_window(str(sample_path)) == 0
    (info,) = during
    assert info is not None
    assert info.pid == os.getpid()
    assert not lock_path(sample_path).exists()
    assert sample_path.resolve() not in {p.resolve() for p in lock_dialog._locks}


def test_run_window_cancelled_opens_no_window(
    whole_program, answer, monkeypatch, sample_path: Path
) -> None:
    hold(sample_path)
    answer(LockedDialog, press("cancel_button"))
    monkeypatch.setattr(MainWindow, "__init__", lambda *a: pytest.fail("no window expected"))
    assert run_window(str(sample_path)) == 0
    assert read_lock(lock_path(sample_path)) == HOLDER
