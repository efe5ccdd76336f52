"""Several people recording the same meeting's attendance at once, each with their own database
connection (threads, as separate programs would be): no error, one row per person, the last
write standing, and a change log that replays to exactly what is recorded. Runs on SQLite files
and, with LSCB_TEST_DATABASE_URL, on the PostgreSQL server."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select

from lscb_desktop.models import Attendance, AttendanceStatus, ChangeLogEntry, Meeting, MeetingStatus
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.attendance_recording import mark_all_present, record_attendance
from lscb_desktop.services.history import RecordRef, read_history
from lscb_desktop.store import Database, open_database

P, A, S, X = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.SUBSTITUTE,
    AttendanceStatus.ABSENT,
)


@pytest.fixture
def databases(sample_target: str) -> Iterator[list[Database]]:
    """Four connections to one copy of the sample, as four programs would have."""
    opened = [open_database(sample_target) for _ in range(4)]
    yield opened
    for database in opened:
        database.dispose()


def _held_meeting(database: Database) -> int:
    with database.session() as session:
        meetings = session.scalars(
            select(Meeting.id)
            .where(Meeting.status == MeetingStatus.HELD)
            .where(Meeting.attendance_confirmed_on.is_(None))  # not locked by the minutes
            .order_by(Meeting.id)
        ).all()
    return next(m for m in meetings if len(meeting_sheet(database, m).attendees) >= 6)


def _together(jobs: list[Callable[[threading.Barrier], None]]) -> list[BaseException]:
    """Runs each job in its own thread; they meet at the barrier before each write."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[threading.Barrier], None]) -> None:
        try:
            job(barrier)
        except threading.BrokenBarrierError:
            pass
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()  # the others stop waiting for this one

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _state(database: Database, meeting_id: int) -> dict[str, dict[str, object]]:
    with database.session() as session:
        rows = session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))
        return {
            str(r.id): {
                "person_id": r.person_id,
                "status": r.status.value,
                "substitute_id": r.substitute_id,
                "substitute_name": r.substitute_name,
            }
            for r in rows
        }


def _replayed(
    database: Database, before: dict[str, dict[str, object]], after_log_id: int, meeting_id: int
) -> dict[str, dict[str, object]]:
    """The recorded state rebuilt from the state before and the change log since."""
    state = {key: dict(value) for key, value in before.items()}
    with database.session() as session:
        entries = session.scalars(
            select(ChangeLogEntry)
            .where(ChangeLogEntry.table_name == "attendance", ChangeLogEntry.id > after_log_id)
            .order_by(ChangeLogEntry.id)
        ).all()
    for entry in entries:
        changes = json.loads(entry.changes)
        if entry.operation == "delete":
            del state[entry.record_id]
            continue
        if entry.operation == "insert":
            if changes["meeting_id"][1] != meeting_id:
                continue
            state[entry.record_id] = {
                "person_id": None,
                "status": None,
                "substitute_id": None,
                "substitute_name": "",
            }
        row = state[entry.record_id]
        for field, (_old, new) in changes.items():
            if field in row:
                row[field] = "" if new is None and field == "substitute_name" else new
    return state


def _last_log_id(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.coalesce(func.max(ChangeLogEntry.id), 0))) or 0)


def test_four_people_recording_the_same_cells_at_once(databases: list[Database]) -> None:
    first = databases[0]
    meeting = _held_meeting(first)
    people = [row.person_id for row in meeting_sheet(first, meeting).attendees]
    for person in people[::2]:  # some cells start empty, some recorded
        record_attendance(first, meeting, person, None)
    before = _state(first, meeting)
    mark = _last_log_id(first)
    plans: list[tuple[AttendanceStatus | None, str]] = [
        (P, ""),
        (A, ""),
        (S, "Stand-in"),
        (None, ""),
    ]
    rounds = 3

    def recorder(database: Database, status: AttendanceStatus | None, name: str):
        def job(barrier: threading.Barrier) -> None:
            for _ in range(rounds):
                for person in people:
                    barrier.wait()
                    record_attendance(database, meeting, person, status, substitute_name=name)

        return job

    errors = _together(
        [recorder(db, status, name) for db, (status, name) in zip(databases, plans, strict=True)]
    )
    assert errors == []

    after = _state(first, meeting)
    by_person = [row["person_id"] for row in after.values()]
    assert len(by_person) == len(set(by_person))  # one row per person
    for row in after.values():  # each cell holds one of the writes, whole
        assert (row["status"], row["substitute_name"]) in {
            ("present", ""),
            ("apologies", ""),
            ("substitute", "Stand-in"),
        }
    assert _replayed(first, before, mark, meeting) == after  # nothing missing from the log


