"""Two people on one database, driven through the window: a form saved over someone else's
change shows what they changed, keeps what was typed, and reloads or saves over theirs only when
asked; a record deleted meanwhile gets a plain message. "Theirs" is a second open database on
the same file (or server database), or the command line."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import event, select

from lscb_desktop.cli import main
from lscb_desktop.models import Group, Meeting, Membership
from lscb_desktop.services import members
from lscb_desktop.services.groups import group_input, save_group
from lscb_desktop.services.meetings import meeting_input, save_meeting
from lscb_desktop.services.members import member_form, update_member
from lscb_desktop.services.people import person_input, save_person
from lscb_desktop.services.settings import load_settings, save_settings
from lscb_desktop.store import Database, open_database
from lscb_desktop.store.changelog import current_os_user
from lscb_desktop.store.versions import GONE_WORDS
from lscb_desktop.ui.conflict_dialog import ConflictDialog
from lscb_desktop.ui.meeting_dialogs import (
    ActionDialog,
    ItemDialog,
    MeetingDialog,
    StandardItemsDialog,
)
from lscb_desktop.ui.member_dialog import MemberDialog
from lscb_desktop.ui.review_dialogs import AuditDialog, CaseReviewDialog
from lscb_desktop.ui.settings_dialog import SettingsDialog
from lscb_desktop.ui.small_dialogs import AgencyDialog, ChecklistDialog, EndMembershipDialog
from lscb_desktop.ui.subgroups_tab import GroupForm
from tests.conftest import SAMPLE_TODAY

#: "at 10:42 on 24/11/2026"
WHEN = re.compile(r" at \d\d:\d\d on \d\d/\d\d/\d{4}:")


@pytest.fixture
def theirs(sample_db) -> Iterator[Database]:
    """Someone else's program on the same database."""
    other = open_database(sample_db.engine.url.render_as_string(hide_password=False))
    yield other
    other.dispose()


@pytest.fixture
def no_conflict(answer):
    return answer(ConflictDialog, lambda _dialog: pytest.fail("no conflict was expected"))


def select_member(window, name: str) -> members.MemberRow:
    panel = window.board_tab.members
    names = [panel.proxy.index(row, 0).data() for row in range(panel.proxy.rowCount())]
    panel.table.selectRow(names.index(name))
    row = panel.current_row()
    assert row is not None
    return row


def shown(value: str) -> str:
    return f"“{value}”" if value else "(blank)"


def test_a_member_saved_over_someone_elses_change_keeps_the_typing_then_saves_over_theirs(
    window, answer, theirs, sample_db
):
    row = select_member(window, "Alison Harding")
    before = person_input(sample_db, row.person_id)
    seen: dict[str, object] = {}
    buttons = iter(["keep_button", "overwrite_button"])

    def conflict(dialog: ConflictDialog):
        seen.setdefault("accounts", []).append(dialog.account.toPlainText())  # type: ignore[union-attr]
        getattr(dialog, next(buttons)).click()

    def user(dialog: MemberDialog):
        their_form = person_input(theirs, row.person_id)  # meanwhile, someone else
        save_person(
            theirs,
            dataclasses.replace(their_form, phone="01582 222222", address="1 George Street"),
            row.person_id,
        )
        dialog.job_title.setText("Head of Public Protection")
        dialog.phone.setText("01582 999999")
        dialog.save_button.click()
        seen["kept"] = (dialog.job_title.text(), dialog.phone.text())
        seen["saved then"] = person_input(sample_db, row.person_id)
        dialog.save_button.click()  # and again: save mine anyway

    answer(ConflictDialog, conflict)
    opened = answer(MemberDialog, user)
    window.edit_action.trigger()

    first, second = seen["accounts"]  # type: ignore[misc]
    assert first.startswith(f"{current_os_user()} (your own user name")
    assert "changed the person “Alison Harding”" in first
    assert WHEN.search(first)
    clashing, kept = first.split("Their other changes stay, whatever you choose:")
    assert f"• Phone: from {shown(before.phone)} to “01582 222222”" in clashing
    assert f"• Address: from {shown(before.address)} to “1 George Street”" in kept
    assert second == first
    assert seen["kept"] == ("Head of Public Protection", "01582 999999")
    assert seen["saved then"] == dataclasses.replace(
        before, phone="01582 222222", address="1 George Street"
    )
    assert opened[0].result() == QDialog.DialogCode.Accepted
    after = person_input(sample_db, row.person_id)
    # Mine over theirs where both changed the phone; their address, which I left, stands.
    assert (after.job_title, after.phone, after.address) == (
        "Head of Public Protection",
        "01582 999999",
        "1 George Street",
    )
    assert window.board_tab.members.current_row().job_title == "Head of Public Protection"


