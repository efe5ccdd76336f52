"""The change log in words: filters by record and date, field labels, values, deleted records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import event, select, text, update

from lscb_desktop.models import (
    Action,
    Agency,
    AttendanceStatus,
    CaseReview,
    ChangeLogEntry,
    DeclarationAction,
    Guest,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    Setting,
)
from lscb_desktop.services.agencies import AgencyInput, save_agency
from lscb_desktop.services.agenda import ItemInput, save_item
from lscb_desktop.services.attendance_recording import (
    confirm_attendance,
    record_attendance,
    record_details,
)
from lscb_desktop.services.declarations import (
    DeclarationInput,
    add_declaration,
    declaration_input,
    remove_declaration,
    update_declaration,
)
from lscb_desktop.services.groups import GroupInput, group_input, save_group
from lscb_desktop.services.guests import add_guest, update_guest
from lscb_desktop.services.history import (
    KINDS,
    WITHHELD,
    HistoryError,
    RecordRef,
    attendance_id,
    parse_date,
    parse_record,
    read_history,
)
from lscb_desktop.services.meetings import MeetingInput, save_meeting
from lscb_desktop.services.members import MembershipInput, add_member, member_form
from lscb_desktop.services.people import PersonInput, person_input, save_person
from lscb_desktop.store import Database


def person_id(database: Database, name: str) -> int:
    with database.session() as session:
        return session.scalars(select(Person.id).where(Person.name == name)).one()


def retitle(database: Database, pid: int, job_title: str) -> None:
    save_person(
        database, dataclasses.replace(person_input(database, pid), job_title=job_title), pid
    )


def test_a_change_is_shown_by_field_label_with_old_and_new_values(sample_db):
    mary = person_id(sample_db, "Mary Emson")
    old_title = person_input(sample_db, mary).job_title
    retitle(sample_db, mary, "LSCB Administrator")

    history = read_history(sample_db, [RecordRef("person", str(mary))])
    newest = history.entries[0]
    assert newest.what == "changed"
    assert newest.record == f"Person {mary} (Mary Emson)"
    assert newest.user  # the operating system's user name
    [change] = newest.changes
    assert (change.label, change.old, change.new) == ("Job title", old_title, "LSCB Administrator")
    # The sample's own creation of Mary is the oldest entry; nothing about anyone else is here.
    assert history.entries[-1].what == "created"
    assert {e.record_id for e in history.entries} == {str(mary)}
    assert all(field.label != "Uuid" for e in history.entries for field in e.changes)


def test_links_dates_yes_no_and_choices_are_shown_in_words(sample_db):
    mary = person_id(sample_db, "Mary Emson")
    with sample_db.session() as session:
        police = session.scalars(select(Agency).where(Agency.name == "Bedfordshire Police")).one()
        person = session.get_one(Person, mary)
        old_agency = person.agency.name if person.agency else "(blank)"
        person.agency_id = police.id
        membership = session.scalars(select(Membership).where(Membership.person_id == mary)).first()
        assert membership is not None
        membership.agreement_signed_on = dt.date(2026, 3, 1)
        membership_id = membership.id
        police.statutory_partner = not police.statutory_partner

    person_entry = read_history(sample_db, [RecordRef("person", str(mary))]).entries[0]
    assert [(c.label, c.old, c.new) for c in person_entry.changes] == [
        ("Agency", old_agency, "Bedfordshire Police")
    ]
    membership_entry = read_history(sample_db, [parse_record(f"membership:{membership_id}")])
    change = membership_entry.entries[0].changes[0]
    assert change.label == "Membership agreement signed and returned"
    assert change.new == "01/03/2026"
    assert membership_entry.entries[0].record.startswith(f"Membership {membership_id} (Mary Emson")
    agency_entry = read_history(sample_db, [parse_record(f"agency:{police.id}")]).entries[0]
    assert agency_entry.changes[0].label == "Statutory partner"
    assert {agency_entry.changes[0].old, agency_entry.changes[0].new} == {"Yes", "No"}


def test_several_records_at_once_newest_first(sample_db):
    mary, liz = person_id(sample_db, "Mary Emson"), person_id(sample_db, "Liz Mead")
    retitle(sample_db, mary, "First")
    retitle(sample_db, liz, "Second")
    refs = [RecordRef("person", str(mary)), RecordRef("person", str(liz))]
    entries = read_history(sample_db, refs).entries
    assert [e.changes[0].new for e in entries[:2]] == ["Second", "First"]
    assert {e.record_id for e in entries} == {str(mary), str(liz)}


def test_since_leaves_out_older_changes(sample_db):
    mary = person_id(sample_db, "Mary Emson")
    retitle(sample_db, mary, "Older title")
    with sample_db.session() as session:  # as if this change had been made in the summer
        session.execute(update(ChangeLogEntry).values(at=dt.datetime(2026, 7, 1, 9, 30)))
    retitle(sample_db, mary, "Newer title")
    with sample_db.session() as session:
        newest = session.scalars(select(ChangeLogEntry).order_by(ChangeLogEntry.id.desc())).first()
        assert newest is not None
        newest.at = dt.datetime(2026, 11, 23, 14, 5)  # the log itself is never logged

    recent = read_history(sample_db, since=parse_date("23/11/2026"))
    assert [e.changes[0].new for e in recent.entries] == ["Newer title"]
    assert recent.entries[0].at == dt.datetime(2026, 11, 23, 14, 5)
    assert read_history(sample_db, since=dt.date(2026, 11, 24)).entries == []
    assert len(read_history(sample_db, since=parse_date("2026-07-01")).entries) > 1


def test_a_deleted_record_is_described_from_what_the_log_kept(sample_db):
    with sample_db.session() as session:
        meeting = session.scalars(select(Meeting).order_by(Meeting.id)).first()
        assert meeting is not None
        guest = Guest(meeting_id=meeting.id, name="Dr Ruth Fielding", organisation="Visiting")
        session.add(guest)
        session.flush()
        guest_id = guest.id
    with sample_db.session() as session:
        session.delete(session.get_one(Guest, guest_id))

    entries = read_history(sample_db, [RecordRef("guest", str(guest_id))]).entries
    assert [e.what for e in entries] == ["deleted", "created"]
    assert entries[0].record == f"Guest {guest_id} (Dr Ruth Fielding, deleted)"
    deleted = {c.label: c.old for c in entries[0].changes}
    assert deleted["Name"] == "Dr Ruth Fielding"
    assert deleted["Organisation"] == "Visiting"
    assert entries[0].as_plain()["what"] == "deleted"


def test_a_record_the_log_cannot_name_is_said_to_be_gone(sample_db):
    with sample_db.session() as session:
        session.add(
            ChangeLogEntry(
                at=dt.datetime(2026, 11, 23, 9, 0),
                os_user="jsmith",
                operation="delete",
                table_name="meeting",
                record_id="9999",
                changes="{}",
            )
        )
    [entry] = read_history(sample_db, [parse_record("meeting:9999")]).entries
    assert entry.record == "Meeting 9999 (no longer on file)"
    assert entry.changes == ()


def test_long_values_and_settings(sample_db):
    mary = person_id(sample_db, "Mary Emson")
    with sample_db.session() as session:
        session.get_one(Person, mary).notes = "A long note. " * 40
        setting = session.get(Setting, "papers_deadline_days")
        assert setting is not None
        old_value = setting.value
        setting.value = "10"
    change = read_history(sample_db, [RecordRef("person", str(mary))]).entries[0].changes[0]
    assert change.label == "Notes"
    assert change.new.endswith("(520 characters)")
    assert len(change.new) < 130

    [entry, *_] = read_history(sample_db, [parse_record("setting:papers_deadline_days")]).entries
    assert entry.record == "Setting “Papers deadline days”"
    assert [(c.label, c.old, c.new) for c in entry.changes] == [
        ("Papers deadline days", old_value, "10")
    ]


def test_the_limit_counts_what_is_left_out(sample_db):
    history = read_history(sample_db, limit=5)
    assert len(history.entries) == 5
    assert history.total > 1000  # the sample's creation is logged record by record
    assert history.left_out == history.total - 5
    assert read_history(sample_db, limit=None).left_out == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("person", "write the record as KIND:ID"),
        ("child:3", "“child” is not a kind of record"),
        ("person:twelve", "“twelve” is not a record number"),
        ("person:-1", "is not a record number"),
        ("case-review:", "write the record as KIND:ID"),
    ],
)
def test_records_that_cannot_be_read(text, message):
    with pytest.raises(HistoryError, match=message):
        parse_record(text)


def test_kinds_in_the_users_words():
    assert parse_record("case-review:3") == RecordRef("case_review", "3")
    assert parse_record("Agenda item:07") == RecordRef("agenda_item", "7")
    assert parse_record("group:2") == RecordRef("board_group", "2")
    assert parse_record("paper:5") == RecordRef("document", "5")
    assert parse_date("23/11/2026") == parse_date("2026-11-23") == dt.date(2026, 11, 23)
    for bad in ("31/02/2026", "yesterday", "11/23/2026"):
        with pytest.raises(HistoryError, match="is not a date"):
            parse_date(bad)


def log_what_an_older_version_kept(database: Database) -> tuple[int, int]:
    """Change-log rows as an older version wrote them, before today's anonymity rules: a case
    review saved with a child's name as its reference and "aged 3" in its notes, then corrected
    (with its methodology changed too); another saved with a name, then deleted; and an action
    taken off that deleted review. (case review id, action id)"""
    now = dt.datetime.now().replace(microsecond=0)
    with database.session() as session:
        review = session.scalars(select(CaseReview).order_by(CaseReview.id)).first()
        action = session.scalars(select(Action).order_by(Action.id)).first()
        assert review is not None and action is not None

        def row(operation: str, table: str, ident: int, changes: dict[str, list[object]]) -> None:
            session.add(
                ChangeLogEntry(
                    at=now,
                    os_user="olduser",
                    operation=operation,
                    table_name=table,
                    record_id=str(ident),
                    changes=json.dumps(changes),
                )
            )

        row(
            "insert",
            "case_review",
            9001,
            {"reference": [None, "Jayden Smith"], "notes": [None, "aged 3"]},
        )
        row(
            "delete",
            "case_review",
            9001,
            {"reference": ["Jayden Smith", None], "notes": ["aged 3", None]},
        )
        row("update", "action", action.id, {"case_review_id": [9001, None]})
        row(
            "update",
            "case_review",
            review.id,
            {
                "reference": ["Jayden Smith", "CSPR 2026-09"],
                "notes": ["aged 3", ""],
                "methodology": ["Rapid review", "Local review"],
            },
        )
        return review.id, action.id


def test_what_could_identify_a_child_is_withheld_old_or_new(sample_db):
    review, action = log_what_an_older_version_kept(sample_db)
    [corrected, *_] = read_history(sample_db, [RecordRef("case_review", str(review))]).entries
    changes = {c.label: (c.old, c.new, c.old_value, c.new_value) for c in corrected.changes}
    assert changes["Reference"] == (WITHHELD, "CSPR 2026-09", WITHHELD, "CSPR 2026-09")
    assert changes["Notes"] == (WITHHELD, "(blank)", WITHHELD, "")
    # a change the rules do not refuse is shown as it was
    assert changes["Methodology"] == ("Rapid review", "Local review") * 2

    # the deleted review's name is not rebuilt from the log, nor is it named by the action
    newest = read_history(sample_db, limit=4).entries
    assert {e.record for e in newest if e.table == "case_review" and e.record_id == "9001"} == {
        f"Case review 9001 {WITHHELD}, deleted"
    }
    [taken_off] = [e for e in newest if e.table == "action"]
    assert taken_off.record.startswith(f"Action {action} (")
    assert taken_off.changes[0].old == f"Case review 9001 {WITHHELD}, deleted"
    everything = json.dumps([e.as_plain() for e in newest], ensure_ascii=False)
    assert "Jayden" not in everything
    assert "aged 3" not in everything

    # a reference an older version saved and nobody corrected is withheld where it is named
    with sample_db.session() as session:  # behind the ORM's back, as that version would have
        session.execute(
            text("UPDATE case_review SET reference = 'Jayden Smith' WHERE id = :i"), {"i": review}
        )
    entry = read_history(sample_db, [RecordRef("case_review", str(review))]).entries[0]
    assert entry.record == f"Case review {review} {WITHHELD}"


@pytest.mark.sqlite_only  # reads SQLite's query plans
def test_newest_first_by_number_and_counted_only_when_some_are_left_out(sample_db):
    """The log is read by its number (which follows time), never scanned whole for ``at``, which
    has no index; the matches are counted only when the limit leaves some out."""
    with sample_db.session() as session:  # as if the sample had been made in the summer
        session.execute(update(ChangeLogEntry).values(at=dt.datetime(2026, 7, 1, 9, 30)))
    mary = person_id(sample_db, "Mary Emson")
    retitle(sample_db, mary, "Newer title")
    statements: list[tuple[str, object]] = []

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append((statement, parameters))

    event.listen(sample_db.engine, "before_cursor_execute", seen)
    try:
        recent = read_history(sample_db, since=dt.date.today())
        assert [e.changes[0].new for e in recent.entries] == ["Newer title"]
        assert (recent.total, recent.left_out) == (1, 0)
        assert not any("count(" in s for s, _ in statements)
        with sample_db.engine.connect() as connection:
            for statement, parameters in list(statements):
                plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                details = [str(step[-1]) for step in plan]
                assert "SCAN change_log" not in details, (statement, details)
        statements.clear()

        newest = read_history(sample_db, limit=1)
        assert newest.entries[0].changes[0].new == "Newer title"
        assert newest.left_out == newest.total - 1 > 1000
        assert sum("count(" in s for s, _ in statements) == 1
        assert all("ORDER BY change_log.id DESC" in s for s, _ in statements if "ORDER BY" in s)
    finally:
        event.remove(sample_db.engine, "before_cursor_execute", seen)


# -- the records of attendance on the day ---------------------------------------------------------


@dataclasses.dataclass
class Held:
    meeting: int
    item: int
    group: int
    ann: int
    police: int
    council: int


def held_meeting(database: Database) -> Held:
    """A held meeting of a new group with one item, and Ann (Police) its one member."""
    police = save_agency(database, AgencyInput(name="History Police"))
    council = save_agency(database, AgencyInput(name="History Council"))
    group = save_group(database, GroupInput(name="History Group", quorum_agencies=1))
    membership = add_member(
        database,
        group,
        MembershipInput(start_date=dt.date(2026, 1, 5), position="Police seat"),
        person=PersonInput(name="Ann Example", agency_id=police),
    )
    ann = member_form(database, membership).person_id
    meeting = save_meeting(
        database,
        MeetingInput(
            group_id=group,
            starts_at=dt.datetime(2026, 6, 10, 10, 0),
            ends_at=dt.datetime(2026, 6, 10, 12, 0),
            status=MeetingStatus.HELD,
        ),
    )
    item = save_item(database, meeting, ItemInput("Commissioning of early help"))
    return Held(meeting, item, group, ann, police, council)


def changes_of(database: Database, table: str, ident: int) -> dict[str, tuple[str, str]]:
    """The newest entry's changes of a record: label -> (old, new) as shown."""
    entry = read_history(database, [RecordRef(table, str(ident))]).entries[0]
    return {c.label: (c.old, c.new) for c in entry.changes}


