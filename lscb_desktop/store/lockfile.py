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
A lock taken over that way keeps the holders it displaced (``earlier`` in the file), and gives
the lock back to the first of them that may still have the file open when it is given up: the
program that had the file first is still writing to it, and the next one to come must be told.

A lock file is only ever written whole: it is written under a name of its own (the computer, the
process and a random part, so that two computers on one share never pick the same) and then
linked or renamed into place.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import secrets
import socket
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any

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

    def _fields(self) -> dict[str, object]:
        return {
            "user": self.user,
            "machine": self.machine,
            "pid": self.pid,
            "since": self.since.isoformat(),
        }

    def to_text(self, earlier: Sequence[LockInfo] = ()) -> str:
        """The lock file's text; ``earlier``: the holders this one took it over from, the most
        recent first (they get it back when this one gives it up)."""
        data: dict[str, object] = {"program": APP_NAME, **self._fields()}
        if earlier:
            data["earlier"] = [info._fields() for info in earlier]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_data(cls, data: Any) -> LockInfo:
        """One holder from the lock's JSON; ValueError, TypeError or KeyError when it is not."""
        return cls(
            str(data["user"]),
            str(data["machine"]),
            int(data["pid"]),
            dt.datetime.fromisoformat(str(data["since"])),
        )

    @classmethod
    def from_text(cls, text: str) -> LockInfo | None:
        """The lock's contents; None for a file that is not one of ours (or half-written)."""
        chain = _parse(text)
        return chain[0] if chain else None

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


#: A lock file's holders: the one named first, then those it took the lock over from.
Chain = tuple[LockInfo, ...]


def _parse(text: str) -> Chain | None:
    """The holders a lock's text names (None for a text that is not one of our locks); an
    earlier holder that cannot be read is left out."""
    try:
        data = json.loads(text)
        head = LockInfo.from_data(data)
    except (ValueError, TypeError, KeyError):
        return None
    earlier: list[LockInfo] = []
    listed = data.get("earlier", []) if isinstance(data, dict) else []
    for item in listed if isinstance(listed, list) else []:
        try:
            earlier.append(LockInfo.from_data(item))
        except (ValueError, TypeError, KeyError):
            continue
    return (head, *earlier)


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


def _may_have_it(info: LockInfo, path: Path) -> bool:
    """Whether the program ``info`` names may still have the file open: one on another computer
    (which cannot be checked from here), a live process of this computer, or this process while
    it still holds the lock."""
    if info.ours:
        return path in _held
    return not info.stale


def _others_holding(chain: Sequence[LockInfo], path: Path) -> Chain:
    """The holders of ``chain`` other than this process that may still have the file open."""
    return tuple(info for info in chain if not info.ours and _may_have_it(info, path))


@dataclass
class FileLock:
    """A lock held by this process; :meth:`release` gives it up. ``displaced``: the holders it
    was taken over from ("Open anyway"), who get it back when it is given up."""

    path: Path
    info: LockInfo
    released: bool = False
    displaced: Chain = field(default=())

    def release(self) -> None:
        """Gives the lock up, unless another holder in this process still needs it: back to the
        first holder it was taken over from that may still have the file open (another
        computer's, or a live program's here), or, when there is none, the file is removed.
        A lock someone else has taken over meanwhile is theirs: this process only leaves their
        list of earlier holders, so that it is not given back to a program that has gone."""
        if self.released:
            return
        self.released = True
        _held[self.path] -= 1
        if _held[self.path] > 0:
            return
        del _held[self.path]
        chain = read_chain(self.path)
        if chain is None:
            return
        head, earlier = chain[0], chain[1:]
        if head == self.info:
            back = _others_holding(earlier, self.path)
            if back:
                log.info("Giving the lock %s back to %s", self.path, back[0].holder_words)
                _rewrite_if(self.path, chain, back)
            else:
                _remove_if(self.path, head)
        elif self.info in earlier:
            _rewrite_if(self.path, chain, tuple(i for i in chain if i != self.info))