def test_two_users_changing_different_fields_of_a_member_both_keep_theirs_and_nobody_is_asked(
    window, answer, theirs, sample_db, no_conflict, message_boxes
):
    row = select_member(window, "Alison Harding")

    def user(dialog: MemberDialog):
        # Someone else, in their own member form, changes the phone and saves first.
        group_id = window.board_tab.members.group_id
        their_dialog = MemberDialog(theirs, group_id, "Strategic Board", row.membership_id)
        their_dialog.phone.setText("01582 222222")
        their_dialog.save_button.click()
        assert their_dialog.result() == QDialog.DialogCode.Accepted
        their_dialog.deleteLater()
        dialog.job_title.setText("Head of Public Protection")
        dialog.save_button.click()

    opened = answer(MemberDialog, user)
    window.edit_action.trigger()
    assert opened[0].result() == QDialog.DialogCode.Accepted
    after = person_input(sample_db, row.person_id)
    assert (after.job_title, after.phone) == ("Head of Public Protection", "01582 222222")
    assert message_boxes == []


def test_a_member_form_reloaded_shows_what_the_command_line_imported(
    window, answer, sample_db, tmp_path, capsys
):
    row = select_member(window, "Alison Harding")
    before = person_input(sample_db, row.person_id)
    book = Workbook()
    book.active.title = "People"
    book.active.append(["Name", "Email", "Phone"])
    book.active.append(["Alison Harding", before.email, "01582 444444"])
    book.save(tmp_path / "phones.xlsx")
    target = sample_db.engine.url.render_as_string(hide_password=False)
    seen: dict[str, object] = {}

    def user(dialog: MemberDialog):
        args = ["--ignore-lock", "import", "workbook", str(tmp_path / "phones.xlsx")]
        assert main([*args, "--db", target]) == 0
        dialog.notes.setPlainText("Typed, then thrown away")
        dialog.job_title.setText("Typed too")
        dialog.phone.setText("01582 999999")
        dialog.save_button.click()
        seen["reloaded"] = (
            dialog.phone.text(),
            dialog.job_title.text(),
            dialog.notes.toPlainText(),
        )
        seen["result"] = dialog.result()

    answer(ConflictDialog, lambda dialog: dialog.reload_button.click())
    answer(MemberDialog, user)
    window.edit_action.trigger()
    assert capsys.readouterr().out.strip() == "People: 0 new, 1 updated"
    assert seen["reloaded"] == ("01582 444444", before.job_title, "")
    assert seen["result"] != QDialog.DialogCode.Accepted
    assert person_input(sample_db, row.person_id).phone == "01582 444444"


def open_meeting(window):
    tab = window.meetings_tab
    window.tabs.setCurrentWidget(tab)
    tab.table.selectRow(0)
    meeting = tab.current_meeting()
    assert meeting is not None
    return tab, meeting


def test_a_meeting_form_reloads_theirs_and_then_saves_without_asking(
    window, answer, theirs, sample_db
):
    tab, meeting = open_meeting(window)
    before = meeting_input(sample_db, meeting.id)
    seen: dict[str, object] = {}
    accounts: list[str] = []

    def conflict(dialog: ConflictDialog):
        accounts.append(dialog.account.toPlainText())
        dialog.reload_button.click()

    def user(dialog: MeetingDialog):
        their_venue = dataclasses.replace(before, venue="Town Hall, Committee Room 2")
        save_meeting(theirs, their_venue, meeting.id)
        dialog.venue.setText("The Hat Factory")
        dialog.notes.setPlainText("Bring the annual report")
        dialog.save()
        seen["after reload"] = (dialog.venue.text(), dialog.notes.toPlainText(), dialog.result())
        dialog.notes.setPlainText("Annual report tabled")
        dialog.save()

    answer(ConflictDialog, conflict)
    opened = answer(MeetingDialog, user)
    tab.edit_meeting()
    (account,) = accounts
    assert "changed the meeting “" in account
    assert f"• Venue: from {shown(before.venue)} to “Town Hall, Committee Room 2”" in account
    assert seen["after reload"] == ("Town Hall, Committee Room 2", before.notes, 0)
    assert opened[0].result() == QDialog.DialogCode.Accepted
    now = meeting_input(sample_db, meeting.id)
    assert (now.venue, now.notes) == ("Town Hall, Committee Room 2", "Annual report tabled")


