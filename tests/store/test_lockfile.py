"""The lock beside a SQLite file: who, where, which process, since when; taken, given up, taken
over from a program that stopped; another computer's reported with its age; network drives."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lscb_desktop.store import lockfile
from lscb_desktop.store.changelog import current_os_user
from lscb_desktop.store.lockfile import Locked, LockInfo, acquire, lock_path, read_lock

pytestmark = pytest.mark.sqlite_only  # the lock is a SQLite file's


def dead_pid() -> int:
    """The id of a process of this computer that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def write_lock(database: Path, info: LockInfo) -> Path:
    path = lock_path(database)
    path.write_text(info.to_text(), encoding="utf-8")
    return path


def other_process_here(since: dt.datetime | None = None) -> LockInfo:
    """A lock of a live process of this computer that is not this one (the test's parent)."""
    since = since or dt.datetime(2026, 11, 23, 9, 12)
    return LockInfo("jsmith", lockfile.this_machine(), os.getppid(), since)


def test_the_lock_names_who_where_which_process_and_since_when(tmp_path: Path) -> None:
    database = tmp_path / "luton.sqlite"
    before = dt.datetime.now().replace(microsecond=0)
    lock = acquire(database)
    assert lock.path == tmp_path / "luton.sqlite.lock"
    info = read_lock(lock.path)
    assert info is not None
    assert (info.user, info.machine, info.pid) == (
        current_os_user(),
        lockfile.this_machine(),
        os.getpid(),
    )
    assert before <= info.since <= dt.datetime.now()
    assert '"program": "LSCB Desktop"' in lock.path.read_text(encoding="utf-8")
    assert lockfile.holder(database) is None  # this process's own lock is nobody else's
    lock.release()
    assert not lock.path.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no partial files left behind


def test_a_live_program_here_holds_it(tmp_path: Path) -> None:
    database = tmp_path / "luton.sqlite"
    path = write_lock(database, other_process_here())
    with pytest.raises(Locked) as raised:
        acquire(database)
    assert str(raised.value) == (
        f"luton.sqlite is open in LSCB Desktop by jsmith on {lockfile.this_machine()} "
        "since 23/11/2026 09:12."
    )
    assert raised.value.info == other_process_here()
    assert lockfile.holder(database) == other_process_here()
    assert read_lock(path) == other_process_here()  # untouched


def test_a_stopped_programs_lock_is_taken_over_silently(tmp_path: Path) -> None:
    database = tmp_path / "luton.sqlite"
    stale = LockInfo("jsmith", lockfile.this_machine(), dead_pid(), dt.datetime(2026, 1, 5))
    path = write_lock(database, stale)
    assert lockfile.holder(database) is None
    lock = acquire(database)
    info = read_lock(path)
    assert info is not None
    assert info.pid == os.getpid()
    lock.release()
    assert not path.exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_another_computers_lock_is_reported_with_its_age(tmp_path: Path) -> None:
    database = tmp_path / "luton.sqlite"
    since = dt.datetime.now().replace(microsecond=0) - dt.timedelta(hours=3, minutes=5)
    elsewhere = LockInfo("alice", "OFFICE-PC-7", os.getpid(), since)  # our pid, their computer
    write_lock(database, elsewhere)
    with pytest.raises(Locked) as raised:
        acquire(database)
    words = str(raised.value)
    assert words.startswith(
        "luton.sqlite is open in LSCB Desktop by alice on OFFICE-PC-7 "
        f"since {since:%d/%m/%Y %H:%M}."
    )
    assert "taken 3 hours ago on another computer" in words

    # Open anyway: the lock is ours now; closing gives it back to the other computer, which
    # cannot be checked from here (see test_lock_takeover.py).
    taken = acquire(database, take_over=True)
    assert read_lock(taken.path) == taken.info
    assert taken.info.pid == os.getpid()
    taken.release()
    assert read_lock(taken.path) == elsewhere


def test_a_lock_taken_over_meanwhile_is_left_when_the_first_holder_closes(tmp_path: Path) -> None:
    database = tmp_path / "luton.sqlite"
    lock = acquire(database)
    someone = LockInfo("alice", "OFFICE-PC-7", 4321, dt.datetime(2026, 11, 23, 10, 0))
    write_lock(database, someone)  # their "Open anyway"
    lock.release()
    assert read_lock(lock.path) == someone


