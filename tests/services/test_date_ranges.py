"""Every service that saves a date keeps to the settings' earliest year and 2100, whoever calls it.

A form keeps its date fields within those years, but the command line, an import or a form that
forgets calls the services directly: each refuses 01/01/1900 and 01/01/2101 with a message
naming the field and changes nothing, takes 1995, and takes 1960 once the office lowers the
earliest year to 1950.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from lscb_desktop.models import (
    Action,
    ActionStatus,
    Base,
    Group,
    Meeting,
    Membership,
)
from lscb_desktop.services.actions import ActionInput, mark_done, save_action
from lscb_desktop.services.audits import AuditInput, audit_input, save_audit
from lscb_desktop.services.groups import GroupInput, archive_group, save_group
from lscb_desktop.services.meetings import MeetingInput, meeting_input, save_meeting
from lscb_desktop.services.members import (
    MembershipInput,
    add_member,
    board_group_id,
    end_membership,
    group_members,
    member_form,
    set_checklist,
    update_member,
)
from lscb_desktop.services.people import PersonInput
from lscb_desktop.services.schedule import create_meetings
from lscb_desktop.services.settings import load_settings, save_settings
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import Database
from tests.conftest import SAMPLE_TODAY

TOO_EARLY = dt.date(1900, 1, 1)
TOO_LATE = dt.date(2101, 1, 1)
ACCEPTED = dt.date(1995, 6, 14)
OLDER = dt.date(1960, 3, 9)


def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the change log too), to show that nothing changed."""
    with database.session() as session:
        return {
            table.name: [tuple(row) for row in session.execute(select(table))]
            for table in Base.metadata.sorted_tables
        }


def holds(database: Database, day: dt.date) -> bool:
    """Whether any record holds ``day`` as a date, or as the date of a date and time."""
    for rows in snapshot(database).values():
        for row in rows:
            for value in row:
                if isinstance(value, dt.datetime):
                    if value.date() == day:
                        return True
                elif isinstance(value, dt.date) and value == day:
                    return True
    return False


def lower_earliest_year(database: Database, year: int) -> None:
    save_settings(database, dataclasses.replace(load_settings(database), earliest_year=year))


# -- the records each call works on -----------------------------------------------------------


def _board_membership(database: Database) -> int:
    rows = group_members(database, board_group_id(database) or 0, on=SAMPLE_TODAY)
    return rows[0].membership_id


def _meeting(database: Database) -> int:
    with database.session() as session:
        return session.scalars(select(Meeting.id).order_by(Meeting.id)).first() or 0


def _group(database: Database) -> int:
    with database.session() as session:
        return session.scalars(select(Group.id).order_by(Group.id)).first() or 0


def _open_action(database: Database) -> int:
    with database.session() as session:
        query = select(Action.id).where(Action.status == ActionStatus.OPEN).order_by(Action.id)
        return session.scalars(query).first() or 0


def _membership_from_1950(database: Database) -> int:
    """A membership that started long ago, so that any end date in the test is after it."""
    membership_id = _board_membership(database)
    with database.session() as session:
        session.get_one(Membership, membership_id).start_date = dt.date(1950, 1, 1)
    return membership_id


def _at_ten(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10))


# -- each service that saves a date, called with ``day`` -----------------------------------------


def _new_meeting(database: Database, _record: int, day: dt.date) -> None:
    start = _at_ten(day)
    save_meeting(
        database,
        MeetingInput(group_id=_group(database), starts_at=start, ends_at=start.replace(hour=12)),
    )


def _changed_meeting(database: Database, meeting_id: int, day: dt.date) -> None:
    data = meeting_input(database, meeting_id)
    start = _at_ten(day)
    save_meeting(
        database,
        dataclasses.replace(data, starts_at=start, ends_at=start.replace(hour=12)),
        meeting_id,
    )


def _planned_meetings(database: Database, group_id: int, day: dt.date) -> None:
    # A good date with the bad one: neither is added when one is wrong.
    # The years are tested here, not a plan's "after today" (test_schedule_and_agenda.py).
    create_meetings(
        database, group_id, [dt.datetime(2027, 3, 3, 10), _at_ten(day)], today=dt.date.min
    )


def _new_member(database: Database, _record: int, day: dt.date) -> None:
    add_member(
        database,
        board_group_id(database) or 0,
        MembershipInput(start_date=day),
        person=PersonInput(name="Dana Date"),
    )


def _changed_member(database: Database, membership_id: int, day: dt.date) -> None:
    form = member_form(database, membership_id)
    update_member(
        database,
        membership_id,
        form.person,
        dataclasses.replace(form.membership, start_date=day),
    )


def _ended_member(database: Database, membership_id: int, day: dt.date) -> None:
    end_membership(database, membership_id, day)


def _checklist(database: Database, membership_id: int, day: dt.date) -> None:
    set_checklist(database, membership_id, {"agreement_signed_on": day, "met_chair_on": day})


def _audit(database: Database, _record: int, day: dt.date) -> None:
    save_audit(
        database,
        AuditInput(
            title="Dates audit",
            period_start_year=day.year,
            escalated_to_sag_on=day,
            assurance_requested_on=day,
            authority_letter_on=day,
        ),
    )


def _action(database: Database, meeting_id: int, day: dt.date) -> None:
    save_action(
        database,
        ActionInput(
            description="Check the dates",
            meeting_id=meeting_id,
            due_date=day,
            status=ActionStatus.DONE,
            done_date=day,
        ),
    )


def _done(database: Database, action_id: int, day: dt.date) -> None:
    mark_done(database, action_id, day)


