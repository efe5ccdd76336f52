"""A first open, an upgrade or the sample killed at any point: the next open finishes the job.

Each run stops the real command line (SIGKILL, as a power cut or Task Manager would) just
before its Nth SQL statement; the points are spread over the whole run, migrations included.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lscb_desktop.cli import main
from lscb_desktop.store import open_database
from lscb_desktop.store.database import head_revision
from tests.conftest import FIXTURES
from tests.store.test_migrations import census

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

KILL_AT = Path(__file__).with_name("kill_at.py")


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "LSCB_DESKTOP_HOME": str(home), "LSCB_DESKTOP_TODAY": "2026-11-23"}


def _statements(args: list[str], home: Path) -> int:
    done = subprocess.run(
        [sys.executable, str(KILL_AT), "0", *args],
        env=_env(home),
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.rsplit("statements:", 1)[1])


def _kill_runs(runs: list[tuple[int, list[str]]], home: Path) -> None:
    """Start every run at once (they use separate files) and wait for each to be killed."""
    processes = [
        subprocess.Popen(
            [sys.executable, str(KILL_AT), str(point), *args],
            env=_env(home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for point, args in runs
    ]
    for process in processes:
        _, err = process.communicate()
        assert process.returncode == -signal.SIGKILL, err.decode()


def _points(total: int, count: int) -> list[int]:
    """Kill points spread over a run, thickest at the start, where the schema is built."""
    early = [1, 2, 5, 10, 30, 80, 150, 250]
    spread = [total * k // (count - len(early) + 1) for k in range(1, count - len(early) + 1)]
    return sorted({p for p in early + spread if 0 < p < total})


def test_a_killed_first_open_leaves_no_database_or_a_complete_one(tmp_path, capsys):
    probe = tmp_path / "probe.sqlite"
    total = _statements(["--db", str(probe), "demo"], tmp_path / "home")
    points = _points(total, 11)
    targets = {point: tmp_path / f"killed-{point}" / "lscb.sqlite" for point in points}
    for target in targets.values():
        target.parent.mkdir()
    _kill_runs([(p, ["--db", str(t), "demo"]) for p, t in targets.items()], tmp_path / "home")
    left_a_file = {point: target.exists() for point, target in targets.items()}
    # Both outcomes were reached: killed before the finished file was moved into place, and after.
    assert set(left_a_file.values()) == {True, False}, left_a_file
    for point, target in targets.items():
        if target.exists():  # whatever is there must be a whole database at the newest schema
            with sqlite3.connect(target) as connection:
                assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            connection.close()
            assert main(["--db", str(target), "check"]) == 0, f"killed at {point}"
            database = open_database(target)
            assert database.current_revision() == head_revision()
            database.dispose()
        leftovers = [p.name for p in target.parent.iterdir() if p.name.startswith(".")]
        capsys.readouterr()
        if main(["--db", str(target), "demo"]) != 0:  # refused only if the sample was complete
            assert "already holds records" in capsys.readouterr().err
            assert census(target) == census(probe), f"killed at {point}"
        assert main(["--db", str(target), "demo", "--force"]) == 0
        assert census(target) == census(probe), f"killed at {point}"
        assert not [p for p in target.parent.iterdir() if p.name.startswith(".")], leftovers
    capsys.readouterr()


def test_a_killed_upgrade_leaves_the_old_database_or_the_new_one(tmp_path, capsys):
    probe = tmp_path / "probe.sqlite"
    shutil.copyfile(FIXTURES / "schema-0001.sqlite", probe)
    before = census(probe)
    total = _statements(["--db", str(probe), "check"], tmp_path / "home")
    points = sorted({1, 3, 8, 20, 50, 100, total // 3, total // 2, 2 * total // 3, total - 40})
    targets = {point: tmp_path / f"killed-{point}" / "office.sqlite" for point in points}
    for target in targets.values():
        target.parent.mkdir()
        shutil.copyfile(FIXTURES / "schema-0001.sqlite", target)
    _kill_runs([(p, ["--db", str(t), "check"]) for p, t in targets.items()], tmp_path / "home")
    for point, target in targets.items():
        assert main(["--db", str(target), "check"]) == 0, f"killed at {point}"
        after = census(target)
        assert {k: after.get(k) for k in before} == before, f"killed at {point}"
    capsys.readouterr()
