"""Backups: the rotation (a pure function, over a year of dates), the daily backup, the listing,
and restores that put the records back atomically."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from lscb_desktop.clock import TODAY_ENV
from lscb_desktop.store import DatabaseError, open_database
from lscb_desktop.store.backups import (
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


def corrupt(path: Path) -> None:
    """4 KiB of random bytes in the middle of the file, as a failing disk would leave."""
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(size // 2)
        file.write(os.urandom(4096))


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
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
    assert first.path.parent == sample_path.parent / "backups" / "sample"
    assert first.taken.date() == TODAY
    assert check_file(first.path, "integrity_check") == []
    assert count(first.path, "attendance") == 963
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
    assert contents.counts == {"people": 65, "meetings": 79, "attendance": 963}
    assert find_backup(sample_path, "1") == backup.path
    assert find_backup(sample_path, backup.path.name) == backup.path
    with pytest.raises(DatabaseError, match="no backup called 7"):
        find_backup(sample_path, "7")


# -- restoring ---------------------------------------------------------------------------------


def test_a_restore_brings_the_records_back_and_keeps_the_state_before_it(sample_db, sample_path):
    backup = take_backup(sample_path, when=dt.datetime(2026, 11, 22, 9))
    with sample_db.engine.begin() as connection:  # a day's work, still in the WAL
        connection.exec_driver_sql("DELETE FROM guest")
        connection.exec_driver_sql("DELETE FROM attendance")
    assert count(sample_path, "attendance") == 0
    restored = restore_backup(sample_path, backup.path)
    sample_db.dispose()
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
    assert rows == 963
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
    assert count(sample_path, "attendance") == 963
