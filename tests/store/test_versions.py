"""No edit lost silently: two users (two open databases on the same file or server database)
save the same records; the second save over the first user's change stops with RecordChanged,
naming what they changed, unless it leaves their change alone."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import pytest
from openpyxl import Workbook
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from lscb_desktop.models import Audit, ChangeLogEntry, Group, Meeting, Membership, Person
from lscb_desktop.services import members, people
from lscb_desktop.services.audits import audit_input, save_audit
from lscb_desktop.services.concurrency import (
    conflict_words,
    describe,
    membership_snapshot,
    settings_snapshot,
    snapshot,
)
from lscb_desktop.services.meetings import meeting_input, save_meeting
from lscb_desktop.services.members import (
    board_group_id,
    end_membership,
    group_members,
    member_form,
    update_member,
)
from lscb_desktop.services.people import agency_choices, person_input
from lscb_desktop.services.settings import load_settings, save_settings
from lscb_desktop.services.workbook import import_workbook
from lscb_desktop.store import Database, open_database
from lscb_desktop.store.changelog import current_os_user
from lscb_desktop.store.versions import (
    ChangedSinceShown,
    RecordChanged,
    RecordGone,
    expecting,
)
from tests.conftest import SAMPLE_TODAY


@pytest.fixture
def users(sample_target) -> Iterator[tuple[Database, Database]]:
    """Two users of the same database (two programs: a window and another, or the command line)."""
    first, second = open_database(sample_target), open_database(sample_target)
    yield first, second
    first.dispose()
    second.dispose()


def membership_of(db: Database, name: str) -> members.MemberRow:
    rows = group_members(db, board_group_id(db) or 0, on=SAMPLE_TODAY)
    return next(row for row in rows if row.name == name)


def new_phone(db: Database, person_id: int, phone: str) -> None:
    """Someone else changes the person's phone (their own form, saved at once)."""
    people.save_person(
        db, dataclasses.replace(people.person_input(db, person_id), phone=phone), person_id
    )


def shown(value: str) -> str:
    return f"“{value}”" if value else "(blank)"


def test_saving_over_someone_elses_change_stops_and_names_the_field_their_value_and_who(users):
    mine, theirs = users
    member = membership_of(mine, "Alison Harding")
    seen = membership_snapshot(mine, member.membership_id)  # the form opens
    form = member_form(mine, member.membership_id)
    their_form = person_input(theirs, member.person_id)
    people.save_person(
        theirs,
        dataclasses.replace(their_form, phone="01582 222222", address="1 George Street"),
        member.person_id,
    )
    typed = dataclasses.replace(
        form.person, job_title="Head of Public Protection", phone="01582 999999"
    )
    with pytest.raises(RecordChanged) as caught, expecting(seen):
        update_member(mine, member.membership_id, typed, form.membership)

    (changed,) = caught.value.records
    assert (changed.table, changed.record_id) == ("person", str(member.person_id))
    assert [(d.field, d.seen, d.now, d.clash) for d in changed.differences] == [
        ("phone", form.person.phone, "01582 222222", True),
        ("address", form.person.address, "1 George Street", False),
    ]
    assert changed.by == current_os_user()
    assert changed.at is not None
    words = conflict_words(mine, caught.value)
    assert "changed the person “Alison Harding” at " in words
    assert f"on {changed.at:%d/%m/%Y}:" in words
    phone, kept = words.split("Their other changes stay, whatever you choose:")
    assert f"• Phone: from {shown(form.person.phone)} to “01582 222222”" in phone
    assert f"• Address: from {shown(form.person.address)} to “1 George Street”" in kept
    # Nothing of mine was saved, and theirs stands.
    now = people.person_input(theirs, member.person_id)
    assert (now.job_title, now.phone) == (form.person.job_title, "01582 222222")


