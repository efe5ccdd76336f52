"""The lock beside a SQLite file: who has it open, on which computer, since when. No Qt here.

The lock of ``luton.sqlite`` is ``luton.sqlite.lock`` in the same folder: a few lines of JSON
(the user, the computer, the process, the time it was taken). It is visible on purpose, unlike
LibreOffice's ``.~lock.NAME#``: whoever looks in the folder on the shared drive sees that the
database is in use, by whom, and can read it with any text editor.

SQLite's own locks keep two programs on one computer from writing at the same instant, but they
say nothing about who; and over a network share neither they nor WAL can be trusted (the file
can be damaged). So the window takes this lock when it opens a file and gives it up when it
closes it, as a command-line write does for its duration; a second program finding it offers to
open the file read-only (the window) or refuses to write (the command line). The lock of a
program that has stopped on this computer is taken over silently; one written on another
computer cannot be checked from here, and is reported with its age.

The lock is advisory: nothing stops a program that ignores it. The window's "Open anyway" and
the command line's ``--ignore-lock`` are there for a lock left behind by a computer that crashed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import socket
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from lscb_desktop import APP_NAME
from lscb_desktop.processes import process_running
from lscb_desktop.store.changelog import current_os_user
from lscb_desktop.store.errors import DatabaseError

log = logging.getLogger(__name__)

SUFFIX = ".lock"


def lock_path(database: Path) -> Path:
    """``luton.sqlite.lock`` beside ``luton.sqlite``."""
    return database.with_name(database.name + SUFFIX)


def this_machine() -> str:
    return socket.gethostname() or "this computer"


@dataclass(frozen=True)
class LockInfo:
    """What a lock says: who took it, where, which process, when."""

    user: str
    machine: str
    pid: int
    since: dt.datetime

    @classmethod
    def mine(cls) -> LockInfo:
        now = dt.datetime.now().replace(microsecond=0)
        return cls(current_os_user(), this_machine(), os.getpid(), now)

    def to_text(self) -> str:
        return (
            json.dumps(
                {
                    "program": APP_NAME,
                    "user": self.user,
                    "machine": self.machine,
                    "pid": self.pid,
                    "since": self.since.isoformat(),
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )

    @classmethod
    def from_text(cls, text: str) -> LockInfo | None:
        """The lock's contents; None for a file that is not one of ours (or half-written)."""
        try:
            data = json.loads(text)
            return cls(
                str(data["user"]),
                str(data["machine"]),
                int(data["pid"]),
                dt.datetime.fromisoformat(str(data["since"])),
            )
        except (ValueError, TypeError, KeyError):
            return None

    @property
    def here(self) -> bool:
        """Taken on this computer (where the process can be looked for)."""
        return self.machine.casefold() == this_machine().casefold()

    @property
    def ours(self) -> bool:
        """Taken by this very process."""
        return self.here and self.pid == os.getpid()

    @property
    def stale(self) -> bool:
        """Left by a process of this computer that is no longer running."""
        return self.here and not self.ours and not process_running(self.pid)

    @property
    def holder_words(self) -> str:
        """``jsmith on OFFICE-PC``."""
        return f"{self.user} on {self.machine}"

    def age_words(self, now: dt.datetime | None = None) -> str:
        """``3 hours``, ``2 days``: how long ago the lock was taken."""
        seconds = max(0, int(((now or dt.datetime.now()) - self.since).total_seconds()))
        for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
            if seconds >= size:
                count = seconds // size
                return f"{count} {unit}{'' if count == 1 else 's'}"
        return "less than a minute"


def held_message(database: Path, info: LockInfo, now: dt.datetime | None = None) -> str:
    """``luton.sqlite is open in LSCB Desktop by jsmith on OFFICE-PC since 23/11/2026 09:12.``
    For another computer's lock (which cannot be checked from here), its age and what a lock
    left behind means."""
    text = (
        f"{database.name} is open in {APP_NAME} by {info.holder_words} "
        f"since {info.since:%d/%m/%Y %H:%M}."
    )
    if not info.here:
        text += (
            f" The lock was taken {info.age_words(now)} ago on another computer; if "
            f"{APP_NAME} is no longer running there, it was left behind when that computer "
            "or the program stopped."
        )
    return text


class Locked(DatabaseError):
    """The file is open in another program (``info`` says who, where and since when)."""

    def __init__(self, database: Path, info: LockInfo) -> None:
        super().__init__(held_message(database, info))
        self.database = database
        self.info = info


#: The locks this process holds, by lock file, with how many holders each (the window and a
#: command run in the same process share one lock, and the file goes with the last of them).
_held: Counter[Path] = Counter()


@dataclass
class FileLock:
    """A lock held by this process; :meth:`release` gives it up."""

    path: Path
    info: LockInfo
    released: bool = False

    def release(self) -> None:
        """Removes the lock file, unless another holder in this process still needs it or
        someone else has taken it over meanwhile ("Open anyway")."""
        if self.released:
            return
        self.released = True
        _held[self.path] -= 1
        if _held[self.path] > 0:
            return
        del _held[self.path]
        if read_lock(self.path) == self.info:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()