def test_a_meeting_deleted_while_its_form_is_open_gets_a_plain_message(
    window, answer, theirs, sample_db, message_boxes, no_conflict
):
    tab, meeting = open_meeting(window)
    seen: dict[str, object] = {}

    def user(dialog: MeetingDialog):
        with theirs.session() as session:
            session.delete(session.get_one(Meeting, meeting.id))
        dialog.venue.setText("The Hat Factory")
        dialog.save()
        seen["state"] = (dialog.result(), dialog.venue.text())

    answer(MeetingDialog, user)
    tab.edit_meeting()
    assert seen["state"] == (0, "The Hat Factory")  # still open, with what was typed
    assert message_boxes == [
        (
            "warning",
            "This record is no longer in the database: someone else has deleted it. "
            "Refresh (F5) to see the records as they are now.",
        )
    ]
    with sample_db.session() as session:
        assert session.get(Meeting, meeting.id) is None


def test_editing_a_record_deleted_since_the_list_was_shown_says_so_instead(
    window, theirs, message_boxes, monkeypatch
):
    monkeypatch.setattr(QDialog, "exec", lambda _dialog: pytest.fail("a form was shown"))
    tab, meeting = open_meeting(window)
    with theirs.session() as session:
        session.delete(session.get_one(Meeting, meeting.id))
    tab.edit_meeting()
    window.tabs.setCurrentWidget(window.board_tab)
    row = select_member(window, "Alison Harding")
    with theirs.session() as session:
        session.delete(session.get_one(Membership, row.membership_id))
    window.edit_action.trigger()
    window.end_action.trigger()
    assert [kind for kind, _ in message_boxes] == ["warning"] * 3
    assert all("someone else has deleted it" in text for _, text in message_boxes)


def test_settings_saved_over_someone_elses_change_escape_keeps_editing_then_saves_over(
    window, answer, theirs, sample_db, qtbot
):
    before = load_settings(sample_db)
    accounts: list[str] = []
    seen: dict[str, object] = {}

    def conflict(dialog: ConflictDialog):
        accounts.append(dialog.account.toPlainText())
        if len(accounts) == 1:
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        else:
            dialog.overwrite_button.click()

    def user(dialog: SettingsDialog):
        save_settings(theirs, dataclasses.replace(load_settings(theirs), phone="01582 547500"))
        dialog.email.setText("lscb@luton.gov.uk")
        dialog.phone.setText("01582 999999")
        dialog.save_button.click()
        seen["kept"] = (dialog.email.text(), dialog.phone.text(), dialog.result())
        seen["saved then"] = load_settings(sample_db)
        dialog.save_button.click()

    answer(ConflictDialog, conflict)
    answer(SettingsDialog, user)
    window.settings_action.trigger()
    assert accounts[0].startswith(current_os_user())
    assert "changed the settings" in accounts[0]
    assert WHEN.search(accounts[0])
    assert f"• Phone: from {shown(before.phone)} to “01582 547500”" in accounts[0]
    assert seen["kept"] == ("lscb@luton.gov.uk", "01582 999999", 0)
    assert seen["saved then"] == dataclasses.replace(before, phone="01582 547500")
    assert load_settings(sample_db) == dataclasses.replace(
        before, email="lscb@luton.gov.uk", phone="01582 999999"
    )


