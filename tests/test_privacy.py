"""Nobody else on the PC can read the records: on POSIX every file the program makes is 0600 and
its folders 0700, and nothing temporary outlives the program, even one that was killed."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from openpyxl import Workbook

from lscb_desktop.config import config_dir, data_dir, log_dir, temp_root
from lscb_desktop.services import privacy
from lscb_desktop.services.files import atomic_path
from tests.conftest import FIXTURES, SAMPLE_TODAY

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "LSCB_DESKTOP_HOME": str(home), "LSCB_DESKTOP_TODAY": f"{SAMPLE_TODAY}"}


def _run(home: Path, *args: str | Path) -> str:
    """The real command line in its own process (the umask is the whole process's)."""
    done = subprocess.run(
        [sys.executable, "-m", "lscb_desktop", *map(str, args)],
        env=_env(home),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _modes(folder: Path) -> dict[str, str]:
    """Every folder and file under ``folder`` (itself included) with its mode, as in ``ls``."""
    found = {".": oct(stat.S_IMODE(folder.stat().st_mode))}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def _assert_private(folder: Path, *, itself: bool = True) -> None:
    """Folders 0700 and files 0600, under ``folder`` and (unless the user chose it) itself."""
    wrong = {}
    for name, mode in _modes(folder).items():
        if name == "." and not itself:
            continue
        expected = "0o700" if (folder / name).is_dir() else "0o600"
        if mode != expected:
            wrong[name] = mode
    assert not wrong, wrong


@pytest.fixture
def private_process() -> Iterator[None]:
    """For the tests that start the program's privacy in this process: the umask and
    ``tempfile`` are put back afterwards."""
    privacy.end_private_session()
    umask = os.umask(0o022)
    os.umask(umask)
    tempdir = tempfile.tempdir
    yield
    privacy.end_private_session()
    os.umask(umask)
    tempfile.tempdir = tempdir


def test_the_sample_a_backup_and_an_export_are_the_users_alone(tmp_path):
    home = tmp_path / "home"
    out = tmp_path / "chosen by the user"
    out.mkdir(mode=0o755)
    out.chmod(0o755)
    _run(home, "demo")
    sample = data_dir() / "sample.sqlite"
    assert sample.parent == home / "data"
    # The window has it open meanwhile, so its journals stay for the test to see.
    with closing(sqlite3.connect(sample)) as window:
        window.execute("SELECT count(*) FROM person").fetchone()
        _run(home, "--db", sample, "backup", out / "backup.sqlite")
        _run(home, "--db", sample, "export", "workbook", out / "records.xlsx")
        _run(home, "--db", sample, "export", "register", "1", out / "register.pdf")
        assert {"data/sample.sqlite-wal", "data/sample.sqlite-shm"} <= set(_modes(home))
        _assert_private(home)

    _assert_private(home)
    assert sorted(_modes(out)) == [".", "backup.sqlite", "records.xlsx", "register.pdf"]
    _assert_private(out, itself=False)
    assert list(temp_root().iterdir()) == []  # each run's private temporary folder went with it


def test_an_older_versions_files_and_folders_are_made_private_at_start(tmp_path):
    home = tmp_path / "home"
    database = data_dir() / "lscb.sqlite"
    ini = config_dir() / "LSCB Desktop" / "LSCB Desktop.ini"
    log = log_dir() / "lscb-desktop.log"
    backup = data_dir() / "backups" / "lscb-2026-11-01.sqlite"
    copy = data_dir() / "lscb.before-upgrade-20260101-000000.sqlite"
    for folder in (database.parent, ini.parent, log.parent, backup.parent):
        folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / "schema-0001.sqlite", database)  # the first schema: upgraded
    shutil.copyfile(database, copy)
    shutil.copyfile(database, backup)
    ini.write_text("[window]\ntab=2\n", encoding="utf-8")
    log.write_text("2026-01-01 INFO lscb_desktop: started\n", encoding="utf-8")
    for path in (database, copy, backup, ini, log):
        path.chmod(0o644)
    for folder in [home, *home.rglob("*")]:
        if folder.is_dir():
            folder.chmod(0o755)

    _run(home, "list", "agencies")

    assert len(list(data_dir().glob("lscb.before-upgrade-*.sqlite"))) == 2  # one made just now
    _assert_private(home, itself=False)  # LSCB_DESKTOP_HOME may be any folder the user chose
    _assert_private(data_dir())


def test_a_database_elsewhere_is_tightened_with_its_journals_but_nothing_else(tmp_path):
    folder = tmp_path / "shared drive"
    folder.mkdir()
    names = [
        "office.sqlite",
        "office.sqlite-wal",
        "office.sqlite-shm",
        "office.before-upgrade-20260101-000000.sqlite",
        "notes.txt",
        "office2.sqlite",
    ]
    for name in names:
        (folder / name).write_bytes(b"")
        (folder / name).chmod(0o644)
    privacy.tighten_database(folder / "office.sqlite")
    modes = _modes(folder)
    assert [modes[name] for name in names] == ["0o600"] * 4 + ["0o644"] * 2


def test_an_export_replacing_a_readable_file_is_private(tmp_path):
    target = tmp_path / "records.xlsx"
    target.write_bytes(b"last week's export")
    target.chmod(0o644)
    with atomic_path(target) as partial:
        assert stat.S_IMODE(partial.stat().st_mode) == 0o600
        partial.unlink()  # a writer that deletes and makes the file afresh, under any umask
        partial.write_bytes(b"this week's")
        partial.chmod(0o644)
    assert target.read_bytes() == b"this week's"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.xlsx"]


KILLED_EXPORT = textwrap.dedent(
    """
    import os, signal, sys
    from lscb_desktop.cli import main
    from lscb_desktop.services.workbook import exporter

    whole = exporter.iter_export

    def killed_after_three_sheets(database, path):
        for done, step in enumerate(whole(database, path), start=1):
            yield step
            if done == 3:  # as Task Manager or a power cut would, mid-export
                os.kill(os.getpid(), signal.SIGKILL)

    exporter.iter_export = killed_after_three_sheets
    sys.exit(main(sys.argv[1:]))
    """
)


def test_a_killed_export_leaves_nothing_after_the_next_start(tmp_path, sample_path):
    home = tmp_path / "home"
    out = tmp_path / "exports"
    out.mkdir()
    lookalike = out / ".records-0badcafe.xlsx"  # the user's, not one we made: kept
    lookalike.write_bytes(b"not ours")
    args = ["--db", str(sample_path), "export", "workbook", str(out / "records.xlsx")]
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_EXPORT, *args],
        env=_env(home),
        capture_output=True,
        text=True,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    # What the kill left: openpyxl's sheets (the records, as XML) and the half-written file.
    (left,) = temp_root().iterdir()
    sheets = sorted(left.glob("openpyxl.*"))
    assert len(sheets) == 3
    partials = sorted(p.name for p in out.iterdir() if p != lookalike)
    assert len(partials) == 1
    assert partials[0].startswith(".records-")
    assert partials[0].endswith(".xlsx")

    _run(home, "--db", sample_path, "list", "agencies")

    assert list(temp_root().iterdir()) == []
    assert list(out.iterdir()) == [lookalike]
    assert lookalike.read_bytes() == b"not ours"


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)  # it has ended and been waited for


