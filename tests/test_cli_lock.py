"""The command line and the lock beside a database file: a write (import, demo, restore, copy
into a file) is refused while another live program has the file open, in the window's words and
with a non-zero exit, unless ``--ignore-lock``; reads are always allowed; a write holds the lock
while it runs; a stopped program's lock is taken over."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lscb_desktop import cli_safety
from lscb_desktop.cli import main
from lscb_desktop.config import default_database_path, sample_database_path
from lscb_desktop.store import lockfile
from lscb_desktop.store.backups import backup_folder
from lscb_desktop.store.lockfile import LockInfo, lock_path, read_lock

pytestmark = pytest.mark.sqlite_only  # the lock is a SQLite file's


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def people(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM person").fetchone()[0])


#: A live program of this computer that is not this one: the test run's parent process.
HOLDER = LockInfo("jsmith", lockfile.this_machine(), os.getppid(), dt.datetime(2026, 11, 23, 9, 12))
HELD = f"is open in LSCB Desktop by jsmith on {lockfile.this_machine()} since 23/11/2026 09:12."


def hold(database: Path, info: LockInfo = HOLDER) -> Path:
    path = lock_path(database)
    path.write_text(info.to_text(), encoding="utf-8")
    return path


@pytest.fixture
def workbook(capsys, sample_path: Path, tmp_path: Path) -> Path:
    """The sample exported to a workbook, with one more person to import."""
    from openpyxl import load_workbook

    out = tmp_path / "records.xlsx"
    assert run(capsys, "--db", str(sample_path), "export", "workbook", str(out))[0] == 0
    book = load_workbook(out)
    sheet = book["People"]
    header = [cell.value for cell in sheet[1]]
    row = [None] * len(header)
    row[header.index("Name")] = "Newly Imported"
    sheet.append(row)
    book.save(out)
    return out


def test_a_write_is_refused_while_a_live_program_has_the_file_open(
    capsys, sample_path: Path, workbook: Path
) -> None:
    before = people(sample_path)
    lock = hold(sample_path)
    code, out, err = run(capsys, "--db", str(sample_path), "import", "workbook", str(workbook))
    assert code == 1
    assert err == (
        f"lscb-desktop: sample.sqlite {HELD} Nothing was changed. Close it there first, or, if "
        "you are sure it is not in use, run the command again with --ignore-lock.\n"
    )
    assert out == ""
    assert people(sample_path) == before
    assert read_lock(lock) == HOLDER  # still theirs
    assert not backup_folder(sample_path).exists()  # not even today's backup was taken

    for argv in (["demo", "--force"], ["restore", "1"]):
        code, _, err = run(capsys, "--db", str(sample_path), *argv)
        assert code == 1
        assert HELD in err
    assert people(sample_path) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "people"],
        ["export", "workbook", "{tmp}/out.xlsx"],
        ["check"],
        ["history", "--limit", "3"],
        ["backups"],
        ["backup", "{tmp}/copy.sqlite"],
    ],
)
def test_reads_are_always_allowed(capsys, sample_path: Path, tmp_path: Path, argv) -> None:
    hold(sample_path)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, _, err = run(capsys, "--db", str(sample_path), *argv)
    assert code == 0, err
    assert "is open in" not in err


def test_ignore_lock_writes_anyway_and_leaves_their_lock(
    capsys, sample_path: Path, workbook: Path
) -> None:
    before = people(sample_path)
    lock = hold(sample_path)
    code, _, err = run(
        capsys, "--db", str(sample_path), "import", "--ignore-lock", "workbook", str(workbook)
    )
    assert code == 0, err
    assert f"warning: sample.sqlite {HELD} Going ahead (--ignore-lock)." in err
    assert people(sample_path) == before + 1
    assert backup_folder(sample_path).exists()
    assert read_lock(lock) == HOLDER
    # The global option before the command does the same.
    code, _, err = run(capsys, "--ignore-lock", "--db", str(sample_path), "demo", "--force")
    assert code == 0, err
    assert read_lock(lock) == HOLDER


def test_another_computers_lock_is_refused_with_its_age(capsys, sample_path: Path) -> None:
    since = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=2, hours=1)
    hold(sample_path, LockInfo("alice", "OFFICE-PC-7", 99, since))
    code, _, err = run(capsys, "--db", str(sample_path), "demo", "--force")
    assert code == 1
    assert f"by alice on OFFICE-PC-7 since {since:%d/%m/%Y %H:%M}." in err
    assert "The lock was taken 2 days ago on another computer" in err
    assert "--ignore-lock" in err


def test_a_write_holds_the_lock_while_it_runs_and_takes_over_a_stopped_one(
    capsys, monkeypatch, sample_path: Path
) -> None:
    from lscb_desktop.services import sample

    stopped = subprocess.Popen([sys.executable, "-c", "pass"])
    stopped.wait()
    lock = hold(sample_path, LockInfo("jsmith", lockfile.this_machine(), stopped.pid, HOLDER.since))
    seen: list[LockInfo | None] = []
    real = sample.create_sample
    monkeypatch.setattr(
        sample, "create_sample", lambda db, today: (seen.append(read_lock(lock)), real(db, today))
    )
    code, _, err = run(capsys, "--db", str(sample_path), "demo", "--force", "--today", "2026-11-23")
    assert code == 0, err
    (during,) = seen
    assert during is not None
    assert (during.pid, during.machine) == (os.getpid(), lockfile.this_machine())
    assert not lock.exists()  # given up at the end


def test_a_new_file_is_locked_while_it_is_made(capsys, monkeypatch, tmp_path: Path) -> None:
    from lscb_desktop.services import sample

    target = tmp_path / "new.sqlite"
    seen: list[bool] = []
    real = sample.create_sample
    monkeypatch.setattr(
        sample,
        "create_sample",
        lambda db, today: (seen.append(lock_path(target).exists()), real(db, today)),
    )
    assert run(capsys, "--db", str(target), "demo", "--today", "2026-11-23")[0] == 0
    assert seen == [True]
    assert not lock_path(target).exists()


def _args(command: str, **values: object) -> argparse.Namespace:
    return argparse.Namespace(command=command, db=None, **values)


def test_which_file_each_command_writes(tmp_path: Path) -> None:
    assert cli_safety.written_file(_args("import")) == default_database_path()
    assert cli_safety.written_file(_args("restore")) == default_database_path()
    assert cli_safety.written_file(_args("demo")) == sample_database_path()
    file = tmp_path / "copy.sqlite"
    assert cli_safety.written_file(_args("copy", target=str(file))) == file
    assert cli_safety.written_file(_args("copy", target="postgresql://db.local/lscb")) is None
    server = argparse.Namespace(command="import", db="postgresql+psycopg://db.local/lscb")
    assert cli_safety.written_file(server) is None
    assert cli_safety.written_file(_args("backup", out=file)) == file  # OUT, not --db
    for reading in ("list", "export", "check", "history", "backups"):
        assert cli_safety.written_file(_args(reading)) is None


def test_copy_into_a_file_that_is_open_elsewhere_is_refused(
    capsys, sample_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere.sqlite"
    target.write_bytes(b"")
    hold(target)
    code, _, err = run(capsys, "--db", str(sample_path), "copy", str(target))
    assert code == 1
    assert f"elsewhere.sqlite {HELD}" in err
    assert target.read_bytes() == b""
