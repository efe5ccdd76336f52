"""One-click changes from a list (remove a paper, an agenda item, a membership, a guest) name what
the list showed: when someone else changed the record since, the change is refused in words and
nothing of theirs is removed unseen. "Theirs" is a second open database on the same file or
server database."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QFileDialog

from lscb_desktop.services.agenda import (
    ItemInput,
    agenda_rows,
    attach_paper,
    item_input,
    remove_paper,
    save_item,
)
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.guests import add_guest, remove_guest
from lscb_desktop.services.members import (
    MembershipInput,
    add_member,
    member_form,
    update_member,
)
from lscb_desktop.services.people import PersonInput
from lscb_desktop.store import Database, open_database
from lscb_desktop.store.changelog import current_os_user
from lscb_desktop.store.versions import GONE_WORDS
from lscb_desktop.ui.tables import select_where
from tests.conftest import SAMPLE_TODAY


@pytest.fixture
def theirs(sample_db) -> Iterator[Database]:
    other = open_database(sample_db.engine.url.render_as_string(hide_password=False))
    yield other
    other.dispose()


def by_someone_else(what: str, outcome: str) -> re.Pattern[str]:
    """“<what> by <me> (your own user name: …) at 10:42 since this list was shown; <outcome>.
    Refresh (F5) to see it.”"""
    who = re.escape(
        f"{current_os_user()} (your own user name: another window, or the command line)"
    )
    return re.compile(
        f"{re.escape(what)} by {who} at \\d\\d:\\d\\d since this list was shown; "
        f"{re.escape(outcome)}\\. Refresh \\(F5\\) to see it\\."
    )


def paper(tmp_path, name: str, content: bytes = b"%PDF-1.7\n%%EOF"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.fixture
def agenda(window, sample_db, tmp_path):
    """The Meetings tab on a meeting whose item 1 has a paper and item 2 none, as listed."""
    tab = window.meetings_tab
    window.tabs.setCurrentWidget(tab)
    tab.table.selectRow(0)
    meeting = tab.current_meeting()
    first = save_item(sample_db, meeting.id, ItemInput("Neglect audit findings"))
    attach_paper(sample_db, first, paper(tmp_path, "Neglect audit.pdf"))
    save_item(sample_db, meeting.id, ItemInput("Budget"))
    tab.refresh()
    assert tab.select_meeting(meeting.id)
    rows = {row.title: row for row in tab.agenda_model.rows}
    return tab, meeting, rows["Neglect audit findings"], rows["Budget"]


def select_item(tab, item) -> None:
    assert select_where(tab.agenda, lambda row: row.id == item.id)
    assert tab.current_item() == item


def test_removing_a_paper_someone_else_replaced_since_removes_nothing(
    agenda, theirs, sample_db, message_boxes, tmp_path
):
    tab, meeting, item, _ = agenda
    theirs_id = attach_paper(
        theirs, item.id, paper(tmp_path, "Their audit.pdf"), paper_shown=item.paper_id
    )
    select_item(tab, item)  # the list as it was shown, before theirs
    tab.remove_paper()
    (question, (kind, words)) = message_boxes
    assert question == ("question", f"Remove the paper Neglect audit.pdf from item {item.number}?")
    assert kind == "warning"
    expected = by_someone_else(
        f"The paper on item {item.number} was replaced", "nothing was removed"
    )
    assert expected.fullmatch(words), words
    now = next(row for row in agenda_rows(sample_db, meeting.id) if row.id == item.id)
    assert (now.paper_id, now.paper) == (theirs_id, "Their audit.pdf")


def test_a_paper_attached_or_marked_over_someone_elses_change_is_refused_in_words(
    agenda, theirs, sample_db, message_boxes, tmp_path, monkeypatch
):
    tab, meeting, item, bare = agenda
    attach_paper(theirs, bare.id, paper(tmp_path, "Budget.pdf"), paper_shown=None)
    remove_paper(theirs, item.id, paper_shown=item.paper_id)
    mine = paper(tmp_path, "My budget.pdf")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(mine), ""))
    select_item(tab, bare)
    tab.attach_paper()
    select_item(tab, item)
    tab.toggle_confidential()
    warnings = [text for kind, text in message_boxes if kind == "warning"]
    assert len(warnings) == 2
    attached = by_someone_else(
        f"A paper was attached to item {bare.number}", "yours was not attached"
    )
    assert attached.fullmatch(warnings[0]), warnings[0]
    removed = by_someone_else(f"The paper on item {item.number} was removed", "nothing was changed")
    assert removed.fullmatch(warnings[1]), warnings[1]
    now = {row.id: row for row in agenda_rows(sample_db, meeting.id)}
    assert (now[bare.id].paper, now[item.id].paper_id) == ("Budget.pdf", None)


def test_the_paper_that_was_shown_is_still_removed_at_once(agenda, sample_db, message_boxes):
    tab, meeting, item, _ = agenda
    select_item(tab, item)
    tab.remove_paper()
    assert [kind for kind, _ in message_boxes] == ["question"]
    now = next(row for row in agenda_rows(sample_db, meeting.id) if row.id == item.id)
    assert now.paper_id is None


def test_an_agenda_item_someone_else_changed_since_is_not_removed(
    agenda, theirs, sample_db, message_boxes
):
    tab, meeting, item, _ = agenda
    data = item_input(theirs, item.id)
    save_item(theirs, meeting.id, dataclasses.replace(data, minutes=45), item.id)
    select_item(tab, item)
    tab.remove_item()
    (_question, (kind, words)) = message_boxes
    expected = by_someone_else(
        f"The agenda item “Neglect audit findings” (item {item.number}) was changed",
        "nothing was removed",
    )
    assert kind == "warning"
    assert expected.fullmatch(words), words
    assert item.id in [row.id for row in agenda_rows(sample_db, meeting.id)]


def test_a_membership_someone_else_changed_since_is_not_deleted(
    window, theirs, sample_db, message_boxes
):
    panel = window.board_tab.members
    membership_id = add_member(
        sample_db,
        panel.group_id,
        MembershipInput(start_date=SAMPLE_TODAY),
        person=PersonInput(name="Mistaken Entry"),
    )
    panel.refresh()
    panel.select_membership(membership_id)
    form = member_form(theirs, membership_id)
    notes = dataclasses.replace(form.membership, notes="Not a mistake after all")
    update_member(theirs, membership_id, form.person, notes)
    panel.delete_record()
    (_question, (kind, words)) = message_boxes
    expected = by_someone_else(
        "Mistaken Entry's membership of Strategic Board was changed", "nothing was deleted"
    )
    assert kind == "warning"
    assert expected.fullmatch(words), words
    assert member_form(sample_db, membership_id).membership.notes == "Not a mistake after all"


def test_a_guest_someone_else_removed_since_says_so(window, theirs, sample_db, message_boxes):
    meetings = window.meetings_tab
    window.tabs.setCurrentWidget(meetings)
    meetings.table.selectRow(0)
    meeting = meetings.current_meeting()
    guest_id = add_guest(sample_db, meeting.id, "Dr Jo Bloggs", "University of Bedfordshire")
    window.tabs.setCurrentWidget(window.attendance_tab)
    page = window.attendance_tab.record
    page.select_meeting(meeting.id)
    assert select_where(page.guests, lambda row: row.id == guest_id)
    version = next(g.version for g in meeting_sheet(theirs, meeting.id).guests if g.id == guest_id)
    remove_guest(theirs, guest_id, version=version)
    page.drop_guest()
    assert message_boxes == [("warning", GONE_WORDS)]
