"""Backups of a database file: where they go, the daily one, rotation, listing and restore.

Backups of ``FOLDER/NAME.sqlite`` are kept in ``FOLDER/backups/NAME.sqlite/`` (the whole file
name, so that ``lscb.sqlite`` and ``lscb.db`` in one folder never share one; for the database in
the user's data folder that is ``<data>/backups/lscb.sqlite/``), each named
``NAME-YYYYMMDD-HHMMSS.sqlite`` (and ``…-before-restore.sqlite``, ``…-before-demo.sqlite`` for the
copies taken before a restore or ``demo --force``). Only the plain daily backups are rotated; the
copies taken before a restore, ``demo --force`` or an upgrade (those stay beside the database,
``NAME.before-upgrade-*.sqlite``) are listed with them but never deleted for the user. Every backup
is made with SQLite's backup API and checked (``PRAGMA integrity_check``) before it is given its
name. The folders of an earlier development build (``backups/NAME/``, named after the stem) are
not read. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from lscb_desktop import clock
from lscb_desktop.store import lockfile
from lscb_desktop.store.database import (
    SCHEMA_HEAD,
    DamagedDatabase,
    DatabaseError,
    backup_file,
    is_damage,
)

FOLDER = "backups"
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+?)-(?P<stamp>\d{8}-\d{6})(?:-(?P<note>[a-z0-9-]+))?\.sqlite$")
_UPGRADE = re.compile(r"^(?P<stem>.+)\.before-upgrade-(?P<stamp>\d{8}-\d{6})\.sqlite$")

#: What each kind of backup is called when listed.
NOTES = {
    "": "daily",
    "before-restore": "before a restore",
    "before-demo": "before the sample replaced it",
    "before-upgrade": "before an upgrade",
}

#: The copies taken just before a database was replaced wholesale (by a restore or the sample).
REPLACED = ("before-restore", "before-demo")

#: Why a restore is refused while another connection has the database open.
OPEN_ELSEWHERE = (
    "LSCB Desktop has this database open in another window or program; close it there first. "
    "Nothing was restored."
)

#: How long (seconds) a restore waits for another program's statement to finish.
LOCK_TIMEOUT = 1.0

#: The records counted when a backup is listed: (table, what to call them).
COUNTED = (("person", "people"), ("meeting", "meetings"), ("attendance", "attendance"))

#: Grandfather-father-son: the newest backup of each of the last N days, weeks and months.
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12


def now() -> dt.datetime:
    """The program's clock: today's date (which the tests fix) at the current time of day."""
    return dt.datetime.combine(clock.today(), dt.datetime.now().time().replace(microsecond=0))


def shown(when: dt.datetime) -> str:
    """A date and time as the program shows them: 23/11/2026 14:05."""
    return f"{when:%d/%m/%Y %H:%M}"


def backup_folder(database_path: Path) -> Path:
    """Where the backups of a database file are kept: ``backups/<file name>/`` beside it."""
    return database_path.parent / FOLDER / database_path.name


@dataclass(frozen=True)
class Backup:
    """One backup file: its path, when it was taken and why ("" for the daily one)."""

    path: Path
    taken: dt.datetime
    note: str = ""

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    @property
    def size_text(self) -> str:
        """1.7 MB, 640 KB, 12 bytes."""
        size = self.size
        if size >= 1024 * 1024:
            return f"{size / (1024 * 1024):,.1f} MB"
        if size >= 1024:
            return f"{size / 1024:,.0f} KB"
        return f"{size} bytes"

    @property
    def kind(self) -> str:
        return NOTES.get(self.note, self.note.replace("-", " "))


def parse_name(path: Path) -> Backup | None:
    """The backup a file name describes, or None for a file that is not one of ours."""
    for pattern, fixed in ((_UPGRADE, "before-upgrade"), (_NAME, None)):
        found = pattern.match(path.name)
        if found:
            try:
                taken = dt.datetime.strptime(found["stamp"], _STAMP)
            except ValueError:
                return None
            note = fixed or (found.groupdict().get("note") or "")
            return Backup(path, taken, note)
    return None


def list_backups(database_path: Path) -> list[Backup]:
    """Every backup of a database, newest first: the rotated ones and the pre-upgrade copies."""
    found: list[Backup] = []
    folder = backup_folder(database_path)
    candidates = [*folder.glob("*.sqlite")] if folder.is_dir() else []
    candidates += database_path.parent.glob(f"{glob.escape(database_path.stem)}.before-upgrade-*")
    for path in candidates:
        backup = parse_name(path)
        if backup is not None and _stem_of(path) == database_path.stem and path.is_file():
            found.append(backup)
    return sorted(found, key=lambda b: (b.taken, b.path.name), reverse=True)


def _stem_of(path: Path) -> str | None:
    """The stem of the database a backup's name says it is of."""
    found = _UPGRADE.match(path.name) or _NAME.match(path.name)
    return found["stem"] if found else None


