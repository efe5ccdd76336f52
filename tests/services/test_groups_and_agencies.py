"""The Sub-groups tab's list, terms of reference, archiving, and the agencies' representation."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from lscb_desktop.models import Agency, Frequency, Membership
from lscb_desktop.services.agencies import AgencyInput, agency_input, agency_rows, save_agency
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.groups import (
    GroupInput,
    archive_group,
    group_input,
    group_rows,
    save_group,
)
from lscb_desktop.services.meetings import meeting_rows
from lscb_desktop.services.members import board_group_id, end_membership, group_members
from lscb_desktop.services.people import person_input, save_person
from lscb_desktop.services.settings import load_logo, save_logo
from lscb_desktop.services.validation import InvalidInput
from tests.conftest import SAMPLE_TODAY


def test_the_groups_show_chair_deputy_frequency_quorum_and_members(sample_db):
    rows = {row.short_name: row for row in group_rows(sample_db, on=SAMPLE_TODAY)}
    assert next(iter(rows)) == "Board"
    maag = rows["MAAG"]
    assert (maag.name, maag.meeting_frequency, maag.accountable_to, maag.current_members) == (
        "Multi-Agency Audit Group",
        "Quarterly",
        "Strategic Board",
        8,
    )
    assert maag.chair
    assert rows["Board"].current_members == 20


def test_terms_of_reference_are_saved_and_a_duplicate_name_is_refused(sample_db):
    maag = next(r.id for r in group_rows(sample_db, on=SAMPLE_TODAY) if r.short_name == "MAAG")
    terms = group_input(sample_db, maag)
    save_group(
        sample_db,
        dataclasses.replace(
            terms,
            purpose="To audit multi-agency practice.",
            quorum_agencies=4,
            meeting_frequency=Frequency.MONTHLY,
            tor_review_date=dt.date(2027, 3, 31),
        ),
        maag,
    )
    saved = group_input(sample_db, maag)
    assert (
        saved.purpose,
        saved.quorum_agencies,
        saved.meeting_frequency,
        saved.tor_review_date,
    ) == (
        "To audit multi-agency practice.",
        4,
        Frequency.MONTHLY,
        dt.date(2027, 3, 31),
    )
    with pytest.raises(InvalidInput) as caught:
        save_group(sample_db, dataclasses.replace(saved, name="strategic board"), maag)
    assert caught.value.problems == {"name": "There is already a group called “Strategic Board”."}
    assert group_input(sample_db, maag).name == "Multi-Agency Audit Group"


def test_a_group_cannot_be_accountable_to_one_of_its_own_groups(sample_db):
    rows = {r.short_name: r.id for r in group_rows(sample_db, on=SAMPLE_TODAY)}
    board = group_input(
        sample_db, rows["Board"]
    )  # SAG reports to the Executive, which reports to it
    with pytest.raises(InvalidInput) as caught:
        save_group(
            sample_db, dataclasses.replace(board, accountable_to_id=rows["SAG"]), rows["Board"]
        )
    assert "accountable_to" in caught.value.problems


def test_a_new_group_is_listed_and_an_archived_one_is_hidden_but_kept(sample_db):
    new = save_group(sample_db, GroupInput(name="Neglect Task and Finish Group", quorum_agencies=2))
    assert "Neglect Task and Finish Group" in [r.name for r in group_rows(sample_db)]
    archive_group(sample_db, new, SAMPLE_TODAY)
    assert "Neglect Task and Finish Group" not in [r.name for r in group_rows(sample_db)]
    archived = [r for r in group_rows(sample_db, include_archived=True) if r.id == new]
    assert archived[0].archived_on == SAMPLE_TODAY
    with pytest.raises(InvalidInput) as caught:
        save_group(sample_db, GroupInput(name="  "))
    assert caught.value.problems == {"name": "Enter the group's name."}


def test_a_statutory_partner_without_a_board_member_is_flagged(sample_db):
    rows = {row.name: row for row in agency_rows(sample_db, on=SAMPLE_TODAY)}
    flagged = [row.name for row in rows.values() if row.unrepresented]
    assert len(flagged) == 1
    assert rows[flagged[0]].statutory_partner
    police = next(row for row in rows.values() if "Police" in row.name)
    assert police.representatives == ("Nick Bellingham",)
    assert not police.unrepresented
    # The Police's only Board member leaves: the Police become flagged too.
    board = board_group_id(sample_db)
    member = next(
        r for r in group_members(sample_db, board, on=SAMPLE_TODAY) if r.name == "Nick Bellingham"
    )
    end_membership(sample_db, member.membership_id, SAMPLE_TODAY - dt.timedelta(days=1))
    assert next(
        r for r in agency_rows(sample_db, on=SAMPLE_TODAY) if r.id == police.id
    ).unrepresented


def test_agencies_are_added_with_unique_names(sample_db):
    new = save_agency(
        sample_db, AgencyInput(name="Luton Sixth Form College", statutory_partner=True)
    )
    assert next(r for r in agency_rows(sample_db) if r.id == new).unrepresented
    with pytest.raises(InvalidInput) as caught:
        save_agency(sample_db, AgencyInput(name="luton sixth form college"))
    assert "already an agency" in caught.value.problems["name"]


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_the_logo_is_kept_in_the_database_and_only_images_are_taken(sample_db):
    assert load_logo(sample_db) is None
    save_logo(sample_db, PNG)
    assert load_logo(sample_db) == PNG
    with pytest.raises(ValueError, match="PNG or JPEG"):
        save_logo(sample_db, b"%PDF-1.7")
    assert load_logo(sample_db) == PNG
    save_logo(sample_db, None)
    assert load_logo(sample_db) is None


# -- who counts for quorum -----------------------------------------------------------------------


def test_an_agency_that_does_not_count_towards_quorum_is_saved_and_listed(sample_db):
    rows = agency_rows(sample_db)
    # The sample's business unit supports meetings and does not make them quorate.
    assert [r.name for r in rows if not r.counts_for_quorum] == [
        "Luton Safeguarding Children Board Business Unit"
    ]
    new = save_agency(sample_db, AgencyInput(name="Safeguarding Advisers", counts_for_quorum=False))
    assert agency_input(sample_db, new).counts_for_quorum is False
    assert not next(r for r in agency_rows(sample_db) if r.id == new).counts_for_quorum
    save_agency(sample_db, AgencyInput(name="Safeguarding Advisers"), new)
    assert agency_input(sample_db, new).counts_for_quorum is True


def test_a_quorum_may_require_named_partners_besides_a_number(sample_db):
    agencies = {r.name: r.id for r in agency_rows(sample_db)}
    police, ccg = agencies["Bedfordshire Police"], agencies["Luton Clinical Commissioning Group"]
    sag = next(r.id for r in group_rows(sample_db, on=SAMPLE_TODAY) if r.short_name == "SAG")
    terms = group_input(sample_db, sag)
    assert terms.quorum_partner_ids == ()
    save_group(sample_db, dataclasses.replace(terms, quorum_partner_ids=(police, ccg)), sag)
    assert group_input(sample_db, sag).quorum_partner_ids == tuple(sorted((police, ccg)))
    row = next(r for r in group_rows(sample_db) if r.id == sag)
    assert row.quorum == "3 agencies, with Beds Police and Luton CCG"
    assert row.quorum_text == (
        "at least 3 agencies represented, including Bedfordshire Police and "
        "Luton Clinical Commissioning Group"
    )
    # Every meeting of the group is judged by the rule (the register and the Attendance tab).
    meeting = next(m for m in meeting_rows(sample_db, today=SAMPLE_TODAY) if m.group_id == sag)
    assert meeting_sheet(sample_db, meeting.id).rule == row.rule

    save_group(
        sample_db,
        dataclasses.replace(
            group_input(sample_db, sag), quorum_agencies=None, quorum_partner_ids=(police,)
        ),
        sag,
    )
    assert next(r for r in group_rows(sample_db) if r.id == sag).quorum == "With Beds Police"
    save_group(
        sample_db,
        dataclasses.replace(group_input(sample_db, sag), quorum_agencies=1, quorum_partner_ids=()),
        sag,
    )
    assert next(r for r in group_rows(sample_db) if r.id == sag).quorum == "1 agency"


def test_a_required_partner_no_longer_on_file_is_refused_naming_the_field(sample_db):
    sag = next(r.id for r in group_rows(sample_db, on=SAMPLE_TODAY) if r.short_name == "SAG")
    terms = group_input(sample_db, sag)
    gone = save_agency(sample_db, AgencyInput(name="Merged Trust"))
    with sample_db.session() as session:
        session.delete(session.get_one(Agency, gone))
    with pytest.raises(InvalidInput) as caught:
        save_group(
            sample_db,
            dataclasses.replace(terms, purpose="Changed", quorum_partner_ids=(gone,)),
            sag,
        )
    assert list(caught.value.problems) == ["quorum_partners"]
    assert "no longer on file" in caught.value.problems["quorum_partners"]
    assert group_input(sample_db, sag) == terms  # nothing changed


def test_board_representatives_are_those_whose_seat_represents_the_agency(sample_db):
    """A member who moves agency represents the new one from the move, and the old one before
    it; a seat held for another agency on purpose stays with that agency."""
    police = next(r for r in agency_rows(sample_db) if r.name == "Bedfordshire Police")
    board = board_group_id(sample_db)
    nick = next(r for r in group_members(sample_db, board) if r.name == "Nick Bellingham")
    probation = next(r for r in agency_rows(sample_db) if r.name.startswith("National Probation"))
    moved_on = SAMPLE_TODAY - dt.timedelta(days=7)
    person = person_input(sample_db, nick.person_id)
    save_person(
        sample_db,
        dataclasses.replace(person, agency_id=probation.id, moved_on=moved_on),
        nick.person_id,
    )
    now = {r.id: r for r in agency_rows(sample_db, on=SAMPLE_TODAY)}
    before = {r.id: r for r in agency_rows(sample_db, on=moved_on - dt.timedelta(days=1))}
    assert "Nick Bellingham" in now[probation.id].representatives
    assert "Nick Bellingham" not in now[police.id].representatives
    assert "Nick Bellingham" in before[police.id].representatives
    assert "Nick Bellingham" not in before[probation.id].representatives
    # The person's own agency is not what counts: their seat's is.
    with sample_db.session() as session:
        seat = session.scalars(
            select(Membership).where(
                Membership.person_id == nick.person_id,
                Membership.group_id == board,
                Membership.end_date.is_(None),
            )
        ).one()
        seat.agency_id = police.id
    now = {r.id: r for r in agency_rows(sample_db, on=SAMPLE_TODAY)}
    assert "Nick Bellingham" in now[police.id].representatives
    assert "Nick Bellingham" not in now[probation.id].representatives
