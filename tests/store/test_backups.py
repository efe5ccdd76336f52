"""Backups: the rotation (a pure function, over a year of dates), the daily backup, the listing,
and restores that put the records back atomically."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from lscb_desktop.clock import TODAY_ENV
from lscb_desktop.store import DatabaseError, backups, open_database
from lscb_desktop.store.backups import (
    OPEN_ELSEWHERE,
    backup_folder,
    check_file,
    daily_backup,
    find_backup,
    last_good_backup,
    list_backups,
    read_contents,
    restore_backup,
    rotate,
    take_backup,
    to_keep,
)
from lscb_desktop.store.database import DamagedDatabase

TODAY = dt.date(2026, 11, 23)  # a Monday, in ISO week 48


#: What a failing disk leaves in a page: the same bytes on every run (0xDE is no page type).
GARBAGE = b"\xde\xad\xbe\xef"


def corrupt(path: Path, table: str = "attendance") -> None:
    """Overwrites the root page of ``table``'s b-tree with fixed garbage, so that the damage is
    certain (a free page would pass the integrity check) and the same on every run. The WAL is
    written into the file first, so that the damaged page is the one SQLite reads."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = int(connection.execute("PRAGMA page_size").fetchone()[0])
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()[0]
    with path.open("r+b") as file:
        file.seek((int(root) - 1) * page_size)
        file.write(GARBAGE * (page_size // len(GARBAGE)))


def count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def daily(first: dt.date, last: dt.date) -> list[dt.datetime]:
    days = (last - first).days + 1
    return [dt.datetime.combine(first + dt.timedelta(d), dt.time(9)) for d in range(days)]


def at9(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 9)


# -- rotation --------------------------------------------------------------------------------------


EXPECTED_AFTER_A_YEAR = {
    # the last 7 days
    *(at9(2026, 11, d) for d in range(17, 24)),
    # the newest of each of the last 4 weeks: weeks 48 and 47 are among the days; 46, 45
    at9(2026, 11, 15),
    at9(2026, 11, 8),
    # the newest of each of the last 12 months: November is among the days
    at9(2026, 10, 31),
    at9(2026, 9, 30),
    at9(2026, 8, 31),
    at9(2026, 7, 31),
    at9(2026, 6, 30),
    at9(2026, 5, 31),
    at9(2026, 4, 30),
    at9(2026, 3, 31),
    at9(2026, 2, 28),
    at9(2026, 1, 31),
    at9(2025, 12, 31),
}


def test_rotation_over_a_year_of_daily_backups_keeps_7_daily_4_weekly_12_monthly():
    taken = daily(dt.date(2025, 11, 24), TODAY)
    assert len(taken) == 365
    assert to_keep(taken) == EXPECTED_AFTER_A_YEAR


def test_rotating_every_day_for_a_year_ends_where_rotating_once_does():
    kept: set[dt.datetime] = set()
    for when in daily(dt.date(2025, 11, 24), TODAY):
        kept = to_keep(kept | {when})
        assert len(kept) <= 7 + 4 + 12
    assert kept == EXPECTED_AFTER_A_YEAR


def test_rotation_keeps_the_newest_of_a_day_and_survives_a_long_pause():
    morning, evening = dt.datetime(2026, 11, 23, 9), dt.datetime(2026, 11, 23, 17)
    assert to_keep([morning, evening]) == {evening}
    # A year without backups, then one: the old months' newest are not thrown away.
    old = daily(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    kept = to_keep([*old, dt.datetime(2026, 11, 23, 9)])
    assert dt.datetime(2026, 11, 23, 9) in kept
    assert at9(2024, 12, 31) in kept
    assert at9(2024, 2, 29) in kept  # still among the 12 newest months that have a backup
    assert at9(2024, 1, 31) not in kept  # the 13th month back


def test_rotate_deletes_exactly_the_files_the_rotation_does_not_keep(tmp_path):
    database = tmp_path / "lscb.sqlite"
    folder = backup_folder(database)
    folder.mkdir(parents=True)
    for when in daily(dt.date(2025, 11, 24), TODAY):
        (folder / f"lscb-{when:%Y%m%d-%H%M%S}.sqlite").touch()
    (folder / "notes.txt").touch()  # not a backup: left alone
    upgrade_copy = tmp_path / "lscb.before-upgrade-20250101-120000.sqlite"
    upgrade_copy.touch()  # never rotated
    removed = rotate(database)
    assert len(removed) == 365 - 20
    left = {b.taken for b in list_backups(database) if b.note != "before-upgrade"}
    assert left == EXPECTED_AFTER_A_YEAR
    assert (folder / "notes.txt").exists()
    assert upgrade_copy.exists()


# -- taking backups --------------------------------------------------------------------------------


def test_the_daily_backup_is_taken_once_a_day_checked_and_private(sample_path, monkeypatch):
    first = daily_backup(sample_path)
    assert first is not None
    assert first.path.parent == sample_path.parent / "backups" / "sample.sqlite"
    assert first.taken.date() == TODAY
    assert check_file(first.path, "integrity_check") == []
    assert count(first.path, "attendance") == 949
    if os.name == "posix":
        assert first.path.stat().st_mode & 0o777 == 0o600
        assert first.path.parent.stat().st_mode & 0o777 == 0o700
    assert daily_backup(sample_path) is None  # at most once a day
    monkeypatch.setenv(TODAY_ENV, "2026-11-24")
    second = daily_backup(sample_path)
    assert second is not None
    assert [b.path for b in list_backups(sample_path)] == [second.path, first.path]


def test_a_damaged_database_is_not_backed_up(sample_path):
    corrupt(sample_path)
    with pytest.raises(DamagedDatabase, match=r"sample\.sqlite is damaged"):
        take_backup(sample_path)
    assert list(backup_folder(sample_path).iterdir()) == []


def test_a_listed_backup_says_what_it_holds(sample_path):
    take_backup(sample_path, when=dt.datetime(2026, 11, 23, 14, 5))
    [backup] = list_backups(sample_path)
    assert backup.path.name == "sample-20261123-140500.sqlite"
    contents = read_contents(backup.path)
    assert contents.sound
    assert contents.counts == {"people": 65, "meetings": 79, "attendance": 949}
    assert find_backup(sample_path, "1") == backup.path
    assert find_backup(sample_path, backup.path.name) == backup.path
    with pytest.raises(DatabaseError, match="no backup called 7"):
        find_backup(sample_path, "7")


# -- restoring ---------------------------------------------------------------------------------


def test_a_restore_brings_the_records_back_and_keeps_the_state_before_it(sample_db, sample_path):
    backup = take_backup(sample_path, when=dt.datetime(2026, 11, 22, 9))
    with sample_db.engine.begin() as connection:  # a day's work
        connection.exec_driver_sql("DELETE FROM guest")
        connection.exec_driver_sql("DELETE FROM attendance")
    assert count(sample_path, "attendance") == 0
    sample_db.dispose()  # the caller closes its own connections first
    restored = restore_backup(sample_path, backup.path)
    assert not Path(f"{sample_path}-wal").exists()
    assert not Path(f"{sample_path}-shm").exists()
    assert restored.previous is not None
    assert restored.previous.name.endswith("-before-restore.sqlite")
    assert count(restored.previous, "attendance") == 0  # the state before, kept
    database = open_database(sample_path)
    try:
        with database.engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT count(*) FROM attendance").scalar()
    finally:
        database.dispose()
    assert rows == 949
    assert check_file(sample_path, "integrity_check") == []
    assert not list(sample_path.parent.glob(".sample.sqlite.restoring-*"))


def test_a_restore_refuses_an_unsound_or_foreign_backup_and_changes_nothing(sample_path, tmp_path):
    bad = tmp_path / "bad.sqlite"
    shutil.copyfile(sample_path, bad)
    corrupt(bad)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER)")
    newer = take_backup(sample_path).path
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = sample_path.read_bytes()
    for backup, reason in (
        (bad, "damaged"),
        (other, "not an LSCB Desktop database"),
        (newer, "newer version"),
    ):
        with pytest.raises(DatabaseError, match=reason):
            restore_backup(sample_path, backup)
    assert sample_path.read_bytes() == before
    assert len(list_backups(sample_path)) == 1  # no backup of the current state was needed


def test_restoring_over_a_damaged_database_keeps_the_damaged_file_aside(sample_path):
    good = take_backup(sample_path, when=dt.datetime(2026, 11, 22, 9))
    corrupt(sample_path)
    found = last_good_backup(sample_path)
    assert found is not None
    assert found[0].path == good.path
    restored = restore_backup(sample_path, good.path)
    assert restored.previous_damaged
    assert restored.previous is not None
    assert restored.previous.name.startswith("sample.damaged-")
    assert check_file(sample_path, "integrity_check") == []
    assert count(sample_path, "attendance") == 949


def test_a_restore_is_refused_while_another_window_has_the_database_open(
    sample_db, sample_path, monkeypatch
):
    """An idle connection (a second window, or the window while the command line restores)
    would keep saving into the replaced file, and its saves would be lost."""
    monkeypatch.setattr(backups, "LOCK_TIMEOUT", 0)  # no waiting for the other window
    backup = take_backup(sample_path, when=dt.datetime(2026, 11, 22, 9))
    with sample_db.engine.begin() as connection:  # the other window's work, then it idles
        connection.exec_driver_sql("DELETE FROM guest")
    listed = list_backups(sample_path)
    with pytest.raises(DatabaseError) as refused:
        restore_backup(sample_path, backup.path)
    assert str(refused.value) == OPEN_ELSEWHERE
    assert list_backups(sample_path) == listed  # no before-restore copy either
    assert not list(sample_path.parent.glob(".sample.sqlite.restoring-*"))
    with sample_db.engine.begin() as connection:  # the other window saves on, into the file
        connection.exec_driver_sql("DELETE FROM attendance WHERE id = 1")
    sample_db.dispose()
    assert count(sample_path, "guest") == 0
    assert count(sample_path, "attendance") == 948


@pytest.mark.skipif(os.name != "posix", reason="Windows refuses the rename instead")
def test_a_restore_locks_the_database_until_the_backup_is_in_place(sample_path, monkeypatch):
    """No program can read or write the old file between the check and the rename."""
    monkeypatch.setattr(backups, "LOCK_TIMEOUT", 0)
    backup = take_backup(sample_path, when=dt.datetime(2026, 11, 22, 9))
    seen: list[str] = []
    real_replace = Path.replace

    def replace(self: Path, target: Path) -> Path:
        if Path(target) == sample_path:
            with closing(sqlite3.connect(sample_path, timeout=0)) as other:
                try:
                    other.execute("SELECT count(*) FROM person").fetchone()
                    seen.append("read")
                except sqlite3.OperationalError as exc:
                    seen.append(str(exc))
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    restore_backup(sample_path, backup.path)
    assert seen == ["database is locked"]
    assert count(sample_path, "attendance") == 949


def test_the_caller_can_pass_the_check_it_has_already_made(sample_path, monkeypatch):
    backup = take_backup(sample_path, when=dt.datetime(2026, 11, 22, 9))
    found = last_good_backup(sample_path)
    assert found is not None
    checked: list[Path] = []
    real_check = backups.check_file

    def check_file_counted(path: Path, pragma: str = "quick_check") -> list[str]:
        checked.append(path)
        return real_check(path, pragma)

    monkeypatch.setattr(backups, "check_file", check_file_counted)
    restore_backup(sample_path, backup.path, found[1])
    assert backup.path not in checked


def test_only_the_daily_backups_are_rotated(tmp_path):
    database = tmp_path / "lscb.sqlite"
    folder = backup_folder(database)
    folder.mkdir(parents=True)
    for when in daily(dt.date(2025, 11, 24), TODAY):
        (folder / f"lscb-{when:%Y%m%d-%H%M%S}.sqlite").touch()
    kept = [
        folder / "lscb-20250301-100000-before-restore.sqlite",
        folder / "lscb-20250302-100000-before-demo.sqlite",
    ]
    for path in kept:
        path.touch()
    rotate(database)
    assert all(path.exists() for path in kept)
    left = {b.taken for b in list_backups(database) if b.note == ""}
    assert left == EXPECTED_AFTER_A_YEAR


def test_two_databases_in_one_folder_keep_their_backups_apart(sample_path):
    other = sample_path.with_suffix(".db")
    shutil.copyfile(sample_path, other)
    with sqlite3.connect(other) as connection:
        connection.execute("DELETE FROM guest")
        connection.execute("DELETE FROM attendance")
    mine = take_backup(sample_path, when=dt.datetime(2026, 11, 22, 9))
    theirs = take_backup(other, when=dt.datetime(2026, 11, 23, 9))
    assert backup_folder(sample_path) != backup_folder(other)
    assert mine.path.parent == sample_path.parent / "backups" / "sample.sqlite"
    assert [b.path for b in list_backups(sample_path)] == [mine.path]
    assert [b.path for b in list_backups(other)] == [theirs.path]
    # A backup of another database put in the folder by hand is not listed, nor restored by number.
    stray = backup_folder(sample_path) / "elsewhere-20261123-100000.sqlite"
    shutil.copyfile(theirs.path, stray)
    assert [b.path for b in list_backups(sample_path)] == [mine.path]
    assert find_backup(sample_path, "1") == mine.path
    with pytest.raises(DatabaseError):
        find_backup(sample_path, "2")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_only_the_folders_the_program_makes_are_made_private(sample_path):
    shared = sample_path.parent / "backups"
    shared.mkdir()
    shared.chmod(0o755)  # the user's own folder
    backup = take_backup(sample_path)
    assert shared.stat().st_mode & 0o777 == 0o755
    assert backup.path.parent.stat().st_mode & 0o777 == 0o700


def test_the_corruption_used_by_the_tests_is_certain_and_repeatable(sample_path, tmp_path):
    twin = tmp_path / "twin.sqlite"
    shutil.copyfile(sample_path, twin)
    corrupt(sample_path)
    corrupt(twin)
    assert sample_path.read_bytes() == twin.read_bytes()
    assert check_file(sample_path, "quick_check") != []
