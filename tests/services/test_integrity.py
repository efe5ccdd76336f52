"""The integrity check names damage and broken rules in plain words, and finds what an upgrade
lost by comparing with the copy taken before it."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3

from sqlalchemy import func, insert, select, update

from lscb_desktop.models import (
    Action,
    Agency,
    AgendaItem,
    Attendance,
    Declaration,
    Guest,
    Meeting,
    Membership,
    Person,
    guest_item,
)
from lscb_desktop.services.integrity import CheckReport, _guarded, check_database, upgrade_losses
from lscb_desktop.store import open_database
from lscb_desktop.store.backups import take_backup


def test_the_sample_is_sound(sample_db):
    report = check_database(sample_db)
    assert report.ok, report.problems
    with sample_db.session() as session:
        assert report.checked["people"] == session.scalar(select(func.count()).select_from(Person))


def _upgrade_copy(path):
    """A copy of the database 'before an upgrade', now; the sample's own change log (written
    when it was built, perhaps a second ago) is dated well before it."""
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE change_log SET at = '2026-01-01 09:00:00.000000'")
    stamp = dt.datetime.now().replace(microsecond=0)
    copy = path.with_name(f"{path.stem}.before-upgrade-{stamp:%Y%m%d-%H%M%S}.sqlite")
    shutil.copyfile(path, copy)
    return stamp


def test_a_link_lost_since_the_pre_upgrade_copy_is_reported_in_plain_words(sample_path):
    stamp = _upgrade_copy(sample_path)
    with sqlite3.connect(sample_path) as connection:  # what migration 0002 once did
        linked = connection.execute("SELECT count(agenda_item_id) FROM action").fetchone()[0]
        guests = connection.execute("SELECT count(*) FROM guest").fetchone()[0]
        connection.execute("UPDATE action SET agenda_item_id = NULL")
        connection.execute("DELETE FROM guest")
    assert linked > 0
    database = open_database(sample_path)
    try:
        report = check_database(database)
    finally:
        database.dispose()
    assert not report.ok
    text = report.summary()
    when = f"{stamp:%d/%m/%Y}"
    assert (
        f"the upgrade of {when} lost {linked} of {linked} links from actions to agenda items"
        in (text)
    )
    assert f"lost {guests} of {guests} guests" in text
    assert "Traceback" not in text


def test_changes_recorded_in_the_change_log_since_the_upgrade_are_not_losses(sample_path):
    _upgrade_copy(sample_path)
    database = open_database(sample_path)
    try:
        with database.session() as session:  # the user deletes an action, and unlinks another
            actions = session.scalars(
                select(Action).where(Action.agenda_item_id.is_not(None)).limit(2)
            ).all()
            session.delete(actions[0])
            actions[1].agenda_item_id = None
        assert upgrade_losses(sample_path) == []
    finally:
        database.dispose()


def test_the_records_own_rules(sample_path):
    with sqlite3.connect(sample_path) as connection:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        action_id, meeting_id = connection.execute(
            "SELECT a.id, a.meeting_id FROM action a WHERE a.agenda_item_id IS NOT NULL LIMIT 1"
        ).fetchone()
        other_item = connection.execute(
            "SELECT id FROM agenda_item WHERE meeting_id <> ? LIMIT 1", (meeting_id,)
        ).fetchone()[0]
        connection.execute(
            "UPDATE action SET agenda_item_id = ? WHERE id = ?", (other_item, action_id)
        )
        membership = connection.execute("SELECT id FROM membership LIMIT 1").fetchone()[0]
        connection.execute(
            "UPDATE membership SET substitute_id = person_id WHERE id = ?", (membership,)
        )
        connection.execute(
            "UPDATE case_review SET reference = 'Jayden Smith' "
            "WHERE id = (SELECT min(id) FROM case_review)"
        )
        connection.execute("UPDATE person SET uuid = '' WHERE id = 1")
    database = open_database(sample_path)
    try:
        report = check_database(database)
    finally:
        database.dispose()
    text = report.summary()
    assert f"action {action_id} (" in text
    assert f"is for meeting {meeting_id} but points at an agenda item of meeting" in text
    assert f"membership {membership}:" in text
    assert "is named as their own substitute" in text
    assert "“Jayden Smith” is not an anonymised reference" in text
    assert "1 people have no identifier (uuid)" in text


def test_a_missing_table_is_named_not_a_traceback(sample_path):
    with sqlite3.connect(sample_path) as connection:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("DROP TABLE guest")
    database = open_database(sample_path)
    try:
        report = check_database(database)
    finally:
        database.dispose()
    assert "the table of guests (guest) is missing" in report.summary()


def test_a_broken_foreign_key_is_named(sample_path):
    with sqlite3.connect(sample_path) as connection:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("UPDATE attendance SET person_id = 99999 WHERE id = 1")
    database = open_database(sample_path)
    try:
        report = check_database(database)
    finally:
        database.dispose()
    assert "attendance record 1 refers to a missing person (table attendance)" in report.summary()


def test_a_restore_after_the_upgrade_is_not_taken_for_an_upgrade_loss(sample_path):
    """Restoring an older backup (or ``demo --force``) after an upgrade replaces the records
    wholesale: fewer of them then is not the upgrade's doing."""
    stamp = _upgrade_copy(sample_path)
    take_backup(sample_path, "before-restore", when=stamp + dt.timedelta(minutes=5))
    with sqlite3.connect(sample_path) as connection:  # the older backup had no guests
        connection.execute("DELETE FROM guest")
    assert upgrade_losses(sample_path) == []