def _group_review(database: Database, _record: int, day: dt.date) -> None:
    save_group(database, GroupInput(name="Dates Sub-group", tor_review_date=day))


def _archived(database: Database, group_id: int, day: dt.date) -> None:
    archive_group(database, group_id, day)


@dataclass(frozen=True)
class Case:
    name: str
    #: The fields the refusal must name.
    fields: frozenset[str]
    #: The record the call works on (prepared before the database is compared).
    record: Callable[[Database], int]
    save: Callable[[Database, int, dt.date], None]

    def __str__(self) -> str:
        return self.name


def _no_record(_database: Database) -> int:
    return 0


CASES = [
    Case("save_meeting (new)", frozenset({"starts_at", "ends_at"}), _no_record, _new_meeting),
    Case("save_meeting (changed)", frozenset({"starts_at", "ends_at"}), _meeting, _changed_meeting),
    Case("create_meetings", frozenset({"starts_at"}), _group, _planned_meetings),
    Case("add_member", frozenset({"start_date"}), _no_record, _new_member),
    Case("update_member", frozenset({"start_date"}), _board_membership, _changed_member),
    Case("end_membership", frozenset({"end_date"}), _membership_from_1950, _ended_member),
    Case(
        "set_checklist",
        frozenset({"agreement_signed_on", "met_chair_on"}),
        _board_membership,
        _checklist,
    ),
    Case(
        "save_audit",
        frozenset(
            {
                "period_start_year",
                "escalated_to_sag_on",
                "assurance_requested_on",
                "authority_letter_on",
            }
        ),
        _no_record,
        _audit,
    ),
    Case("save_action", frozenset({"due_date", "done_date"}), _meeting, _action),
    Case("mark_done", frozenset({"done_date"}), _open_action, _done),
    Case("save_group", frozenset({"tor_review_date"}), _no_record, _group_review),
    Case("archive_group", frozenset({"archived_on"}), _group, _archived),
]


@pytest.mark.parametrize("case", CASES, ids=str)
@pytest.mark.parametrize("day", [TOO_EARLY, TOO_LATE], ids=["1900", "2101"])
def test_a_date_out_of_range_is_refused_naming_the_field_and_nothing_changes(
    sample_db, case: Case, day: dt.date
):
    record = case.record(sample_db)
    before = snapshot(sample_db)
    with pytest.raises(InvalidInput) as caught:
        case.save(sample_db, record, day)
    problems = caught.value.problems
    assert case.fields <= set(problems), problems
    for field in case.fields:
        shown = str(day.year) if field == "period_start_year" else f"{day:%d/%m/%Y}"
        assert shown in problems[field], problems[field]
    assert snapshot(sample_db) == before


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_date_in_1995_is_saved(sample_db, case: Case):
    record = case.record(sample_db)
    assert not holds(sample_db, ACCEPTED)
    case.save(sample_db, record, ACCEPTED)
    assert holds(sample_db, ACCEPTED)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_with_the_earliest_year_lowered_to_1950_a_date_in_1960_is_saved(sample_db, case: Case):
    lower_earliest_year(sample_db, 1950)
    record = case.record(sample_db)
    assert not holds(sample_db, OLDER)
    case.save(sample_db, record, OLDER)
    assert holds(sample_db, OLDER)


def test_1960_is_still_refused_with_the_default_earliest_year(sample_db):
    before = snapshot(sample_db)
    with pytest.raises(InvalidInput) as caught:
        _new_meeting(sample_db, 0, OLDER)
    assert "1990" in caught.value.problems["starts_at"]
    assert snapshot(sample_db) == before


@pytest.mark.parametrize("year", [1900, 2101])
def test_an_audit_period_out_of_range_is_refused_on_its_own(sample_db, year: int):
    before = snapshot(sample_db)
    with pytest.raises(InvalidInput) as caught:
        save_audit(sample_db, AuditInput(title="Dates audit", period_start_year=year))
    assert set(caught.value.problems) == {"period_start_year"}
    assert str(year) in caught.value.problems["period_start_year"]
    assert snapshot(sample_db) == before


def test_an_audit_period_in_1995_is_saved(sample_db):
    audit_id = save_audit(sample_db, AuditInput(title="Dates audit", period_start_year=1995))
    assert audit_input(sample_db, audit_id).period_start_year == 1995


def test_an_undone_action_keeps_no_date_done_so_its_date_done_is_not_checked(sample_db):
    """The form disables "Date done" for an open action; what it holds is not saved."""
    action_id = save_action(
        sample_db,
        ActionInput(
            description="Check the dates",
            meeting_id=_meeting(sample_db),
            status=ActionStatus.OPEN,
            done_date=TOO_EARLY,
        ),
    )
    with sample_db.session() as session:
        assert session.get_one(Action, action_id).done_date is None


def test_an_archived_group_can_be_brought_back(sample_db):
    """None is not a date out of range: it brings an archived group back."""
    group_id = _group(sample_db)
    archive_group(sample_db, group_id, SAMPLE_TODAY)
    archive_group(sample_db, group_id, None)
    with sample_db.session() as session:
        assert session.get_one(Group, group_id).archived_on is None


def test_planned_meetings_that_would_end_in_2101_are_refused(sample_db):
    before = snapshot(sample_db)
    with pytest.raises(InvalidInput) as caught:
        create_meetings(sample_db, _group(sample_db), [dt.datetime(2100, 12, 31, 23)], minutes=120)
    assert "01/01/2101 is after 2100" in caught.value.problems["starts_at"]
    assert snapshot(sample_db) == before