def test_settings_saved_for_the_first_time_by_two_at_once_are_merged_without_an_error(
    qtbot, empty_db, answer, message_boxes, monkeypatch
):
    """Both open the Settings of a new database (nothing saved yet) and save: the second save
    meets the first's new settings at the very moment, and is merged, not a database error."""
    theirs = open_database(empty_db.engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr(
        ConflictDialog, "exec", lambda _dialog: pytest.fail("no conflict was expected")
    )
    try:
        dialog = SettingsDialog(empty_db)
        qtbot.addWidget(dialog)

        def they_save_first(*_args):  # after mine has looked for the settings, before it writes
            their_dialog = SettingsDialog(theirs)
            their_dialog.default_venue.setText("Hall")
            their_dialog.save_button.click()
            their_dialog.deleteLater()

        event.listen(empty_db._factory, "before_flush", they_save_first, once=True)
        dialog.phone.setText("01582 547500")
        dialog.save_button.click()
        assert dialog.result() == QDialog.DialogCode.Accepted
        now = load_settings(theirs)
        assert (now.default_venue, now.phone) == ("Hall", "01582 547500")
        assert message_boxes == []
    finally:
        theirs.dispose()


def test_a_change_at_the_moment_of_saving_that_clashes_with_nothing_is_saved_quietly(
    window, answer, theirs, sample_db, monkeypatch, no_conflict
):
    row = select_member(window, "Alison Harding")
    date_problem = members.date_problem
    raced = []

    def racing(*args, **kwargs):  # after the save has read the membership, before it writes
        monkeypatch.setattr(members, "date_problem", date_problem)
        raced.append(True)
        form = member_form(theirs, row.membership_id)
        notes = dataclasses.replace(form.membership, notes="Retiring in the spring")
        update_member(theirs, row.membership_id, form.person, notes)
        return date_problem(*args, **kwargs)

    def user(dialog: EndMembershipDialog):
        monkeypatch.setattr(members, "date_problem", racing)
        dialog.end_date.setDate(dialog.end_date.date().addDays(-1))
        dialog.save()

    opened = answer(EndMembershipDialog, user)
    window.end_action.trigger()
    assert raced
    assert opened[0].result() == QDialog.DialogCode.Accepted
    with sample_db.session() as session:
        membership = session.get_one(Membership, row.membership_id)
        assert membership.notes == "Retiring in the spring"
        assert membership.end_date is not None
        assert membership.end_date < SAMPLE_TODAY


def test_terms_of_reference_saved_over_someone_elses_change_ask_first(
    window, answer, theirs, sample_db
):
    tab = window.subgroups_tab
    window.tabs.setCurrentWidget(tab)
    tab.table.selectRow(0)
    group = tab.current_group()
    assert group is not None
    before = group_input(sample_db, group.id)
    accounts: list[str] = []

    def conflict(dialog: ConflictDialog):
        accounts.append(dialog.account.toPlainText())
        dialog.keep_button.click()

    answer(ConflictDialog, conflict)
    save_group(theirs, dataclasses.replace(before, purpose="To hold agencies to account"), group.id)
    tab.terms.aims.setPlainText("Fewer, better meetings")
    tab.terms.purpose.setPlainText("To learn from cases")
    tab.save_terms()
    (account,) = accounts
    assert f"changed the group “{group.name}”" in account
    assert "• Purpose: from " in account
    assert tab.terms.aims.toPlainText() == "Fewer, better meetings"
    with sample_db.session() as session:
        saved = session.scalars(select(Group).where(Group.id == group.id)).one()
        assert (saved.purpose, saved.aims) == ("To hold agencies to account", before.aims)


MISSING_ID = 999_999


@pytest.mark.parametrize(
    "make",
    [
        lambda db: MeetingDialog(db, MISSING_ID),
        lambda db: ItemDialog(db, 1, MISSING_ID),
        lambda db: ActionDialog(db, MISSING_ID),
        lambda db: StandardItemsDialog(db, MISSING_ID, "A group"),
        lambda db: AuditDialog(db, MISSING_ID),
        lambda db: CaseReviewDialog(db, MISSING_ID),
        lambda db: AgencyDialog(db, MISSING_ID),
        lambda db: ChecklistDialog(db, MISSING_ID, "A member"),
        lambda db: EndMembershipDialog(db, MISSING_ID, "A member", "A group"),
        lambda db: MemberDialog(db, 1, "A group", MISSING_ID),
    ],
    ids=[
        "meeting",
        "agenda item",
        "action",
        "standard items",
        "audit",
        "case review",
        "agency",
        "checklist",
        "end membership",
        "member",
    ],
)
def test_every_form_of_a_deleted_record_says_so_instead_of_opening(
    qtbot, sample_db, message_boxes, monkeypatch, make
):
    monkeypatch.setattr(QDialog, "exec", lambda _dialog: pytest.fail("the form was shown"))
    dialog = make(sample_db)
    qtbot.addWidget(dialog)
    assert dialog.exec() == QDialog.DialogCode.Rejected
    assert message_boxes == [("warning", GONE_WORDS)]


def test_terms_of_reference_of_a_deleted_group_say_so_and_show_none(
    qtbot, sample_db, message_boxes
):
    terms = GroupForm(sample_db)
    qtbot.addWidget(terms)
    terms.load(MISSING_ID)
    assert message_boxes == [("warning", GONE_WORDS)]
    assert (terms.group_id, terms.name.text()) == (None, "")
