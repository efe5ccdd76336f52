"""``lscb-desktop paper attach``: a paper onto an agenda item, for scripts.

It calls the same service as the window's Attach paper… (the same checks: a PDF, Word or
Excel file of at most 50 MB), so a paper attached from a script is the same as one attached
by hand, in the database, the history and the pack.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import NoResultFound

from lscb_desktop.cli_safety import open_checked
from lscb_desktop.services.agenda import agenda_rows, attach_paper
from lscb_desktop.services.groups import group_input
from lscb_desktop.services.meetings import meeting_input
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store.versions import RecordGone

EXIT_OK, EXIT_FAILED = 0, 1


def add_parsers(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    paper = commands.add_parser("paper", parents=[common], help="attach a paper to an agenda item")
    actions = paper.add_subparsers(dest="paper_action", metavar="ACTION", required=True)
    attach = actions.add_parser(
        "attach",
        parents=[common],
        help="keep FILE as the paper of item N of meeting ID (replacing any paper it had)",
    )
    attach.add_argument("--meeting", type=int, required=True, metavar="ID", help="the meeting")
    attach.add_argument(
        "--item", type=int, required=True, metavar="N", help="the item's number on the agenda"
    )
    attach.add_argument("file", type=Path, metavar="FILE", help="a PDF, Word or Excel file")
    attach.add_argument(
        "--not-confidential",
        action="store_true",
        help="the paper may be shared beyond the members (papers are confidential unless said)",
    )


def cmd_paper(args: argparse.Namespace) -> int:
    database = open_checked(args.db, writing=True)
    try:
        try:
            meeting = meeting_input(database, args.meeting)
        except (NoResultFound, RecordGone):
            print(
                f"lscb-desktop paper: there is no meeting {args.meeting} "
                "(lscb-desktop list meetings shows them).",
                file=sys.stderr,
            )
            return EXIT_FAILED
        items = agenda_rows(database, args.meeting)
        item = next((row for row in items if row.number == args.item), None)
        group = group_input(database, meeting.group_id or 0).name
        where = f"{group} {meeting.starts_at:%d/%m/%Y}"
        if item is None:
            numbers = f"its items are 1 to {len(items)}" if items else "it has no agenda yet"
            print(
                f"lscb-desktop paper: the meeting {where} has no item {args.item}: {numbers}.",
                file=sys.stderr,
            )
            return EXIT_FAILED
        try:
            attach_paper(database, item.id, args.file, confidential=not args.not_confidential)
        except InvalidInput as exc:
            print(f"lscb-desktop paper: {' '.join(exc.problems.values())}", file=sys.stderr)
            return EXIT_FAILED
    finally:
        database.dispose()
    replaced = f", in place of {item.paper}" if item.paper else ""
    kind = "not confidential" if args.not_confidential else "confidential"
    print(
        f"Attached {args.file.name} ({kind}) to item {item.number}, {item.title}, of {where}"
        f"{replaced}."
    )
    return EXIT_OK