def read_lock(path: Path) -> LockInfo | None:
    """The lock file's contents; None when there is none. A file that cannot be read or is not
    one of ours counts as a lock taken by someone unknown, when it was last written."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError:
        text = ""
    info = LockInfo.from_text(text)
    if info is not None:
        return info
    try:
        written = dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except OSError:
        return None
    return LockInfo("someone", "another computer", 0, written)


def holder(database: Path) -> LockInfo | None:
    """Who else has ``database`` open: None when nobody (no lock, this process's own lock, or
    one left by a program that has stopped on this computer)."""
    info = read_lock(lock_path(database))
    if info is None or info.ours or info.stale:
        return None
    return info


def acquire(database: Path, *, take_over: bool = False) -> FileLock:
    """Takes the lock of ``database``. Raises :class:`Locked` when another program holds it,
    unless ``take_over`` (the user's "Open anyway"); a lock left by a program that has stopped on
    this computer is taken over silently. OSError when the folder cannot be written."""
    path = lock_path(database)
    mine = LockInfo.mine()
    for _attempt in range(5):
        if _create(path, mine):
            _held[path] += 1
            return FileLock(path, mine)
        found = read_lock(path)
        if found is None:
            continue  # given up meanwhile: try again
        if found.ours and path in _held:
            _held[path] += 1
            return FileLock(path, found)
        if found.ours or found.stale:
            log.info("Taking over the lock %s left by process %s", path, found.pid)
            _remove_if(path, found)
            continue
        if take_over:
            log.warning("Taking over the lock %s of %s", path, found.holder_words)
            _write(path, mine)
            _held[path] += 1
            return FileLock(path, mine)
        raise Locked(database, found)
    raise Locked(database, read_lock(path) or mine)


def _create(path: Path, info: LockInfo) -> bool:
    """Writes a new lock file whole (a reader never sees it half-written); False when there is
    one already."""
    partial = path.with_name(f".{path.name}.{info.pid}.partial")
    partial.write_text(info.to_text(), encoding="utf-8")
    try:
        os.link(partial, path)
    except FileExistsError:
        return False
    except OSError:  # no hard links on this file system: create it exclusively instead
        try:
            with path.open("x", encoding="utf-8") as out:
                out.write(info.to_text())
        except FileExistsError:
            return False
    finally:
        partial.unlink(missing_ok=True)
    return True


def _write(path: Path, info: LockInfo) -> None:
    partial = path.with_name(f".{path.name}.{info.pid}.partial")
    partial.write_text(info.to_text(), encoding="utf-8")
    partial.replace(path)


def _remove_if(path: Path, expected: LockInfo) -> None:
    """Removes the lock only if it still says ``expected``: another program taking over the same
    stale lock at the same moment must not lose the one it has just written."""
    aside = path.with_name(f".{path.name}.{os.getpid()}.stale")
    try:
        path.replace(aside)
    except FileNotFoundError:
        return
    if read_lock(aside) != expected:  # not the stale lock any more: put it back
        with contextlib.suppress(OSError):
            os.link(aside, path)
    aside.unlink(missing_ok=True)


# -- network drives -------------------------------------------------------------------------------

#: File systems that are another computer's disk (Linux's names, as /proc/mounts gives them).
NETWORK_FILE_SYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "afs", "ncpfs", "davfs"}
)
#: The mount table read on Linux (a test points it at its own).
MOUNTS = Path("/proc/mounts")
DRIVE_REMOTE = 4


def on_network_drive(path: Path) -> bool:
    """True for a file on another computer's disk: a UNC path (``\\\\server\\share``), a mapped
    network drive on Windows, an NFS, SMB/CIFS or SSHFS mount on Linux."""
    text = str(path)
    if text.startswith("\\\\") or (sys.platform == "win32" and text.startswith("//")):
        return True
    if sys.platform == "win32":
        drive = PureWindowsPath(text).drive
        return bool(drive) and _drive_type(drive + "\\") == DRIVE_REMOTE
    return mount_type(path) in NETWORK_FILE_SYSTEMS


def _drive_type(root: str) -> int:
    """Windows' GetDriveTypeW for a drive's root, such as ``G:\\``."""
    import ctypes  # noqa: PLC0415 - Windows only

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def _unescape(field: str) -> str:
    """/proc/mounts writes a space in a mount point as ``\\040`` (and a tab, newline, ``\\``)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def mount_type(path: Path) -> str:
    """The file system type of the mount holding ``path`` ("" when there is no mount table)."""
    try:
        lines = MOUNTS.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # a loop of links: the path as given
        target = path.absolute()
    best, kind = -1, ""
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = Path(_unescape(fields[1]))
        if (target == point or point in target.parents) and len(point.parts) > best:
            best, kind = len(point.parts), fields[2]
    return kind


def network_warning(path: Path) -> str:
    return (
        f"{path.name} is on a network drive ({path.parent}). A database file shared over the "
        "network can be damaged when two people use it, and this computer cannot always tell "
        "who else has it open. For a team, use a shared database on a server instead: "
        "File > Connect to a shared database…"
    )
