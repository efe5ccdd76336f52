"""A small meeting room of records of our own, for the tests of the attendance sheets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from lscb_desktop.models import (
    Agency,
    AgendaItem,
    Group,
    GroupKind,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    Role,
)
from lscb_desktop.services.settings import Settings, write_settings
from lscb_desktop.store import Database

#: The room's meetings, by the key the tests use: the day (all held, 10:00 to 12:00).
DAYS = {
    "june": dt.date(2025, 6, 12),
    "sept": dt.date(2025, 9, 11),
    "nov": dt.date(2026, 11, 10),
}
GROUP = "Test Group"


@dataclass
class Room:
    db: Database
    group: int
    agency: dict[str, int]
    person: dict[str, int]
    meeting: dict[str, int]
    item: dict[tuple[str, int], int]


def make_room(db: Database) -> Room:
    """A group (quorum: 2 agencies) from 01/04/2025: Ann (Police), Bob (Health) and Cat
    (Council, chair), each with a seat; Sue (Police) and Hal (Health) are on file, not members;
    the Business Unit does not count for quorum. Three held meetings (see DAYS), each with the
    items 1 Welcome, 2 Minutes, 3 Neglect strategy; nothing recorded."""
    with db.session() as session:
        write_settings(session, Settings())  # as the window leaves a database it opened
        agencies = {
            name: Agency(name=name, counts_for_quorum=name != "Business Unit")
            for name in ("Police", "Health", "Council", "Business Unit")
        }
        session.add_all(agencies.values())
        group = Group(name=GROUP, short_name="TG", kind=GroupKind.SUBGROUP, quorum_agencies=2)
        session.add(group)
        people = {}
        for name, where, email in (
            ("Ann", "Police", "ann@police.example.org"),
            ("Bob", "Health", "bob@health.example.org"),
            ("Cat", "Council", "cat@council.example.org"),
            ("Sue", "Police", "sue@police.example.org"),
            ("Hal", "Health", "hal@health.example.org"),
        ):
            people[name] = Person(name=name, agency=agencies[where], email=email)
        session.add_all(people.values())
        for name in ("Ann", "Bob", "Cat"):
            session.add(
                Membership(
                    person=people[name],
                    group=group,
                    agency=people[name].agency,
                    role=Role.CHAIR if name == "Cat" else Role.MEMBER,
                    position=f"{name}'s seat",
                    start_date=dt.date(2025, 4, 1),
                )
            )
        meetings = {}
        for key, day in DAYS.items():
            meeting = Meeting(
                group=group,
                starts_at=dt.datetime.combine(day, dt.time(10)),
                ends_at=dt.datetime.combine(day, dt.time(12)),
                status=MeetingStatus.HELD,
            )
            for position, title in enumerate(("Welcome", "Minutes", "Neglect strategy"), 1):
                meeting.agenda_items.append(AgendaItem(position=position, title=title))
            meetings[key] = meeting
        session.add_all(meetings.values())
        session.flush()
        return Room(
            db,
            group.id,
            {name: a.id for name, a in agencies.items()},
            {name: p.id for name, p in people.items()},
            {key: m.id for key, m in meetings.items()},
            {
                (key, item.position): item.id
                for key, m in meetings.items()
                for item in m.agenda_items
            },
        )


def make_book(path: Path, data: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in data.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path
