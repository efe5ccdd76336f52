"""The command line: ``lscb-desktop [--db DB] [COMMAND]``; with no command, the window opens."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from lscb_desktop import (
    APP_NAME,
    __version__,
    cli_attendance,
    cli_documents,
    cli_history,
    cli_packs,
    cli_papers,
    cli_safety,
    cli_sharing,
    logs,
)
from lscb_desktop.config import sample_database_path
from lscb_desktop.services.files import OutputError
from lscb_desktop.store import Database, DatabaseError, open_database
from lscb_desktop.store.database import display_target
from lscb_desktop.store.errors import explain

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    db_help = "the database: a file path or a SQLAlchemy URL (default: the one in your data folder)"
    parser = argparse.ArgumentParser(
        prog="lscb-desktop",
        description=f"{APP_NAME}: the records of a Safeguarding Children Board's business unit.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", help=db_help)
    parser.add_argument("--ignore-lock", action="store_true", help=cli_safety.IGNORE_LOCK_HELP)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
    common.add_argument(
        "--ignore-lock",
        action="store_true",
        default=argparse.SUPPRESS,
        help=cli_safety.IGNORE_LOCK_HELP,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", parents=[common], help="create the sample (Luton) database")
    demo.add_argument("--force", action="store_true", help="replace a database that has records")
    demo.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)

    commands.add_parser("check", parents=[common], help="check the database's integrity")

    backup = commands.add_parser("backup", parents=[common], help="copy the database to OUT")
    backup.add_argument("out", type=Path, metavar="OUT")

    imp = commands.add_parser("import", parents=[common], help="import records from a workbook")
    imp.add_argument("what", choices=["workbook"])
    imp.add_argument("path", type=Path, metavar="IN.xlsx")

    exp = commands.add_parser("export", parents=[common], help="export records or make a document")
    kinds = exp.add_subparsers(dest="what", metavar="WHAT", required=True)
    workbook = kinds.add_parser("workbook", parents=[common], help="every record, to a workbook")
    workbook.add_argument("path", type=Path, metavar="OUT.xlsx")
    cli_documents.add_parsers(kinds, common)

    lst = commands.add_parser("list", parents=[common], help="list records")
    lst.add_argument(
        "kind",
        choices=[
            "agencies",
            "people",
            "groups",
            "meetings",
            "attendance",
            "declarations",
            "packs",
            "audits",
            "case-reviews",
        ],
        metavar="WHAT",
        help="agencies, people, groups, meetings, attendance (of one meeting: --meeting ID), "
        "declarations (the register of interests: all, or --meeting ID, or --person ID), "
        "packs (the versions of a meeting's pack issued: --meeting ID), "
        "audits or case-reviews",
    )
    lst.add_argument(
        "--meeting",
        type=int,
        metavar="ID",
        help="the meeting (for attendance, declarations and packs)",
    )
    lst.add_argument("--person", type=int, metavar="ID", help="the person (for declarations)")
    lst.add_argument("--json", action="store_true", help="print JSON")

    cli_history.add_parser(commands, common)
    cli_safety.add_parsers(commands, common)
    cli_sharing.add_parsers(commands, common)
    cli_papers.add_parsers(commands, common)
    return parser


TABLE_COLUMNS = {
    "agencies": ("id", "name", "short_name", "sector", "statutory_partner"),
    "people": ("id", "name", "job_title", "agency", "email"),
    "groups": ("id", "name", "short_name", "kind", "meeting_frequency", "current_members"),
    "meetings": ("id", "group", "starts_at", "status", "agenda_items", "papers"),
    "audits": ("id", "period", "quarter", "title", "core", "status", "lead"),
    "case-reviews": ("id", "reference", "type", "decision", "state"),
}


def _remove_sqlite_file(target: str | None) -> None:
    path = Path(target) if target and "://" not in target else None
    if path is None:
        raise DatabaseError("--force can replace a database file only, not a server database.")
    for extra in ("", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from lscb_desktop.services.sample import create_sample, is_empty  # noqa: PLC0415

    target = args.db or str(sample_database_path())
    cli_safety.before_demo(target, args.force)
    if args.force:
        _remove_sqlite_file(target)
    database = open_database(target)
    try:
        if not is_empty(database):
            print(
                f"{database.display_name} already holds records; use --force to replace it.",
                file=sys.stderr,
            )
            return EXIT_FAILED
        create_sample(database, args.today)
    finally:
        database.dispose()
    print(f"Created the sample database at {display_target(target)}")
    return EXIT_OK


def _with_database(args: argparse.Namespace, create: bool = False) -> Database:
    """Quick-checked (a damaged file is refused); backed up first when it will be written."""
    return cli_safety.open_checked(args.db, create=create, writing=create)


def cmd_import(args: argparse.Namespace) -> int:
    from lscb_desktop.services.workbook import ImportFailed, import_workbook  # noqa: PLC0415

    created = _new_database_file(args.db)
    database = _with_database(args, create=True)
    try:
        result = import_workbook(database, args.path)
    except ImportFailed as failed:
        print(f"{args.path.name}: {failed}.", file=sys.stderr)
        for problem in failed.problems:
            print(f"  {problem}", file=sys.stderr)
        database.dispose()
        if created is not None:  # a refused import into a new file leaves no empty database
            for extra in ("", "-wal", "-shm"):
                Path(f"{created}{extra}").unlink(missing_ok=True)
        return EXIT_FAILED
    finally:
        database.dispose()
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(result.summary())
    return EXIT_OK


def _new_database_file(target: str | None) -> Path | None:
    """The file a command is about to create, or None when it exists or is not a file."""
    from lscb_desktop.store.database import database_url  # noqa: PLC0415

    url = database_url(target)
    if not url.startswith("sqlite:///"):
        return None
    path = Path(url.removeprefix("sqlite:///"))
    return None if path.exists() else path


def cmd_export(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import NoResultFound  # noqa: PLC0415

    from lscb_desktop.services.workbook import export_workbook  # noqa: PLC0415
    from lscb_desktop.store.versions import RecordGone  # noqa: PLC0415

    database = _with_database(args)
    try:
        if args.what == "workbook":
            export_workbook(database, args.path)
            message = f"Exported {database.display_name} to {args.path}"
        else:
            message = cli_documents.run(args, database)
    except (ValueError, LookupError, NoResultFound, RecordGone) as exc:
        print(f"lscb-desktop: {_reason(exc)}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        database.dispose()
    print(message)
    return EXIT_OK


def _reason(exc: Exception) -> str:
    """The user's words for a record that is not there (the window's words, "someone else has
    deleted it", do not fit a number typed on the command line)."""
    from sqlalchemy.exc import NoResultFound  # noqa: PLC0415

    from lscb_desktop.store.versions import RecordGone  # noqa: PLC0415

    if isinstance(exc, NoResultFound | RecordGone):
        return "there is no such record; see `lscb-desktop list meetings` (or groups, people)"
    return str(exc)