def test_declarations_of_interest_are_a_kind_of_record_named_in_words(sample_db):
    held = held_meeting(sample_db)
    assert parse_record("declaration:5") == RecordRef("declaration", "5")
    assert "declaration" in KINDS
    declared = add_declaration(
        sample_db,
        held.meeting,
        DeclarationInput(held.ann, "Her husband bids for the contract", agenda_item_id=held.item),
    )
    data, version = declaration_input(sample_db, declared)
    update_declaration(
        sample_db,
        declared,
        dataclasses.replace(data, action=DeclarationAction.LEFT_ROOM),
        version=version,
    )
    # (a long name is cut short, as every record's name is)
    name = "Ann Example at History Group, 10/06/2026, on “Commissioning…"
    history = read_history(sample_db, [parse_record(f"declaration:{declared}")])
    changed, created = history.entries
    assert changed.record == f"Declaration of interest {declared} ({name})"
    assert changed.kind == "declaration"
    assert [(c.label, c.old, c.new) for c in changed.changes] == [
        ("What they did", "Stayed and took part", "Left the room")
    ]
    shown = {c.label: c.new for c in created.changes}
    assert shown["Declared by"] == "Ann Example"
    assert shown["Item"] == "Commissioning of early help"
    assert shown["Interest declared"] == "Her husband bids for the contract"
    assert shown["Meeting"] == "History Group, 10/06/2026 10:00"

    _, version = declaration_input(sample_db, declared)
    remove_declaration(sample_db, declared, version=version)
    deleted = read_history(sample_db, [parse_record(f"declaration:{declared}")]).entries[0]
    assert deleted.what == "deleted"
    assert deleted.record == f"Declaration of interest {declared} (Ann Example, deleted)"