def test_a_restore_before_the_upgrade_does_not_hide_its_losses(sample_path):
    stamp = _upgrade_copy(sample_path)
    take_backup(sample_path, "before-demo", when=stamp - dt.timedelta(days=1))
    with sqlite3.connect(sample_path) as connection:
        connection.execute("DELETE FROM guest")
    assert any("guests" in loss for loss in upgrade_losses(sample_path))


def test_a_check_that_fails_on_odd_records_says_so_in_plain_words(caplog):
    report = CheckReport()

    def odd_records() -> None:
        raise KeyError("agenda_item_id")

    _guarded(report, "Links between records", odd_records)
    assert report.problems == [
        "Links between records could not be checked: some records hold values this version "
        "cannot read"
    ]
    assert "agenda_item_id" in caplog.text  # the details go to the log


def test_attendance_declarations_and_guests_that_break_the_rules_of_the_day(sample_db):
    """An attendance row without the agency its membership had (the figures would leave it out
    of the agency's rate); a declaration, and a guest, pointing at another meeting's item."""
    with sample_db.session() as session:
        record = session.scalars(
            select(Attendance)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .join(
                Membership,
                (Membership.person_id == Attendance.person_id)
                & (Membership.group_id == Meeting.group_id)
                & (Membership.agency_id == Attendance.agency_id),
            )
            .where(Membership.end_date.is_(None))
            .order_by(Attendance.id)
            .limit(1)
        ).one()
        person = session.get_one(Person, record.person_id).name
        meeting = session.get_one(Meeting, record.meeting_id)
        agency = session.get_one(Agency, record.agency_id).name
        day = meeting.starts_at.date()
        items = session.execute(
            select(AgendaItem.id, AgendaItem.meeting_id, AgendaItem.title).order_by(
                AgendaItem.meeting_id, AgendaItem.id
            )
        ).all()
        first, other = items[0], next(i for i in items if i.meeting_id != items[0].meeting_id)
        someone = session.scalars(select(Person).order_by(Person.name)).first()
        assert someone is not None
        declaration = Declaration(
            meeting_id=first.meeting_id,
            person_id=someone.id,
            agenda_item_id=first.id,
            interest="A relative works for the provider",
        )
        guest = Guest(meeting_id=first.meeting_id, name="Dr Ruth Fielding")
        session.add_all([declaration, guest])
        session.flush()
        ids = (record.id, declaration.id, guest.id)
    assert check_database(sample_db).ok
    with sample_db.session() as session:  # behind the program's back, as a faulty import might
        session.execute(update(Attendance).where(Attendance.id == ids[0]).values(agency_id=None))
        session.execute(
            update(Declaration).where(Declaration.id == ids[1]).values(agenda_item_id=other.id)
        )
        session.execute(insert(guest_item).values(guest_id=ids[2], agenda_item_id=other.id))
    report = check_database(sample_db)
    problems = "\n".join(report.problems)
    assert (
        f"attendance for {person} at meeting {meeting.id} ({day:%d/%m/%Y}) has no agency, but "
        f"their membership then represented {agency}"
    ) in problems
    assert (
        f"declaration of interest {ids[1]} ({someone.name}) is for meeting {first.meeting_id} "
        f"but points at an agenda item of meeting {other.meeting_id}"
    ) in problems
    assert (
        f"guest {ids[2]} (Dr Ruth Fielding) of meeting {first.meeting_id} is in attendance for "
        f"an agenda item of meeting {other.meeting_id}"
    ) in problems
    assert "Traceback" not in report.summary()
