"""The command line over a damaged database (plain words, non-zero exit, never a traceback),
and its backups: the daily one, the listing, restore."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from lscb_desktop.cli import main
from lscb_desktop.store import backups
from lscb_desktop.store.backups import backup_folder, list_backups, take_backup
from tests.store.test_backups import corrupt


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def damaged_path(sample_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "damaged.sqlite"
    shutil.copyfile(sample_path, path)
    corrupt(path)
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["list", "people"],
        ["export", "workbook", "OUT.xlsx"],
        ["backup", "OUT.sqlite"],
        ["history"],
    ],
)
def test_a_damaged_database_stops_every_command_with_plain_words(
    capsys, damaged_path, tmp_path, command
):
    argv = [str(tmp_path / a) if a.startswith("OUT") else a for a in command]
    code, out, err = run(capsys, "--db", str(damaged_path), *argv)
    assert code == 1
    assert "damaged" in out + err
    assert "lscb-desktop restore BACKUP" in out + err
    assert "Traceback" not in out + err
    assert not list(tmp_path.glob("OUT*"))  # nothing exported, nothing copied


def test_check_on_a_damaged_file_in_a_separate_process_has_no_traceback(damaged_path):
    done = subprocess.run(
        [sys.executable, "-m", "lscb_desktop", "--db", str(damaged_path), "check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    assert "The database file is damaged" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_check_on_a_file_that_is_not_a_database(capsys, tmp_path):
    text_file = tmp_path / "notes.sqlite"
    text_file.write_text("meeting notes, not a database\n" * 200)
    code, out, err = run(capsys, "check", "--db", str(text_file))
    assert code == 1
    assert "not a database" in out + err
    assert "Traceback" not in out + err


def test_import_takes_the_days_backup_once_and_backups_lists_it(capsys, sample_path, tmp_path):
    workbook = tmp_path / "records.xlsx"
    assert run(capsys, "export", "workbook", str(workbook), "--db", str(sample_path))[0] == 0
    assert list_backups(sample_path) == []  # reading takes no backup
    code, _, err = run(capsys, "import", "workbook", str(workbook), "--db", str(sample_path))
    assert code == 0
    assert "Took today's backup" in err
    run(capsys, "import", "workbook", str(workbook), "--db", str(sample_path))
    assert len(list_backups(sample_path)) == 1  # at most one a day

    code, out, _ = run(capsys, "backups", "--db", str(sample_path))
    assert code == 0
    assert str(backup_folder(sample_path)) in out
    line = next(line for line in out.splitlines() if line.strip().startswith("1 "))
    assert "23/11/2026" in line
    assert line.split()[5:8] == ["65", "79", "949"]
    code, out, _ = run(capsys, "backups", "--json", "--db", str(sample_path))
    [listed] = json.loads(out)
    assert listed["people"] == 65
    assert listed["attendance"] == 949


def test_restore_brings_the_records_back_and_keeps_the_state_before(capsys, sample_path):
    assert (
        run(
            capsys, "backup", str(sample_path.with_name("manual.sqlite")), "--db", str(sample_path)
        )[0]
        == 0
    )
    take_backup(sample_path)
    with closing(sqlite3.connect(sample_path)) as connection:
        connection.execute("DELETE FROM guest")
        connection.execute("DELETE FROM attendance")
    code, out, err = run(capsys, "restore", "1", "--db", str(sample_path))
    assert code == 0, err
    assert "Restored sample.sqlite from the backup taken 23/11/2026" in out
    assert "65 people, 79 meetings, 949 attendance" in out
    assert "is kept in" in out
    with closing(sqlite3.connect(sample_path)) as connection:
        assert connection.execute("SELECT count(*) FROM attendance").fetchone() == (949,)
    kinds = [b.note for b in list_backups(sample_path)]
    assert "before-restore" in kinds
    assert run(capsys, "check", "--db", str(sample_path))[0] == 0


def test_restore_refuses_a_damaged_backup(capsys, sample_path, damaged_path):
    before = sample_path.read_bytes()
    code, _, err = run(capsys, "restore", str(damaged_path), "--db", str(sample_path))
    assert code == 1
    assert "cannot be restored: the file is damaged" in err
    assert "Nothing was changed" in err
    assert sample_path.read_bytes() == before


def test_demo_force_keeps_the_database_it_replaces(capsys, sample_path):
    code, _, err = run(capsys, "demo", "--db", str(sample_path), "--force", "--today", "2026-11-23")
    assert code == 0
    assert "is kept in" in err
    [kept] = list_backups(sample_path)
    assert kept.note == "before-demo"


@pytest.mark.parametrize(
    ("command", "failing"),
    [(["restore", "1"], "restore_backup"), (["backups"], "list_backups")],
)
def test_a_file_that_cannot_be_written_or_read_is_named_in_plain_words(
    capsys, sample_path, monkeypatch, command, failing
):
    take_backup(sample_path)
    folder = backup_folder(sample_path)

    def fail(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(backups, failing, fail)
    code, out, err = run(capsys, *command, "--db", str(sample_path))
    assert code == 1
    assert err == f"lscb-desktop: cannot {command[0]}: Permission denied ({folder})\n"
    assert "Traceback" not in out + err


def test_restore_is_refused_while_the_window_has_the_database_open(
    capsys, sample_db, sample_path, monkeypatch
):
    monkeypatch.setattr(backups, "LOCK_TIMEOUT", 0)
    take_backup(sample_path)
    code, _, err = run(capsys, "restore", "1", "--db", str(sample_path))
    assert code == 1
    assert "open in another window or program; close it there first. Nothing was restored." in err


def test_damage_is_told_in_plain_words_without_sqlite_jargon(capsys, damaged_path):
    code, out, err = run(capsys, "--db", str(damaged_path), "list", "people")
    assert code == 1
    assert "part of it cannot be read" in err
    for jargon in ("btree", "error code", "malformed", "Page "):
        assert jargon not in out + err


def test_a_refused_import_into_a_new_file_leaves_no_empty_database(capsys, tmp_path):
    folder = tmp_path / "office"
    folder.mkdir()
    workbook = folder / "notes.xlsx"
    workbook.write_text("not a workbook")
    target = folder / "new.sqlite"
    code, _out, err = run(capsys, "--db", str(target), "import", "workbook", str(workbook))
    assert code == 1
    assert "nothing was imported" in err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.xlsx"]


@pytest.mark.parametrize(
    "command", [["history", "--limit", "0"], ["list", "people"], ["list", "people", "--json"]]
)
def test_output_cut_short_by_a_pipe_is_not_an_error(sample_path, tmp_path, command):
    """`lscb-desktop list people | head -1`: no "Broken pipe" message, no traceback."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "LSCB_DESKTOP_HOME": str(tmp_path / "home")}
    program = subprocess.Popen(
        [sys.executable, "-m", "lscb_desktop", "--db", str(sample_path), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert program.stdout is not None and program.stderr is not None
    program.stdout.readline()
    program.stdout.close()  # as `head -1` does once it has its line
    err = program.stderr.read().decode()
    assert program.wait() == 0
    assert "Broken pipe" not in err
    assert "Traceback" not in err
