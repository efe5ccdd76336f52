"""The attendance sheets of the workbook: what was true on the day goes out and comes back, and
the import refuses, naming sheet, row and column, what the window would refuse or ask about."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from lscb_desktop.models import (
    Agency,
    Attendance,
    AttendanceStatus,
    Declaration,
    DeclarationAction,
    Group,
    Guest,
    Meeting,
    Membership,
)
from lscb_desktop.services.attendance_recording import (
    confirm_attendance,
    record_attendance,
    record_details,
)
from lscb_desktop.services.declarations import DeclarationInput, add_declaration
from lscb_desktop.services.guests import add_guest
from lscb_desktop.services.people import person_input, save_person
from lscb_desktop.services.settings import load_settings
from lscb_desktop.services.workbook import ImportFailed, export_workbook, import_workbook
from lscb_desktop.store import Database, open_database
from tests.services.workbook.book import column, digest, exported
from tests.services.workbook.room import GROUP, Room, make_book, make_room

P, A, S, X = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.SUBSTITUTE,
    AttendanceStatus.ABSENT,
)
ATTENDANCE = ["Group", "Meeting date", "Name", "Status"]


@pytest.fixture
def room(empty_db: Database) -> Room:
    return make_room(empty_db)


@pytest.fixture
def room_file(tmp_path: Path) -> Iterator[Room]:
    """The room in a file of its own, to export into ``empty_db`` (a server database on a
    server run)."""
    database = open_database(tmp_path / "room.sqlite")
    try:
        yield make_room(database)
    finally:
        database.dispose()


def refused(database: Database, path: Path) -> list[str]:
    """The problems, as the user reads them; the database must be unchanged."""
    before = digest(database)
    with pytest.raises(ImportFailed) as failed:
        import_workbook(database, path)
    assert digest(database) == before
    return [str(p) for p in failed.value.problems]


def attendance_book(tmp_path: Path, header: list[str], *rows: list[object]) -> Path:
    return make_book(tmp_path / "attendance.xlsx", {"Attendance": [header, *rows]})


def record(room: Room, meeting: str, who: str, status: AttendanceStatus, **kw: object) -> None:
    record_attendance(room.db, room.meeting[meeting], room.person[who], status, **kw)


def attendance_of(room: Room, meeting: str, who: str) -> Attendance:
    with room.db.session() as session:
        found = session.scalars(
            select(Attendance).where(
                Attendance.meeting_id == room.meeting[meeting],
                Attendance.person_id == room.person[who],
            )
        ).one()
        session.expunge(found)
        return found


# -- details: reasons and times ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        pytest.param(
            {"Status": "Present", "Reason": "Illness"},
            "Attendance, row 2, Reason: a reason is for apologies or an absence, not present; "
            "clear it or change the Status",
            id="a reason for someone present",
        ),
        pytest.param(
            {"Status": "Substitute", "Substitute": "A deputy", "Reason": "Illness"},
            "Attendance, row 2, Reason: a reason is for apologies or an absence, not substitute; "
            "clear it or change the Status",
            id="a reason for a substitute",
        ),
        pytest.param(
            {"Status": "Apologies", "Reason": "x" * 121},
            "Attendance, row 2, Reason: holds 121 characters; at most 120 are kept here",
            id="a reason too long",
        ),
        pytest.param(
            {"Status": "Apologies", "Arrived": "10:20"},
            "Attendance, row 2, Arrived: arrival and departure times are for someone who was "
            "there (Present, or a Substitute), not for apologies",
            id="arrival of someone who sent apologies",
        ),
        pytest.param(
            {"Status": "Absent", "Left": "11:00"},
            "Attendance, row 2, Left: arrival and departure times are for someone who was "
            "there (Present, or a Substitute), not for absent",
            id="departure of someone absent",
        ),
        pytest.param(
            {"Status": "Present", "Arrived": "11:00", "Left": "10:30"},
            "Attendance, row 2, Left: they left (10:30) before they arrived (11:00)",
            id="left before arriving",
        ),
    ],
)
def test_details_the_window_refuses_are_refused(room, tmp_path, cells, expected):
    header = [*ATTENDANCE, *(h for h in cells if h != "Status")]
    row = [GROUP, "11/09/2025", "Ann", *cells.values()]
    assert refused(room.db, attendance_book(tmp_path, header, row)) == [expected]


def test_reasons_and_times_come_in(room, tmp_path):
    path = attendance_book(
        tmp_path,
        [*ATTENDANCE, "Reason", "Arrived", "Left"],
        [GROUP, "11/09/2025", "Ann", "Apologies", "Bereavement", None, None],
        [GROUP, "11/09/2025", "Bob", "Present", None, "10:20", "11:45"],
        [GROUP, "11/09/2025", "Cat", "Present", None, dt.time(10, 5), None],
    )
    assert import_workbook(room.db, path).created == {"Attendance": 3}
    assert attendance_of(room, "sept", "Ann").reason == "Bereavement"
    bob = attendance_of(room, "sept", "Bob")
    assert (bob.arrived_at, bob.left_at) == (dt.time(10, 20), dt.time(11, 45))
    assert attendance_of(room, "sept", "Cat").arrived_at == dt.time(10, 5)


def test_a_new_status_clears_a_reason_or_times_left_out_of_the_sheet(room, tmp_path):
    """As in the window: a status that takes no reason (or times) clears them."""
    record(room, "sept", "Ann", A)
    record_details(room.db, room.meeting["sept"], room.person["Ann"], reason="Illness")
    record(room, "sept", "Bob", P)
    record_details(room.db, room.meeting["sept"], room.person["Bob"], arrived_at=dt.time(11))
    path = attendance_book(
        tmp_path,
        ATTENDANCE,
        [GROUP, "11/09/2025", "Ann", "Present"],
        [GROUP, "11/09/2025", "Bob", "Apologies"],
    )
    assert import_workbook(room.db, path).updated == {"Attendance": 2}
    assert attendance_of(room, "sept", "Ann").reason == ""
    assert attendance_of(room, "sept", "Bob").arrived_at is None


# -- what was true on the day --------------------------------------------------------------------


def move_ann_to_the_council(room: Room, on: dt.date = dt.date(2025, 8, 1)) -> None:
    ann = person_input(room.db, room.person["Ann"])
    save_person(
        room.db,
        dataclasses.replace(ann, agency_id=room.agency["Council"], moved_on=on),
        room.person["Ann"],
    )


def test_a_new_row_takes_the_agency_role_and_seat_of_the_membership_on_the_day(room, tmp_path):
    move_ann_to_the_council(room)
    path = attendance_book(
        tmp_path,
        [*ATTENDANCE, "Agency on the day", "Role on the day", "Seat"],
        [GROUP, "12/06/2025", "Ann", "Present", None, None, None],
        [GROUP, "11/09/2025", "Ann", "Present", "", "", ""],
        [GROUP, "11/09/2025", "Bob", "Present", "Council", "Adviser", "Standing in"],
    )
    assert import_workbook(room.db, path).created == {"Attendance": 3}
    with room.db.session() as session:
        june, sept = session.scalars(
            select(Attendance)
            .join(Meeting)
            .where(Attendance.person_id == room.person["Ann"])
            .order_by(Meeting.starts_at)
        ).all()
        assert june.agency.name == "Police"  # before the move
        assert sept.agency.name == "Council"
        assert (sept.role.label, sept.seat) == ("Member", "Ann's seat")
        bob = session.scalars(
            select(Attendance).where(
                Attendance.person_id == room.person["Bob"],
                Attendance.meeting_id == room.meeting["sept"],
            )
        ).one()
        assert (bob.agency.name, bob.role.label, bob.seat) == ("Council", "Adviser", "Standing in")


def test_blank_cells_leave_what_was_recorded_on_the_day(room, tmp_path):
    record(room, "june", "Ann", P)
    move_ann_to_the_council(room, on=dt.date(2025, 6, 1))  # after June was recorded
    path = attendance_book(
        tmp_path,
        [*ATTENDANCE, "Agency on the day", "Role on the day", "Seat", "Notes"],
        [GROUP, "12/06/2025", "Ann", "Present", None, None, None, "Came by train"],
    )
    assert import_workbook(room.db, path).updated == {"Attendance": 1}
    june = attendance_of(room, "june", "Ann")
    assert june.notes == "Came by train"
    assert june.agency_id == room.agency["Council"]  # what the move made of it, left alone
    assert june.seat == "Ann's seat"


def test_an_unknown_agency_on_the_day_is_named(room, tmp_path):
    path = attendance_book(
        tmp_path,
        [*ATTENDANCE, "Agency on the day"],
        [GROUP, "11/09/2025", "Ann", "Present", "Fire Service"],
    )
    assert refused(room.db, path) == [
        "Attendance, row 2, Agency on the day: unknown agency “Fire Service” (add it on the "
        "Agencies sheet)"
    ]


def test_a_member_who_moved_agency_round_trips_without_a_clash(room_file, empty_db, tmp_path):
    room = room_file
    record(room, "june", "Ann", P)
    move_ann_to_the_council(room)
    record(room, "sept", "Ann", P)
    first = exported(room.db, tmp_path / "first.xlsx")
    members = first["Memberships"]
    ann = [r for r in members[1:] if r[members[0].index("Name")] == "Ann"]
    assert [(r[members[0].index("Agency")], r[members[0].index("Represents")]) for r in ann] == [
        ("Council", "Police"),
        ("Council", "Council"),
    ]
    assert column(first["Attendance"], "Agency on the day") == ["Police", "Council"]
    before = digest(room.db)
    again = import_workbook(room.db, tmp_path / "first.xlsx")
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert digest(room.db) == before
    result = import_workbook(empty_db, tmp_path / "first.xlsx")
    assert result.created["Memberships"] == 4
    assert exported(empty_db, tmp_path / "second.xlsx") == first


# -- substitutes ---------------------------------------------------------------------------------


SUBSTITUTE = [*ATTENDANCE, "Substitute", "Substitute email"]


def test_a_substitute_from_another_agency_is_refused(room, tmp_path):
    path = attendance_book(
        tmp_path, SUBSTITUTE, [GROUP, "11/09/2025", "Ann", "Substitute", "Hal", None]
    )
    assert refused(room.db, path) == [
        "Attendance, row 2, Substitute: Hal is from Health, not Police: a substitute represents "
        "the member's agency; record them only if that is right, in the window"
    ]


def test_a_substitute_named_by_email_is_checked_too(room, tmp_path):
    path = attendance_book(
        tmp_path,
        [*ATTENDANCE, "Substitute email"],
        [GROUP, "11/09/2025", "Ann", "Substitute", "hal@health.example.org"],
    )
    assert refused(room.db, path) == [
        "Attendance, row 2, Substitute email: Hal is from Health, not Police: a substitute "
        "represents the member's agency; record them only if that is right, in the window"
    ]


def test_a_substitute_on_the_list_in_their_own_right_is_refused(room, tmp_path):
    path = attendance_book(
        tmp_path, SUBSTITUTE, [GROUP, "11/09/2025", "Ann", "Substitute", "Bob", None]
    )
    assert refused(room.db, path) == [
        "Attendance, row 2, Substitute: Bob is on this meeting's list in their own right, so "
        "they cannot also attend as someone's substitute."
    ]


def test_a_member_cannot_substitute_for_themselves(room, tmp_path):
    path = attendance_book(
        tmp_path, SUBSTITUTE, [GROUP, "11/09/2025", "Ann", "Substitute", "Ann", None]
    )
    assert refused(room.db, path) == [
        "Attendance, row 2, Substitute: A member cannot substitute for themselves."
    ]


def test_someone_else_s_substitute_at_the_meeting_is_refused(room, tmp_path):
    record(room, "sept", "Ann", S, substitute_id=room.person["Sue"])
    path = attendance_book(
        tmp_path,
        SUBSTITUTE,
        [GROUP, "11/09/2025", "Cat", "Substitute", None, "sue@police.example.org"],
    )
    assert refused(room.db, path) == [
        "Attendance, row 2, Substitute: Sue is already recorded as the substitute for Ann at "
        "this meeting."
    ]


def test_one_substitute_for_two_members_in_one_sheet_is_refused(room, tmp_path):
    path = attendance_book(
        tmp_path,
        SUBSTITUTE,
        [GROUP, "11/09/2025", "Ann", "Substitute", "Sue", None],
        [GROUP, "11/09/2025", "Bob", "Substitute", "Sue", None],
    )
    assert refused(room.db, path) == [
        "Attendance, row 3, Substitute: Sue is already recorded as the substitute for Ann at "
        "this meeting."
    ]


def test_a_substitute_freed_later_in_the_sheet_may_stand_in_for_another(room, tmp_path):
    record(room, "sept", "Ann", S, substitute_id=room.person["Sue"])
    path = attendance_book(
        tmp_path,
        SUBSTITUTE,
        [GROUP, "11/09/2025", "Bob", "Apologies", None, None],
        [GROUP, "11/09/2025", "Cat", "Substitute", "Sue", None],
        [GROUP, "11/09/2025", "Ann", "Present", None, None],
    )
    problems = refused(room.db, path)
    assert problems == [
        "Attendance, row 3, Substitute: Sue is from Police, not Council: a substitute "
        "represents the member's agency; record them only if that is right, in the window"
    ]  # not "already the substitute for Ann": Ann's row gives her up


def test_a_substitute_from_the_members_agency_or_typed_comes_in(room, tmp_path):
    path = attendance_book(
        tmp_path,
        SUBSTITUTE,
        [GROUP, "11/09/2025", "Ann", "Substitute", "Sue", None],
        [GROUP, "11/09/2025", "Bob", "Substitute", "Deputy for Bob (Health)", None],
    )
    assert import_workbook(room.db, path).created == {"Attendance": 2}
    assert attendance_of(room, "sept", "Ann").substitute_id == room.person["Sue"]
    assert attendance_of(room, "sept", "Bob").substitute_name == "Deputy for Bob (Health)"


def test_a_substitute_the_window_was_told_was_right_stays_on_reimport(room, tmp_path):
    record(room, "sept", "Ann", S, substitute_id=room.person["Hal"], other_agency_ok=True)
    path = tmp_path / "out.xlsx"
    export_workbook(room.db, path)
    before = digest(room.db)
    result = import_workbook(room.db, path)
    assert sum(result.updated.values()) == 0
    assert digest(room.db) == before


# -- attendance confirmed with the minutes -------------------------------------------------------


@pytest.fixture
def confirmed(room: Room) -> Room:
    """June recorded in full and confirmed with the minutes on 11/09/2025."""
    for name in ("Ann", "Bob", "Cat"):
        record(room, "june", name, P)
    confirm_attendance(room.db, room.meeting["june"], dt.date(2025, 9, 11))
    return room


def lock(who: str = "") -> str:
    by = f" by {who}" if who else ""
    return (
        f"the attendance at {GROUP} on 12/06/2025 was confirmed with the minutes on "
        f"11/09/2025{by}, so the import does not change it: unconfirm it in the window first "
        "(Attendance tab), then import again"
    )


def confirmer(room: Room) -> str:
    with room.db.session() as session:
        return session.get_one(Meeting, room.meeting["june"]).attendance_confirmed_by


def test_a_change_to_confirmed_attendance_is_refused(confirmed, tmp_path):
    path = attendance_book(
        tmp_path,
        [*ATTENDANCE, "Notes"],
        [GROUP, "12/06/2025", "Ann", "Present", None],
        [GROUP, "12/06/2025", "Bob", "Apologies", None],
        [GROUP, "12/06/2025", "Cat", "Present", "Left at the break"],
    )
    who = confirmer(confirmed)
    assert refused(confirmed.db, path) == [
        f"Attendance, row 3, Status: {lock(who)}",
        f"Attendance, row 4, Notes: {lock(who)}",
    ]


def test_a_guest_or_declaration_at_a_confirmed_meeting_is_refused(confirmed, tmp_path):
    path = make_book(
        tmp_path / "book.xlsx",
        {
            "Guests": [["Group", "Meeting date", "Name"], [GROUP, "12/06/2025", "Dean Kirby"]],
            "Declarations": [
                ["Group", "Meeting date", "Item", "Name", "Interest"],
                [GROUP, "12/06/2025", 3, "Bob", "I chair the provider's board"],
            ],
        },
    )
    who = confirmer(confirmed)
    assert refused(confirmed.db, path) == [
        f"Guests, row 2, Name: {lock(who)}",
        f"Declarations, row 2, Interest: {lock(who)}",
    ]


def test_unchanged_rows_of_a_confirmed_meeting_import_as_they_are(confirmed, tmp_path):
    add_guest(
        confirmed.db,
        confirmed.meeting["june"],
        "Dean Kirby",
        job_title="Head of Service",
        item_ids=[confirmed.item[("june", 3)]],
        after_confirmation=True,
    )
    path = tmp_path / "out.xlsx"
    export_workbook(confirmed.db, path)
    before = digest(confirmed.db)
    result = import_workbook(confirmed.db, path)
    assert sum(result.created.values()) == sum(result.updated.values()) == 0
    assert digest(confirmed.db) == before


def test_a_meeting_the_import_confirms_takes_its_attendance_in_the_same_import(room, tmp_path):
    path = make_book(
        tmp_path / "book.xlsx",
        {
            "Meetings": [
                ["Group", "Date", "Attendance confirmed", "Confirmed by"],
                [GROUP, "11/09/2025", "13/11/2025", "the minutes clerk"],
            ],
            "Attendance": [
                ATTENDANCE,
                *([GROUP, "11/09/2025", name, "Present"] for name in ("Ann", "Bob", "Cat")),
            ],
            "Guests": [["Group", "Meeting date", "Name"], [GROUP, "11/09/2025", "Dean Kirby"]],
        },
    )
    result = import_workbook(room.db, path)
    assert result.created == {"Attendance": 3, "Guests": 1}
    with room.db.session() as session:
        sept = session.get_one(Meeting, room.meeting["sept"])
        assert sept.attendance_confirmed_on == dt.date(2025, 11, 13)
        assert sept.attendance_confirmed_by == "the minutes clerk"
    # ... and is locked for the next one.
    again = attendance_book(tmp_path, ATTENDANCE, [GROUP, "11/09/2025", "Ann", "Apologies"])
    assert refused(room.db, again)[0].startswith(
        f"Attendance, row 2, Status: the attendance at {GROUP} on 11/09/2025 was confirmed"
    )


def test_confirmation_before_the_meeting_or_without_a_date_is_refused(room, tmp_path):
    path = make_book(
        tmp_path / "book.xlsx",
        {
            "Meetings": [
                ["Group", "Date", "Attendance confirmed", "Confirmed by"],
                [GROUP, "11/09/2025", "10/09/2025", None],
                [GROUP, "12/06/2025", None, "the minutes clerk"],
            ]
        },
    )
    assert refused(room.db, path) == [
        "Meetings, row 2, Attendance confirmed: the minutes cannot be approved before the "
        "meeting (11/09/2025)",
        "Meetings, row 3, Confirmed by: say when the attendance was confirmed (Attendance "
        "confirmed), or clear this cell",
    ]


# -- guests for items and declarations -----------------------------------------------------------


GUESTS = ["Group", "Meeting date", "Name", "Job title", "For items"]


def test_a_guest_in_attendance_for_items(room, tmp_path):
    path = make_book(
        tmp_path / "book.xlsx",
        {
            "Guests": [
                GUESTS,
                [GROUP, "11/09/2025", "Dean Kirby", "Head of Service, YOS", "3; 2"],
                [GROUP, "11/09/2025", "Ruth Adeyemi", None, 3],
                [GROUP, "11/09/2025", "Tom Whitfield", None, None],
            ]
        },
    )
    assert import_workbook(room.db, path).created == {"Guests": 3}
    with room.db.session() as session:
        guests = {
            g.name: (g.job_title, [i.position for i in g.items])
            for g in session.scalars(select(Guest))
        }
    assert guests == {
        "Dean Kirby": ("Head of Service, YOS", [2, 3]),
        "Ruth Adeyemi": ("", [3]),
        "Tom Whitfield": ("", []),
    }
    book = exported(room.db, tmp_path / "out.xlsx")
    assert column(book["Guests"], "For items") == ["2; 3", "3", None]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ("4", "the meeting has no item 4 (see the Agenda items sheet)"),
        ("2; 9", "the meeting has no item 9 (see the Agenda items sheet)"),
        ("two", "“two” is not an item number (write them like 4; 5)"),
        (2.5, "“2.5” is not an item number (write them like 4; 5)"),
    ],
)
def test_an_item_the_meeting_does_not_have_is_named(room, tmp_path, items, expected):
    path = make_book(
        tmp_path / "book.xlsx",
        {"Guests": [GUESTS, [GROUP, "11/09/2025", "Dean Kirby", None, items]]},
    )
    assert refused(room.db, path) == [f"Guests, row 2, For items: {expected}"]


DECLARATIONS = ["Group", "Meeting date", "Item", "Name", "Email", "Interest", "Action"]


def test_declarations_come_in_for_an_item_or_the_whole_meeting(room, tmp_path):
    path = make_book(
        tmp_path / "book.xlsx",
        {
            "Declarations": [
                DECLARATIONS,
                [GROUP, "11/09/2025", 3, "Bob", None, "I chair the provider", "Left the room"],
                [GROUP, "11/09/2025", None, None, "cat@council.example.org", "A relative", None],
            ]
        },
    )
    assert import_workbook(room.db, path).created == {"Declarations": 2}
    with room.db.session() as session:
        found = {
            d.person.name: (d.agenda_item.position if d.agenda_item else None, d.action)
            for d in session.scalars(select(Declaration))
        }
    assert found == {
        "Bob": (3, DeclarationAction.LEFT_ROOM),
        "Cat": (None, DeclarationAction.STAYED),
    }
    again = import_workbook(room.db, path)
    assert sum(again.created.values()) == sum(again.updated.values()) == 0


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            [GROUP, "11/09/2025", 9, "Bob", None, "An interest", None],
            "Declarations, row 2, Item: the meeting has no item 9 (see the Agenda items sheet)",
        ),
        (
            [GROUP, "11/09/2025", 1, "Bob", None, None, None],
            "Declarations, row 2, Interest: is required",
        ),
        (
            [GROUP, "11/09/2025", 1, "Bob", None, "An interest", "Went home"],
            "Declarations, row 2, Action: “Went home” is not one of: Left the room, Took no part, "
            "Stayed and took part",
        ),
        (
            [GROUP, "11/09/2025", 1, None, None, "An interest", None],
            "Declarations, row 2, Name: say who declared the interest: a name or an email",
        ),
        (
            [GROUP, "11/09/2025", 1, "Zed", None, "An interest", None],
            "Declarations, row 2, Name: unknown person “Zed” (add them on the People sheet)",
        ),
    ],
)
def test_a_bad_declaration_is_named(room, tmp_path, row, expected):
    path = make_book(tmp_path / "book.xlsx", {"Declarations": [DECLARATIONS, row]})
    assert refused(room.db, path) == [expected]


def test_two_declarations_alike_without_uuids_are_a_clash(room, tmp_path):
    row = [GROUP, "11/09/2025", 3, "Bob", None, "I chair the provider", None]
    path = make_book(tmp_path / "book.xlsx", {"Declarations": [DECLARATIONS, row, row]})
    assert refused(room.db, path) == [
        "Declarations, row 3, Name: Bob's declaration for item 3 is also on row 2: two rows "
        "cannot be one record (give each row its UUID, or remove one)"
    ]


# -- agencies, groups, memberships and settings --------------------------------------------------


def test_counts_for_quorum_blank_keeps_and_new_agencies_count(room, tmp_path):
    path = make_book(
        tmp_path / "book.xlsx",
        {
            "Agencies": [
                ["Name", "Counts for quorum"],
                ["Business Unit", None],
                ["Police", "No"],
                ["Fire Service", None],
                ["Lay members", False],
            ]
        },
    )
    result = import_workbook(room.db, path)
    assert result.created == {"Agencies": 2}
    with room.db.session() as session:
        counts = {a.name: a.counts_for_quorum for a in session.scalars(select(Agency))}
    assert counts == {
        "Police": False,
        "Health": True,
        "Council": True,
        "Business Unit": False,
        "Fire Service": True,
        "Lay members": False,
    }


def test_quorum_partners(room, tmp_path):
    def partners_after(cell: object) -> list[str]:
        path = make_book(
            tmp_path / "book.xlsx", {"Groups": [["Name", "Quorum partners"], [GROUP, cell]]}
        )
        import_workbook(room.db, path)
        with room.db.session() as session:
            group = session.get_one(Group, room.group)
            return [a.name for a in group.quorum_partners]

    assert partners_after("Police; council") == ["Council", "Police"]
    book = exported(room.db, tmp_path / "out.xlsx")
    assert column(book["Groups"], "Quorum partners") == ["Council; Police"]
    assert partners_after(None) == []


def test_an_unknown_quorum_partner_is_named(room, tmp_path):
    path = make_book(
        tmp_path / "book.xlsx",
        {"Groups": [["Name", "Quorum partners"], [GROUP, "Police; Fire Service"]]},
    )
    assert refused(room.db, path) == [
        "Groups, row 2, Quorum partners: unknown agency “Fire Service” (add it on the Agencies "
        "sheet)"
    ]


def test_represents_blank_is_the_persons_agency_for_a_new_membership_and_kept_on_one(
    room, tmp_path
):
    move_ann_to_the_council(room)
    path = make_book(
        tmp_path / "book.xlsx",
        {
            "Memberships": [
                ["Group", "Name", "Email", "Represents", "Start date", "Notes"],
                [GROUP, None, "ann@police.example.org", None, "01/04/2025", "Police years"],
                [GROUP, "Sue", None, None, "01/10/2025", None],
                [GROUP, "Hal", None, "Council", "01/10/2025", None],
            ]
        },
    )
    result = import_workbook(room.db, path)
    assert (result.created, result.updated) == ({"Memberships": 2}, {"Memberships": 1})
    with room.db.session() as session:
        seats = {
            (m.person.name, m.start_date): m.agency.name
            for m in session.scalars(select(Membership))
        }
    assert seats[("Ann", dt.date(2025, 4, 1))] == "Police"  # before the move, kept
    assert seats[("Ann", dt.date(2025, 8, 1))] == "Council"
    assert seats[("Sue", dt.date(2025, 10, 1))] == "Police"
    assert seats[("Hal", dt.date(2025, 10, 1))] == "Council"


def test_a_yes_no_setting_takes_excels_true_and_false(room, tmp_path):
    path = make_book(
        tmp_path / "book.xlsx",
        {
            "Settings": [
                ["Setting", "Value"],
                ["show_percentages", False],
                ["lay_members_count_for_quorum", True],
            ]
        },
    )
    assert import_workbook(room.db, path).updated == {"Settings": 2}
    settings = load_settings(room.db)
    assert (settings.show_percentages, settings.lay_members_count_for_quorum) == (False, True)
    book = exported(room.db, tmp_path / "out.xlsx")
    values = dict(row[:2] for row in book["Settings"][1:])
    assert (values["show_percentages"], values["lay_members_count_for_quorum"]) == ("no", "yes")


def test_true_where_a_text_setting_belongs_is_still_refused(room, tmp_path):
    path = make_book(
        tmp_path / "book.xlsx", {"Settings": [["Setting", "Value"], ["organisation_name", True]]}
    )
    assert refused(room.db, path) == [
        "Settings, row 2, Value: holds TRUE (a Yes/No value) where text belongs"
    ]


# -- the whole room out, in and out again --------------------------------------------------------


def fill_the_room(room: Room) -> None:
    """One record of each new kind: a move, a reason, times, a substitute, confirmed attendance,
    a guest for items, declarations and a quorum partner."""
    record(room, "june", "Ann", P)
    record(room, "june", "Bob", A)
    record_details(room.db, room.meeting["june"], room.person["Bob"], reason="Illness")
    record(room, "june", "Cat", P)
    record_details(
        room.db,
        room.meeting["june"],
        room.person["Cat"],
        arrived_at=dt.time(10, 20),
        left_at=dt.time(11, 30),
    )
    add_guest(
        room.db,
        room.meeting["june"],
        "Dean Kirby",
        "Luton Borough Council",
        job_title="Head of Service, YOS",
        item_ids=[room.item[("june", 2)], room.item[("june", 3)]],
    )
    add_declaration(
        room.db,
        room.meeting["june"],
        DeclarationInput(
            room.person["Bob"],
            "I chair the provider's board",
            DeclarationAction.TOOK_NO_PART,
            agenda_item_id=room.item[("june", 3)],
        ),
    )
    add_declaration(
        room.db, room.meeting["june"], DeclarationInput(room.person["Cat"], "A relative")
    )
    confirm_attendance(room.db, room.meeting["june"], dt.date(2025, 9, 11))
    move_ann_to_the_council(room)
    record(room, "sept", "Ann", P)
    record(room, "sept", "Bob", S, substitute_id=room.person["Hal"])
    with room.db.session() as session:
        group = session.get_one(Group, room.group)
        group.quorum_partners = [session.get_one(Agency, room.agency["Police"])]


def test_the_room_out_in_and_out_again(room_file, empty_db, tmp_path):
    room = room_file
    fill_the_room(room)
    first = exported(room.db, tmp_path / "first.xlsx")
    import_workbook(empty_db, tmp_path / "first.xlsx")
    assert exported(empty_db, tmp_path / "second.xlsx") == first
    rows = first["Attendance"]
    assert column(rows, "Agency on the day") == ["Police", "Health", "Council", "Council", "Health"]
    assert column(rows, "Reason") == [None, "Illness", None, None, None]
    assert [t and t.strftime("%H:%M") for t in column(rows, "Arrived")] == [
        None,
        None,
        "10:20",
        None,
        None,
    ]
    assert column(rows, "Substitute") == [None, None, None, None, "Hal"]
    assert column(first["Declarations"], "Action") == ["Stayed and took part", "Took no part"]
    assert column(first["Declarations"], "Item") == [None, 3]
    assert column(first["Guests"], "For items") == ["2; 3"]
    assert column(first["Groups"], "Quorum partners") == ["Police"]
    confirmed = column(first["Meetings"], "Attendance confirmed")
    assert [c and c.date() for c in confirmed] == [dt.date(2025, 9, 11), None, None]
