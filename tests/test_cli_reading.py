"""A command that only reads a database file another program has open writes nothing to it or
beside it: it opens the file read-only (no upgrade, no removal of leftovers, no change of
journal mode, no tightening of permissions), and one that would have to be upgraded is refused
in words rather than upgraded under that program's feet."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from lscb_desktop.cli import main
from lscb_desktop.store import lockfile
from lscb_desktop.store.lockfile import LockInfo, lock_path
from lscb_desktop.store.migrating import host_tag
from tests.conftest import FIXTURES

pytestmark = pytest.mark.sqlite_only  # the lock is a SQLite file's

HOLDER = LockInfo("jsmith", lockfile.this_machine(), os.getppid(), dt.datetime(2026, 11, 23, 9, 12))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def state(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file in the folder and below it: its bytes, time of change and permissions."""
    return {
        str(path.relative_to(folder)): (
            path.read_bytes(),
            path.stat().st_mtime_ns,
            path.stat().st_mode,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def held_in_a_folder_of_its_own(source: Path, tmp_path: Path) -> Path:
    """``source`` on the shared drive, open in a live program (its lock), readable by all (as a
    file made by an older version), with a creation left beside it a day ago."""
    folder = tmp_path / "share"
    folder.mkdir()
    path = folder / "luton.sqlite"
    shutil.copyfile(source, path)
    path.chmod(0o644)
    old = folder / f".luton.sqlite.creating-{host_tag()}-999999999"
    old.write_bytes(b"")
    os.utime(old, (0, 0))
    lock_path(path).write_text(HOLDER.to_text(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "people"],
        ["export", "workbook", "{out}/out.xlsx"],
        ["check"],
        ["history", "--limit", "3"],
        ["backups"],
        ["backup", "{out}/copy.sqlite"],
        ["copy", "{out}/copy.sqlite"],
    ],
)
def test_a_read_writes_nothing_to_a_file_another_program_has_open(
    capsys: pytest.CaptureFixture[str], sample_path: Path, tmp_path: Path, argv: list[str]
) -> None:
    path = held_in_a_folder_of_its_own(sample_path, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    before = state(path.parent)
    code, _, err = run(capsys, "--db", str(path), *[a.replace("{out}", str(out)) for a in argv])
    assert code == 0, err
    assert state(path.parent) == before


def test_a_read_of_a_file_an_older_version_has_open_is_refused_not_upgraded(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = held_in_a_folder_of_its_own(FIXTURES / "schema-0003.sqlite", tmp_path)
    before = state(path.parent)
    code, out, err = run(capsys, "--db", str(path), "list", "people")
    assert code == 1 and out == ""
    assert err == (
        "lscb-desktop: luton.sqlite was written by another version of LSCB Desktop, so it "
        "cannot be opened read-only: it would have to be upgraded. Nothing was changed.\n"
    )
    assert state(path.parent) == before