def test_attendance_on_the_day_and_its_confirmation_are_shown_in_words(sample_db):
    held = held_meeting(sample_db)
    record_attendance(sample_db, held.meeting, held.ann, AttendanceStatus.PRESENT)
    record_details(
        sample_db,
        held.meeting,
        held.ann,
        arrived_at=dt.time(10, 20),
        left_at=dt.time(11, 5),
    )
    attendance = attendance_id(sample_db, held.meeting, held.ann)
    assert attendance is not None
    created = read_history(sample_db, [RecordRef("attendance", str(attendance))]).entries[-1]
    shown = {c.label: c.new for c in created.changes}
    assert shown["Agency represented on the day"] == "History Police"
    assert shown["Seat on the day"] == "Police seat"
    assert shown["Role on the day"] == "Member"
    assert changes_of(sample_db, "attendance", attendance) == {
        "Arrived at": ("(blank)", "10:20"),
        "Left at": ("(blank)", "11:05"),
    }

    confirm_attendance(sample_db, held.meeting, dt.date(2026, 7, 15))
    confirmed = changes_of(sample_db, "meeting", held.meeting)
    assert confirmed["Attendance confirmed with the minutes on"] == ("(blank)", "15/07/2026")
    assert confirmed["Attendance confirmed by"][0] == "(blank)"
    record_attendance(
        sample_db, held.meeting, held.ann, AttendanceStatus.APOLOGIES, after_confirmation=True
    )
    record_details(sample_db, held.meeting, held.ann, reason="Illness", after_confirmation=True)
    assert changes_of(sample_db, "attendance", attendance)["Reason for apologies"] == (
        "(blank)",
        "Illness",
    )
    entries = read_history(sample_db, [RecordRef("meeting", str(held.meeting))]).entries
    after = [c for e in entries for c in e.changes if c.field == "changed_after_confirmation"]
    assert after
    assert {c.label for c in after} == {"Attendance changed after confirmation"}