def last_replaced(database_path: Path) -> dt.datetime | None:
    """When the database was last replaced wholesale (a restore, ``demo --force``), as told by
    the copy taken just before: a before-restore or before-demo backup, or a damaged file set
    aside. None when it never was."""
    times = [b.taken for b in list_backups(database_path) if b.note in REPLACED]
    pattern = f"{glob.escape(database_path.stem)}.damaged-*.sqlite"
    for path in database_path.parent.glob(pattern):
        stamp = path.name.removeprefix(f"{database_path.stem}.damaged-").removesuffix(".sqlite")
        try:
            times.append(dt.datetime.strptime(stamp, _STAMP))
        except ValueError:
            continue
    return max(times, default=None)


# -- checking a file -----------------------------------------------------------------------------


@dataclass
class Contents:
    """What a backup holds, read from the file itself; ``problem`` says why it is unusable."""

    schema: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    problem: str | None = None

    @property
    def sound(self) -> bool:
        return self.problem is None

    def counts_text(self) -> str:
        return ", ".join(f"{n:,} {what}" for what, n in self.counts.items())


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def check_file(path: Path, pragma: str = "quick_check") -> list[str]:
    """SQLite's own check of a file: [] when sound, else its findings (never raises)."""
    try:
        with closing(_read_only(path)) as connection:
            rows = [str(row[0]) for row in connection.execute(f"PRAGMA {pragma}(20)")]
    except sqlite3.Error as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def read_contents(path: Path, *, check: str | None = "integrity_check") -> Contents:
    """The schema and record counts of a backup, after checking (with ``PRAGMA check``; None
    to only read the counts, for a listing) that it is sound and ours."""
    if not path.is_file():
        return Contents(problem="there is no such file")
    problems = check_file(path, check) if check else []
    if problems:
        return Contents(problem=f"the file is damaged or not a database ({problems[0]})")
    try:
        with closing(_read_only(path)) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables or "person" not in tables:
                return Contents(problem="it is not an LSCB Desktop database")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            counts = {
                what: int(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
                for table, what in COUNTED
                if table in tables
            }
    except sqlite3.Error as exc:
        return Contents(problem=f"it cannot be read ({exc})")
    schema = str(row[0]) if row else None
    if schema is None or not _known_schema(schema):
        return Contents(
            schema,
            counts,
            f"it was written by a newer version of LSCB Desktop (schema {schema})",
        )
    return Contents(schema, counts)


def _known_schema(revision: str) -> bool:
    return revision.isdigit() and len(revision) == len(SCHEMA_HEAD) and revision <= SCHEMA_HEAD


# -- taking backups ------------------------------------------------------------------------------


def private_folder(folder: Path) -> None:
    """Makes the folder and any missing parents, readable by the user alone (POSIX); a folder
    that already exists is the user's and keeps its permissions."""
    missing = []
    part = folder
    while not part.exists():
        missing.append(part)
        part = part.parent
    for part in reversed(missing):
        try:
            part.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile by another program: not ours to change
            continue
        if os.name == "posix":
            part.chmod(0o700)  # whatever the umask


def take_backup(database_path: Path, note: str = "", when: dt.datetime | None = None) -> Backup:
    """A verified backup of the database file into its backups folder, now."""
    when = when or now()
    folder = backup_folder(database_path)
    private_folder(folder)
    suffix = f"-{note}" if note else ""
    target = folder / f"{database_path.stem}-{when:{_STAMP}}{suffix}.sqlite"
    while target.exists():  # two in the same second: the next free second
        when += dt.timedelta(seconds=1)
        target = folder / f"{database_path.stem}-{when:{_STAMP}}{suffix}.sqlite"
    backup_file(database_path, target)
    return Backup(target, when, note)


def backup_due(database_path: Path, today: dt.date | None = None) -> bool:
    """True when no backup of the database has been taken today (at most one a day), and no
    other program has the file open: the program writing it takes the backup, and one that
    has it open read-only writes nothing beside it."""
    if lockfile.holder(database_path) is not None:
        return False
    today = today or clock.today()
    return not any(
        b.taken.date() == today and b.note != "before-upgrade" for b in list_backups(database_path)
    )


def daily_backup(database_path: Path | None) -> Backup | None:
    """The automatic backup taken when a database is opened for writing: at most one a day, and
    the old ones rotated. None when one was already taken today (or there is no file)."""
    if database_path is None or not database_path.is_file() or not backup_due(database_path):
        return None
    backup = take_backup(database_path)
    rotate(database_path)
    return backup


# -- rotation ------------------------------------------------------------------------------------


def to_keep(
    taken: Iterable[dt.datetime],
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    monthly: int = KEEP_MONTHLY,
) -> set[dt.datetime]:
    """Which backups a grandfather-father-son rotation keeps: the newest of each of the ``daily``
    most recent days that have a backup, of the ``weekly`` most recent weeks (Monday to Sunday)
    and of the ``monthly`` most recent months. Counting only periods that have a backup means
    that a long pause never lets the rotation delete every old backup."""
    ordered = sorted(set(taken), reverse=True)
    keep: set[dt.datetime] = set()
    periods = (
        (daily, lambda t: t.date()),
        (weekly, lambda t: t.isocalendar()[:2]),
        (monthly, lambda t: (t.year, t.month)),
    )
    for count, period_of in periods:
        seen: set[object] = set()
        for when in ordered:
            period = period_of(when)
            if period in seen:
                continue
            if len(seen) == count:
                break
            seen.add(period)
            keep.add(when)  # the first met in a period is its newest
    return keep


def rotate(database_path: Path) -> list[Path]:
    """Deletes the daily backups the rotation does not keep; returns what was deleted. The
    copies taken before a restore, ``demo --force`` or an upgrade are never rotated."""
    rotated = [b for b in list_backups(database_path) if b.note == ""]
    keep = to_keep(b.taken for b in rotated)
    removed = []
    for backup in rotated:
        if backup.taken not in keep:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    return removed


# -- restoring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    """A restore done: what was restored, and where the state before it was kept."""

    backup: Backup
    contents: Contents
    previous: Path | None
    previous_damaged: bool = False


def find_backup(database_path: Path, name: str) -> Path:
    """The backup a user names: a path, a file name in the backups folder, or its number in
    ``lscb-desktop backups`` (1 is the newest)."""
    given = Path(name).expanduser()
    if given.is_file():
        return given
    backups = list_backups(database_path)
    for backup in backups:
        if backup.path.name == name:
            return backup.path
    if name.isdigit() and 1 <= int(name) <= len(backups):
        return backups[int(name) - 1].path
    raise DatabaseError(
        f"There is no backup called {name}; `lscb-desktop backups` lists those of "
        f"{database_path.name}."
    )


def last_good_backup(database_path: Path) -> tuple[Backup, Contents] | None:
    """The newest backup that is sound and of this program, with what it holds."""
    for backup in list_backups(database_path):
        contents = read_contents(backup.path)
        if contents.sound:
            return backup, contents
    return None


def set_aside(database_path: Path, when: dt.datetime | None = None) -> Path:
    """Copies a damaged database (and its -wal) beside it as ``NAME.damaged-STAMP.sqlite``,
    so that nothing is lost when a backup is restored over it."""
    import shutil  # noqa: PLC0415

    stamp = f"{when or now():{_STAMP}}"
    target = database_path.with_name(f"{database_path.stem}.damaged-{stamp}.sqlite")
    shutil.copyfile(database_path, target)
    wal = Path(f"{database_path}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}-wal"))
    if os.name == "posix":
        target.chmod(0o600)
    return target


