"""The command line's sharing command ``copy`` (a file to a server and back). ``backup`` of a
server database (written as a file copy) is :meth:`lscb_desktop.store.Database.backup_to`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lscb_desktop.store.copying import CopyResult, Progress, copy_database

EXIT_OK, EXIT_FAILED = 0, 1


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    copy = commands.add_parser(
        "copy",
        parents=[common],
        help="copy every record from --db to TARGET (a new file, or an empty server database)",
        description=(
            "Copies every record (papers, settings and the change log included) from --db to "
            "TARGET: a file to a server database when an office moves in, a server database "
            "to a file as a backup. TARGET is a new file, or a URL such as "
            "postgresql+psycopg://USER@HOST/DATABASE naming an empty database; the password "
            "comes from PGPASSWORD or a PGPASSFILE, never the command line. A target that "
            "holds records is refused."
        ),
    )
    copy.add_argument("target", metavar="TARGET")


def _counts(result: CopyResult) -> None:
    width = max((len(table) for table in result.counts), default=0)
    for table, count in sorted(result.counts.items()):
        print(f"  {table.replace('_', ' '):<{width}}  {count:>9,}")


def _progress_printer() -> Any:
    """A progress line on stderr when it is a terminal (nothing in a log or a pipe)."""
    if not sys.stderr.isatty():
        return None
    last = [-1]

    def show(step: Progress) -> None:
        percent = int(step.fraction * 100)
        if percent != last[0]:
            last[0] = percent
            print(f"\r{percent:3d}% {step.text:<60.60}", end="", file=sys.stderr, flush=True)

    return show


def cmd_copy(args: argparse.Namespace) -> int:
    from lscb_desktop.cli_safety import open_checked  # noqa: PLC0415

    source = open_checked(args.db)
    progress = _progress_printer()
    try:
        result = copy_database(source, args.target, progress=progress)
    finally:
        if progress is not None:
            print(file=sys.stderr)
        source.dispose()
    print(result.summary())
    _counts(result)
    return EXIT_OK
