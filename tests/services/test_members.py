"""Adding, editing, ending and deleting memberships, and the checklist, without a window."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from lscb_desktop.models import ChangeLogEntry, Membership, Person, Role
from lscb_desktop.services.agencies import agency_rows
from lscb_desktop.services.agency_moves import AgencyMove, Seat, agency_move
from lscb_desktop.services.groups import group_rows
from lscb_desktop.services.members import (
    HasHistory,
    MembershipInput,
    add_member,
    board_group_id,
    delete_membership,
    email_list,
    end_membership,
    group_members,
    member_form,
    set_checklist,
    update_member,
)
from lscb_desktop.services.people import (
    PersonInput,
    agency_choices,
    person_choices,
    person_input,
    save_person,
)
from lscb_desktop.services.validation import InvalidInput, check_uk_phone
from tests.conftest import SAMPLE_TODAY


def counts(db) -> tuple[int, int]:
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Person)),
            session.scalar(select(func.count()).select_from(Membership)),
        )


def group_id(db, short_name: str) -> int:
    return next(row.id for row in group_rows(db, on=SAMPLE_TODAY) if row.short_name == short_name)


def agency_id(db, name: str) -> int:
    return next(choice.id for choice in agency_choices(db) if choice.text == name)


def person_id(db, name: str) -> int:
    return next(choice.id for choice in person_choices(db) if choice.text.startswith(name))


def test_a_new_member_with_a_bad_email_and_phone_is_refused_field_by_field(sample_db):
    before = counts(sample_db)
    person = PersonInput(name="Jo Bloggs", email="jo.bloggs@", phone="12345")
    with pytest.raises(InvalidInput) as caught:
        add_member(
            sample_db,
            board_group_id(sample_db),
            MembershipInput(start_date=SAMPLE_TODAY),
            person=person,
        )
    assert set(caught.value.problems) == {"email", "phone"}
    assert "“jo.bloggs@” is not an email address" in caught.value.problems["email"]
    assert "not a valid UK phone number" in caught.value.problems["phone"]
    assert counts(sample_db) == before


def test_a_new_member_is_saved_with_a_new_agency_and_tidied_details(sample_db):
    board = board_group_id(sample_db)
    person = PersonInput(
        name="  Jo   Bloggs ",
        title="Ms",
        new_agency="Luton Sixth Form College",
        email="Jo.Bloggs@LSFC.ac.uk",
        phone="+44 1582 877500",
    )
    add_member(
        sample_db, board, MembershipInput(role=Role.MEMBER, start_date=SAMPLE_TODAY), person=person
    )
    row = next(r for r in group_members(sample_db, board, on=SAMPLE_TODAY) if "Bloggs" in r.name)
    assert (row.name, row.agency, row.email, row.phone) == (
        "Ms Jo Bloggs",
        "Luton Sixth Form College",
        "jo.bloggs@lsfc.ac.uk",
        "01582 877500",
    )
    assert row.induction == "0/8"


def test_a_duplicate_email_names_the_person_who_has_it(sample_db):
    person = PersonInput(name="Someone Else", email="ABDULLAH.KHAN@lutonccg.nhs.uk")
    with pytest.raises(InvalidInput) as caught:
        add_member(
            sample_db,
            board_group_id(sample_db),
            MembershipInput(start_date=SAMPLE_TODAY),
            person=person,
        )
    assert caught.value.problems == {
        "email": "abdullah.khan@lutonccg.nhs.uk is already the email of Dr Abdullah Khan."
    }


def test_an_existing_person_joins_a_second_group_but_not_twice(sample_db):
    maag = group_id(sample_db, "MAAG")
    someone = person_id(sample_db, "Alison Harding")
    add_member(sample_db, maag, MembershipInput(start_date=SAMPLE_TODAY), person_id=someone)
    assert "Alison Harding" in [r.name for r in group_members(sample_db, maag, on=SAMPLE_TODAY)]
    with pytest.raises(InvalidInput) as caught:
        add_member(sample_db, maag, MembershipInput(start_date=SAMPLE_TODAY), person_id=someone)
    assert "already a member of the group" in caught.value.problems["person"]


def test_editing_a_member_changes_role_substitute_and_details_and_is_logged(sample_db):
    board = board_group_id(sample_db)
    row = next(
        r for r in group_members(sample_db, board, on=SAMPLE_TODAY) if r.name == "Alison Harding"
    )
    form = member_form(sample_db, row.membership_id)
    substitute = person_id(sample_db, "Andrea Holder")
    update_member(
        sample_db,
        row.membership_id,
        PersonInput(**{**form.person.__dict__, "job_title": "Head of Public Protection"}),
        MembershipInput(
            **{**form.membership.__dict__, "role": Role.VICE_CHAIR, "substitute_id": substitute}
        ),
    )
    after = next(
        r
        for r in group_members(sample_db, board, on=SAMPLE_TODAY)
        if r.membership_id == row.membership_id
    )
    assert (after.role, after.job_title, after.substitute) == (
        "Vice chair",
        "Head of Public Protection",
        "Andrea Holder",
    )
    with sample_db.session() as session:
        logged = session.scalars(
            select(ChangeLogEntry.changes).where(
                ChangeLogEntry.table_name == "membership",
                ChangeLogEntry.record_id == str(row.membership_id),
            )
        ).all()
    assert any('"role": ["member", "vice_chair"]' in entry for entry in logged)


def test_a_member_cannot_be_their_own_substitute(sample_db):
    board = board_group_id(sample_db)
    row = group_members(sample_db, board, on=SAMPLE_TODAY)[0]
    form = member_form(sample_db, row.membership_id)
    with pytest.raises(InvalidInput) as caught:
        update_member(
            sample_db,
            row.membership_id,
            form.person,
            MembershipInput(
                role=form.membership.role,
                start_date=form.membership.start_date,
                substitute_id=row.person_id,
            ),
        )
    assert caught.value.problems == {"substitute": "A member cannot be their own substitute."}


def test_an_ended_membership_leaves_the_current_list_but_keeps_its_history(sample_db):
    board = board_group_id(sample_db)
    row = next(
        r for r in group_members(sample_db, board, on=SAMPLE_TODAY) if r.name == "Alison Harding"
    )
    with pytest.raises(InvalidInput):
        end_membership(sample_db, row.membership_id, row.start_date - dt.timedelta(days=1))
    end_membership(sample_db, row.membership_id, SAMPLE_TODAY - dt.timedelta(days=1))
    assert row.membership_id not in [
        r.membership_id for r in group_members(sample_db, board, on=SAMPLE_TODAY)
    ]
    former = group_members(sample_db, board, include_former=True, on=SAMPLE_TODAY)
    assert next(r for r in former if r.membership_id == row.membership_id).end_date == (
        SAMPLE_TODAY - dt.timedelta(days=1)
    )


def test_only_a_membership_without_attendance_can_be_deleted(sample_db):
    board = board_group_id(sample_db)
    attended = next(
        r for r in group_members(sample_db, board, on=SAMPLE_TODAY) if r.name == "Alison Harding"
    )
    with pytest.raises(HasHistory, match=r"cannot be deleted\. End it instead"):
        delete_membership(sample_db, attended.membership_id, version=attended.version)
    new = add_member(
        sample_db,
        board,
        MembershipInput(start_date=SAMPLE_TODAY),
        person=PersonInput(name="Mistaken Entry"),
    )
    delete_membership(sample_db, new, version=None)
    assert new not in [
        r.membership_id for r in group_members(sample_db, board, include_former=True)
    ]


def test_the_checklist_counts_the_items_done(sample_db):
    board = board_group_id(sample_db)
    new = add_member(
        sample_db,
        board,
        MembershipInput(start_date=SAMPLE_TODAY),
        person=PersonInput(name="New Starter"),
    )
    set_checklist(
        sample_db,
        new,
        {"welcome_pack_received_on": SAMPLE_TODAY, "agreement_signed_on": SAMPLE_TODAY},
    )
    row = next(
        r for r in group_members(sample_db, board, on=SAMPLE_TODAY) if r.membership_id == new
    )
    assert (row.induction, row.agreement_signed) == ("2/8", SAMPLE_TODAY)
    assert member_form(sample_db, new).checklist["met_chair_on"] is None
    with pytest.raises(ValueError, match="not checklist items: shoe_size"):
        set_checklist(sample_db, new, {"shoe_size": SAMPLE_TODAY})


def test_the_email_list_is_semicolon_separated_without_blanks_or_repeats(sample_db):
    rows = group_members(sample_db, board_group_id(sample_db), on=SAMPLE_TODAY)
    text = email_list([*rows, rows[0]])
    addresses = text.split("; ")
    assert len(addresses) == len({r.email for r in rows if r.email})
    assert "alison.harding@justice.gov.uk" in addresses


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01582546000", "01582 546000"),
        ("+44 (0)7712 345678", "07712 345678"),
        ("", ""),
        # Ofcom's numbers for examples and training, as the forms' own example gives them.
        ("07700 900123", "07700 900123"),
        ("01632960001", "01632 960001"),
        ("0113 496 0000", "0113 496 0000"),
    ],
)
def test_uk_phone_numbers_are_written_the_usual_way(typed, stored):
    assert check_uk_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["12345", "01582 54600", "phone me", "07700 90012", "07700 9001234"]
)
def test_a_number_that_is_not_a_uk_phone_number_is_refused(typed):
    with pytest.raises(ValueError, match="phone number"):
        check_uk_phone(typed)


# -- a member who moves to another agency --------------------------------------------------------


def test_former_members_show_the_agency_they_represented_then(sample_db):
    board = board_group_id(sample_db)
    row = next(
        r for r in group_members(sample_db, board, on=SAMPLE_TODAY) if r.name == "Carol Pennington"
    )
    form = member_form(sample_db, row.membership_id)
    old_agency = row.agency
    probation = agency_id(sample_db, "National Probation Service and BeNCH CRC")
    moved_on = SAMPLE_TODAY - dt.timedelta(days=30)
    held = update_member(
        sample_db,
        row.membership_id,
        dataclasses.replace(form.person, agency_id=probation, moved_on=moved_on),
        dataclasses.replace(form.membership, position="Head of Probation"),
    )
    assert held != row.membership_id  # the seat is continued in a new membership
    now = [
        r for r in group_members(sample_db, board, on=SAMPLE_TODAY) if r.name == "Carol Pennington"
    ]
    assert [(r.membership_id, r.agency, r.position, r.end_date) for r in now] == [
        (held, "National Probation Service and BeNCH CRC", "Head of Probation", None)
    ]
    ever = group_members(sample_db, board, include_former=True, on=SAMPLE_TODAY)
    former = next(r for r in ever if r.membership_id == row.membership_id)
    assert (former.agency, former.end_date) == (old_agency, moved_on - dt.timedelta(days=1))
    # What the form and its checklist showed goes on with the seat.
    assert member_form(sample_db, held).checklist == form.checklist


def test_a_move_is_described_before_and_after_in_words(sample_db):
    board = board_group_id(sample_db)
    maag = group_id(sample_db, "MAAG")
    carol = person_id(sample_db, "Carol Pennington")
    add_member(sample_db, maag, MembershipInput(start_date=SAMPLE_TODAY), person_id=carol)
    old = next(r.agency for r in group_members(sample_db, board) if r.person_id == carol)
    probation = agency_id(sample_db, "National Probation Service and BeNCH CRC")
    assert agency_move(sample_db, carol, person_input(sample_db, carol).agency_id) is None
    move = agency_move(sample_db, carol, probation)
    assert move is not None
    assert move.question == (
        "From which date does Carol Pennington represent National Probation Service and BeNCH CRC?"
    )
    assert move.explanation() == (
        "Carol Pennington's memberships (Serious Case Review Group, Strategic Board and "
        f"Multi-Agency Audit Group) represent {old}. Meetings before the date stay with {old}, "
        "and every figure for them as it was; from the date, the memberships continue for "
        "National Probation Service and BeNCH CRC. Attendance already confirmed with the minutes "
        "stays as it was confirmed."
    )
    # The MAAG membership starts today: from tomorrow it is continued too; from today, it
    # simply represents the new agency.
    assert move.outcome(SAMPLE_TODAY) == (
        "Carol Pennington represents National Probation Service and BeNCH CRC from 23/11/2026: "
        "their memberships of Serious Case Review Group and Strategic Board were ended on "
        f"22/11/2026 for {old} and continued from 23/11/2026 for National Probation Service and "
        "BeNCH CRC; their membership of Multi-Agency Audit Group, which starts on or after "
        "23/11/2026, now represents National Probation Service and BeNCH CRC. Meetings before "
        f"23/11/2026 stay with {old}."
    )
    typed = agency_move(sample_db, carol, None, "  Luton  Sixth Form College ")
    assert typed is not None and typed.new_agency == "Luton Sixth Form College"
    # Someone with no memberships is simply saved: there is nothing to ask.
    nobody = save_person(sample_db, PersonInput(name="Not A Member", agency_id=probation))
    assert agency_move(sample_db, nobody, agency_id(sample_db, "Bedfordshire Police")) is None


def test_a_person_on_file_who_joins_a_group_with_a_new_agency_moves_their_other_seats(sample_db):
    board = board_group_id(sample_db)
    maag = group_id(sample_db, "MAAG")
    carol = person_id(sample_db, "Carol Pennington")
    board_row = next(r for r in group_members(sample_db, board) if r.person_id == carol)
    probation = agency_id(sample_db, "National Probation Service and BeNCH CRC")
    person = dataclasses.replace(
        person_input(sample_db, carol), agency_id=probation, moved_on=SAMPLE_TODAY
    )
    added = add_member(
        sample_db, maag, MembershipInput(start_date=SAMPLE_TODAY), person_id=carol, person=person
    )
    assert next(r for r in group_members(sample_db, maag) if r.membership_id == added).agency == (
        "National Probation Service and BeNCH CRC"
    )
    board_now = next(r for r in group_members(sample_db, board) if r.person_id == carol)
    assert board_now.agency == "National Probation Service and BeNCH CRC"
    assert board_now.membership_id != board_row.membership_id


def test_a_move_to_no_agency_and_memberships_over_before_it_are_said_plainly(sample_db):
    carol = person_id(sample_db, "Carol Pennington")
    move = agency_move(sample_db, carol, None)
    assert move is not None
    assert move.question == "From which date does Carol Pennington no longer represent CAFCASS?"
    over = AgencyMove(
        "Ann Example",
        "Police",
        "Council",
        (Seat("Test Group", dt.date(2020, 1, 1), dt.date(2021, 3, 31)),),
    )
    assert over.outcome(dt.date(2026, 11, 1)) == (
        "Ann Example now works for Council. Their membership of Test Group ended before "
        "01/11/2026 and stays with Police."
    )


def test_a_membership_ended_today_leaves_the_list_today_but_not_a_meeting_today(sample_db):
    board = board_group_id(sample_db)
    row = next(r for r in group_members(sample_db, board) if r.name == "Alison Harding")
    end_membership(sample_db, row.membership_id, SAMPLE_TODAY)
    assert "Alison Harding" not in [r.name for r in group_members(sample_db, board)]
    probation = next(r for r in agency_rows(sample_db) if r.name.startswith("National Probation"))
    assert probation.unrepresented
    with sample_db.session() as session:
        assert session.get_one(Membership, row.membership_id).is_current(SAMPLE_TODAY)


@pytest.mark.parametrize("days_ahead", [0, 1, 7])
def test_a_member_moving_agency_stays_on_the_list_every_day_of_the_move(sample_db, days_ahead):
    board = board_group_id(sample_db)
    row = next(r for r in group_members(sample_db, board) if r.name == "Carol Pennington")
    form = member_form(sample_db, row.membership_id)
    probation = agency_id(sample_db, "National Probation Service and BeNCH CRC")
    moved_on = SAMPLE_TODAY + dt.timedelta(days=days_ahead)
    update_member(
        sample_db,
        row.membership_id,
        dataclasses.replace(form.person, agency_id=probation, moved_on=moved_on),
        form.membership,
    )
    for day in (SAMPLE_TODAY, moved_on - dt.timedelta(days=1), moved_on):
        listed = [r for r in group_members(sample_db, board, on=day) if r.name == row.name]
        assert len(listed) == 1, day