def test_saving_over_theirs_knowingly_keeps_their_other_changes_and_stops_at_a_later_one(users):
    mine, theirs = users
    member = membership_of(mine, "Alison Harding")
    seen = membership_snapshot(mine, member.membership_id)
    form = member_form(mine, member.membership_id)
    their_form = person_input(theirs, member.person_id)
    people.save_person(
        theirs,
        dataclasses.replace(their_form, phone="01582 222222", address="1 George Street"),
        member.person_id,
    )
    typed = dataclasses.replace(
        form.person, job_title="Head of Public Protection", phone="01582 999999"
    )
    with pytest.raises(RecordChanged) as caught, expecting(seen):
        update_member(mine, member.membership_id, typed, form.membership)
    accepted = seen.accepting(caught.value)
    new_phone(theirs, member.person_id, "01582 333333")  # and again, after I was told
    with pytest.raises(RecordChanged) as again, expecting(accepted):
        update_member(mine, member.membership_id, typed, form.membership)
    assert [(d.field, d.now) for d in again.value.records[0].differences if d.clash] == [
        ("phone", "01582 333333")
    ]
    with expecting(accepted.accepting(again.value)) as saving:
        update_member(mine, member.membership_id, typed, form.membership)
    now = people.person_input(theirs, member.person_id)
    # Mine where I typed over theirs knowingly; their address (which I left alone) stands.
    assert (now.job_title, now.phone, now.address) == (
        "Head of Public Protection",
        "01582 999999",
        "1 George Street",
    )
    # The form stays usable: saving again from what was saved asks nothing, and the address
    # it still shows as it was opened does not undo theirs.
    with expecting(saving.after()):
        update_member(mine, member.membership_id, typed, form.membership)
    assert people.person_input(theirs, member.person_id).address == "1 George Street"


def test_their_change_to_a_field_this_save_leaves_alone_is_kept_without_asking(users):
    mine, theirs = users
    member = membership_of(mine, "Alison Harding")
    seen = snapshot(mine, ("membership", member.membership_id))
    form = member_form(theirs, member.membership_id)
    update_member(
        theirs,
        member.membership_id,
        form.person,
        dataclasses.replace(form.membership, notes="Chairs the Learning group"),
    )
    with expecting(seen):
        end_membership(mine, member.membership_id, SAMPLE_TODAY)
    with mine.session() as session:
        row = session.get_one(Membership, member.membership_id)
        assert (row.end_date, row.notes) == (SAMPLE_TODAY, "Chairs the Learning group")


def test_two_forms_changing_different_fields_of_one_record_both_keep_their_change(users):
    """A edits the job title while B edits the phone: each form writes every field it shows,
    yet neither undoes the other, and nothing is asked."""
    mine, theirs = users
    member = membership_of(mine, "Alison Harding")
    seen = membership_snapshot(mine, member.membership_id)
    form = member_form(mine, member.membership_id)
    their_seen = membership_snapshot(theirs, member.membership_id)
    their_form = member_form(theirs, member.membership_id)
    with expecting(their_seen):
        update_member(
            theirs,
            member.membership_id,
            dataclasses.replace(their_form.person, phone="01582 222222"),
            their_form.membership,
        )
    typed = dataclasses.replace(form.person, job_title="Head of Public Protection")
    with expecting(seen) as saving:
        update_member(mine, member.membership_id, typed, form.membership)
    now = people.person_input(theirs, member.person_id)
    assert (now.job_title, now.phone) == ("Head of Public Protection", "01582 222222")
    # The change log says what each changed, and nothing of mine claims to undo theirs.
    with mine.session() as session:
        entries = session.scalars(
            select(ChangeLogEntry.changes)
            .where(ChangeLogEntry.table_name == "person")
            .where(ChangeLogEntry.record_id == str(member.person_id))
            .order_by(ChangeLogEntry.id)
        ).all()
    assert [sorted(json.loads(entry)) for entry in entries[-2:]] == [["phone"], ["job_title"]]
    # Saving the still-open form again keeps their phone too.
    with expecting(saving.after()):
        update_member(mine, member.membership_id, typed, form.membership)
    assert people.person_input(theirs, member.person_id).phone == "01582 222222"


def test_an_import_changing_the_record_counts_as_someone_else(users, tmp_path):
    mine, theirs = users
    member = membership_of(mine, "Alison Harding")
    seen = membership_snapshot(mine, member.membership_id)
    form = member_form(mine, member.membership_id)
    book = Workbook()
    sheet = book.active
    sheet.title = "People"
    sheet.append(["Name", "Email", "Phone"])
    sheet.append(["Alison Harding", form.person.email, "01582 444444"])
    book.save(tmp_path / "phones.xlsx")
    assert import_workbook(theirs, tmp_path / "phones.xlsx").updated == {"People": 1}
    typed = dataclasses.replace(form.person, phone="01582 999999")
    with pytest.raises(RecordChanged) as caught, expecting(seen):
        update_member(mine, member.membership_id, typed, form.membership)
    assert caught.value.records[0].differences[0].now == "01582 444444"
    # A form that leaves the phone alone keeps what the import brought.
    typed = dataclasses.replace(form.person, job_title="Head of Public Protection")
    with expecting(seen):
        update_member(mine, member.membership_id, typed, form.membership)
    now = people.person_input(mine, member.person_id)
    assert (now.phone, now.job_title) == ("01582 444444", "Head of Public Protection")


