"""``lscb-desktop history``: the change log in words, newest first."""

from __future__ import annotations

import argparse
import json
import sys

from lscb_desktop.cli_safety import open_checked
from lscb_desktop.services.history import (
    DEFAULT_LIMIT,
    KINDS,
    HistoryEntry,
    HistoryError,
    RecordRef,
    parse_date,
    parse_record,
    read_history,
)

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    history = commands.add_parser(
        "history",
        parents=[common],
        help="who changed which record when, and each field from what to what",
        description="The change log, newest first. KIND is one of: " + ", ".join(KINDS) + ".",
    )
    history.add_argument(
        "--record",
        action="append",
        metavar="KIND:ID",
        help="only this record, such as person:12 or case-review:3 (may be given again)",
    )
    history.add_argument("--since", metavar="DATE", help="only changes on or after 23/11/2026")
    history.add_argument(
        "--limit",
        default=str(DEFAULT_LIMIT),
        metavar="N",
        help=f"show at most N entries (default {DEFAULT_LIMIT}; 0 for all)",
    )
    history.add_argument("--json", action="store_true", help="print the entries as JSON")


def _limit(text: str) -> int | None:
    if not text.strip().isdigit():
        raise HistoryError(f"--limit “{text}”: give a whole number of entries, such as 50")
    number = int(text)
    return None if number == 0 else number


def cmd_history(args: argparse.Namespace) -> int:
    try:
        records = [parse_record(text) for text in args.record or []]
        since = parse_date(args.since) if args.since else None
        limit = _limit(args.limit)
    except HistoryError as exc:
        print(f"lscb-desktop history: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # Reading never makes a database; a damaged one is refused, as by every other command.
    database = open_checked(args.db, create=False)
    try:
        history = read_history(database, records, since, limit)
    finally:
        database.dispose()
    left_out = ""
    if history.left_out:
        left_out = (
            f"{history.left_out:,} older entr{'y' if history.left_out == 1 else 'ies'} left out"
            f" (of {history.total:,}); use --limit N for more, or --limit 0 for all."
        )
    if args.json:
        print(json.dumps([e.as_plain() for e in history.entries], indent=2, ensure_ascii=False))
        if left_out:
            print(left_out, file=sys.stderr)
        return EXIT_OK
    if not history.entries:
        print(_nothing(records, since is not None))
        return EXIT_OK
    for entry in history.entries:
        print("\n".join(entry_lines(entry)))
    if left_out:
        print(f"\n{left_out}")
    return EXIT_OK


def _nothing(records: list[RecordRef], since: bool) -> str:
    text = "No changes recorded"
    if records:
        text += " for " + ", ".join(ref.words for ref in records)
    if since:
        text += " since that date"
    return text + "."


def entry_lines(entry: HistoryEntry) -> list[str]:
    """``24/11/2026 14:05  jsmith  changed  Person 12 (Mary Emson)`` and a line per field."""
    lines = [f"{entry.at:%d/%m/%Y %H:%M}  {entry.user}  {entry.what}  {entry.record}"]
    for change in entry.changes:
        if entry.operation == "insert":
            shown = change.new
        elif entry.operation == "delete":
            shown = change.old
        else:
            shown = f"{change.old} → {change.new}"
        lines.append(f"    {change.label}: {shown}")
    return lines
