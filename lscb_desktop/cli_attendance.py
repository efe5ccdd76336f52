"""``lscb-desktop list attendance --meeting ID`` and ``list declarations``: a meeting's
attendance as recorded, and the register of interests, as JSON or as tables to read."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from lscb_desktop.store import Database

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

Opener = Callable[[argparse.Namespace], Database]


def print_table(rows: list[dict[str, Any]], columns: Sequence[str], width: int = 40) -> None:
    """Rows as columns of text, each cut at ``width`` characters but the last, which is shown
    whole; "(none)" for no rows."""
    if not rows:
        print("(none)")
        return
    cells = [[str(row.get(c) if row.get(c) is not None else "") for c in columns] for row in rows]
    widths = [min(width, max(len(c), *(len(r[i]) for r in cells))) for i, c in enumerate(columns)]
    widths[-1] = max(len(columns[-1]), *(len(r[-1]) for r in cells))
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for row in cells:
        print("  ".join(v[:w].ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def _day(text: str | None) -> str:
    """An ISO date or date-time as the program writes dates: 23/11/2026 (and 10:00)."""
    if not text:
        return ""
    when = dt.datetime.fromisoformat(text)
    return f"{when:%d/%m/%Y}" if len(text) <= 10 else f"{when:%A %d/%m/%Y, %H:%M}"


def _substitute(row: dict[str, Any]) -> str:
    name = row["substitute"] or ""
    return f"{name} ({row['substitute_agency']})" if name and row["substitute_agency"] else name


def _times(row: dict[str, Any]) -> str:
    parts = []
    if row["arrived_at"]:
        parts.append(f"arrived {row['arrived_at']}")
    if row["left_at"]:
        parts.append(f"left {row['left_at']}")
    return ", ".join(parts)


def _print_attendance(record: dict[str, Any]) -> None:
    meeting = record["meeting"]
    print(f"{meeting['group']}, {_day(meeting['starts_at'])} ({meeting['status']})")
    confirmed = (
        f"confirmed with the minutes on {_day(record['confirmed'])}"
        + (f" by {record['confirmed_by']}" if record["confirmed_by"] else "")
        if record["confirmed"]
        else "not confirmed with the minutes"
    )
    print(f"{record['recorded']} of {record['expected']} recorded; {confirmed}.")
    print()
    rows = [
        {
            **row,
            "quorum": "counts" if row["counts_for_quorum"] else "not counted",
            "role": row["role"] if row["member_then"] else f"{row['role']} (not a member then)",
            "substitute": _substitute(row),
            "times": _times(row),
        }
        for row in record["attendees"]
    ]
    columns = ("name", "agency", "seat", "role", "quorum", "status", "reason", "times")
    print_table(rows, (*columns, "substitute"), width=60)
    for row in record["attendees"]:
        if row["notes"]:
            print(f"Note on {row['name']}: {row['notes']}")
    for guest in record["guests"]:
        described = ", ".join(p for p in (guest["job_title"], guest["organisation"]) if p)
        items = "; ".join(f"item {i['number']}: {i['title']}" for i in guest["items"])
        print(
            f"Guest: {guest['name']}"
            + (f", {described}" if described else "")
            + f" — {items or 'whole meeting'}"
        )
    for declaration in record["declarations"]:
        print(
            f"Declaration: {declaration['name']}, {declaration['item']}: "
            f"{declaration['interest']} ({declaration['action_label']})"
        )
    quorum = record["quorum"]
    print()
    print(f"Quorum rule: {quorum['rule'] or 'none'}")
    print(quorum["text"])
    agencies = quorum["agencies"]
    print(f"Counted: {', '.join(agencies)}." if agencies else "No agency counted.")
    for item in record["items"]:
        left_out = f"; left out: {', '.join(item['left_out'])}" if item["left_out"] else ""
        print(
            f"Item {item['number']} ({item['starts_at'][11:16]}) {item['title']}: "
            f"{item['text']}{left_out}"
        )


def list_attendance(args: argparse.Namespace, open_database: Opener) -> int:
    from lscb_desktop.services.listing import meeting_attendance  # noqa: PLC0415

    if args.meeting is None:
        print("lscb-desktop: list attendance needs --meeting ID", file=sys.stderr)
        return EXIT_USAGE
    database = open_database(args)
    try:
        record = meeting_attendance(database, args.meeting)
    except LookupError as exc:
        print(f"lscb-desktop: {exc.args[0]}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(record, indent=2, ensure_ascii=False))
    else:
        _print_attendance(record)
    return EXIT_OK


def list_declarations(args: argparse.Namespace, open_database: Opener) -> int:
    from lscb_desktop.services.listing import list_declarations as rows_of  # noqa: PLC0415

    database = open_database(args)
    try:
        rows = rows_of(database, meeting_id=args.meeting, person_id=args.person)
    except LookupError as exc:
        print(f"lscb-desktop: {exc.args[0]}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    shown = [
        {**row, "date": _day(row["starts_at"][:10]), "action": row["action_label"]} for row in rows
    ]
    print_table(shown, ("id", "date", "group", "item", "name", "action", "interest"), width=36)
    return EXIT_OK