def test_a_change_at_the_very_moment_of_saving_is_caught_by_the_version(users, monkeypatch):
    mine, theirs = users
    member = membership_of(mine, "Alison Harding")
    seen = membership_snapshot(mine, member.membership_id)
    form = member_form(mine, member.membership_id)
    apply_person = people.apply_person

    def racing(*args, **kwargs):  # after my save has read the record, before it writes
        monkeypatch.setattr(members, "apply_person", apply_person)
        new_phone(theirs, member.person_id, "01582 555555")
        return apply_person(*args, **kwargs)

    monkeypatch.setattr(members, "apply_person", racing)
    typed = dataclasses.replace(form.person, job_title="Head of Public Protection")
    with pytest.raises(RecordChanged) as caught, expecting(seen):
        update_member(mine, member.membership_id, typed, form.membership)
    assert caught.value.records == ()
    assert "at the same moment, so nothing was saved" in str(caught.value)
    assert people.person_input(mine, member.person_id).job_title == form.person.job_title
    # Saving again, the check sees their phone, which this form left alone: both stand.
    with expecting(seen):
        update_member(mine, member.membership_id, typed, form.membership)
    now = people.person_input(mine, member.person_id)
    assert (now.job_title, now.phone) == ("Head of Public Protection", "01582 555555")


def test_a_record_deleted_while_its_form_was_open_says_so_in_words(users):
    mine, theirs = users
    with mine.session() as session:
        meeting_id = session.scalars(select(Meeting.id).order_by(Meeting.id)).first()
    seen = snapshot(mine, ("meeting", meeting_id))
    form = meeting_input(mine, meeting_id)
    with theirs.session() as session:
        session.delete(session.get_one(Meeting, meeting_id))
    with pytest.raises(RecordGone, match="someone else has deleted it"), expecting(seen):
        save_meeting(mine, dataclasses.replace(form, venue="Town Hall"), meeting_id)
    with mine.session() as session:
        assert session.get(Meeting, meeting_id) is None  # nothing saved (nothing re-created)
    with pytest.raises(RecordGone):
        meeting_input(mine, meeting_id)  # opening its form again


def test_a_change_to_an_audits_agencies_alone_raises_its_version_and_is_merged_or_caught(users):
    mine, theirs = users
    with mine.session() as session:
        audit_id = session.scalars(select(Audit.id).order_by(Audit.id)).first()
    seen = snapshot(mine, ("audit", audit_id))
    form = audit_input(mine, audit_id)
    ids = [choice.id for choice in agency_choices(theirs)]
    others = tuple(i for i in ids if i not in form.agency_ids)[:2]
    save_audit(theirs, dataclasses.replace(form, agency_ids=form.agency_ids + others[:1]), audit_id)
    with theirs.session() as session:
        assert session.get_one(Audit, audit_id).version == 2
    # Changing the agencies too clashes with theirs.
    typed = dataclasses.replace(
        form, notes="Looked at again", agency_ids=form.agency_ids + others[1:]
    )
    with pytest.raises(RecordChanged) as caught, expecting(seen):
        save_audit(mine, typed, audit_id)
    (difference,) = caught.value.records[0].differences
    assert (difference.field, difference.clash) == ("agencies", True)
    assert "• Agencies: from " in conflict_words(mine, caught.value)
    # Leaving them as shown keeps theirs.
    with expecting(seen):
        save_audit(mine, dataclasses.replace(form, notes="Looked at again"), audit_id)
    now = audit_input(theirs, audit_id)
    assert (now.notes, sorted(now.agency_ids)) == (
        "Looked at again",
        sorted(form.agency_ids + others[:1]),
    )


def test_settings_saved_by_someone_else_are_named_setting_by_setting(users):
    mine, theirs = users
    seen = settings_snapshot(mine)
    current = load_settings(mine)
    save_settings(
        theirs,
        dataclasses.replace(load_settings(theirs), phone="01582 547500", default_venue="Hall"),
    )
    typed = dataclasses.replace(current, email="lscb@luton.gov.uk", phone="01582 999999")
    with pytest.raises(RecordChanged) as caught, expecting(seen):
        save_settings(mine, typed)
    (words,) = describe(mine, caught.value)
    assert words.record == "the settings"
    assert words.fields == (("Phone", shown(current.phone), "“01582 547500”"),)
    assert load_settings(theirs).email == current.email  # nothing of mine saved
    with expecting(seen.accepting(caught.value)):
        save_settings(mine, typed)
    now = load_settings(theirs)
    assert (now.email, now.phone, now.default_venue) == (
        "lscb@luton.gov.uk",
        "01582 999999",
        "Hall",
    )


