"""Attendance you can defend: what was true on the day stays true, quorum counts only who makes
a meeting quorate, substitutes make sense, and recording is complete or says it is not."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import select

from lscb_desktop.models import (
    Agency,
    Attendance,
    AttendanceStatus,
    ChangeLogEntry,
    DeclarationAction,
    Group,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    Role,
)
from lscb_desktop.services.agencies import AgencyInput, save_agency
from lscb_desktop.services.agenda import ItemInput, save_item
from lscb_desktop.services.attendance import item_quorums, meeting_sheet
from lscb_desktop.services.attendance_figures import attendance_figures, attendance_grids
from lscb_desktop.services.attendance_recording import (
    confirm_attendance,
    mark_all_present,
    record_attendance,
    record_details,
    unconfirm_attendance,
)
from lscb_desktop.services.declarations import (
    DeclarationInput,
    add_declaration,
    register_of_interests,
    remove_declaration,
)
from lscb_desktop.services.groups import GroupInput, save_group
from lscb_desktop.services.guests import add_guest
from lscb_desktop.services.meetings import MeetingInput, save_meeting
from lscb_desktop.services.members import MembershipInput, add_member, member_form
from lscb_desktop.services.people import PersonInput, person_input, save_person
from lscb_desktop.services.periods import parse_period
from lscb_desktop.services.settings import load_settings, save_settings
from lscb_desktop.services.validation import InvalidInput, NeedsConfirmation

P, A, S, X = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.SUBSTITUTE,
    AttendanceStatus.ABSENT,
)
LAST_YEAR = parse_period("2025-26")


@dataclasses.dataclass
class Room:
    db: object
    group: int
    agency: dict[str, int]
    person: dict[str, int]
    meeting: dict[str, int]

    def record(self, meeting: str, who: str, status: AttendanceStatus | None, **kw: object):
        record_attendance(self.db, self.meeting[meeting], self.person[who], status, **kw)

    def sheet(self, meeting: str):
        return meeting_sheet(self.db, self.meeting[meeting])


@pytest.fixture
def room(empty_db) -> Room:
    """A group (quorum: 2 agencies) from 01/04/2025: Ann (Police), Bob (Health), Cat (Council),
    Ben the business manager (the Business Unit, which does not count), Ada an adviser
    (Health), Lee a lay member (Lay members); Sue (Police) and Hal (Health) are on file, not
    members. Meetings on 12/06/2025 and 11/09/2025 (held) and 10/11/2026 (held, not recorded)."""
    db = empty_db
    agency = {
        name: save_agency(db, AgencyInput(name=name))
        for name in ("Police", "Health", "Council", "Business Unit", "Lay members")
    }
    with db.session() as session:
        session.get_one(Agency, agency["Business Unit"]).counts_for_quorum = False
    group = save_group(db, GroupInput(name="Test Group", quorum_agencies=2))
    person: dict[str, int] = {}
    for name, where, role in (
        ("Ann", "Police", Role.MEMBER),
        ("Bob", "Health", Role.MEMBER),
        ("Cat", "Council", Role.CHAIR),
        ("Ben", "Business Unit", Role.BUSINESS_MANAGER),
        ("Ada", "Health", Role.ADVISER),
        ("Lee", "Lay members", Role.LAY_MEMBER),
    ):
        membership = add_member(
            db,
            group,
            MembershipInput(role=role, start_date=dt.date(2025, 4, 1), position=f"{name}'s seat"),
            person=PersonInput(name=name, agency_id=agency[where]),
        )
        person[name] = member_form(db, membership).person_id
    person["Sue"] = save_person(db, PersonInput(name="Sue", agency_id=agency["Police"]))
    person["Hal"] = save_person(db, PersonInput(name="Hal", agency_id=agency["Health"]))
    meeting = {
        key: save_meeting(
            db,
            MeetingInput(
                group_id=group,
                starts_at=dt.datetime.combine(day, dt.time(10)),
                ends_at=dt.datetime.combine(day, dt.time(12)),
                status=MeetingStatus.HELD,
            ),
        )
        for key, day in (
            ("june", dt.date(2025, 6, 12)),
            ("sept", dt.date(2025, 9, 11)),
            ("nov", dt.date(2026, 11, 10)),
        )
    }
    return Room(db, group, agency, person, meeting)


def everyone(room: Room, meeting: str, status: AttendanceStatus = P) -> None:
    for name in ("Ann", "Bob", "Cat", "Ben", "Ada", "Lee"):
        room.record(meeting, name, status)


# -- what was true on the day --------------------------------------------------------------------


def test_a_member_who_moves_agency_leaves_last_years_figures_as_they_were(room):
    everyone(room, "june")
    everyone(room, "sept")
    room.record("sept", "Ann", A)
    before = attendance_figures(room.db, LAST_YEAR, room.group)
    grids = attendance_grids(room.db, LAST_YEAR)
    ann = person_input(room.db, room.person["Ann"])
    save_person(
        room.db,
        dataclasses.replace(ann, agency_id=room.agency["Council"], moved_on=dt.date(2026, 10, 1)),
        room.person["Ann"],
    )
    assert attendance_figures(room.db, LAST_YEAR, room.group) == before
    assert attendance_grids(room.db, LAST_YEAR) == grids
    police = next(r for r in before.agencies if r.agency == "Police")
    assert (police.meetings, police.represented) == (2, 1)
    # Her seat is ended the day before the move and continued for the Council from it.
    with room.db.session() as session:
        spells = session.scalars(
            select(Membership)
            .where(Membership.person_id == room.person["Ann"])
            .order_by(Membership.start_date)
        ).all()
        assert [(m.agency.name, m.start_date, m.end_date) for m in spells] == [
            ("Police", dt.date(2025, 4, 1), dt.date(2026, 9, 30)),
            ("Council", dt.date(2026, 10, 1), None),
        ]
        assert spells[1].position == "Ann's seat" and spells[1].role is Role.MEMBER
    # From the move she represents the Council.
    room.record("nov", "Ann", P)
    ann_now = next(r for r in room.sheet("nov").attendees if r.name == "Ann")
    assert ann_now.agency == "Council"


def test_an_attendance_row_keeps_the_agency_and_seat_it_was_recorded_with(room):
    room.record("june", "Bob", P)
    with room.db.session() as session:  # someone edits the records behind the program's back
        bob = session.get_one(Person, room.person["Bob"])
        bob.agency_id = room.agency["Council"]
        for membership in bob.memberships:
            membership.agency_id = room.agency["Council"]
            membership.position = "Another seat"
    bob_row = next(r for r in room.sheet("june").attendees if r.name == "Bob")
    assert (bob_row.agency, bob_row.seat) == ("Health", "Bob's seat")
    with room.db.session() as session:
        record = session.scalar(
            select(Attendance).where(Attendance.person_id == room.person["Bob"])
        )
        assert (record.agency.name, record.role, record.seat) == (
            "Health",
            Role.MEMBER,
            "Bob's seat",
        )


# -- who counts towards quorum -------------------------------------------------------------------


def test_the_business_unit_advisers_and_lay_members_do_not_make_a_meeting_quorate(room):
    for name in ("Ben", "Ada", "Lee", "Ann"):
        room.record("june", name, P)
    quorum = room.sheet("june").quorum
    assert quorum.agencies == ["Police"]
    assert quorum.text == "Not quorate: 1 agency (needs 2)"
    assert quorum.counted_text == "Counted: Police."
    settings = load_settings(room.db)
    save_settings(room.db, dataclasses.replace(settings, lay_members_count_for_quorum=True))
    quorum = room.sheet("june").quorum
    assert quorum.agencies == ["Lay members", "Police"] and quorum.quorate
    counts = {r.name: r.counts for r in room.sheet("june").attendees}
    assert counts == {
        "Ada": False,
        "Ann": True,
        "Ben": False,
        "Bob": True,
        "Cat": True,
        "Lee": True,
    }


def test_a_rule_can_require_named_partners_besides_a_number(room):
    with room.db.session() as session:
        group = session.get_one(Group, room.group)
        group.quorum_partners = [
            session.get_one(Agency, room.agency["Police"]),
            session.get_one(Agency, room.agency["Health"]),
        ]
    room.record("june", "Cat", P)
    room.record("june", "Bob", P)
    sheet = room.sheet("june")
    assert sheet.rule.text == "at least 2 agencies represented, including Health and Police"
    assert not sheet.quorum.quorate
    assert sheet.quorum.text == (
        "Not quorate: 2 agencies (needs 2, with Health and Police); Police not represented"
    )
    room.record("june", "Ann", S, substitute_id=room.person["Sue"])
    assert room.sheet("june").quorum.quorate


# -- substitutes ---------------------------------------------------------------------------------


def test_a_substitute_who_is_on_the_list_cannot_also_stand_in(room):
    with pytest.raises(InvalidInput, match="on this meeting's list in their own right"):
        room.record("june", "Ann", S, substitute_id=room.person["Bob"])
    with pytest.raises(InvalidInput, match="cannot substitute for themselves"):
        room.record("june", "Ann", S, substitute_id=room.person["Ann"])
    room.record("june", "Ann", S, substitute_id=room.person["Sue"])
    with pytest.raises(InvalidInput, match="already recorded as the substitute for Ann"):
        room.record("june", "Bob", S, substitute_id=room.person["Sue"], other_agency_ok=True)
    assert room.sheet("june").quorum.agencies == ["Police"]


def test_a_substitute_from_another_agency_needs_a_yes_and_represents_the_members_agency(room):
    with pytest.raises(NeedsConfirmation) as asked:
        room.record("june", "Ann", S, substitute_id=room.person["Hal"])
    assert asked.value.flag == "other_agency_ok"
    assert "Hal is from Health, not Police" in asked.value.question
    assert room.sheet("june").recorded == 0  # nothing recorded until the yes
    room.record("june", "Ann", S, substitute_id=room.person["Hal"], other_agency_ok=True)
    ann = next(r for r in room.sheet("june").attendees if r.name == "Ann")
    assert (ann.agency, ann.substitute, ann.substitute_agency) == ("Police", "Hal", "Health")
    assert room.sheet("june").quorum.agencies == ["Police"]


def test_a_substitute_must_be_named(room):
    with pytest.raises(InvalidInput, match="Say who attended"):
        room.record("june", "Ann", S)
    with pytest.raises(InvalidInput):
        room.record("june", "Ann", S, substitute_name="   ")
    assert room.sheet("june").recorded == 0


# -- complete, confirmed, locked -----------------------------------------------------------------


def test_a_partly_recorded_meeting_says_so_in_the_sheet_and_the_figures(room):
    room.record("june", "Ann", P)
    room.record("june", "Bob", A)
    sheet = room.sheet("june")
    assert sheet.recorded_text == "2 of 6 recorded" and not sheet.complete
    figures = attendance_figures(room.db, LAST_YEAR, room.group)
    assert [(m.recorded, m.expected) for m in figures.incomplete] == [(2, 6), (0, 6)]
    assert "12/06/2025: 2 of 6 recorded" in " ".join(figures.caveats)
    cat = next(r for r in figures.members if r.name == "Cat")
    assert (cat.meetings, cat.attended, cat.unrecorded) == (2, 0, 2)


def test_confirmed_attendance_is_locked_and_a_later_change_is_logged(room):
    room.record("june", "Ann", P)
    with pytest.raises(InvalidInput, match="1 of 6 recorded"):
        confirm_attendance(room.db, room.meeting["june"], dt.date(2025, 7, 1))
    everyone(room, "june")
    with pytest.raises(InvalidInput, match="before the meeting"):
        confirm_attendance(room.db, room.meeting["june"], dt.date(2025, 6, 1))
    confirm_attendance(room.db, room.meeting["june"], dt.date(2025, 9, 11))
    sheet = room.sheet("june")
    assert sheet.confirmed_on == dt.date(2025, 9, 11) and sheet.confirmed_by
    changes = [
        lambda **kw: room.record("june", "Bob", A, **kw),
        lambda **kw: record_details(
            room.db, room.meeting["june"], room.person["Ann"], notes="Late", **kw
        ),
        lambda **kw: mark_all_present(room.db, room.meeting["june"], **kw),
        lambda **kw: add_guest(room.db, room.meeting["june"], "Visitor", **kw),
        lambda **kw: add_declaration(
            room.db,
            room.meeting["june"],
            DeclarationInput(room.person["Ann"], "An interest"),
            **kw,
        ),
    ]
    for change in changes:
        with pytest.raises(NeedsConfirmation) as asked:
            change()
        assert asked.value.flag == "after_confirmation"
        assert "confirmed with the minutes on 11/09/2025" in asked.value.question
    assert next(r for r in room.sheet("june").attendees if r.name == "Bob").status is P
    room.record("june", "Bob", A, after_confirmation=True)
    with room.db.session() as session:
        logged = session.scalars(
            select(ChangeLogEntry).where(
                ChangeLogEntry.table_name == "meeting",
                ChangeLogEntry.record_id == str(room.meeting["june"]),
            )
        ).all()
    assert json.loads(logged[-1].changes) == {
        "changed_after_confirmation": [None, "Bob: apologies"]
    }
    unconfirm_attendance(room.db, room.meeting["june"])
    room.record("june", "Bob", P)  # no question once unlocked


def test_figures_can_count_confirmed_meetings_only(room):
    everyone(room, "june")
    everyone(room, "sept", A)
    confirm_attendance(room.db, room.meeting["june"], dt.date(2025, 9, 11))
    everything = attendance_figures(room.db, LAST_YEAR, room.group)
    confirmed = attendance_figures(room.db, LAST_YEAR, room.group, confirmed_only=True)
    assert (everything.held, confirmed.held) == (2, 1)
    assert {r.name: r.attended for r in confirmed.members}["Ann"] == 1
    assert confirmed.unconfirmed == 1 and "not yet confirmed are left out" in " ".join(
        confirmed.caveats
    )


# -- the details rooms record --------------------------------------------------------------------


def test_a_reason_belongs_to_apologies_and_times_to_someone_who_was_there(room):
    room.record("june", "Ann", A)
    record_details(room.db, room.meeting["june"], room.person["Ann"], reason="Illness")
    with pytest.raises(InvalidInput) as wrong:
        record_details(
            room.db, room.meeting["june"], room.person["Ann"], arrived_at=dt.time(10, 20)
        )
    assert set(wrong.value.problems) == {"arrived_at"}
    room.record("june", "Bob", P)
    with pytest.raises(InvalidInput) as wrong:
        record_details(
            room.db,
            room.meeting["june"],
            room.person["Bob"],
            reason="Illness",
            arrived_at=dt.time(11, 0),
            left_at=dt.time(10, 30),
        )
    assert set(wrong.value.problems) == {"reason", "left_at"}
    with pytest.raises(InvalidInput, match="began at 10:00"):
        record_details(room.db, room.meeting["june"], room.person["Bob"], arrived_at=dt.time(9))
    record_details(room.db, room.meeting["june"], room.person["Bob"], arrived_at=dt.time(10, 20))
    rows = {r.name: r for r in room.sheet("june").attendees}
    assert rows["Ann"].reason == "Illness" and rows["Bob"].timing == "Arrived 10:20"
    room.record("june", "Ann", P)  # she came after all: the reason goes
    assert next(r for r in room.sheet("june").attendees if r.name == "Ann").reason == ""
    with pytest.raises(InvalidInput, match="first"):
        record_details(room.db, room.meeting["june"], room.person["Cat"], notes="Nothing yet")


def test_declarations_and_late_arrivals_leave_people_out_of_an_items_quorum(room):
    first = save_item(room.db, room.meeting["june"], ItemInput(title="Welcome", minutes=30))
    second = save_item(room.db, room.meeting["june"], ItemInput(title="Contract", minutes=30))
    room.record("june", "Ann", P)
    room.record("june", "Bob", P)
    room.record("june", "Cat", P)
    record_details(room.db, room.meeting["june"], room.person["Cat"], arrived_at=dt.time(10, 15))
    add_declaration(
        room.db,
        room.meeting["june"],
        DeclarationInput(
            room.person["Bob"], "Health bids for the contract", DeclarationAction.LEFT_ROOM, second
        ),
    )
    quorums = {q.title: q for q in item_quorums(room.db, room.meeting["june"])}
    assert quorums["Welcome"].quorum.agencies == ["Health", "Police"]  # Cat not yet there
    assert quorums["Contract"].quorum.agencies == ["Council", "Police"]  # Bob left the room
    assert quorums["Contract"].left_out == ("Bob",)
    assert room.sheet("june").quorum.represented == 3
    register = register_of_interests(room.db, person_id=room.person["Bob"])
    assert [(d.item, d.action.label) for d in register] == [("Item 2: Contract", "Left the room")]
    assert first != second
    remove_declaration(room.db, register[0].id, version=register[0].version)
    assert register_of_interests(room.db, meeting_id=room.meeting["june"]) == []


def test_the_meeting_holds_nothing_it_should_not(room):
    """Every attendance row made by any path carries what was true on the day."""
    everyone(room, "june")
    mark_all_present(room.db, room.meeting["sept"])
    with room.db.session() as session:
        rows = session.scalars(select(Attendance)).all()
        assert all(r.agency_id is not None and r.role is not None for r in rows)
        assert {session.get_one(Meeting, r.meeting_id).id for r in rows} == {
            room.meeting["june"],
            room.meeting["sept"],
        }


def test_an_agency_appointed_after_the_period_is_listed_but_a_move_adds_nothing(room):
    everyone(room, "june")
    probation = save_agency(room.db, AgencyInput(name="Probation"))
    before = attendance_figures(room.db, LAST_YEAR, room.group)
    bob = person_input(room.db, room.person["Bob"])
    save_person(room.db, dataclasses.replace(bob, agency_id=probation), room.person["Bob"])
    assert attendance_figures(room.db, LAST_YEAR, room.group) == before  # moved, not appointed
    add_member(
        room.db,
        room.group,
        MembershipInput(role=Role.LAY_MEMBER, start_date=dt.date(2026, 11, 1)),
        person=PersonInput(name="Pat", agency_id=room.agency["Lay members"]),  # does not count
    )
    newcomer = save_agency(room.db, AgencyInput(name="Youth Justice"))
    add_member(
        room.db,
        room.group,
        MembershipInput(role=Role.MEMBER, start_date=dt.date(2026, 11, 1)),
        person=PersonInput(name="Yan", agency_id=newcomer),
    )
    after = attendance_figures(room.db, LAST_YEAR, room.group)
    added = [r for r in after.agencies if r not in before.agencies]
    assert [(r.agency, r.meetings, r.note) for r in added] == [
        ("Youth Justice", 0, "No member during the period")
    ]


def test_a_move_dated_back_follows_recorded_attendance_but_not_confirmed_attendance(room):
    everyone(room, "june")
    everyone(room, "sept")
    confirm_attendance(room.db, room.meeting["june"], dt.date(2025, 9, 11))
    ann = person_input(room.db, room.person["Ann"])
    save_person(
        room.db,
        dataclasses.replace(ann, agency_id=room.agency["Council"], moved_on=dt.date(2025, 5, 1)),
        room.person["Ann"],
    )
    agency = {
        key: next(r for r in room.sheet(key).attendees if r.name == "Ann").agency
        for key in ("june", "sept")
    }
    assert agency == {"june": "Police", "sept": "Council"}  # the confirmed June stays as it was


def test_a_member_appointed_after_the_periods_meetings_is_listed_for_the_agency_of_then(room):
    everyone(room, "june")
    everyone(room, "sept")
    health_visiting = save_agency(room.db, AgencyInput(name="Health Visiting"))
    membership = add_member(
        room.db,
        room.group,
        MembershipInput(role=Role.MEMBER, start_date=dt.date(2026, 1, 5)),  # after September
        person=PersonInput(name="Mo", agency_id=health_visiting),
    )
    before = attendance_figures(room.db, LAST_YEAR, room.group)
    noted = [(r.agency, r.note) for r in before.agencies if r.note]
    assert noted == [("Health Visiting", "No member during the period")]
    mo = member_form(room.db, membership).person_id
    moved = dataclasses.replace(person_input(room.db, mo), agency_id=room.agency["Council"])
    save_person(room.db, moved, mo)
    assert attendance_figures(room.db, LAST_YEAR, room.group) == before