def _lock_out_others(database_path: Path) -> sqlite3.Connection | None:
    """A connection of our own that has taken the database out of WAL and holds it exclusively,
    so that no other program is writing to it while it is replaced; None for a damaged file
    (nobody can be working in it). Raises :class:`DatabaseError` when another connection has
    the database open: SQLite leaves WAL only when no other connection is open, even an idle
    one, and an exclusive lock outside WAL keeps every other reader and writer out. (A file
    another program keeps in rollback mode, idle, is not seen: LSCB Desktop always uses WAL.)"""
    connection = sqlite3.connect(database_path, timeout=LOCK_TIMEOUT, isolation_level=None)
    try:
        mode = str(connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]).lower()
        if mode != "delete":
            raise DatabaseError(OPEN_ELSEWHERE)
        connection.execute("BEGIN EXCLUSIVE")
        # Opened (and put back in WAL) by another program between the two statements?
        mode = str(connection.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if mode != "delete":
            raise DatabaseError(OPEN_ELSEWHERE)
    except sqlite3.Error as exc:
        connection.close()
        if is_damage(exc):
            return None
        if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            raise DatabaseError(OPEN_ELSEWHERE) from exc
        raise DatabaseError(
            f"{database_path.name} cannot be restored over: SQLite could not lock it. "
            "Nothing was restored."
        ) from exc
    except BaseException:
        connection.close()
        raise
    return connection


def restore_backup(
    database_path: Path, backup_path: Path, contents: Contents | None = None
) -> Restored:
    """Puts a backup in the place of the database file, all or nothing.

    The backup is checked first (sound, of this program, not of a newer version), unless the
    caller passes the ``contents`` it has just read with :func:`read_contents`. Then the current
    state is backed up (a damaged file is copied aside instead) and the database is locked
    against every other connection (a restore is refused while another window or program has
    it open, even idle: its later saves would go to the replaced file and be lost). The backup
    is copied to a temporary name beside the database, checked, and renamed over it while the
    lock is held; the old file's -wal and -shm are gone by then (the lock takes the file out of
    WAL), so SQLite never replays them onto the restored file, which ``open_database`` puts back
    in WAL. The caller must have closed its own connections to the database.
    """
    backup = backup_at(backup_path)
    if contents is None:
        contents = read_contents(backup_path)
    if contents.problem:
        raise DatabaseError(
            f"{backup_path.name} cannot be restored: {contents.problem}. Nothing was changed."
        )
    previous: Path | None = None
    damaged_before = False
    lock: sqlite3.Connection | None = None
    if database_path.exists():
        if database_path.resolve() == backup_path.resolve():
            raise DatabaseError("That is the database itself, not a backup of it.")
        lock = _lock_out_others(database_path)  # refuses before anything is written
        if lock is not None:
            lock.close()  # the copy below must read the file; locked again just after
        try:
            previous = take_backup(database_path, "before-restore").path
        except DamagedDatabase:
            previous, damaged_before = set_aside(database_path), True
        lock = _lock_out_others(database_path)
    partial = database_path.with_name(f".{database_path.name}.restoring-{lockfile.file_tag()}")
    try:
        backup_file(backup_path, partial)
        for extra in ("-wal", "-shm", "-journal"):
            Path(f"{database_path}{extra}").unlink(missing_ok=True)
        if lock is not None and os.name != "posix":
            # Windows renames over no open file, ours included; another program's handle makes
            # the rename fail instead, with nothing changed.
            lock.close()
            lock = None
        try:
            partial.replace(database_path)
        except PermissionError as exc:
            if os.name == "posix":
                raise
            raise DatabaseError(OPEN_ELSEWHERE) from exc
        _sync_folder(database_path.parent)
    finally:
        if lock is not None:
            lock.close()  # its lock was on the file replaced
        partial.unlink(missing_ok=True)
    return Restored(backup, contents, previous, damaged_before)


def backup_at(path: Path) -> Backup:
    """A backup file as listed: its date from its name, else from when the file was written."""
    found = parse_name(path)
    if found is not None:
        return found
    return Backup(path, dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0))


def _sync_folder(folder: Path) -> None:
    """Makes a rename durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
