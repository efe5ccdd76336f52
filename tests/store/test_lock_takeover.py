"""The lock after "Open anyway" (it goes back to the program that had the file first when that
one may still have it open), and the lock file's races: names that two computers never share,
a lock written by another program at the moment a stale one is removed, and file systems
without hard links."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lscb_desktop.store import lockfile
from lscb_desktop.store.lockfile import (
    Locked,
    LockInfo,
    acquire,
    holder,
    lock_path,
    read_chain,
    read_lock,
)

pytestmark = pytest.mark.sqlite_only  # the lock is a SQLite file's

SINCE = dt.datetime(2026, 11, 23, 9, 12)


def dead_pid() -> int:
    """The id of a process of this computer that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


#: A live program of this computer that is not this one (the test run's parent process).
LIVE_HERE = LockInfo("jsmith", lockfile.this_machine(), os.getppid(), SINCE)
#: A program on another computer (which cannot be checked from here).
ELSEWHERE = LockInfo("alice", "OFFICE-PC-7", os.getpid(), SINCE)  # our pid, their computer


def write_lock(database: Path, info: LockInfo, *earlier: LockInfo) -> Path:
    path = lock_path(database)
    path.write_text(info.to_text(earlier), encoding="utf-8")
    return path


def no_hard_links(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)


# -- "Open anyway", then closing ------------------------------------------------------------------


@pytest.mark.parametrize("first", [LIVE_HERE, ELSEWHERE], ids=["live-here", "another-computer"])
def test_the_lock_goes_back_to_the_program_still_holding_the_file(
    tmp_path: Path, first: LockInfo
) -> None:
    database = tmp_path / "luton.sqlite"
    path = write_lock(database, first)  # A has the file open
    taken = acquire(database, take_over=True)  # B: "Open anyway"
    assert read_lock(path) == taken.info
    assert taken.displaced == (first,)
    assert holder(database) is None  # B's own
    taken.release()  # B closes; A still has the file open for writing
    assert read_chain(path) == (first,)
    with pytest.raises(Locked) as raised:  # C is told A has it
        acquire(database)
    assert raised.value.info == first
    assert holder(database) == first
    assert [p.name for p in tmp_path.iterdir()] == ["luton.sqlite.lock"]  # nothing else left


def test_the_lock_of_a_program_that_has_stopped_is_not_given_back(tmp_path: Path) -> None:
    database = tmp_path / "luton.sqlite"
    gone = LockInfo("jsmith", lockfile.this_machine(), dead_pid(), SINCE)
    path = write_lock(database, LIVE_HERE)
    taken = acquire(database, take_over=True)
    # Meanwhile the program it was taken from stops (as the file now records).
    path.write_text(taken.info.to_text([gone]), encoding="utf-8")
    taken.release()
    assert not path.exists()


def test_a_chain_of_takeovers_gives_the_lock_to_the_first_still_there(tmp_path: Path) -> None:
    database = tmp_path / "luton.sqlite"
    gone = LockInfo("bob", lockfile.this_machine(), dead_pid(), SINCE)
    # A (live here) took over by B, which has stopped without giving it back: C finds A.
    path = write_lock(database, gone, LIVE_HERE)
    assert holder(database) == LIVE_HERE
    with pytest.raises(Locked) as raised:
        acquire(database)
    assert raised.value.info == LIVE_HERE
    assert read_chain(path) == (gone, LIVE_HERE)  # untouched
    # C opens anyway, and when C closes, A has it again.
    taken = acquire(database, take_over=True)
    assert read_chain(path) == (taken.info, LIVE_HERE)
    taken.release()
    assert read_chain(path) == (LIVE_HERE,)


def test_a_holder_that_closes_after_a_takeover_leaves_the_takers_list(tmp_path: Path) -> None:
    database = tmp_path / "luton.sqlite"
    mine = acquire(database)  # this process (A) has the file
    path = write_lock(database, ELSEWHERE, mine.info)  # B on another computer: "Open anyway"
    mine.release()  # A closes: B's lock stays, and will not be given back to A
    assert read_chain(path) == (ELSEWHERE,)


# -- names of the files written on the way --------------------------------------------------------


def test_the_files_written_on_the_way_are_named_for_this_computer_and_never_reused(
    tmp_path: Path,
) -> None:
    database = tmp_path / "luton.sqlite"
    # Another computer's process of the same number, writing its lock at this very moment.
    theirs = tmp_path / f".luton.sqlite.lock.{os.getpid()}.partial"
    theirs.write_text(ELSEWHERE.to_text(), encoding="utf-8")
    lock = acquire(database)
    lock.release()
    write_lock(database, ELSEWHERE)
    taken = acquire(database, take_over=True)
    taken.release()
    assert theirs.read_text(encoding="utf-8") == ELSEWHERE.to_text()  # never touched
    tags = {lockfile.file_tag() for _ in range(20)}
    assert len(tags) == 20
    host = "".join(c for c in lockfile.this_machine() if c.isalnum())[:40]
    assert all(tag.startswith(f"{host}-{os.getpid()}-") for tag in tags)


# -- a lock written at the moment a stale one is removed ----------------------------------------


@pytest.mark.parametrize("hard_links", [True, False], ids=["hard-links", "no-hard-links"])
def test_a_lock_written_while_a_stale_one_is_taken_over_is_never_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hard_links: bool
) -> None:
    """Another program takes over the same stale lock first, just after this one found it stale:
    its lock stays, and this one is told it has the file."""
    database = tmp_path / "luton.sqlite"
    stopped = dead_pid()
    path = write_lock(database, LockInfo("jsmith", lockfile.this_machine(), stopped, SINCE))
    if not hard_links:
        no_hard_links(monkeypatch)
    real = lockfile.process_running

    def running(pid: int) -> bool:
        if pid == stopped and read_lock(path) != LIVE_HERE:
            path.write_text(LIVE_HERE.to_text(), encoding="utf-8")  # the other program wins
        return real(pid)

    monkeypatch.setattr(lockfile, "process_running", running)
    with pytest.raises(Locked) as raised:
        acquire(database)
    assert raised.value.info == LIVE_HERE
    assert read_lock(path) == LIVE_HERE


def test_a_lock_written_between_the_check_and_the_move_is_put_back_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "luton.sqlite"
    stale = LockInfo("jsmith", lockfile.this_machine(), dead_pid(), SINCE)
    path = write_lock(database, LIVE_HERE)  # written just after the stale one was checked
    no_hard_links(monkeypatch)
    real = lockfile.read_lock
    answers = [stale]  # the check saw the stale lock

    def read(lock: Path) -> LockInfo | None:
        return answers.pop() if answers else real(lock)

    monkeypatch.setattr(lockfile, "read_lock", read)
    lockfile._remove_if(path, stale)
    assert real(path) == LIVE_HERE
    assert [p.name for p in tmp_path.iterdir()] == ["luton.sqlite.lock"]


def test_without_hard_links_the_lock_is_still_taken_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "luton.sqlite"
    no_hard_links(monkeypatch)
    lock = acquire(database)
    assert read_lock(lock.path) == lock.info
    lock.release()
    assert not lock.path.exists()
    write_lock(database, LIVE_HERE)
    with pytest.raises(Locked):
        acquire(database)
    assert read_lock(lock_path(database)) == LIVE_HERE
    assert [p.name for p in tmp_path.iterdir()] == ["luton.sqlite.lock"]