def test_leftovers_are_removed_only_where_the_program_is_not_running(tmp_path):
    root = temp_root()
    running = root / f"{os.getppid()}-{'a' * 16}"
    dead = root / f"{_dead_pid()}-{'b' * 16}"
    other = root / "kept by the user"
    for folder in (running, dead, other):
        folder.mkdir(parents=True)
        (folder / "openpyxl.sheet.xml").write_text("<row/>", encoding="utf-8")
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    partial = chosen / ".records-1a2b3c4d.xlsx"
    not_a_partial = chosen / "records.xlsx"
    link = chosen / ".records-link.xlsx"
    for path in (partial, not_a_partial):
        path.write_bytes(b"records")
    link.symlink_to(not_a_partial)
    notes = [partial, not_a_partial, link, Path("relative/.records-9.xlsx"), chosen / ".gone.pdf"]
    (dead / privacy.PARTIALS).write_text("".join(f"{p}\n" for p in notes), encoding="utf-8")

    assert privacy.remove_leftovers() == [dead]

    assert sorted(p.name for p in root.iterdir()) == sorted([running.name, other.name])
    assert sorted(p.name for p in chosen.iterdir()) == [".records-link.xlsx", "records.xlsx"]


def test_the_private_folder_takes_every_temporary_file_and_goes_at_the_end(private_process):
    folder = privacy.start_private_session()
    assert folder.parent == temp_root()
    assert folder.name.startswith(f"{os.getpid()}-")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert privacy.start_private_session() == folder  # both entry points may call it

    book = Workbook(write_only=True)
    sheet = book.create_sheet("People")
    sheet.append(["Jo Bloggs"])  # openpyxl keeps each sheet in a temporary file until saved
    assert [p.parent for p in folder.glob("openpyxl.*")] == [folder]
    paper = privacy.write_private_bytes(privacy.private_folder("paper-") / "minutes.pdf", b"%PDF")
    assert paper.parent.parent == folder
    assert stat.S_IMODE(paper.stat().st_mode) == 0o600
    made = folder / "made under the umask"
    made.mkdir()
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    sheet.close()

    privacy.end_private_session()
    assert not folder.exists()
    assert tempfile.gettempdir() != str(folder)