def test_settings_first_written_down_by_someone_else_are_merged_with_mine(empty_db):
    url = empty_db.engine.url.render_as_string(hide_password=False)
    theirs = open_database(url)
    try:
        seen = settings_snapshot(empty_db)  # no setting saved yet: the defaults
        form = load_settings(empty_db)
        save_settings(theirs, dataclasses.replace(load_settings(theirs), default_venue="Hall"))
        # Mine changes the phone only; writing every setting down, it leaves their venue.
        with expecting(seen):
            save_settings(empty_db, dataclasses.replace(form, phone="01582 547500"))
        now = load_settings(theirs)
        assert (now.default_venue, now.phone) == ("Hall", "01582 547500")
        # Both changing the venue clashes.
        seen = settings_snapshot(empty_db)
        save_settings(theirs, dataclasses.replace(now, default_venue="Town Hall"))
        with pytest.raises(RecordChanged) as caught, expecting(seen):
            save_settings(empty_db, dataclasses.replace(now, default_venue="Library"))
        assert [change.record_id for change in caught.value.records] == ["default_venue"]
    finally:
        theirs.dispose()


def test_settings_saved_for_the_first_time_by_two_at_once_meet_as_a_same_moment_change(empty_db):
    """Both read "no settings yet", both insert them: the second meets the unique key. That is
    a same-moment change (saving again merges with theirs), not a database error."""
    url = empty_db.engine.url.render_as_string(hide_password=False)
    theirs = open_database(url)
    try:
        seen = settings_snapshot(empty_db)
        form = load_settings(empty_db)

        def they_save_first(*_args):  # after mine has looked for the settings, before it writes
            save_settings(theirs, dataclasses.replace(form, default_venue="Hall"))

        event.listen(empty_db._factory, "before_flush", they_save_first, once=True)
        typed = dataclasses.replace(form, phone="01582 547500")
        with pytest.raises(RecordChanged) as caught, expecting(seen):
            save_settings(empty_db, typed)
        assert caught.value.records == ()
        assert load_settings(theirs).phone == form.phone  # nothing of mine saved
        with expecting(seen):
            save_settings(empty_db, typed)
        now = load_settings(theirs)
        assert (now.default_venue, now.phone) == ("Hall", "01582 547500")
    finally:
        theirs.dispose()


def test_a_unique_key_unrelated_to_the_form_stays_what_it_is(sample_db):
    with sample_db.session() as session:
        taken = session.scalars(select(Person.uuid).order_by(Person.id)).first()
    seen = settings_snapshot(sample_db)
    with pytest.raises(IntegrityError), expecting(seen), sample_db.session() as session:
        session.add(Person(name="Another", uuid=taken))


def test_a_delete_from_a_list_is_refused_in_words_when_the_record_changed_since(users):
    """A one-click change from a list has no form and no snapshot: it names the version the list
    showed, and is refused (nothing deleted) when someone else changed the record since."""
    mine, theirs = users
    with theirs.session() as session:
        person = session.scalars(select(Person).where(Person.name == "Alison Harding")).one()
        group = session.scalars(select(Group).order_by(Group.id.desc())).first()
        membership = Membership(group=group, person=person, start_date=SAMPLE_TODAY)
        session.add(membership)
        session.flush()
        membership_id, group_name = membership.id, group.name
    listed = next(r for r in group_members(mine, group.id) if r.membership_id == membership_id)
    form = member_form(theirs, membership_id)
    update_member(
        theirs, membership_id, form.person, dataclasses.replace(form.membership, notes="Chair")
    )
    with pytest.raises(ChangedSinceShown) as refused:
        members.delete_membership(mine, membership_id, version=listed.version)
    assert str(refused.value).startswith(
        f"Alison Harding's membership of {group_name} was changed by {current_os_user()} "
        "(your own user name: another window, or the command line) at "
    )
    assert str(refused.value).endswith(
        " since this list was shown; nothing was deleted. Refresh (F5) to see it."
    )
    with mine.session() as session:
        assert session.get_one(Membership, membership_id).notes == "Chair"
    again = next(r for r in group_members(mine, group.id) if r.membership_id == membership_id)
    members.delete_membership(mine, membership_id, version=again.version)
    with pytest.raises(RecordGone):
        members.delete_membership(mine, membership_id, version=again.version)


def test_what_a_form_was_shown_is_noted_with_its_version(sample_db):
    with sample_db.session() as session:
        person = session.scalars(select(Person).where(Person.name == "Alison Harding")).one()
        person_id = person.id
    seen = snapshot(sample_db, ("person", person_id), ("meeting", 999_999))
    record = seen.get("person", person_id)
    assert record is not None
    assert (record.version, record.values["name"]) == (1, "Alison Harding")
    gone = seen.get("meeting", 999_999)
    assert gone is not None and gone.version is None
