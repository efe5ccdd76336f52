"""The induction checklist, ending a membership and a group's review date keep to the settings'
years: the fields take no year outside them, a date already out of range is shown as it is and
named on saving, and what the service refuses is shown under the field; nothing is saved then."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateTimeEdit
from sqlalchemy import select

from lscb_desktop.models import Group, Membership
from lscb_desktop.services.members import board_group_id, group_members
from lscb_desktop.services.settings import load_settings, save_settings
from lscb_desktop.store import Database
from lscb_desktop.ui.small_dialogs import ChecklistDialog, EndMembershipDialog
from lscb_desktop.ui.subgroups_tab import GroupForm
from tests.conftest import SAMPLE_TODAY

BEFORE_1990 = (
    "01/01/1900 is before 1990, the earliest year for dates: check the year (for older "
    "history, lower the earliest year under File > Settings)."
)


def _membership(database: Database) -> int:
    return group_members(database, board_group_id(database) or 0, on=SAMPLE_TODAY)[0].membership_id


def _row(database: Database, membership_id: int) -> dict[str, object]:
    with database.session() as session:
        row = session.get_one(Membership, membership_id)
        return {column.key: getattr(row, column.key) for column in Membership.__mapper__.columns}


def _set_earliest_year(database: Database, year: int) -> None:
    save_settings(database, dataclasses.replace(load_settings(database), earliest_year=year))


def _type_date(qtbot, edit: QDateTimeEdit, digits: str) -> None:
    """Types into a date field from its first section, as a user does."""
    edit.setFocus()
    edit.setSelectedSection(QDateTimeEdit.Section.DaySection)
    qtbot.keyClicks(edit, digits)


def _range(edit: QDateTimeEdit) -> tuple[QDate, QDate]:
    return edit.minimumDate(), edit.maximumDate()


def test_the_date_fields_take_the_years_in_the_settings(qtbot, sample_db, message_boxes):
    membership_id = _membership(sample_db)
    default = (QDate(1990, 1, 1), QDate(2100, 12, 31))
    checklist = ChecklistDialog(sample_db, membership_id, "A member")
    ending = EndMembershipDialog(sample_db, membership_id, "A member", "the Board")
    terms = GroupForm(sample_db)
    for widget in (checklist, ending, terms):
        qtbot.addWidget(widget)
    assert {_range(item.edit) for item in checklist.items.values()} == {default}
    assert _range(ending.end_date) == default
    assert _range(terms.review_date.edit) == default

    _set_earliest_year(sample_db, 1950)
    older = (QDate(1950, 1, 1), QDate(2100, 12, 31))
    checklist = ChecklistDialog(sample_db, membership_id, "A member")
    ending = EndMembershipDialog(sample_db, membership_id, "A member", "the Board")
    terms = GroupForm(sample_db)
    for widget in (checklist, ending, terms):
        qtbot.addWidget(widget)
    assert {_range(item.edit) for item in checklist.items.values()} == {older}
    assert _range(ending.end_date) == older
    assert _range(terms.review_date.edit) == older
    assert message_boxes == []


def test_a_checklist_date_already_1900_is_shown_and_named_on_saving(
    qtbot, sample_db, message_boxes
):
    membership_id = _membership(sample_db)
    with sample_db.session() as session:
        session.get_one(Membership, membership_id).agreement_signed_on = dt.date(1900, 1, 1)
    before = _row(sample_db, membership_id)
    dialog = ChecklistDialog(sample_db, membership_id, "A member")
    qtbot.addWidget(dialog)
    item = dialog.items["agreement_signed_on"]
    assert item.edit.text() == "01/01/1900"  # shown as it is, not moved to 1990
    dialog.items["met_chair_on"].check.setChecked(True)
    dialog.items["met_chair_on"].edit.setDate(QDate(2026, 10, 1))
    dialog.save()
    assert dialog.result() == 0
    assert dialog.form.message("agreement_signed_on") == BEFORE_1990
    assert dialog.form.message("met_chair_on") == ""
    assert _row(sample_db, membership_id) == before  # the good date is not saved either

    item.edit.setDate(QDate(1995, 6, 14))
    dialog.save()
    assert dialog.result() == 1
    after = _row(sample_db, membership_id)
    assert after["agreement_signed_on"] == dt.date(1995, 6, 14)
    assert after["met_chair_on"] == dt.date(2026, 10, 1)
    assert message_boxes == []


def test_a_checklist_year_typed_as_1900_is_refused_under_the_item(qtbot, sample_db, message_boxes):
    membership_id = _membership(sample_db)
    before = _row(sample_db, membership_id)
    dialog = ChecklistDialog(sample_db, membership_id, "A member")
    qtbot.addWidget(dialog)
    item = dialog.items["met_chair_on"]
    item.check.setChecked(True)
    _type_date(qtbot, item.edit, "01011900")
    dialog.save()
    assert dialog.result() == 0
    assert dialog.form.message("met_chair_on").startswith("“01/01/19")
    assert "is not a date from 1990 to 2100" in dialog.form.message("met_chair_on")
    assert _row(sample_db, membership_id) == before
    assert message_boxes == []


def test_an_end_date_typed_as_1900_is_refused_and_the_membership_stays(
    qtbot, sample_db, message_boxes
):
    membership_id = _membership(sample_db)
    before = _row(sample_db, membership_id)
    dialog = EndMembershipDialog(sample_db, membership_id, "A member", "the Board")
    qtbot.addWidget(dialog)
    _type_date(qtbot, dialog.end_date, "01011900")
    dialog.save()
    assert dialog.result() == 0
    assert "is not a date from 1990 to 2100" in dialog.form.message("end_date")
    assert _row(sample_db, membership_id) == before
    assert message_boxes == []


def test_an_end_date_the_service_refuses_is_shown_under_the_field(qtbot, sample_db, message_boxes):
    """The form took 1960 when the earliest year was 1950; the settings changed before saving,
    and the members service refuses it by the settings it reads then."""
    membership_id = _membership(sample_db)
    with sample_db.session() as session:
        session.get_one(Membership, membership_id).start_date = dt.date(1950, 1, 1)
    _set_earliest_year(sample_db, 1950)
    dialog = EndMembershipDialog(sample_db, membership_id, "A member", "the Board")
    qtbot.addWidget(dialog)
    dialog.end_date.setDate(QDate(1960, 3, 9))
    _set_earliest_year(sample_db, 1990)
    before = _row(sample_db, membership_id)
    dialog.save()
    assert dialog.result() == 0
    assert dialog.form.message("end_date").startswith("09/03/1960 is before 1990")
    assert _row(sample_db, membership_id) == before

    _set_earliest_year(sample_db, 1950)
    dialog.save()
    assert dialog.result() == 1
    assert _row(sample_db, membership_id)["end_date"] == dt.date(1960, 3, 9)
    assert message_boxes == []


def test_a_review_date_typed_as_1900_is_refused_under_the_field(qtbot, sample_db, message_boxes):
    with sample_db.session() as session:
        group = session.scalars(select(Group).order_by(Group.id)).first()
        assert group is not None
        group_id, review_date = group.id, group.tor_review_date
    terms = GroupForm(sample_db)
    qtbot.addWidget(terms)
    terms.load(group_id)
    terms.review_date.check.setChecked(True)
    _type_date(qtbot, terms.review_date.edit, "01011900")
    assert terms.save() is None
    assert "is not a date from 1990 to 2100" in terms.form.message("tor_review_date")
    with sample_db.session() as session:
        assert session.get_one(Group, group_id).tor_review_date == review_date

    terms.review_date.edit.setDate(QDate(1995, 6, 14))
    assert terms.save() == group_id
    with sample_db.session() as session:
        assert session.get_one(Group, group_id).tor_review_date == dt.date(1995, 6, 14)
    assert message_boxes == []
