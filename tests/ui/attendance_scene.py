"""A small group of its own for the Attendance tab's tests, added to the sample database (so the
tests never depend on the sample's counts), and helpers for driving a modal dialog for real."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from lscb_desktop.models import MeetingStatus, Role
from lscb_desktop.services.agencies import AgencyInput, save_agency
from lscb_desktop.services.agenda import ItemInput, agenda_rows, save_item
from lscb_desktop.services.groups import GroupInput, save_group
from lscb_desktop.services.meetings import MeetingInput, save_meeting
from lscb_desktop.services.members import MembershipInput, add_member, member_form
from lscb_desktop.services.people import PersonInput, save_person
from lscb_desktop.store import Database


@dataclass
class Scene:
    """The Test Panel (quorum: 2 agencies) and its meeting of 18/11/2026, 10:00 to 12:00.

    Members: Ann Able (Test Police, designated substitute Sue Stand-in of Test Police), Bob
    Baker (Test Health), Cat Cole (Test Council), Dee Dunn (Test Business Unit, which does not
    count towards quorum) and Eve Evans (Test Police, an adviser). Not members: Sue Stand-in
    (Test Police) and Oscar Other (Test Health). Agenda: 1 Welcome, 2 Neglect strategy,
    3 Budget."""

    db: Database
    group: int
    meeting: int
    agencies: dict[str, int]
    people: dict[str, int]
    items: list[int]

    def name(self, key: str) -> str:
        return {
            "ann": "Ann Able",
            "bob": "Bob Baker",
            "cat": "Cat Cole",
            "dee": "Dee Dunn",
            "eve": "Eve Evans",
            "sue": "Sue Stand-in",
            "oscar": "Oscar Other",
        }[key]


def build_scene(db: Database, *, status: MeetingStatus = MeetingStatus.HELD) -> Scene:
    agencies = {
        key: save_agency(db, AgencyInput(name=name, counts_for_quorum=key != "unit"))
        for key, name in (
            ("police", "Test Police"),
            ("health", "Test Health"),
            ("council", "Test Council"),
            ("unit", "Test Business Unit"),
        )
    }
    group = save_group(db, GroupInput(name="Test Panel", quorum_agencies=2))
    people = {
        "sue": save_person(db, PersonInput(name="Sue Stand-in", agency_id=agencies["police"])),
        "oscar": save_person(db, PersonInput(name="Oscar Other", agency_id=agencies["health"])),
    }
    start = dt.date(2026, 4, 1)
    for key, name, agency, role, substitute in (
        ("ann", "Ann Able", "police", Role.MEMBER, people["sue"]),
        ("bob", "Bob Baker", "health", Role.MEMBER, None),
        ("cat", "Cat Cole", "council", Role.MEMBER, None),
        ("dee", "Dee Dunn", "unit", Role.MEMBER, None),
        ("eve", "Eve Evans", "police", Role.ADVISER, None),
    ):
        membership = add_member(
            db,
            group,
            MembershipInput(role=role, start_date=start, substitute_id=substitute),
            person=PersonInput(name=name, agency_id=agencies[agency]),
        )
        people[key] = member_form(db, membership).person_id
    meeting = save_meeting(
        db,
        MeetingInput(
            group_id=group,
            starts_at=dt.datetime(2026, 11, 18, 10, 0),
            ends_at=dt.datetime(2026, 11, 18, 12, 0),
            status=status,
        ),
    )
    for title in ("Welcome", "Neglect strategy", "Budget"):
        save_item(db, meeting, ItemInput(title=title, minutes=30))
    items = [row.id for row in agenda_rows(db, meeting)]
    return Scene(db, group, meeting, agencies, people, items)


def while_open(do: Callable[[QWidget], object]) -> list[str]:
    """Runs ``do(dialog)`` on the next modal dialog once it is open (the real ``exec``, as a
    user meets it); afterwards any dialog still open is closed, so a test never hangs. Returns
    what went wrong inside, for the test to assert is nothing."""
    problems: list[str] = []
    tries = [0]

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        tries[0] += 1
        if dialog is None or (QApplication.activeWindow() is not dialog and tries[0] < 300):
            # Not open yet, or not yet the window the keyboard types into, as a user finds it.
            if dialog is not None:
                dialog.activateWindow()
            QTimer.singleShot(10, act)
            return
        try:
            do(dialog)
        except Exception as exc:
            problems.append(repr(exc))
        finally:
            QTimer.singleShot(0, close_all)

    def close_all() -> None:
        for _ in range(5):
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                return
            dialog.close()

    QTimer.singleShot(0, act)
    return problems