def cmd_list(args: argparse.Namespace) -> int:
    from lscb_desktop.services.listing import list_records  # noqa: PLC0415

    if args.kind == "attendance":
        return cli_attendance.list_attendance(args, _with_database)
    if args.kind == "declarations":
        return cli_attendance.list_declarations(args, _with_database)
    if args.kind == "packs":
        return cli_packs.list_packs(args, _with_database)
    database = _with_database(args)
    try:
        rows = list_records(database, args.kind)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        cli_attendance.print_table(rows, TABLE_COLUMNS[args.kind])
    return EXIT_OK


def cmd_window(args: argparse.Namespace) -> int:
    from lscb_desktop.ui.app import run_window  # noqa: PLC0415 - Qt loads only for the window

    return int(run_window(args.db))


COMMANDS = {
    "demo": cmd_demo,
    "check": cli_safety.cmd_check,
    "backup": cli_safety.cmd_backup,
    "backups": cli_safety.cmd_backups,
    "restore": cli_safety.cmd_restore,
    "import": cmd_import,
    "export": cmd_export,
    "list": cmd_list,
    "history": cli_history.cmd_history,
    "copy": cli_sharing.cmd_copy,
    "paper": cli_papers.cmd_paper,
}


def _failure(exc: BaseException, args: argparse.Namespace) -> str:
    """The user's words for why a command failed; the details go to the log file."""
    if isinstance(exc, DatabaseError | OutputError):
        return str(exc)
    if isinstance(exc, SQLAlchemyError):
        log.error("The database could not do what was asked", exc_info=exc)
        what = explain(exc) or "The database could not do what was asked."
        return f"{what} The details are in {logs.log_file()}"
    if isinstance(exc, ImportError):  # --db mysql://… or a driver this program does not carry
        log.error("No driver for --db", exc_info=exc)
        return (
            "--db takes a database file or a PostgreSQL server "
            "(postgresql+psycopg://USER@HOST:PORT/DATABASE); that kind of database is not one "
            "LSCB Desktop can use."
        )
    # OSError: a backups folder that cannot be written, a file locked on Windows
    assert isinstance(exc, OSError)
    where = f" ({exc.filename})" if exc.filename else ""
    return f"cannot {args.command or 'start'}: {exc.strerror or exc}{where}"


def main(argv: Sequence[str] | None = None) -> int:
    from lscb_desktop.services import privacy  # noqa: PLC0415 - start-up

    privacy.start_private_session()  # files 0600, folders 0700, a private temporary folder
    args = _parser().parse_args(argv)
    handler = COMMANDS.get(args.command or "", cmd_window)
    # Details (a server's own words, SQL, tracebacks) go to the log file, never to the terminal.
    logged = logs.setup_logging() if handler is not cmd_window else None
    try:
        # A command writing a file holds its lock throughout; refused if another program has it.
        with cli_safety.write_lock(args):
            return handler(args)
    except BrokenPipeError:  # the output piped into `head` or the like, which stopped reading
        with contextlib.suppress(OSError, ValueError):  # Python's own advice: no error at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (DatabaseError, OutputError, SQLAlchemyError, ImportError, OSError) as exc:
        print(f"lscb-desktop: {_failure(exc, args)}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_FAILED
    finally:
        if logged is not None:
            logs.stop_logging(logged)
        if handler is not cmd_window:  # the window ends its own session when it closes
            privacy.end_private_session()
