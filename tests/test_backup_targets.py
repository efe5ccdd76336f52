"""A backup or a copy never replaces a database that is open (its lock is someone else's, a
program of this computer still has it, or SQLite finds it in use), nor the database being copied
itself, nor a file that is not a database of ours: refused in words naming the file, through the
command line (``backup OUT``, ``copy TARGET``) and the store alike. On a server run the source is
the server database (written to the file as a copy); the targets are always files."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from lscb_desktop.cli import main
from lscb_desktop.store import Database, DatabaseError, lockfile, open_database
from lscb_desktop.store.copying import copy_database, copy_to_file
from lscb_desktop.store.lockfile import LockInfo, lock_path, read_chain

#: A live program of this computer that is not this one: the test run's parent process.
HOLDER = LockInfo("jsmith", lockfile.this_machine(), os.getppid(), dt.datetime(2026, 11, 23, 9, 12))
HELD = f"is open in LSCB Desktop by jsmith on {lockfile.this_machine()} since 23/11/2026 09:12."


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def hold(database: Path, info: LockInfo = HOLDER) -> Path:
    path = lock_path(database)
    path.write_text(info.to_text(), encoding="utf-8")
    return path


def people(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("SELECT count(*) FROM person").fetchone()[0])


@pytest.fixture
def theirs(sample_path: Path, tmp_path: Path) -> Path:
    """Another office's database file, with one person fewer than the sample."""
    path = tmp_path / "other" / "theirs.sqlite"
    path.parent.mkdir()
    shutil.copyfile(sample_path, path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA foreign_keys=OFF")
        connection.execute("DELETE FROM person WHERE id = (SELECT max(id) FROM person)")
        connection.commit()
    return path


def untouched(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


# -- the command line ------------------------------------------------------------------------------


def test_backup_never_replaces_a_database_open_in_another_program(
    capsys: pytest.CaptureFixture[str], sample_target: str, theirs: Path
) -> None:
    lock = hold(theirs)
    before = untouched(theirs)
    code, out, err = run(capsys, "--db", sample_target, "backup", str(theirs))
    assert code == 1 and out == ""
    assert err.startswith(f"lscb-desktop: theirs.sqlite {HELD} Nothing was changed.")
    assert "--ignore-lock" in err
    assert untouched(theirs) == before
    # --ignore-lock is for a lock left behind: this program is still running, so still refused.
    code, _, err = run(capsys, "--db", sample_target, "backup", "--ignore-lock", str(theirs))
    assert code == 1
    assert f"Cannot replace {theirs}: theirs.sqlite {HELD}" in err
    assert "never replaces a database that is open" in err and "Traceback" not in err
    assert untouched(theirs) == before
    assert read_chain(lock) == (HOLDER,)  # theirs again


def test_backup_never_replaces_a_database_sqlite_finds_in_use(
    capsys: pytest.CaptureFixture[str], sample_target: str, theirs: Path
) -> None:
    with closing(sqlite3.connect(theirs, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE person SET name = 'Still Being Typed' WHERE id = 1")
        code, out, err = run(capsys, "--db", sample_target, "backup", str(theirs))
        assert code == 1 and out == ""
        assert f"Cannot replace {theirs}: another program is using it." in err
        writer.execute("COMMIT")
    assert people(theirs) == 64
    with closing(sqlite3.connect(theirs)) as connection:
        assert connection.execute("SELECT name FROM person WHERE id = 1").fetchone() == (
            "Still Being Typed",
        )


def test_backup_never_replaces_the_database_itself(
    capsys: pytest.CaptureFixture[str], sample_path: Path, tmp_path: Path
) -> None:
    before = untouched(sample_path)
    code, _, err = run(capsys, "--db", str(sample_path), "backup", str(sample_path))
    assert code == 1
    assert f"{sample_path} is the database being copied itself" in err
    link = tmp_path / "same.sqlite"
    link.symlink_to(sample_path)
    code, _, err = run(capsys, "--db", str(sample_path), "backup", str(link))
    assert code == 1
    assert "is the database being copied itself" in err
    assert untouched(sample_path) == before


@pytest.mark.parametrize("kind", ["text", "another-programs-database"])
def test_backup_never_replaces_a_file_that_is_not_a_database_of_ours(
    capsys: pytest.CaptureFixture[str], sample_target: str, tmp_path: Path, kind: str
) -> None:
    out_file = tmp_path / "minutes.sqlite"
    if kind == "text":
        out_file.write_text("The minutes of 23/11/2026, not yet saved anywhere else.\n")
    else:
        with closing(sqlite3.connect(out_file)) as connection:
            connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
            connection.execute("INSERT INTO invoices VALUES (1, 12.5)")
            connection.commit()
    before = untouched(out_file)
    code, out, err = run(capsys, "--db", sample_target, "backup", str(out_file))
    assert code == 1 and out == ""
    assert err == (
        f"lscb-desktop: Cannot replace {out_file}: it is not a database of LSCB Desktop. "
        "Choose another file, or move that one away first. Nothing was changed.\n"
    )
    assert untouched(out_file) == before


def test_backup_replaces_an_older_backup_nobody_has_open(
    capsys: pytest.CaptureFixture[str], sample_target: str, theirs: Path
) -> None:
    # A lock left by a program that has stopped, and the old file's log beside it.
    stopped = subprocess.Popen([sys.executable, "-c", "pass"])
    stopped.wait()
    hold(theirs, LockInfo("jsmith", lockfile.this_machine(), stopped.pid, HOLDER.since))
    Path(f"{theirs}-wal").write_bytes(b"")
    code, out, err = run(capsys, "--db", sample_target, "backup", str(theirs))
    assert code == 0, err
    assert "Backed up" in out
    assert people(theirs) == 65
    assert sorted(p.name for p in theirs.parent.iterdir()) == ["theirs.sqlite"]


def test_ignore_lock_replaces_a_backup_whose_lock_another_computer_left(
    capsys: pytest.CaptureFixture[str], sample_target: str, theirs: Path
) -> None:
    elsewhere = LockInfo("alice", "OFFICE-PC-7", 99, HOLDER.since)
    lock = hold(theirs, elsewhere)
    code, _, err = run(capsys, "--db", sample_target, "backup", str(theirs))
    assert code == 1
    assert "by alice on OFFICE-PC-7" in err and "--ignore-lock" in err
    assert people(theirs) == 64
    code, _, err = run(capsys, "--db", sample_target, "backup", "--ignore-lock", str(theirs))
    assert code == 0, err
    assert people(theirs) == 65
    assert read_chain(lock) == (elsewhere,)  # cannot be checked from here: given back


# -- the store, as the window uses it --------------------------------------------------------------


@pytest.fixture
def opened(theirs: Path) -> Iterator[Database]:
    """``theirs`` open in a program of this computer (its lock names a live process)."""
    hold(theirs)
    database = open_database(theirs)
    yield database
    database.dispose()


def test_the_stores_backup_and_copies_refuse_a_database_that_is_open(
    sample_db: Database, theirs: Path, opened: Database
) -> None:
    before = untouched(theirs)
    with pytest.raises(DatabaseError, match=f"theirs.sqlite {HELD}"):
        sample_db.backup_to(theirs)
    with pytest.raises(DatabaseError, match="never replaces a database that is open"):
        copy_to_file(sample_db, theirs, replace=True)
    assert untouched(theirs) == before
    with opened.session() as session:  # the program that has it open carries on
        assert session.execute(text("SELECT count(*) FROM person")).scalar_one() == 64


def test_a_copy_never_replaces_an_empty_database_open_in_another_program(
    sample_db: Database, tmp_path: Path
) -> None:
    new = tmp_path / "new.sqlite"
    open_database(new).dispose()  # made in the window just now, and open there
    hold(new)
    before = untouched(new)
    with pytest.raises(DatabaseError, match=f"new.sqlite {HELD}"):
        copy_database(sample_db, new)
    assert untouched(new) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("new", ".new"))) == [
        "new.sqlite",
        "new.sqlite.lock",
    ]
