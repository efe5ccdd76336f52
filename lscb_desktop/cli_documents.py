"""``lscb-desktop export …`` for the printed documents, the annual workbook and the calendar."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from lscb_desktop import cli_packs, clock
from lscb_desktop.services.periods import Period, parse_period, period_containing
from lscb_desktop.services.settings import load_settings
from lscb_desktop.store import Database

DOCUMENTS = (
    "agenda",
    "pack",
    "supplement",
    "register",
    "minutes",
    "email",
    "agreement",
    "contacts",
    "attendance",
    "calendar",
)


def _date(text: str) -> dt.date:
    """23/11/2026 or 2026-11-23."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"“{text}” is not a date; write it like 23/11/2026")


def add_parsers(kinds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    for name in ("agenda", "pack", "register"):
        sub = kinds.add_parser(name, parents=[common], help=f"a meeting's {name} as a PDF")
        sub.add_argument("meeting", type=int, metavar="MEETING_ID")
        sub.add_argument("path", type=Path, metavar="OUT.pdf")
        if name == "pack":
            sub.add_argument(
                "--issue",
                action="store_true",
                help="record it as the pack sent to the members (later papers go in supplements)",
            )
    supplement = kinds.add_parser(
        "supplement",
        parents=[common],
        help="the papers new or replaced since the pack was issued, as the next supplement",
    )
    supplement.add_argument("meeting", type=int, metavar="MEETING_ID")
    supplement.add_argument("path", type=Path, metavar="OUT.pdf")
    supplement.add_argument("--issue", action="store_true", help="record it as sent to the members")
    email = kinds.add_parser(
        "email", parents=[common], help="the e-mail of the pack to the members, as a draft .eml"
    )
    email.add_argument("meeting", type=int, metavar="MEETING_ID")
    email.add_argument("path", type=Path, metavar="OUT.eml")
    email.add_argument(
        "--supplement",
        action="store_true",
        help="attach the last supplement issued instead of the pack",
    )
    minutes = kinds.add_parser(
        "minutes", parents=[common], help="a meeting's draft minutes as a Word document"
    )
    minutes.add_argument("meeting", type=int, metavar="MEETING_ID")
    minutes.add_argument("path", type=Path, metavar="OUT.docx")
    agreement = kinds.add_parser(
        "agreement", parents=[common], help="membership agreements, one per page"
    )
    who = agreement.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", type=int, metavar="ID")
    who.add_argument("--group", type=int, metavar="ID")
    agreement.add_argument("path", type=Path, metavar="OUT.pdf")
    contacts = kinds.add_parser("contacts", parents=[common], help="a group's contact list")
    contacts.add_argument("group", type=int, metavar="GROUP_ID")
    contacts.add_argument("path", type=Path, metavar="OUT.pdf|OUT.xlsx")
    attendance = kinds.add_parser(
        "attendance", parents=[common], help="the annual attendance workbook"
    )
    attendance.add_argument(
        "--period", metavar="2025-26", help="the annual period (default: this one)"
    )
    attendance.add_argument(
        "--from", dest="start", type=_date, metavar="DATE", help="the first day, e.g. 01/04/2026"
    )
    attendance.add_argument(
        "--to", dest="end", type=_date, metavar="DATE", help="the last day, e.g. 30/09/2026"
    )
    attendance.add_argument(
        "--group", type=int, metavar="ID", action="append", help="one group; repeat it for more"
    )
    attendance.add_argument(
        "--confirmed-only",
        action="store_true",
        help="count only meetings whose attendance is confirmed with the minutes",
    )
    attendance.add_argument("path", type=Path, metavar="OUT.xlsx")
    calendar = kinds.add_parser("calendar", parents=[common], help="meetings as an .ics file")
    calendar.add_argument("--group", type=int, metavar="ID")
    calendar.add_argument("--period", metavar="2025-26")
    calendar.add_argument("path", type=Path, metavar="OUT.ics")


def _period(database: Database, args: argparse.Namespace) -> Period:
    start_month = load_settings(database).annual_period_start_month
    if getattr(args, "start", None) or getattr(args, "end", None):
        if args.period:
            raise ValueError("give --period or --from and --to, not both")
        if not (args.start and args.end):
            raise ValueError("give both --from and --to")
        if args.end < args.start:
            raise ValueError("--to is before --from")
        return Period(args.start, args.end)
    if args.period:
        return parse_period(args.period, start_month)
    return period_containing(clock.today(), start_month)


def run(args: argparse.Namespace, database: Database) -> str:
    """Makes the document; returns what to tell the user. Raises ValueError, LookupError."""
    from lscb_desktop.services import exports  # noqa: PLC0415 - ReportLab loads only when asked

    what, path = args.what, args.path
    if what == "agenda":
        exports.export_agenda(database, args.meeting, path)
    elif what == "register":
        exports.export_register(database, args.meeting, path)
    elif what == "pack":
        return cli_packs.pack(database, args.meeting, path, args.issue)
    elif what == "supplement":
        return cli_packs.supplement(database, args.meeting, path, args.issue)
    elif what == "email":
        return cli_packs.email(database, args.meeting, path, args.supplement)
    elif what == "minutes":
        from lscb_desktop.services.minutes import export_minutes  # noqa: PLC0415

        if path.suffix.lower() != ".docx":
            raise ValueError(f"{path.name}: the draft minutes are a Word document; name it .docx")
        export_minutes(database, args.meeting, path)
    elif what == "agreement":
        exports.export_agreements(database, path, person_id=args.person, group_id=args.group)
    elif what == "contacts":
        exports.export_contacts(database, args.group, path)
    elif what == "attendance":
        steps = exports.iter_export_attendance(
            database,
            _period(database, args),
            path,
            args.group,
            confirmed_only=args.confirmed_only,
        )
        cli_packs.drain(steps)
    elif what == "calendar":
        within = _period(database, args) if args.period else None
        exports.export_calendar(database, path, group_id=args.group, period=within)
    return f"Wrote {path}"
