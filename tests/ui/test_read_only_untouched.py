"""Opening a file read-only writes nothing to it or beside it: after the window has shown every
tab of a database someone else has open, the file holds the same bytes with the same time of
change, and its folder lists the same files (no migration, no removal of leftovers, no change of
journal mode, no backup, no lock)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from lscb_desktop.store import lockfile, open_database
from lscb_desktop.store.lockfile import LockInfo, lock_path
from lscb_desktop.store.migrating import host_tag
from lscb_desktop.ui.app import create_app
from lscb_desktop.ui.lock_dialog import LockedDialog, open_for_window, release
from lscb_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.sqlite_only  # read-only is a SQLite file's (the lock beside it)

SINCE = dt.datetime(2026, 11, 23, 9, 12)


def state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in the folder (and below it), with its bytes and its time of change."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.endswith("-shm")  # SQLite's shared memory
    }


@pytest.fixture
def office(sample_path: Path, tmp_path: Path) -> Path:
    """The sample in a folder of its own on the shared drive, with a creation another computer
    is making beside it (which a writable open might remove as a leftover)."""
    folder = tmp_path / "share"
    folder.mkdir()
    path = folder / "luton.sqlite"
    shutil.copyfile(sample_path, path)
    old = folder / f".luton.sqlite.creating-{host_tag()}-999999999"
    old.write_bytes(b"")
    os.utime(old, (0, 0))  # a day old and more: a writable open removes it
    return path


@pytest.fixture
def holder_has_it_open(office: Path) -> Iterator[sqlite3.Connection]:
    """The program that has the file open: a live connection that has written to it (so its
    write-ahead log holds records not yet in the file), and its lock."""
    connection = sqlite3.connect(office, isolation_level=None)
    connection.execute("UPDATE person SET name = 'Changed By Them' WHERE id = 1")
    lock_path(office).write_text(
        LockInfo("jsmith", lockfile.this_machine(), os.getppid(), SINCE).to_text(),
        encoding="utf-8",
    )
    yield connection
    connection.close()


def read_everything(qtbot, path: Path) -> None:
    """Opens ``path`` read-only in the window (the lock dialog's first button), shows every tab,
    and closes it."""
    create_app()
    dialogs: list[LockedDialog] = []

    def choose(dialog: LockedDialog) -> int:
        dialogs.append(dialog)
        return LockedDialog.READ_ONLY

    database = None
    original = LockedDialog.exec
    LockedDialog.exec = choose  # type: ignore[method-assign]
    try:
        database = open_for_window(None, path)
    finally:
        LockedDialog.exec = original  # type: ignore[method-assign]
    assert database is not None and database.read_only
    assert len(dialogs) == 1
    window = MainWindow(database)
    qtbot.addWidget(window)
    window.show()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
    assert len(window.record_tabs()) == len(window.TAB_KEYS)
    window.close()
    release(window.database)
    window.database.dispose()


def test_reading_every_tab_of_a_file_someone_has_open_changes_nothing(
    qtbot, office: Path, holder_has_it_open: sqlite3.Connection
) -> None:
    before = state(office.parent)
    assert f"{office.name}-wal" in before  # their log, with their change in it
    read_everything(qtbot, office)
    assert state(office.parent) == before
    holder_has_it_open.close()
    with closing(sqlite3.connect(office)) as connection:  # their change reaches the file
        assert connection.execute("SELECT name FROM person WHERE id = 1").fetchone() == (
            "Changed By Them",
        )


def test_reading_every_tab_of_a_file_nobody_has_open_changes_nothing(qtbot, office: Path) -> None:
    """The lock of a computer that crashed: nobody has the file open, and the write-ahead log
    files SQLite makes to read it go again when it is closed."""
    lock_path(office).write_text(LockInfo("alice", "OFFICE-PC-7", 99, SINCE).to_text())
    before = state(office.parent)
    read_everything(qtbot, office)
    assert state(office.parent) == before
    assert sorted(p.name for p in office.parent.iterdir()) == sorted(before)


def test_the_store_opens_read_only_without_migrating_a_file_of_another_version(
    tmp_path: Path,
) -> None:
    from lscb_desktop.store import DatabaseError
    from tests.conftest import FIXTURES

    old = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "schema-0003.sqlite", old)
    before = state(tmp_path)
    with pytest.raises(DatabaseError, match=r"cannot be opened read-only.*Nothing was changed"):
        open_database(old, read_only=True)
    assert state(tmp_path) == before
