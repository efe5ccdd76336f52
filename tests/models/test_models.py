"""The models' constraints hold in the database itself, not only in the forms."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from lscb_desktop.models import (
    Agency,
    Attendance,
    AttendanceStatus,
    Group,
    GroupKind,
    Meeting,
    Membership,
    Person,
    Role,
)

DAY = dt.date(2026, 4, 1)


@pytest.fixture
def board(empty_db):
    with empty_db.session() as session:
        agency = Agency(
            name="Bedfordshire Police", short_name="Beds Police", statutory_partner=True
        )
        person = Person(name="Nick Bellingham", agency=agency, email="nick@example.org")
        group = Group(name="Strategic Board", kind=GroupKind.BOARD)
        session.add_all([agency, person, group])
        session.flush()
        return {"agency": agency.id, "person": person.id, "group": group.id}


def test_a_membership_cannot_end_before_it_starts(empty_db, board):
    with pytest.raises(IntegrityError), empty_db.session() as session:
        session.add(
            Membership(
                person_id=board["person"],
                group_id=board["group"],
                start_date=DAY,
                end_date=DAY - dt.timedelta(days=1),
            )
        )


def test_a_member_cannot_be_their_own_substitute(empty_db, board):
    with pytest.raises(IntegrityError), empty_db.session() as session:
        session.add(
            Membership(
                person_id=board["person"],
                group_id=board["group"],
                start_date=DAY,
                substitute_id=board["person"],
            )
        )


def test_emails_are_unique_but_may_be_missing(empty_db, board):
    with empty_db.session() as session:
        session.add_all([Person(name="A Person"), Person(name="B Person")])
    with pytest.raises(IntegrityError), empty_db.session() as session:
        session.add(Person(name="Someone Else", email="nick@example.org"))


def test_an_agency_with_people_cannot_be_deleted(empty_db, board):
    with pytest.raises(IntegrityError), empty_db.session() as session:
        session.execute(text("DELETE FROM agency WHERE id = :id"), {"id": board["agency"]})


def test_stored_values_outside_a_vocabulary_are_refused(empty_db, board):
    with pytest.raises(IntegrityError), empty_db.session() as session:
        session.execute(text("UPDATE board_group SET kind = 'committee'"))
    with pytest.raises(StatementError), empty_db.session() as session:
        group = session.get(Group, board["group"])
        group.kind = "committee"


def test_one_meeting_of_a_group_at_a_time_and_one_attendance_row_per_person(empty_db, board):
    start = dt.datetime(2026, 6, 10, 14, 0)
    with empty_db.session() as session:
        meeting = Meeting(group_id=board["group"], starts_at=start)
        session.add(meeting)
        session.flush()
        session.add(
            Attendance(meeting=meeting, person_id=board["person"], status=AttendanceStatus.PRESENT)
        )
    with pytest.raises(IntegrityError), empty_db.session() as session:
        session.add(Meeting(group_id=board["group"], starts_at=start))
    with pytest.raises(IntegrityError), empty_db.session() as session:
        meeting = session.scalars(select(Meeting)).one()
        session.add(
            Attendance(
                meeting=meeting, person_id=board["person"], status=AttendanceStatus.APOLOGIES
            )
        )


def test_vocabularies_read_their_labels_and_values() -> None:
    assert Role.parse("Deputy chair") is Role.DEPUTY_CHAIR
    assert Role.parse("  deputy_CHAIR ") is Role.DEPUTY_CHAIR
    assert Role.parse("Lay member") is Role.LAY_MEMBER
    with pytest.raises(ValueError, match="Chair, Deputy chair"):
        Role.parse("Treasurer")
