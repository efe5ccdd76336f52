"""The Sub-groups tab's list, terms of reference, archiving, and the agencies' representation."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from lscb_desktop.models import Frequency
from lscb_desktop.services.agencies import AgencyInput, agency_rows, save_agency
from lscb_desktop.services.groups import (
    GroupInput,
    archive_group,
    group_input,
    group_rows,
    save_group,
)
from lscb_desktop.services.members import board_group_id, end_membership, group_members
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
