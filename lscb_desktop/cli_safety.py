"""The command line's safety commands: ``check``, ``backup``, ``backups``, ``restore``, and the
checks every other command makes on the database it opens.

A command that writes a database file (``demo``, ``import``, ``restore``, ``copy`` into a file,
``backup`` to its OUT file) takes the lock beside it for as long as it runs, and is refused when
another live program holds it (a window, or another command), unless ``--ignore-lock``, which
takes the lock over for the command's duration and gives it back afterwards; reading commands
never look. Whatever ``--ignore-lock`` says, ``backup`` and ``copy`` never replace a database
that a program of this computer still has open (:func:`lscb_desktop.store.database.replacing`).

A command that reads records runs SQLite's quick check first (it reads every page: about 0.1 s
warm and 0.4 s cold for the 60 MB benchmark database), so that none carries on over a damaged
file; a command that writes takes the day's automatic backup first.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lscb_desktop.config import default_database_path, sample_database_path
from lscb_desktop.store import Database, DatabaseError, lockfile, open_database
from lscb_desktop.store import backups as store
from lscb_desktop.store.database import DamagedDatabase, database_url

EXIT_OK, EXIT_FAILED = 0, 1


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    """Registers ``backups`` and ``restore`` (``check`` and ``backup`` are in ``cli``)."""
    listing = commands.add_parser(
        "backups", parents=[common], help="list the database's backups, newest first"
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    restore = commands.add_parser(
        "restore", parents=[common], help="put a backup in the place of the database"
    )
    restore.add_argument(
        "backup",
        metavar="BACKUP",
        help="a backup file, its name, or its number in `lscb-desktop backups` (1 = newest)",
    )


def database_path(db: str | None) -> Path:
    """The file behind ``--db`` (backups and restore work on files only)."""
    url = database_url(db if db is not None else default_database_path())
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        raise DatabaseError("Backups are kept for database files only, not a server database.")
    return Path(url.removeprefix("sqlite:///"))


# -- the lock of a file being written --------------------------------------------------------------

IGNORE_LOCK_HELP = (
    "write even though another program has the database file open (only when you are sure it "
    "is not in use: its lock was left behind)"
)


def written_file(args: argparse.Namespace) -> Path | None:
    """The database file ``args.command`` writes, or None for a command that only reads (or
    writes a server database)."""
    if args.command == "demo":
        target: str | Path | None = args.db or sample_database_path()
    elif args.command in ("import", "restore"):
        target = args.db
    elif args.command == "copy":
        target = args.target
    elif args.command == "backup":
        target = args.out
    else:
        return None
    url = database_url(target if target is not None else default_database_path())
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        return None
    return Path(url.removeprefix("sqlite:///"))


@contextlib.contextmanager
def write_lock(args: argparse.Namespace) -> Iterator[None]:
    """Holds the lock of the file the command writes while it runs. Raises :class:`DatabaseError`
    (the window's words, and what to do) when another program has the file open, unless
    ``--ignore-lock``."""
    path = written_file(args)
    if path is None or not path.parent.is_dir():  # nothing there that anyone can have open
        yield
        return
    try:
        lock = _take_lock(path, ignore=getattr(args, "ignore_lock", False))
    except OSError:  # a folder that cannot be written: the command says so when it writes
        lock = None
    try:
        yield
    finally:
        if lock is not None:
            lock.release()


def _take_lock(path: Path, *, ignore: bool) -> lockfile.FileLock:
    try:
        return lockfile.acquire(path)
    except lockfile.Locked as held:
        if not ignore:
            raise DatabaseError(
                f"{held} Nothing was changed. Close it there first, or, if you are sure it is "
                "not in use, run the command again with --ignore-lock."
            ) from held
        print(f"lscb-desktop: warning: {held} Going ahead (--ignore-lock).", file=sys.stderr)
    # Taken over while the command runs (no other program of ours starts writing too), and
    # given back afterwards to the program that had it, if it may still have the file open.
    return lockfile.acquire(path, take_over=True)


# -- opening for the other commands ---------------------------------------------------------------


def open_reading(db: str | None, *, create: bool = False) -> Database:
    """Opens the database for a command that only reads it: read-only when another program has
    the file open (nothing is written to it or beside it: no upgrade under that program's feet),
    otherwise as every command opens it (brought up to date, created if ``create``)."""
    url = database_url(db if db is not None else default_database_path())
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        path = Path(url.removeprefix("sqlite:///"))
        if path.is_file() and lockfile.holder(path) is not None:
            return open_database(path, read_only=True)
    return open_database(db, create=create)


def open_checked(db: str | None, *, create: bool = False, writing: bool = False) -> Database:
    """Opens the database for a command: quick-checked when it already holds records (a damaged
    one raises :class:`DamagedDatabase`), and backed up first (once a day) when it will be
    written to; read-only when the command only reads and another program has it open."""
    from lscb_desktop.services.integrity import quick_check  # noqa: PLC0415
    from lscb_desktop.services.privacy import tighten_database  # noqa: PLC0415

    url = database_url(db if db is not None else default_database_path())
    existed = url.startswith("sqlite:///") and Path(url.removeprefix("sqlite:///")).is_file()
    database = open_database(db, create=create) if writing else open_reading(db, create=create)
    try:
        if database.path is not None and not database.read_only:  # one made by an older version
            tighten_database(database.path)
        quick_check(database)
        if writing and existed:  # a file just created has nothing to lose
            _daily_backup(database.path)
    except BaseException:
        database.dispose()
        raise
    return database


def _daily_backup(path: Path | None) -> None:
    try:
        taken = store.daily_backup(path)
    except DamagedDatabase:
        raise
    except (DatabaseError, OSError) as exc:  # a backup folder that cannot be written
        print(
            f"lscb-desktop: warning: today's automatic backup was not taken: {exc}", file=sys.stderr
        )
        return
    if taken is not None:
        print(f"Took today's backup: {taken.path}", file=sys.stderr)


def before_demo(target: str, force: bool) -> None:
    """Before ``demo`` writes over a file: the day's backup, or with ``--force`` (which replaces
    the file) a backup always; a file that cannot be backed up is copied aside instead."""
    if "://" in target:
        return
    path = Path(target).expanduser().resolve()
    if not path.is_file() or path.stat().st_size == 0:
        return
    if not force:
        with contextlib.suppress(DatabaseError, OSError):  # demo refuses a file with records
            store.daily_backup(path)
        return
    try:
        kept = store.take_backup(path, "before-demo").path
    except DatabaseError:
        kept = store.set_aside(path)
    print(f"The database that was there is kept in {kept}", file=sys.stderr)


# -- the commands ---------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from lscb_desktop.services.integrity import (  # noqa: PLC0415
        check_database,
        check_unopenable,
    )

    try:
        database = open_reading(args.db)
    except DamagedDatabase as exc:
        report = check_unopenable(database_path(args.db), str(exc))
    else:
        try:
            report = check_database(database)
        finally:
            database.dispose()
    print(report.summary())
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_backup(args: argparse.Namespace) -> int:
    database = open_reading(args.db)
    try:
        target = database.backup_to(args.out)
    except DamagedDatabase as exc:
        print(f"lscb-desktop: {exc} Nothing was copied to {args.out}.", file=sys.stderr)
        return EXIT_FAILED
    finally:
        database.dispose()
    print(f"Backed up {database.display_name} to {target} (checked: sound)")
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    path = database_path(args.db)
    found = store.list_backups(path)
    rows = []
    for number, backup in enumerate(found, start=1):
        contents = store.read_contents(backup.path, check=None)
        rows.append(
            {
                "number": number,
                "taken": store.shown(backup.taken),
                "size": backup.size_text,
                **{what: contents.counts.get(what) for _t, what in store.COUNTED},
                "kind": backup.kind,
                "problem": contents.problem,
                "path": str(backup.path),
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"Backups of {path}")
    print(f"kept in {store.backup_folder(path)} (the newest of each of the last 7 days, 4 weeks")
    print("and 12 months; the copies taken before a restore, `demo --force` or an upgrade are")
    print("never deleted, and those taken before an upgrade are kept beside the database):")
    if not rows:
        print("(none yet: one is taken automatically the first time each day the database is")
        print("opened for writing)")
        return EXIT_OK
    header = (
        f"{'#':>3}  {'taken':16}  {'size':>9}  {'people':>6}  {'meetings':>8}  attendance  file"
    )
    print(header)
    for row, backup in zip(rows, found, strict=True):
        counts = "  ".join(
            f"{row[what] if row[what] is not None else '?':>{width}}"
            for what, width in (("people", 6), ("meetings", 8), ("attendance", 10))
        )
        note = f" ({row['kind']})" if row["kind"] else ""
        problem = f" — cannot be restored: {row['problem']}" if row["problem"] else ""
        print(
            f"{row['number']:>3}  {row['taken']:16}  {row['size']:>9}  {counts}  "
            f"{backup.path.name}{note}{problem}"
        )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    path = database_path(args.db)
    backup_path = store.find_backup(path, args.backup)
    restored = store.restore_backup(path, backup_path)
    database = open_database(path, create=False)  # brings an older backup's schema up to date
    database.dispose()
    print(
        f"Restored {path.name} from the backup taken {store.shown(restored.backup.taken)} "
        f"({restored.contents.counts_text()})."
    )
    if restored.previous is not None:
        state = "damaged database" if restored.previous_damaged else "database as it was"
        print(f"The {state} is kept in {restored.previous}")
    return EXIT_OK
