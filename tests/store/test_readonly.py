"""A database made read-only refuses every save in words and writes nothing: a form's save (the
ORM), an attendance upsert (Core), SQL text; and the database itself refuses too. Both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lscb_desktop.models import Attendance, ChangeLogEntry, Person
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.attendance_recording import mark_all_present, record_attendance
from lscb_desktop.services.people import PersonInput, save_person
from lscb_desktop.store import Database
from lscb_desktop.store.readonly import ReadOnlyDatabase, is_write, make_read_only

WORDS = (
    "This database is open read-only because jsmith on OFFICE-PC has it open; nothing was saved."
)


def counts(database: Database) -> tuple[int, ...]:
    with database.session() as session:
        return tuple(
            int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Person, Attendance, ChangeLogEntry)
        )


def test_every_kind_of_save_is_refused_in_words(sample_db: Database) -> None:
    meeting = 1
    sheet = meeting_sheet(sample_db, meeting)
    person = sheet.attendees[0].person_id
    # (the sample's meeting 1 was confirmed with the minutes: a change asks first)
    record_attendance(
        sample_db, meeting, sheet.attendees[1].person_id, None, after_confirmation=True
    )
    before = counts(sample_db)
    make_read_only(sample_db, "jsmith on OFFICE-PC")
    make_read_only(sample_db, "someone else")  # once is enough: the first words stay
    assert sample_db.read_only
    attempts = [
        lambda: save_person(sample_db, PersonInput(name="Nobody Saved")),
        lambda: record_attendance(sample_db, meeting, person, None, after_confirmation=True),
        lambda: mark_all_present(sample_db, meeting, after_confirmation=True),
    ]
    for attempt in attempts:
        with pytest.raises(ReadOnlyDatabase) as refused:
            attempt()
        assert str(refused.value) == WORDS
    with (
        pytest.raises(ReadOnlyDatabase, match="open read-only"),
        sample_db.engine.begin() as connection,
    ):
        connection.exec_driver_sql("DELETE FROM guest")
    assert meeting_sheet(sample_db, meeting).attendees  # reading goes on
    assert counts(sample_db) == before


def test_the_database_itself_refuses_a_write_the_check_missed(sample_db: Database) -> None:
    make_read_only(sample_db, "jsmith on OFFICE-PC")
    with sample_db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        with pytest.raises(Exception, match=r"read-?only"):
            cursor.execute("DELETE FROM guest")
        raw.rollback()


@pytest.mark.parametrize(
    ("statement", "writes"),
    [
        ("INSERT INTO person ...", True),
        ("  update person set ...", True),
        ("DELETE FROM guest", True),
        ("BEGIN IMMEDIATE", True),
        ("SELECT meeting.id FROM meeting WHERE meeting.id = 1 FOR NO KEY UPDATE", True),
        ("SELECT person.id FROM person\nWHERE person.id IN (1) FOR KEY SHARE", True),
        ("SELECT * FROM person", False),
        ("PRAGMA query_only", False),
        ("BEGIN", False),
    ],
)
def test_which_statements_write(statement: str, writes: bool) -> None:
    assert is_write(statement) is writes
