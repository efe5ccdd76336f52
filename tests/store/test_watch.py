"""Seeing each other's work: the watcher says which tables another program (here, a second open
Database on the same database) has changed, and not what this one changed itself."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from lscb_desktop.models import Agency, AttendanceStatus, Meeting, Person
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.attendance_recording import record_attendance
from lscb_desktop.store import Database, open_database, watch
from lscb_desktop.store.watch import Changes

#: Word of a change reaches a server's listener a moment after the commit.
WAIT = 10.0


def hooked(database: Database) -> Database:
    """The database with the watch listeners installed (Database.__init__ installs them; this
    makes sure, and is harmless when it has)."""
    watch.install(database._factory)
    return database


def second(database: Database) -> Database:
    """Another program's view of the same database: a Database of its own."""
    target = database.path or database.engine.url.render_as_string(hide_password=False)
    return hooked(open_database(target))


@pytest.fixture
def pair(sample_db):
    other = second(hooked(sample_db))
    watcher = watch.watcher_for(sample_db)
    yield sample_db, other, watcher
    watcher.close()
    other.dispose()


def rename_first_person(database: Database, name: str) -> int:
    with database.session() as session:
        person = session.scalars(select(Person).order_by(Person.id)).first()
        assert person is not None
        person.name = name
        return person.id


def test_a_change_by_another_program_is_seen_with_its_table(pair):
    _mine, other, watcher = pair
    assert not watcher.changes()
    rename_first_person(other, "Somebody Else")
    changes = watcher.changes(wait=WAIT)
    assert changes == Changes(frozenset({"person"}))
    assert not watcher.changes()  # told once


def test_this_programs_own_changes_are_not_reported(pair):
    mine, other, watcher = pair
    rename_first_person(mine, "Changed Here")
    # Then someone else's change to another table: only theirs is reported (in order).
    with other.session() as session:
        agency = session.scalars(select(Agency).order_by(Agency.id)).first()
        assert agency is not None
        agency.name = "Renamed Elsewhere"
    assert watcher.changes(wait=WAIT) == Changes(frozenset({"agency"}))


def test_attendance_recorded_cell_by_cell_is_seen_and_ones_own_is_not(pair):
    """Attendance is written by upserts outside the unit of work: they are told apart too."""
    mine, other, watcher = pair
    sheet = next(
        s for s in (meeting_sheet(mine, m) for m in meeting_ids(mine)) if len(s.attendees) >= 2
    )
    first, second_person = sheet.attendees[:2]
    record_attendance(mine, sheet.meeting_id, first.person_id, AttendanceStatus.APOLOGIES)
    rename_first_person(other, "After The Register")  # theirs, after mine: only theirs is told
    assert watcher.changes(wait=WAIT) == Changes(frozenset({"person"}))
    record_attendance(other, sheet.meeting_id, second_person.person_id, AttendanceStatus.ABSENT)
    assert watcher.changes(wait=WAIT) == Changes(frozenset({"attendance"}))


def meeting_ids(database: Database) -> list[int]:
    with database.session() as session:
        return list(session.scalars(select(Meeting.id).order_by(Meeting.starts_at.desc())))


@pytest.mark.sqlite_only
def test_a_change_rolled_back_here_does_not_hide_anothers_change(pair):
    """Ids of change-log rows this program wrote and rolled back are free for the next writer:
    they are not taken for this program's own."""
    mine, other, watcher = pair
    with pytest.raises(RuntimeError), mine.session() as session:
        session.add(Person(name="Never Saved"))
        session.flush()
        raise RuntimeError("the form's save failed")
    with other.session() as session:
        session.add(Person(name="Saved Elsewhere"))
    assert watcher.changes() == Changes(frozenset({"person"}))


@pytest.mark.server_only
def test_a_listener_cut_off_by_the_server_reconnects_and_says_look_at_everything(pair):
    _mine, other, watcher = pair
    with other.engine.connect() as connection:
        cut = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND query LIKE 'LISTEN%'"
            )
        ).scalar_one()
    assert cut == 1
    assert not watcher.changes(wait=WAIT)  # the connection is found gone: nothing to say yet
    # Connected again (in the background): what was said meanwhile is lost, so everything.
    assert watcher.changes(wait=WAIT) == watch.EVERYTHING
    rename_first_person(other, "After The Cut")
    assert watcher.changes(wait=WAIT) == Changes(frozenset({"person"}))


def test_a_database_in_memory_has_nothing_to_watch():
    database = open_database("sqlite://")
    watcher = watch.watcher_for(database)
    assert not watcher.changes()
    watcher.close()
    database.dispose()
