"""Planning a year of meetings, an agenda and its timing, and papers kept byte for byte."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from lscb_desktop.models import (
    DeclarationAction,
    Document,
    Frequency,
    Meeting,
    MeetingStatus,
    Purpose,
)
from lscb_desktop.services.agenda import (
    HasDeclarations,
    ItemInput,
    add_standard_items,
    agenda_rows,
    attach_paper,
    copy_agenda,
    move_item,
    parse_standard,
    previous_meetings,
    read_paper,
    removal_refused,
    remove_item,
    remove_paper,
    save_item,
    save_standard_items,
    standard_items,
)
from lscb_desktop.services.declarations import (
    DeclarationInput,
    add_declaration,
    register_of_interests,
    remove_declaration,
)
from lscb_desktop.services.groups import GroupInput, group_choices, save_group
from lscb_desktop.services.meetings import MeetingInput, meeting_rows, save_meeting
from lscb_desktop.services.people import person_choices
from lscb_desktop.services.periods import parse_period
from lscb_desktop.services.schedule import create_meetings, plan_year, propose_meetings
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.services.workdays import papers_deadline
from tests.conftest import SAMPLE_TODAY


def test_a_monthly_year_moves_off_a_bank_holiday_and_a_weekend():
    period = parse_period("2026-27")
    # The 25th: Christmas Day 2026 (a Friday) moves to Tuesday 29/12, past Boxing Day's Monday
    # substitute; 25/04/2026 is a Saturday and moves to Monday 27/04.
    proposals = propose_meetings(period, dt.datetime(2026, 4, 25, 10, 0), Frequency.MONTHLY)
    assert len(proposals) == 12
    by_month = {p.starts_at.month: p for p in proposals}
    assert by_month[4].starts_at == dt.datetime(2026, 4, 27, 10, 0)
    assert by_month[4].reason == "moved from 25/04/2026 (a weekend)"
    assert by_month[12].starts_at == dt.datetime(2026, 12, 29, 10, 0)
    assert by_month[12].reason == "moved from 25/12/2026 (a bank holiday)"
    assert by_month[5].starts_at.date() == dt.date(2026, 5, 26)  # 25/05 is the spring bank holiday
    # One move does not drag the rest of the year: June is still the 25th (a Thursday).
    assert by_month[6].starts_at.date() == dt.date(2026, 6, 25)
    assert by_month[6].moved_from is None


def test_a_quarterly_year_and_a_list_of_dates():
    period = parse_period("2026-27")
    quarterly = propose_meetings(period, dt.datetime(2026, 6, 10, 14, 0), Frequency.QUARTERLY)
    assert [p.starts_at.date() for p in quarterly] == [
        dt.date(2026, 6, 10),
        dt.date(2026, 9, 10),
        dt.date(2026, 12, 10),
        dt.date(2027, 3, 10),
    ]
    listed = propose_meetings(
        period,
        dt.datetime(2026, 4, 1, 9, 30),
        dates=[dt.date(2027, 4, 2), dt.date(2026, 8, 31), dt.date(2026, 7, 1)],
    )
    # 31/08/2026 is the summer bank holiday; 02/04/2027 is outside the period.
    assert [p.starts_at for p in listed] == [
        dt.datetime(2026, 7, 1, 9, 30),
        dt.datetime(2026, 9, 1, 9, 30),
    ]
    with pytest.raises(ValueError, match="regular frequency"):
        propose_meetings(period, dt.datetime(2026, 4, 1), Frequency.AS_REQUIRED)


def test_planned_meetings_are_created_once_with_the_default_venue(sample_db):
    group = save_group(sample_db, GroupInput(name="Neglect Task and Finish Group"))
    starts = [
        p.starts_at
        for p in propose_meetings(
            parse_period("2027-28"), dt.datetime(2027, 4, 6, 10), Frequency.QUARTERLY
        )
    ]
    assert create_meetings(sample_db, group, starts) == (4, 0)
    assert create_meetings(sample_db, group, starts) == (0, 4)
    rows = meeting_rows(sample_db, group_id=group, today=SAMPLE_TODAY)
    assert [r.venue for r in rows] == ["Town Hall Extension, Gordon Street, Luton LU1 2BQ"] * 4
    assert {r.status for r in rows} == {MeetingStatus.PLANNED}
    assert rows[0].time == "10:00–12:00"


def test_the_meetings_list_puts_the_next_meeting_first_with_its_papers_deadline(sample_db):
    rows = meeting_rows(sample_db, today=SAMPLE_TODAY)
    first = rows[0]
    assert (first.group, first.date) == ("Executive Group", dt.date(2026, 12, 1))
    assert first.papers_due == dt.date(2026, 11, 24)
    assert (first.papers, first.papers_missing) == (2, 1)
    assert first.papers_due_soon(SAMPLE_TODAY)
    assert not first.papers_overdue(SAMPLE_TODAY)
    assert first.papers_overdue(dt.date(2026, 11, 26))  # the deadline has passed, a paper is out
    past = [r for r in rows if r.date < SAMPLE_TODAY]
    assert past == sorted(past, key=lambda r: r.starts_at, reverse=True)
    held_2025 = meeting_rows(
        sample_db, period=parse_period("2025-26"), status=MeetingStatus.HELD, today=SAMPLE_TODAY
    )
    assert held_2025
    assert all(r.status is MeetingStatus.HELD and r.date < dt.date(2026, 4, 1) for r in held_2025)


def test_a_meeting_clash_is_refused(sample_db):
    existing = meeting_rows(sample_db, today=SAMPLE_TODAY)[0]
    with pytest.raises(InvalidInput) as caught:
        save_meeting(
            sample_db, MeetingInput(group_id=existing.group_id, starts_at=existing.starts_at)
        )
    assert caught.value.problems == {
        "starts_at": "Executive Group already meets at 10:00 on 01/12/2026."
    }
    with pytest.raises(InvalidInput) as caught:
        save_meeting(
            sample_db,
            MeetingInput(
                group_id=existing.group_id,
                starts_at=dt.datetime(2027, 5, 4, 10),
                ends_at=dt.datetime(2027, 5, 4, 9),
            ),
        )
    assert caught.value.problems == {"ends_at": "The meeting must end after it starts."}


def new_meeting(db) -> int:
    group = save_group(db, GroupInput(name="Neglect Task and Finish Group"))
    return save_meeting(
        db, MeetingInput(group_id=group, starts_at=dt.datetime(2027, 1, 12, 13, 30))
    )


def test_agenda_timing_runs_from_the_start_through_each_item(sample_db):
    meeting = new_meeting(sample_db)
    assert add_standard_items(sample_db, meeting) == 5
    save_item(
        sample_db,
        meeting,
        ItemInput(
            "Neglect audit findings", purpose=Purpose.ASSURANCE, minutes=25, paper_expected=True
        ),
    )
    save_item(
        sample_db,
        meeting,
        ItemInput(
            "Draft neglect strategy",
            purpose=Purpose.DECISION,
            minutes=20,
            presenter_text="Head of Service",
        ),
    )
    rows = agenda_rows(sample_db, meeting)
    assert [(r.number, f"{r.starts_at:%H:%M}", r.title, r.minutes) for r in rows] == [
        (1, "13:30", "Welcome, introductions and apologies", 5),
        (2, "13:35", "Minutes of the last meeting and matters arising", 10),
        (3, "13:45", "Action log", 10),
        (4, "13:55", "Neglect audit findings", 25),
        (5, "14:20", "Draft neglect strategy", 20),
        (6, "14:40", "Any other business", 5),
        (7, "14:45", "Date of next meeting", 5),
    ]
    assert rows[4].presenter == "Head of Service"
    assert [r.title for r in rows if r.waiting_for_paper] == ["Neglect audit findings"]
    move_item(sample_db, rows[4].id, -1)
    rows = agenda_rows(sample_db, meeting)
    assert [r.title for r in rows[3:5]] == ["Draft neglect strategy", "Neglect audit findings"]
    assert f"{rows[4].starts_at:%H:%M}" == "14:15"
    remove_item(sample_db, rows[3].id, version=rows[3].version)
    assert [r.number for r in agenda_rows(sample_db, meeting)] == [1, 2, 3, 4, 5, 6]
    assert add_standard_items(sample_db, meeting) == 0  # already there


def test_a_groups_own_standard_items_are_used_and_checked(sample_db):
    meeting = new_meeting(sample_db)
    group = meeting_rows(sample_db, today=SAMPLE_TODAY)
    group_id = next(r.group_id for r in group if r.id == meeting)
    with pytest.raises(InvalidInput) as caught:
        save_standard_items(sample_db, group_id, "Welcome | chat | 5", "")
    assert "“chat” is not one of" in caught.value.problems["opening"]
    save_standard_items(
        sample_db, group_id, "Welcome and apologies | information | 5", "Close | information"
    )
    assert standard_items(sample_db, group_id) == (
        "Welcome and apologies | information | 5",
        "Close | information",
    )
    add_standard_items(sample_db, meeting)
    assert [r.title for r in agenda_rows(sample_db, meeting)] == ["Welcome and apologies", "Close"]
    assert parse_standard("AOB")[0].minutes is None


def test_a_paper_is_stored_and_read_back_byte_for_byte_and_replaced(sample_db, tmp_path):
    meeting = new_meeting(sample_db)
    item = save_item(sample_db, meeting, ItemInput("Neglect audit findings", paper_expected=True))
    content = bytes(range(256)) * 1000 + b"%%EOF"
    paper = tmp_path / "Neglect audit.pdf"
    paper.write_bytes(content)
    first = attach_paper(sample_db, item, paper, confidential=True)
    assert read_paper(sample_db, first) == ("Neglect audit.pdf", content)
    row = agenda_rows(sample_db, meeting)[0]
    assert (row.paper, row.confidential, row.waiting_for_paper) == (
        "Neglect audit.pdf",
        True,
        False,
    )
    second_file = tmp_path / "Neglect audit v2.docx"
    second_file.write_bytes(b"PK\x03\x04 word")
    second = attach_paper(sample_db, item, second_file, confidential=False, paper_shown=first)
    assert read_paper(sample_db, second) == ("Neglect audit v2.docx", b"PK\x03\x04 word")
    with sample_db.session() as session:
        assert session.get(Document, first) is None  # the replaced file is not kept
    with pytest.raises(InvalidInput, match="not a PDF, Word or Excel file"):
        attach_paper(sample_db, item, tmp_path / "photo.jpg")
    remove_paper(sample_db, item, paper_shown=second)
    assert agenda_rows(sample_db, meeting)[0].waiting_for_paper


def test_an_agenda_is_copied_from_a_previous_meeting_of_the_group(sample_db):
    upcoming = meeting_rows(sample_db, today=SAMPLE_TODAY)
    board = next(r for r in upcoming if r.group == "Strategic Board")
    empty = save_meeting(
        sample_db,
        dataclasses.replace(
            MeetingInput(group_id=board.group_id, starts_at=dt.datetime(2027, 6, 9, 14))
        ),
    )
    source, _ = previous_meetings(sample_db, empty)[0]
    copied = copy_agenda(sample_db, source, empty)
    assert [r.title for r in agenda_rows(sample_db, empty)] == [
        r.title for r in agenda_rows(sample_db, source)
    ]
    assert copied == len(agenda_rows(sample_db, source))
    assert not any(r.paper for r in agenda_rows(sample_db, empty))
    other = next(r for r in upcoming if r.group == "Executive Group")
    with pytest.raises(InvalidInput, match="same group"):
        copy_agenda(sample_db, other.id, empty)
    with sample_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Meeting).where(Meeting.id == empty))


def test_an_item_with_a_declaration_of_interest_is_not_removed_until_the_declaration_is(sample_db):
    meeting = new_meeting(sample_db)
    item = save_item(sample_db, meeting, ItemInput("Commissioning of early help"))
    other = save_item(sample_db, meeting, ItemInput("Any other business"))
    people = {c.text.split(" (")[0]: c.id for c in person_choices(sample_db)}
    declared = add_declaration(
        sample_db,
        meeting,
        DeclarationInput(
            people["Mary Emson"],
            "Her employer bids for the contract",
            DeclarationAction.LEFT_ROOM,
            agenda_item_id=item,
        ),
    )
    add_declaration(sample_db, meeting, DeclarationInput(people["Liz Mead"], "A governor"))
    rows = {r.id: r for r in agenda_rows(sample_db, meeting)}
    message = "Mary Emson declared an interest in this item: remove the declaration first."
    assert removal_refused(sample_db, item) == message
    with pytest.raises(HasDeclarations) as caught:
        remove_item(sample_db, item, version=rows[item].version)
    assert str(caught.value) == message
    assert item in [r.id for r in agenda_rows(sample_db, meeting)]
    # Another item, and the whole meeting's declaration, do not stand in the way.
    assert removal_refused(sample_db, other) == ""
    remove_item(sample_db, other, version=rows[other].version)
    add_declaration(
        sample_db,
        meeting,
        DeclarationInput(people["Liz Mead"], "Related to a provider", agenda_item_id=item),
    )
    assert removal_refused(sample_db, item) == (
        "Liz Mead and Mary Emson declared an interest in this item: remove the declarations first."
    )
    for row in register_of_interests(sample_db, meeting_id=meeting):
        if row.item_id == item:
            remove_declaration(sample_db, row.id, version=row.version)
    remove_item(sample_db, item, version=None)
    assert [r.title for r in agenda_rows(sample_db, meeting)] == []
    assert [r.interest for r in register_of_interests(sample_db, meeting_id=meeting)] == [
        "A governor"
    ]
    assert declared not in [r.id for r in register_of_interests(sample_db, meeting_id=meeting)]


@pytest.mark.parametrize(
    ("meeting", "due"),
    [
        (dt.date(2027, 1, 4), dt.date(2026, 12, 24)),  # 28/12/2026 is Boxing Day's substitute
        # 29/03/2027 is Easter Monday, and 26/03 Good Friday: papers on Thursday 25/03.
        (dt.date(2027, 4, 5), dt.date(2027, 3, 25)),
        (dt.date(2026, 12, 8), dt.date(2026, 12, 1)),  # a working day stays
        (dt.date(2026, 12, 14), dt.date(2026, 12, 7)),
        (dt.date(2026, 12, 13), dt.date(2026, 12, 4)),  # a Sunday meeting: papers on Friday
    ],
)
def test_papers_due_on_a_weekend_or_bank_holiday_move_to_the_working_day_before(meeting, due):
    assert papers_deadline(meeting, 7) == due


def test_a_plan_proposes_only_dates_to_come_and_marks_the_groups_meetings_near(sample_db):
    group = next(c.id for c in group_choices(sample_db) if c.text == "Scrutiny and Assurance Group")
    plan = plan_year(
        sample_db,
        group,
        parse_period("2026-27"),
        dt.datetime(2026, 4, 1, 10),
        Frequency.QUARTERLY,
        today=SAMPLE_TODAY,
    )
    assert plan.past == 3
    # 04/01/2027 is a month before the quarterly group's 04/02/2027: the same meeting again.
    assert [(d.starts_at.date(), d.near) for d in plan.dates] == [
        (dt.date(2027, 1, 4), dt.datetime(2027, 2, 4, 9, 30))
    ]
    with pytest.raises(InvalidInput, match="is not after today"):
        create_meetings(sample_db, group, [dt.datetime(2026, 11, 23, 10)])