def read_chain(path: Path) -> Chain | None:
    """Who the lock file names: the holder, then the holders it was taken over from; None when
    there is none. A file that cannot be read or is not one of ours counts as a lock taken by
    someone unknown, when it was last written."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError:
        text = ""
    chain = _parse(text)
    if chain is not None:
        return chain
    try:
        written = dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except OSError:
        return None
    return (LockInfo("someone", "another computer", 0, written),)


def read_lock(path: Path) -> LockInfo | None:
    """Who the lock file names as its holder; None when there is none (see :func:`read_chain`)."""
    chain = read_chain(path)
    return chain[0] if chain else None


def holder(database: Path) -> LockInfo | None:
    """Who else has ``database`` open: None when nobody (no lock, this process's own lock, or
    one left by a program that has stopped on this computer, and by every program it had been
    taken over from)."""
    path = lock_path(database)
    for info in read_chain(path) or ():
        if info.ours:
            return None
        if _may_have_it(info, path):
            return info
    return None


def live_here(database: Path) -> LockInfo | None:
    """A program of this computer, other than this process, that the lock of ``database`` names
    (as its holder, or as one it was taken over from) and that is still running: it certainly
    has the file open, whoever holds the lock now."""
    for info in read_chain(lock_path(database)) or ():
        if info.here and not info.ours and not info.stale:
            return info
    return None


def acquire(database: Path, *, take_over: bool = False) -> FileLock:
    """Takes the lock of ``database``. Raises :class:`Locked` when another program holds it,
    unless ``take_over`` (the user's "Open anyway"); a lock left by a program that has stopped on
    this computer is taken over silently (unless it had been taken over from a program that is
    still there: that one holds it). OSError when the folder cannot be written."""
    path = lock_path(database)
    mine = LockInfo.mine()
    for _attempt in range(5):
        if _create(path, mine):
            _held[path] += 1
            return FileLock(path, mine)
        chain = read_chain(path)
        if chain is None:
            continue  # given up meanwhile: try again
        head = chain[0]
        if head.ours and path in _held:
            _held[path] += 1
            return FileLock(path, head)
        others = _others_holding(chain, path)
        if not others:
            log.info("Taking over the lock %s left by process %s", path, head.pid)
            _remove_if(path, head)
            continue
        if take_over:
            log.warning("Taking over the lock %s of %s", path, others[0].holder_words)
            _write(path, mine.to_text(others))
            _held[path] += 1
            return FileLock(path, mine, displaced=others)
        raise Locked(database, others[0])
    raise Locked(database, read_lock(path) or mine)


def file_tag() -> str:
    """A name part no other program picks at the same time: this computer (a database may be on
    a share, where two computers can have processes of the same number), the process, and a
    random part."""
    host = "".join(c for c in socket.gethostname() if c.isalnum())[:40] or "host"
    return f"{host}-{os.getpid()}-{secrets.token_hex(4)}"


def _create(path: Path, info: LockInfo) -> bool:
    """Writes a new lock file whole (a reader never sees it half-written); False when there is
    one already."""
    partial = path.with_name(f".{path.name}.{file_tag()}.partial")
    partial.write_text(info.to_text(), encoding="utf-8")
    try:
        return _link(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _link(written: Path, path: Path) -> bool:
    """Puts the whole file ``written`` (left where it is) in place as ``path`` if no file has
    that name; False when one has. A hard link where the file system has them; otherwise a file
    created exclusively and filled in one write."""
    try:
        os.link(written, path)
    except FileExistsError:
        return False
    except OSError:  # no hard links on this file system (FAT, some network shares)
        data = written.read_bytes()
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        try:
            os.write(handle, data)
        finally:
            os.close(handle)
    return True


def _write(path: Path, text: str) -> None:
    """Replaces the lock file with ``text``, whole."""
    partial = path.with_name(f".{path.name}.{file_tag()}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _rewrite_if(path: Path, expected: Chain, chain: Sequence[LockInfo]) -> None:
    """Writes ``chain`` (a holder and those before it) as the lock, if the lock still names
    ``expected``: a lock another program has written meanwhile is left as it is."""
    if read_chain(path) != expected:
        return
    _write(path, chain[0].to_text(chain[1:]))


def _remove_if(path: Path, expected: LockInfo) -> None:
    """Removes the lock only if it still says ``expected``: another program taking over the same
    stale lock at the same moment must not lose the one it has just written. The lock is read
    first (and left alone when it says anything else); then moved aside and read again, and a
    lock written in the instant between is put back."""
    if read_lock(path) != expected:
        return
    aside = path.with_name(f".{path.name}.{file_tag()}.gone")
    try:
        path.replace(aside)
    except FileNotFoundError:
        return
    try:
        if read_lock(aside) != expected and not _link(aside, path):
            log.warning("Two programs took the lock %s at once; the newer one has it", path)
    finally:
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