def test_two_people_marking_everyone_present_at_once(databases: list[Database]) -> None:
    first = databases[0]
    meeting = _held_meeting(first)
    people = [row.person_id for row in meeting_sheet(first, meeting).attendees]
    for person in people:
        record_attendance(first, meeting, person, None)
    mark = _last_log_id(first)
    counts: list[int] = []

    def marker(database: Database):
        def job(barrier: threading.Barrier) -> None:
            barrier.wait()
            counts.append(mark_all_present(database, meeting))

        return job

    def recorder(barrier: threading.Barrier) -> None:
        barrier.wait()
        record_attendance(databases[2], meeting, people[0], A)

    assert _together([marker(databases[0]), marker(databases[1]), recorder]) == []
    after = _state(first, meeting)
    assert len(after) == len(people)
    assert sum(counts) in (len(people), len(people) - 1)  # Apologies may have come first
    assert _replayed(first, {}, mark, meeting) == after
    with first.session() as session:
        inserts = session.scalar(
            select(func.count())
            .select_from(ChangeLogEntry)
            .where(ChangeLogEntry.id > mark, ChangeLogEntry.operation == "insert")
        )
    assert inserts == len(people)


def test_an_upserted_cell_shows_in_history_with_its_versions(
    sample_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting = _held_meeting(sample_db)
    person = meeting_sheet(sample_db, meeting).attendees[0].person_id
    record_attendance(sample_db, meeting, person, None)
    record_attendance(sample_db, meeting, person, S, substitute_name="  Joe Stand-in ")
    record_attendance(sample_db, meeting, person, S, substitute_name="Joe Stand-in")  # the same
    record_attendance(sample_db, meeting, person, P)
    with sample_db.session() as session:
        row = session.scalars(
            select(Attendance).where(
                Attendance.meeting_id == meeting, Attendance.person_id == person
            )
        ).one()
        assert (row.status, row.substitute_name, row.version) == (P, "", 2)
        record_id = row.id
    history = read_history(sample_db, [RecordRef("attendance", str(record_id))], None, None)
    assert [e.operation for e in history.entries] == ["update", "insert"]
    newest, made = history.entries
    assert {c.field: c.new_value for c in made.changes}.items() >= {
        ("status", "substitute"),
        ("substitute_name", "Joe Stand-in"),
    }
    assert {c.field: (c.old_value, c.new_value) for c in newest.changes} == {
        "status": ("substitute", "present"),
        "substitute_name": ("Joe Stand-in", ""),
    }
    from lscb_desktop.cli import main

    sample_db.dispose()  # the command line opens it itself
    target = sample_db.engine.url.render_as_string(hide_password=False)
    if sample_db.path is not None:
        target = str(sample_db.path)
    assert main(["--db", target, "history", "--record", f"attendance:{record_id}"]) == 0
    out = capsys.readouterr().out
    changed, created = out.split(f"\n{out[:2]}")  # newest first, each line from its date
    assert f"changed  Attendance {record_id} (" in changed
    assert "    Status: Substitute → Present\n" in changed
    assert changed.endswith("    Substitute (not on file): Joe Stand-in → (blank)")
    assert f"created  Attendance {record_id} (" in created
    assert "    Substitute (not on file): Joe Stand-in\n" in created


def test_a_meeting_deleted_meanwhile_is_said_in_words(sample_db: Database) -> None:
    from lscb_desktop.store.versions import RecordGone

    meeting = _held_meeting(sample_db)
    person = meeting_sheet(sample_db, meeting).attendees[0].person_id
    with sample_db.session() as session:
        session.delete(session.get_one(Meeting, meeting))
    with pytest.raises(RecordGone, match="meeting is no longer in the database"):
        record_attendance(sample_db, meeting, person, P)
    with pytest.raises(RecordGone, match="meeting is no longer in the database"):
        mark_all_present_for(sample_db, meeting, [person])


def mark_all_present_for(database: Database, meeting: int, people: list[int]) -> int:
    from lscb_desktop.services.attendance_cells import fill_cells

    with database.session() as session:
        return fill_cells(session, meeting, people, P)
