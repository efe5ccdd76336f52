"""Attendance: the expected list, quorum with substitutes, and the year's rates, worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from lscb_desktop.models import AttendanceStatus, MeetingStatus, Role
from lscb_desktop.reports.attendance_data import ALL_GROUPS
from lscb_desktop.services.agencies import AgencyInput, save_agency
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.attendance_figures import attendance_figures
from lscb_desktop.services.attendance_recording import mark_all_present, record_attendance
from lscb_desktop.services.groups import GroupInput, save_group
from lscb_desktop.services.guests import add_guest
from lscb_desktop.services.meetings import MeetingInput, save_meeting
from lscb_desktop.services.members import (
    MembershipInput,
    add_member,
    end_membership,
    member_form,
)
from lscb_desktop.services.people import PersonInput, save_person
from lscb_desktop.services.periods import parse_period
from lscb_desktop.services.validation import InvalidInput

P, A, S, X = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.SUBSTITUTE,
    AttendanceStatus.ABSENT,
)


@pytest.fixture
def year(empty_db):
    """A group with quorum 2 over 2026-27: agencies A, B and C; Ann (A) throughout, Bob (B)
    throughout, Col (C) joining on 01/08/2026, Amy (A) leaving on 31/08/2026; meetings in May,
    July, September (cancelled), November, and January (still planned)."""
    db = empty_db
    agency = {n: save_agency(db, AgencyInput(name=f"Agency {n}")) for n in "ABC"}
    group = save_group(db, GroupInput(name="Test Group", quorum_agencies=2))
    person = {}
    for name, letter, start in (
        ("Ann", "A", dt.date(2026, 4, 1)),
        ("Bob", "B", dt.date(2026, 4, 1)),
        ("Col", "C", dt.date(2026, 8, 1)),
        ("Amy", "A", dt.date(2026, 4, 1)),
    ):
        membership = add_member(
            db,
            group,
            MembershipInput(role=Role.MEMBER, start_date=start),
            person=PersonInput(name=name, agency_id=agency[letter]),
        )
        person[name] = membership
    end_membership(db, person["Amy"], dt.date(2026, 8, 31))
    sub = save_person(db, PersonInput(name="Sue Stand-in", agency_id=agency["A"]))

    ids = {name: member_form(db, m).person_id for name, m in person.items()}
    meetings = {}
    for key, day, status in (
        ("may", dt.date(2026, 5, 12), MeetingStatus.HELD),
        ("jul", dt.date(2026, 7, 14), MeetingStatus.HELD),
        ("sep", dt.date(2026, 9, 15), MeetingStatus.CANCELLED),
        ("nov", dt.date(2026, 11, 10), MeetingStatus.HELD),
        ("jan", dt.date(2027, 1, 12), MeetingStatus.PLANNED),
    ):
        meetings[key] = save_meeting(
            db,
            MeetingInput(
                group_id=group, starts_at=dt.datetime.combine(day, dt.time(10)), status=status
            ),
        )
    record = lambda m, who, status, **kw: record_attendance(  # noqa: E731
        db, meetings[m], ids[who], status, **kw
    )
    record("may", "Ann", P)
    record("may", "Bob", A)
    record("may", "Amy", P)
    record("jul", "Ann", S, substitute_id=sub)
    record("jul", "Bob", X)
    record("jul", "Amy", A)
    add_guest(db, meetings["jul"], "Dr Visiting Speaker", "University of Bedfordshire")
    record("sep", "Ann", P)  # recorded, but the meeting was cancelled
    record("nov", "Ann", P)
    record("nov", "Bob", S, substitute_name="Bob's deputy")
    record("nov", "Col", X)
    return db, group, meetings, ids, agency


def test_the_expected_attendees_are_the_members_on_the_day(year):
    db, _, meetings, _, _ = year
    july = meeting_sheet(db, meetings["jul"])
    assert [r.name for r in july.attendees] == ["Amy", "Ann", "Bob"]  # Col had not joined
    november = meeting_sheet(db, meetings["nov"])
    assert [r.name for r in november.attendees] == ["Ann", "Bob", "Col"]  # Amy had left
    assert [(g.name, g.organisation) for g in july.guests] == [
        ("Dr Visiting Speaker", "University of Bedfordshire")
    ]
    bob = next(r for r in november.attendees if r.name == "Bob")
    assert (bob.status, bob.substitute) == (S, "Bob's deputy")


def test_quorum_counts_agencies_represented_by_members_or_substitutes(year):
    db, _, meetings, ids, _ = year
    july = meeting_sheet(db, meetings["jul"])
    assert july.quorum.text == "Not quorate: 1 agency (needs 2)"  # only A, by a substitute
    november = meeting_sheet(db, meetings["nov"])
    assert november.quorum.quorate
    assert november.quorum.text == "Quorate: 2 agencies (needs 2)"
    # Bob's deputy was not there after all: the meeting was not quorate.
    record_attendance(db, meetings["nov"], ids["Bob"], A)
    assert meeting_sheet(db, meetings["nov"]).quorum.text == "Not quorate: 1 agency (needs 2)"


def test_member_and_agency_rates_follow_the_written_rules(year):
    db, group, *_ = year
    figures = attendance_figures(db, parse_period("2026-27"), group)
    assert figures.held == 3  # the cancelled and the planned meetings count for neither
    members = {
        r.name: (r.meetings, r.attended, r.apologies, r.substitutes) for r in figures.members
    }
    assert members == {
        "Ann": (3, 2, 0, 1),  # sent a substitute in July: counts for the agency, not for her
        "Bob": (3, 0, 1, 1),
        "Amy": (2, 1, 1, 0),  # left after July
        "Col": (1, 0, 0, 0),  # joined before November
    }
    rates = {r.name: r.rate for r in figures.members}
    assert rates["Ann"] == pytest.approx(2 / 3)
    assert rates["Amy"] == pytest.approx(1 / 2)
    agencies = {r.agency: (r.meetings, r.represented) for r in figures.agencies}
    assert agencies == {"Agency A": (3, 3), "Agency B": (3, 1), "Agency C": (1, 0)}
    assert {r.group for r in figures.agencies} == {"Test Group"}


def test_all_groups_add_up_every_groups_meetings(year):
    db, *_ = year
    figures = attendance_figures(db, parse_period("2026-27"))
    assert figures.group == ALL_GROUPS
    assert {r.agency: (r.meetings, r.represented) for r in figures.agencies}["Agency B"] == (3, 1)
    assert attendance_figures(db, parse_period("2025-26")).members == []


def test_all_present_fills_only_the_rows_not_yet_recorded(year):
    db, _, meetings, ids, _ = year
    record_attendance(db, meetings["jan"], ids["Bob"], A)
    assert mark_all_present(db, meetings["jan"]) == 2
    statuses = {r.name: r.status for r in meeting_sheet(db, meetings["jan"]).attendees}
    assert statuses == {"Ann": P, "Bob": A, "Col": P}


def test_a_member_cannot_substitute_for_themselves(year):
    db, _, meetings, ids, _ = year
    with pytest.raises(InvalidInput):
        record_attendance(db, meetings["jan"], ids["Ann"], S, substitute_id=ids["Ann"])