def test_two_holders_in_one_process_share_the_lock(tmp_path: Path) -> None:
    database = tmp_path / "luton.sqlite"
    first = acquire(database)
    second = acquire(database)
    first.release()
    first.release()  # twice is once
    assert first.path.exists()
    second.release()
    assert not first.path.exists()


def test_a_lock_that_cannot_be_read_is_someone_elses(tmp_path: Path) -> None:
    database = tmp_path / "luton.sqlite"
    lock_path(database).write_text("not ours", encoding="utf-8")
    with pytest.raises(Locked, match="by someone on another computer since"):
        acquire(database)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (20, "less than a minute"),
        (60, "1 minute"),
        (7_200, "2 hours"),
        (86_400 * 3 + 5, "3 days"),
    ],
)
def test_ages_in_words(seconds: int, words: str) -> None:
    now = dt.datetime(2026, 11, 23, 12, 0)
    info = LockInfo("a", "b", 1, now - dt.timedelta(seconds=seconds))
    assert info.age_words(now) == words


# -- network drives -------------------------------------------------------------------------------


def _escaped(point: Path) -> str:
    """A mount point as /proc/mounts writes it: a space as \\040."""
    return str(point).replace(" ", "\\040")


@pytest.fixture
def mounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A mount table: the test's folder local, a share (with a space in its name) on SMB, an
    NFS home folder and an SSHFS mount inside the share."""
    tmp_path = tmp_path.resolve()
    share = tmp_path / "council share"
    table = tmp_path / "mounts"
    rows = [
        ("/dev/sda1", Path("/"), "ext4"),
        ("/dev/sda2", tmp_path, "ext4"),
        ("//fileserver/lscb", share, "cifs"),
        ("nas:/home", tmp_path / "nfs", "nfs4"),
        ("me@host:/x", share / "deeper", "fuse.sshfs"),
        ("tmpfs", share / "local again", "tmpfs"),
    ]
    table.write_text(
        "".join(f"{device} {_escaped(point)} {kind} rw 0 0\n" for device, point, kind in rows),
        encoding="utf-8",
    )
    monkeypatch.setattr(lockfile, "MOUNTS", table)
    monkeypatch.setattr(sys, "platform", "linux")
    return tmp_path


def test_linux_network_mounts_are_found_from_the_mount_table(mounts: Path) -> None:
    assert not lockfile.on_network_drive(mounts / "luton.sqlite")
    assert lockfile.on_network_drive(mounts / "council share" / "luton.sqlite")
    assert lockfile.on_network_drive(mounts / "nfs" / "a" / "luton.sqlite")
    assert lockfile.on_network_drive(mounts / "council share" / "deeper" / "luton.sqlite")
    assert not lockfile.on_network_drive(mounts / "council share" / "local again" / "x.sqlite")
    assert lockfile.mount_type(mounts / "council share" / "x.sqlite") == "cifs"


def test_no_mount_table_means_no_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lockfile, "MOUNTS", tmp_path / "absent")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not lockfile.on_network_drive(tmp_path / "luton.sqlite")


def test_unc_paths_and_mapped_drives_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    drives = {"G:\\": lockfile.DRIVE_REMOTE, "C:\\": 3}  # 3: DRIVE_FIXED
    asked: list[str] = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(
        lockfile, "_drive_type", lambda root: asked.append(root) or drives.get(root, 0)
    )
    assert lockfile.on_network_drive(Path("\\\\fileserver\\lscb\\luton.sqlite"))
    assert lockfile.on_network_drive(Path("//fileserver/lscb/luton.sqlite"))
    assert lockfile.on_network_drive(Path("G:\\LSCB\\luton.sqlite"))
    assert not lockfile.on_network_drive(Path("C:\\Users\\jsmith\\luton.sqlite"))
    assert asked == ["G:\\", "C:\\"]


def test_the_network_warning_points_to_the_shared_database(tmp_path: Path) -> None:
    words = lockfile.network_warning(tmp_path / "luton.sqlite")
    assert words.startswith("luton.sqlite is on a network drive")
    assert "File > Connect to a shared database…" in words
