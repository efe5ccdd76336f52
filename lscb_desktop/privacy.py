"""Keeping the records private on a shared PC.

On POSIX the program runs with a umask of 0o077, so everything it creates (and everything
SQLite, Qt and openpyxl create inside it) is readable by the user alone: files 0600, folders
0700. Folders and files left by an older version are tightened at start-up.

Everything temporary goes into one private folder per running program,
``<data>/tmp/<pid>-<random>``: ``tempfile`` is pointed at it, so openpyxl's per-sheet files
and a LibreOffice conversion land there too, and papers opened or printed are written there.
It is removed when the program ends normally; a folder left by a program that was killed is
removed at the next start, together with the half-written output files it recorded.

On Windows nothing is changed: the per-user AppData folders are the user's alone.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import re
import secrets
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lscb_desktop.config import program_dirs, temp_root
from lscb_desktop.processes import process_running

UMASK = 0o077
FILE_MODE = 0o600
FOLDER_MODE = 0o700
POSIX = os.name == "posix"

#: Inside a private temporary folder: the partial output files the program made, one a line,
#: so that those a kill left beside their targets can be removed at the next start.
PARTIALS = "partials.txt"

_FOLDER_NAME = re.compile(r"(\d+)-[0-9a-f]{16}")


@dataclass
class _Session:
    folders: list[Path] = field(default_factory=list)  # made by this process
    active: Path | None = None  # the folder ``tempfile`` points at, once started
    previous_tempdir: str | None = None
    at_exit: bool = False


_session = _Session()


# -- owner-only files and folders -----------------------------------------------------------------


def restrict_umask() -> None:
    """From now on this process creates files 0600 and folders 0700 (POSIX)."""
    if POSIX:
        os.umask(UMASK)


def _tighten(path: Path, *, follow: bool = False) -> None:
    """Take away the group's and others' permissions; never follows a link inside our folders."""
    if not POSIX:
        return
    try:
        mode = path.stat().st_mode if follow else path.lstat().st_mode
        if stat.S_ISLNK(mode) or not stat.S_IMODE(mode) & 0o077:
            return
        path.chmod(stat.S_IMODE(mode) & 0o700)
    except OSError:
        return  # not ours to change (another owner) or gone: nothing we can do about it


def make_private_folder(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed; it is 0700 either way."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    _tighten(path, follow=True)
    return path


def tighten_tree(folder: Path) -> None:
    """Make a program folder and everything in it private (an older version left them 0644)."""
    if not POSIX or not folder.is_dir():
        return
    _tighten(folder, follow=True)
    for root, folders, files in os.walk(folder):
        for name in [*folders, *files]:
            _tighten(Path(root, name))


def tighten_database(path: Path) -> None:
    """A database file wherever it is, its journals and the copies taken before upgrades."""
    if not POSIX:
        return
    companions = [Path(f"{path}{extra}") for extra in ("", "-wal", "-shm", "-journal")]
    copies = path.parent.glob(f"{glob.escape(path.stem)}.before-upgrade-*.sqlite*")
    for each in [*companions, *copies]:
        if each.exists():
            _tighten(each)


def create_private_file(path: Path, *, exclusive: bool = False) -> Path:
    """Create ``path`` readable by the user alone (0600 on POSIX), keeping what it holds."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
    if exclusive:
        flags |= os.O_EXCL
    os.close(os.open(path, flags, FILE_MODE))
    _tighten(path)
    return path


def write_private_bytes(path: Path, content: bytes) -> Path:
    create_private_file(path)
    path.write_bytes(content)
    return path


# -- the private temporary folder ------------------------------------------------------------------


def private_temp_dir() -> Path:
    """This program's private temporary folder (made on first use; removed when it ends)."""
    root = temp_root()
    for folder in reversed(_session.folders):
        if folder.parent == root and folder.is_dir():
            return folder
    make_private_folder(root)
    while True:
        folder = root / f"{os.getpid()}-{secrets.token_hex(8)}"
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue
        break
    _tighten(folder)
    _session.folders.append(folder)
    if not _session.at_exit:
        atexit.register(end_private_session)
        _session.at_exit = True
    return folder


def private_folder(prefix: str) -> Path:
    """A new folder inside the private temporary folder, for one paper or one print."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=private_temp_dir()))


def start_private_session() -> Path:
    """Start-up, for the command line and the window alike.

    Sets the umask, tightens the program's folders, removes what a killed run left, and points
    ``tempfile`` at the private temporary folder, which it returns. Calling it again is harmless.
    """
    restrict_umask()
    for folder in program_dirs():
        tighten_tree(folder)
    remove_leftovers()
    folder = private_temp_dir()
    if _session.active is None:
        _session.previous_tempdir = tempfile.tempdir
    _session.active = folder
    tempfile.tempdir = str(folder)
    return folder


def end_private_session() -> None:
    """Remove this program's private temporary folders: on exit and when the window closes."""
    for folder in _session.folders:
        shutil.rmtree(folder, ignore_errors=True)  # a paper still open elsewhere: next start
    _session.folders.clear()
    if _session.active is not None:
        if tempfile.tempdir == str(_session.active):
            tempfile.tempdir = _session.previous_tempdir
        _session.active = None


def active_temp_dir() -> Path | None:
    """The private temporary folder once the program has started, else None (as in tests)."""
    folder = _session.active
    return folder if folder is not None and folder.is_dir() else None


def record_partial(path: Path) -> None:
    """Note an output file about to be made, so that a kill cannot leave it behind for good."""
    folder = active_temp_dir()
    if folder is None:
        return
    with contextlib.suppress(OSError), (folder / PARTIALS).open("a", encoding="utf-8") as notes:
        notes.write(f"{Path(path).absolute()}\n")


def remove_leftovers() -> list[Path]:
    """Remove the private folders of programs no longer running, and the partial files they
    recorded; returns the folders removed. Folders of programs still running are kept."""
    root = temp_root()
    if not root.is_dir():
        return []
    removed: list[Path] = []
    for entry in sorted(root.iterdir()):
        match = _FOLDER_NAME.fullmatch(entry.name)
        if match is None or entry.is_symlink() or not entry.is_dir() or entry in _session.folders:
            continue
        pid = int(match[1])
        # Our own pid on a folder we did not make: an earlier program that had the same pid.
        if pid != os.getpid() and process_running(pid):
            continue
        _remove_partials(entry / PARTIALS)
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _remove_partials(notes: Path) -> None:
    try:
        lines = notes.read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    for line in lines:
        path = Path(line)
        if line and path.is_absolute() and _ours(path):
            with contextlib.suppress(OSError):
                path.unlink()


def _ours(path: Path) -> bool:
    """Only a plain file with a partial's name (and, on POSIX, the user's own) is removed."""
    try:
        info = path.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or not path.name.startswith("."):
        return False
    return not POSIX or info.st_uid == os.getuid()
