"""Every kind of change the window makes is one undoable step: undo puts back every row exactly
(ids, links, papers), and redo makes the change again, row for row.

Each case below is a service the window calls, on the sample, as the window calls it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from lscb_desktop.models import (
    Action,
    Agency,
    AgendaItem,
    AttendanceStatus,
    Audit,
    CaseReview,
    DeclarationAction,
    Group,
    Meeting,
    MeetingStatus,
    Membership,
)
from lscb_desktop.services.actions import action_input, mark_done, save_action
from lscb_desktop.services.agencies import agency_input, save_agency
from lscb_desktop.services.agenda import (
    ItemInput,
    add_standard_items,
    attach_paper,
    copy_agenda,
    item_input,
    move_item,
    remove_item,
    remove_paper,
    save_item,
    save_standard_items,
)
from lscb_desktop.services.attendance_recording import mark_all_present, record_attendance
from lscb_desktop.services.audits import audit_input, save_audit
from lscb_desktop.services.declarations import DeclarationInput, add_declaration
from lscb_desktop.services.groups import GroupInput, archive_group, group_input, save_group
from lscb_desktop.services.guests import add_guest
from lscb_desktop.services.meeting_removal import delete_meeting
from lscb_desktop.services.meetings import meeting_input, save_meeting, set_meeting_status
from lscb_desktop.services.members import (
    MembershipInput,
    add_member,
    delete_membership,
    end_membership,
    member_form,
    set_checklist,
    update_member,
)
from lscb_desktop.services.people import PersonInput
from lscb_desktop.services.reviews import case_review_input, save_case_review
from lscb_desktop.services.schedule import create_meetings
from lscb_desktop.services.settings import load_settings, save_settings
from lscb_desktop.services.undo import redo, undo
from lscb_desktop.store import Database
from lscb_desktop.store.journal import Step
from tests.conftest import SAMPLE_TODAY
from tests.services.test_undo import snapshot


def _first(database: Database, query) -> int:
    with database.session() as session:
        found = session.scalars(query.limit(1)).first()
    assert found is not None, "the sample has one"
    return int(found)


def _open_meeting(db: Database) -> int:
    """A meeting to come whose attendance is not confirmed, with an agenda."""
    return _first(
        db,
        select(Meeting.id)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(Meeting.attendance_confirmed_on.is_(None), Meeting.status == MeetingStatus.PLANNED)
        .order_by(Meeting.starts_at),
    )


def _item(db: Database, *, with_paper: bool = False) -> int:
    query = select(AgendaItem.id).where(AgendaItem.meeting_id == _open_meeting(db))
    if with_paper:
        query = select(AgendaItem.id).where(AgendaItem.document_id.is_not(None))
    return _first(db, query.order_by(AgendaItem.id))


def _membership(db: Database) -> int:
    return _first(
        db,
        select(Membership.id).where(Membership.end_date.is_(None)).order_by(Membership.id),
    )


def _id(db: Database, model) -> int:
    return _first(db, select(model.id).order_by(model.id))


def _new_member(db: Database, _tmp: Path) -> None:
    add_member(
        db,
        _id(db, Group),
        MembershipInput(start_date=SAMPLE_TODAY),
        person=PersonInput(name="Jo Bloggs", email="jo.bloggs@example.org"),
    )


def _edit_member(db: Database, _tmp: Path) -> None:
    membership_id = _membership(db)
    form = member_form(db, membership_id)
    update_member(
        db,
        membership_id,
        dataclasses.replace(form.person, job_title="Interim Director"),
        dataclasses.replace(form.membership, notes="Covering until March"),
    )


def _attach(db: Database, tmp: Path) -> None:
    paper = tmp / "Annual report.pdf"
    paper.write_bytes(b"%PDF-1.4\n% a paper\n%%EOF\n")
    attach_paper(db, _item(db), paper, confidential=True)


def _a_member_of(db: Database, meeting_id: int) -> int:
    return _first(
        db,
        select(Membership.person_id)
        .join(Meeting, Meeting.group_id == Membership.group_id)
        .where(Meeting.id == meeting_id, Membership.end_date.is_(None)),
    )


def _declare(db: Database, _tmp: Path) -> None:
    meeting_id = _open_meeting(db)
    add_declaration(
        db,
        meeting_id,
        DeclarationInput(
            _a_member_of(db, meeting_id), "Trustee of a local charity", DeclarationAction.STAYED
        ),
    )


def _record(db: Database, _tmp: Path) -> None:
    meeting_id = _open_meeting(db)
    record_attendance(db, meeting_id, _a_member_of(db, meeting_id), AttendanceStatus.APOLOGIES)


CHANGES: dict[str, Callable[[Database, Path], object]] = {
    "new meeting": lambda db, _t: save_meeting(
        db,
        dataclasses.replace(
            meeting_input(db, _open_meeting(db)),
            starts_at=dt.datetime(2027, 3, 9, 10),
            ends_at=dt.datetime(2027, 3, 9, 12),
        ),
    ),
    "edit meeting": lambda db, _t: save_meeting(
        db,
        dataclasses.replace(meeting_input(db, _open_meeting(db)), notes="Room changed"),
        _open_meeting(db),
    ),
    "plan a year": lambda db, _t: create_meetings(
        db, _id(db, Group), [dt.datetime(2027, 6, 8, 10), dt.datetime(2027, 9, 7, 10)]
    ),
    "cancel meeting": lambda db, _t: set_meeting_status(
        db, _open_meeting(db), MeetingStatus.CANCELLED
    ),
    "delete meeting": lambda db, _t: delete_meeting(db, _open_meeting(db), version=None),
    "add item": lambda db, _t: save_item(db, _open_meeting(db), ItemInput(title="Any other")),
    "edit item": lambda db, _t: save_item(
        db,
        _open_meeting(db),
        dataclasses.replace(item_input(db, _item(db)), title="Renamed item"),
        _item(db),
    ),
    "move item": lambda db, _t: move_item(db, _item(db), 1),
    "remove item": lambda db, _t: remove_item(db, _item(db), version=None),
    "standard items": lambda db, _t: add_standard_items(
        db, _first(db, select(Meeting.id).order_by(Meeting.id.desc()))
    ),
    "copy agenda": lambda db, _t: copy_agenda(
        db,
        _open_meeting(db),
        _first(
            db,
            select(Meeting.id)
            .where(Meeting.status == MeetingStatus.PLANNED, Meeting.id != _open_meeting(db))
            .order_by(Meeting.starts_at.desc()),
        ),
    ),
    "attach paper": _attach,
    "remove paper": lambda db, _t: remove_paper(
        db,
        _item(db, with_paper=True),
        paper_shown=_first(
            db,
            select(AgendaItem.document_id).where(AgendaItem.id == _item(db, with_paper=True)),
        ),
    ),
    "new action": lambda db, _t: save_action(
        db,
        dataclasses.replace(
            action_input(db, _id(db, Action)), description="Circulate the audit findings"
        ),
    ),
    "edit action": lambda db, _t: save_action(
        db,
        dataclasses.replace(action_input(db, _id(db, Action)), due_date=dt.date(2027, 2, 26)),
        _id(db, Action),
    ),
    "action done": lambda db, _t: mark_done(db, _id(db, Action), SAMPLE_TODAY),
    "new member": _new_member,
    "edit member": _edit_member,
    "end membership": lambda db, _t: end_membership(db, _membership(db), SAMPLE_TODAY),
    "checklist": lambda db, _t: set_checklist(
        db, _membership(db), {"agreement_signed_on": SAMPLE_TODAY}
    ),
    "delete membership": lambda db, _t: delete_membership(db, _newest(db), version=None),
    "new group": lambda db, _t: save_group(db, GroupInput(name="Neglect Task and Finish Group")),
    "edit group": lambda db, _t: save_group(
        db,
        dataclasses.replace(group_input(db, _id(db, Group)), short_name="LSCB-B"),
        _id(db, Group),
    ),
    "archive group": lambda db, _t: archive_group(
        db, _first(db, select(Group.id).order_by(Group.id.desc())), SAMPLE_TODAY
    ),
    "edit agency": lambda db, _t: save_agency(
        db,
        dataclasses.replace(agency_input(db, _id(db, Agency)), short_name="LBC"),
        _id(db, Agency),
    ),
    "record attendance": _record,
    "mark all present": lambda db, _t: mark_all_present(db, _open_meeting(db)),
    "add guest": lambda db, _t: add_guest(db, _open_meeting(db), "Sam Visitor", "Ofsted"),
    "declare interest": _declare,
    "edit audit": lambda db, _t: save_audit(
        db,
        dataclasses.replace(audit_input(db, _id(db, Audit)), notes="Findings to March Board"),
        _id(db, Audit),
    ),
    "edit case review": lambda db, _t: save_case_review(
        db,
        dataclasses.replace(case_review_input(db, _id(db, CaseReview)), notes="Panel met"),
        _id(db, CaseReview),
    ),
    "settings": lambda db, _t: save_settings(
        db, dataclasses.replace(load_settings(db), papers_deadline_days=10)
    ),
}


def _newest(db: Database) -> int:
    return _first(db, select(Membership.id).order_by(Membership.id.desc()))


#: What a change needs on file first, made before the step (and not part of it).
BEFOREHAND: dict[str, Callable[[Database], object]] = {
    # A membership with no history, which may be deleted.
    "delete membership": lambda db: add_member(
        db,
        _id(db, Group),
        MembershipInput(start_date=SAMPLE_TODAY),
        person=PersonInput(name="Pat Newcomer"),
    ),
    "archive group": lambda db: save_group(db, GroupInput(name="Short-lived group")),
    # A meeting with no agenda yet, of a group with standard items.
    "standard items": lambda db: (
        save_standard_items(db, _id(db, Group), "Welcome and apologies", "Any other business"),
        create_meetings(db, _id(db, Group), [dt.datetime(2027, 3, 16, 10)]),
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_each_kind_of_change_is_one_step_that_undo_puts_back_exactly(
    sample_db: Database, steps: list[Step], tmp_path: Path, change: str
) -> None:
    if change in BEFOREHAND:
        with sample_db.journal.paused():
            BEFOREHAND[change](sample_db)
    before = snapshot(sample_db)
    start = len(steps)
    with sample_db.journal.labelled(change):
        CHANGES[change](sample_db, tmp_path)
    after = snapshot(sample_db)
    assert after != before, "the change changed something"
    made = steps[start:]
    assert len(made) == 1, f"one step, not {len(made)}"
    (step,) = made
    assert step.undoable, f"{change} is undoable"
    assert step.label == change
    again = undo(sample_db, step)
    assert snapshot(sample_db) == before
    redone = redo(sample_db, again)
    assert snapshot(sample_db) == after
    undo(sample_db, redone)
    assert snapshot(sample_db) == before
