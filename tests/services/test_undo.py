"""Undo and redo put back exactly what a step changed: every row of every table, with the same
ids, links and papers; a row someone else changed since stops the undo and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from lscb_desktop.models import (
    Action,
    Agency,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Base,
    ChangeLogEntry,
    Group,
    Meeting,
    Person,
)
from lscb_desktop.services.attendance_cells import Cell, write_cell
from lscb_desktop.services.meeting_removal import delete_meeting, what_goes
from lscb_desktop.services.undo import CannotUndo, label_for, redo, undo
from lscb_desktop.store import Database
from lscb_desktop.store.journal import Step


def snapshot(database: Database) -> dict[str, dict[Any, dict[str, Any]]]:
    """Every row of every table but the change log, by key, the save count left out."""
    found: dict[str, dict[Any, dict[str, Any]]] = {}
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name == ChangeLogEntry.__tablename__:
                continue
            rows = {}
            for row in connection.execute(select(table)).mappings():
                values = {k: v for k, v in row.items() if k != "version"}
                rows[tuple(row[c.key] for c in table.primary_key.columns)] = values
            found[table.name] = rows
    return found


def _fullest_meeting(database: Database) -> int:
    """The meeting with the most attendance and an agenda item with a paper."""
    with database.session() as session:
        return session.scalars(
            select(Meeting.id)
            .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
            .join(Attendance, Attendance.meeting_id == Meeting.id)
            .where(AgendaItem.document_id.is_not(None), Meeting.attendance_confirmed_on.is_(None))
            .group_by(Meeting.id)
            .order_by(func.count(Attendance.id).desc())
        ).first()  # type: ignore[return-value]


def test_undoing_a_meeting_deleted_puts_back_every_row_and_redo_deletes_it_again(
    sample_db: Database, steps: list[Step]
) -> None:
    meeting_id = _fullest_meeting(sample_db)
    goes = what_goes(sample_db, meeting_id)
    assert goes.agenda_items and goes.papers and goes.attendance
    before = snapshot(sample_db)
    with sample_db.journal.labelled("delete meeting"):
        delete_meeting(sample_db, meeting_id, version=None)
    deleted = snapshot(sample_db)
    assert meeting_id not in {key[0] for key in deleted["meeting"]}
    assert len(deleted["document"]) == len(before["document"]) - goes.papers
    (step,) = steps
    assert step.label == "delete meeting"

    redo_step = undo(sample_db, step)
    assert snapshot(sample_db) == before  # the same ids, links and papers' bytes

    again = redo(sample_db, redo_step)
    assert snapshot(sample_db) == deleted
    undo(sample_db, again)
    assert snapshot(sample_db) == before
    assert steps == [step]  # putting back is not itself a step to undo


def test_a_change_someone_else_made_since_stops_the_undo_and_changes_nothing(
    sample_db: Database, steps: list[Step]
) -> None:
    with sample_db.session() as session:
        group = session.scalars(select(Group).order_by(Group.id)).first()
        assert group is not None
        group_id, old = group.id, group.purpose
        group.purpose = "Mine"
    (step,) = steps
    sample_db.journal.recording = False  # someone else's window
    with sample_db.session() as session:
        session.get_one(Group, group_id).purpose = "Theirs"
    sample_db.journal.recording = True
    before = snapshot(sample_db)
    with pytest.raises(CannotUndo, match="changed by someone else"):
        undo(sample_db, step)
    assert snapshot(sample_db) == before
    assert old != "Theirs"


def test_undoing_a_form_edit_restores_the_fields_and_logs_the_undo(
    sample_db: Database, steps: list[Step]
) -> None:
    before = snapshot(sample_db)
    with sample_db.session() as session:
        person = session.scalars(select(Person).order_by(Person.id)).first()
        assert person is not None
        person_id = person.id
        person.job_title = "Changed"
        person.phone = "07700 900123"
    (step,) = steps
    assert label_for(step).startswith("change person")
    undo(sample_db, step)
    assert snapshot(sample_db) == before
    with sample_db.session() as session:
        latest = session.scalars(
            select(ChangeLogEntry)
            .where(
                ChangeLogEntry.table_name == "person", ChangeLogEntry.record_id == str(person_id)
            )
            .order_by(ChangeLogEntry.id.desc())
        ).first()
        assert latest is not None and "Changed" in latest.changes


def test_undoing_attendance_recorded_cell_by_cell(sample_db: Database, steps: list[Step]) -> None:
    with sample_db.session() as session:
        row = session.scalars(select(Attendance).order_by(Attendance.id)).first()
        assert row is not None
        meeting_id, person_id, status = row.meeting_id, row.person_id, row.status
        session.get_one(Meeting, meeting_id).attendance_confirmed_on = None
    steps.clear()
    before = snapshot(sample_db)
    wanted = (
        AttendanceStatus.ABSENT if status != AttendanceStatus.ABSENT else AttendanceStatus.PRESENT
    )
    with sample_db.session() as session:
        assert write_cell(session, meeting_id, person_id, Cell(wanted))
    with sample_db.session() as session:
        assert write_cell(session, meeting_id, person_id, None)
    first, second = steps
    assert all(step.undoable for step in steps)
    undo(sample_db, second)
    undo(sample_db, first)
    assert snapshot(sample_db) == before


def test_links_in_link_tables_come_back(sample_db: Database, steps: list[Step]) -> None:
    with sample_db.session() as session:
        group = session.scalars(select(Group).order_by(Group.id)).first()
        agencies = session.scalars(select(Agency).order_by(Agency.id).limit(2)).all()
        assert group is not None
        group.quorum_partners = list(agencies)
    steps.clear()
    before = snapshot(sample_db)
    with sample_db.session() as session:
        session.get_one(Group, group.id).quorum_partners = []
    (step,) = steps
    undo(sample_db, step)
    assert snapshot(sample_db) == before


def test_a_confirmed_meeting_is_not_deleted(sample_db: Database) -> None:
    with sample_db.session() as session:
        meeting = session.scalars(
            select(Meeting).where(Meeting.attendance_confirmed_on.is_not(None))
        ).first()
        assert meeting is not None
        meeting_id = meeting.id
    assert "cannot be deleted" in what_goes(sample_db, meeting_id).refusal
    before = snapshot(sample_db)
    with pytest.raises(Exception, match="cannot be deleted"):
        delete_meeting(sample_db, meeting_id, version=None)
    assert snapshot(sample_db) == before


def test_deleting_a_meeting_takes_its_actions(sample_db: Database) -> None:
    with sample_db.session() as session:
        action = session.scalars(
            select(Action).join(Meeting).where(Meeting.attendance_confirmed_on.is_(None))
        ).first()
        assert action is not None
        meeting_id, action_id = action.meeting_id, action.id
    assert meeting_id is not None
    assert what_goes(sample_db, meeting_id).actions >= 1
    delete_meeting(sample_db, meeting_id, version=None)
    with sample_db.session() as session:
        assert session.get(Action, action_id) is None


def test_statements_outside_the_unit_of_work_and_the_database_own_cascades_are_followed(
    sample_db: Database, steps: list[Step]
) -> None:
    """A DELETE statement: the database removes the agenda, attendance and declarations and
    clears the actions' link itself (ON DELETE CASCADE / SET NULL); undo puts all of it back."""
    meeting_id = _fullest_meeting(sample_db)
    before = snapshot(sample_db)
    with sample_db.session() as session:
        session.execute(delete(Meeting).where(Meeting.id == meeting_id))
        session.execute(update(Person).where(Person.id < 4).values(job_title="Bulk"))
    (step,) = steps
    assert step.undoable
    assert {"meeting", "agenda_item", "attendance", "person"} <= {c.table for c in step.changes}
    undo(sample_db, step)
    assert snapshot(sample_db) == before


def test_a_statement_the_journal_cannot_follow_makes_the_step_not_undoable(
    sample_db: Database, steps: list[Step]
) -> None:
    with sample_db.session() as session:
        row = session.scalars(select(Attendance)).first()
        assert row is not None
        table = Attendance.__table__
        dialect = session.connection().dialect.name
        upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            upsert(table)
            .values(**{c.key: getattr(row, c.key) for c in table.columns})
            .on_conflict_do_update(index_elements=["id"], set_={"notes": "Upserted"})
        )
    (step,) = steps
    assert not step.undoable
    with pytest.raises(CannotUndo, match="cannot be undone"):
        undo(sample_db, step)