def test_agencies_memberships_guests_and_quorums_new_fields_have_labels(sample_db):
    held = held_meeting(sample_db)
    save_agency(sample_db, AgencyInput(name="History Police", counts_for_quorum=False), held.police)
    assert changes_of(sample_db, "agency", held.police) == {"Counts towards quorum": ("Yes", "No")}
    terms = group_input(sample_db, held.group)
    save_group(
        sample_db,
        dataclasses.replace(terms, quorum_partner_ids=(held.council, held.police)),
        held.group,
    )
    [(label, (old, new))] = changes_of(sample_db, "board_group", held.group).items()
    assert (label, old) == ("Partners the quorum requires", "(blank)")
    assert set(new.split("; ")) == {"History Council", "History Police"}
    # Ann moves to the Council: her membership is ended, and continued for the Council.
    ann = person_input(sample_db, held.ann)
    save_person(
        sample_db,
        dataclasses.replace(ann, agency_id=held.council, moved_on=dt.date(2026, 9, 1)),
        held.ann,
    )
    with sample_db.session() as session:
        continued = session.scalars(
            select(Membership.id).where(
                Membership.person_id == held.ann, Membership.start_date == dt.date(2026, 9, 1)
            )
        ).one()
    created = read_history(sample_db, [RecordRef("membership", str(continued))]).entries[-1]
    assert {c.label: c.new for c in created.changes}["Agency represented"] == "History Council"
    guest = add_guest(sample_db, held.meeting, "Dr Ruth Fielding", job_title="Head of Service")
    with sample_db.session() as session:
        version = session.get_one(Guest, guest).version
    update_guest(
        sample_db,
        guest,
        "Dr Ruth Fielding",
        job_title="Head of Service",
        item_ids=(held.item,),
        version=version,
    )
    created = read_history(sample_db, [RecordRef("guest", str(guest))]).entries[-1]
    assert {c.label: c.new for c in created.changes}["Job title"] == "Head of Service"
    assert changes_of(sample_db, "guest", guest) == {
        "In attendance for items": ("(blank)", "Commissioning of early help")
    }
