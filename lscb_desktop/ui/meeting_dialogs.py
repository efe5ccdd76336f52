"""The forms of the Meetings tab: a meeting, an agenda item, an action (a year's plan is in
plan_year.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from lscb_desktop import clock
from lscb_desktop.models import ActionStatus, MeetingKind, MeetingStatus, Purpose
from lscb_desktop.services.actions import ActionInput, action_input, save_action
from lscb_desktop.services.agenda import (
    ItemInput,
    item_input,
    save_item,
    save_standard_items,
    standard_items,
)
from lscb_desktop.services.groups import group_choices
from lscb_desktop.services.meetings import MeetingInput, meeting_input, save_meeting
from lscb_desktop.services.people import person_choices
from lscb_desktop.services.settings import load_settings
from lscb_desktop.services.workdays import next_working_day, why_not_working
from lscb_desktop.store import Database
from lscb_desktop.ui.choice_combo import ChoiceCombo
from lscb_desktop.ui.forms import (
    FormDialog,
    OptionalDate,
    date_edit,
    datetime_edit,
    enum_combo,
    from_qdate,
    from_qdatetime,
    show_date,
    show_datetime,
)
from lscb_desktop.ui.plan_year import PlanYearDialog

__all__ = [
    "ActionDialog",
    "FormDialog",
    "ItemDialog",
    "MeetingDialog",
    "PlanYearDialog",
    "StandardItemsDialog",
    "ask",
    "enum_combo",
]


class MeetingDialog(FormDialog):
    def __init__(
        self,
        database: Database,
        meeting_id: int | None = None,
        group_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(database, "Edit meeting" if meeting_id else "New meeting", parent)
        self.meeting_id = meeting_id
        settings = load_settings(database)
        # Four weeks on, or the working day after when that is a weekend or bank holiday.
        start = dt.datetime.combine(
            next_working_day(clock.today() + dt.timedelta(days=28)), dt.time(10)
        )
        data = MeetingInput(
            group_id=group_id,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            venue=settings.default_venue,
            protective_marking=settings.protective_marking,
        )
        self.group = ChoiceCombo(group_choices(database))
        self.earliest_year = settings.earliest_year
        self.starts_at = datetime_edit(data.starts_at, earliest_year=self.earliest_year)
        self.ends_at = QTimeEdit()
        self.ends_at.setDisplayFormat("HH:mm")
        self._start = data.starts_at
        self.starts_at.dateTimeChanged.connect(self._keep_length)
        self.venue = QLineEdit()
        self.kind = enum_combo(MeetingKind, data.kind)
        self.status = enum_combo(MeetingStatus, data.status)
        self.marking = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        for key, label, widget in (
            ("group", "&Group *", self.group),
            ("starts_at", "&Starts *", self.starts_at),
            ("ends_at", "&Ends", self.ends_at),
            ("venue", "&Venue", self.venue),
            ("kind", "&Kind", self.kind),
            ("status", "S&tatus", self.status),
            ("protective_marking", "Protective &marking", self.marking),
            ("notes", "&Notes", self.notes),
        ):
            self.form.add(key, label, widget)
        self.fill(data)
        if meeting_id:
            self.open_records()
        self.resize(520, 420)

    def records(self) -> tuple[tuple[str, object], ...]:
        return (("meeting", self.meeting_id),) if self.meeting_id else ()

    def load(self) -> None:
        if self.meeting_id:
            self.fill(meeting_input(self.database, self.meeting_id))

    def fill(self, data: MeetingInput) -> None:
        #: The day on file: a meeting already held on a Saturday is not asked about again.
        self._saved_day = data.starts_at.date() if self.meeting_id else None
        self._agreed_day: dt.date | None = None
        self.group.set_id(data.group_id)
        self._start = data.starts_at  # moving the start here is no reason to move the end
        show_datetime(self.starts_at, data.starts_at)
        self.ends_at.setTime(
            QTime(data.ends_at.hour, data.ends_at.minute) if data.ends_at else QTime(12, 0)
        )
        self.venue.setText(data.venue)
        self.kind.setCurrentIndex(max(0, self.kind.findData(data.kind)))
        self.status.setCurrentIndex(max(0, self.status.findData(data.status)))
        self.marking.setText(data.protective_marking)
        self.notes.setPlainText(data.notes)

    def _keep_length(self) -> None:
        """Moving the start moves the end with it, so the meeting keeps its length."""
        start = from_qdatetime(self.starts_at.dateTime())
        shift = start - self._start
        self._start = start
        self.ends_at.setTime(self.ends_at.time().addSecs(int(shift.total_seconds()) % 86400))

    def value(self) -> MeetingInput:
        starts = from_qdatetime(self.starts_at.dateTime())
        end_time = self.ends_at.time()
        return MeetingInput(
            group_id=self.group.current_id(),
            starts_at=starts,
            ends_at=dt.datetime.combine(starts.date(), dt.time(end_time.hour(), end_time.minute())),
            venue=self.venue.text(),
            kind=MeetingKind(self.kind.currentData()),
            status=MeetingStatus(self.status.currentData()),
            protective_marking=self.marking.text(),
            notes=self.notes.toPlainText(),
        )

    def confirm(self) -> bool:
        """A meeting moved onto a weekend or a bank holiday is held then only on the user's yes."""
        day = from_qdatetime(self.starts_at.dateTime()).date()
        why = why_not_working(day)
        if not why or day in (self._saved_day, self._agreed_day):
            return True
        answer = QMessageBox.question(
            self,
            "Not a working day",
            f"{day:%a %d/%m/%Y} is {why}. Hold the meeting on that day?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._agreed_day = (
                day  # asked once: a save refused for another field does not ask again
            )
            return True
        self.starts_at.setFocus()
        return False

    def save_record(self) -> int:
        return save_meeting(self.database, self.value(), self.meeting_id)


class ItemDialog(FormDialog):
    def __init__(
        self,
        database: Database,
        meeting_id: int,
        item_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(database, "Edit agenda item" if item_id else "New agenda item", parent)
        self.meeting_id = meeting_id
        self.item_id = item_id
        self.title = QLineEdit()
        self.presenter = ChoiceCombo(person_choices(database), blank="")
        self.presenter.setToolTip("Pick a person, or type a name or role")
        self.purpose = enum_combo(Purpose, None, blank="")
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 600)
        self.minutes.setSuffix(" minutes")
        self.paper_expected = QCheckBox("A paper is to come for this item")
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        for key, label, widget in (
            ("title", "&Title *", self.title),
            ("presenter", "&Presenter", self.presenter),
            ("purpose", "P&urpose", self.purpose),
            ("minutes", "&Time allowed", self.minutes),
            ("paper_expected", "Paper", self.paper_expected),
            ("notes", "&Notes", self.notes),
        ):
            self.form.add(key, label, widget)
        self.fill(ItemInput(""))
        if item_id:
            self.open_records()
        self.resize(560, 360)

    def records(self) -> tuple[tuple[str, object], ...]:
        return (("agenda_item", self.item_id),) if self.item_id else ()

    def load(self) -> None:
        if self.item_id:
            self.fill(item_input(self.database, self.item_id))

    def fill(self, data: ItemInput) -> None:
        self.title.setText(data.title)
        self.presenter.set_id(data.presenter_id)
        if data.presenter_id is None and data.presenter_text:
            self.presenter.setEditText(data.presenter_text)
        self.purpose.setCurrentIndex(max(0, self.purpose.findData(data.purpose)))
        self.minutes.setValue(data.minutes or 0)
        self.paper_expected.setChecked(data.paper_expected)
        self.notes.setPlainText(data.notes)

    def value(self) -> ItemInput:
        return ItemInput(
            title=self.title.text(),
            presenter_id=self.presenter.current_id(),
            presenter_text=self.presenter.typed_text(),
            purpose=self.purpose.currentData(),
            minutes=self.minutes.value() or None,
            paper_expected=self.paper_expected.isChecked(),
            notes=self.notes.toPlainText(),
        )

    def save_record(self) -> int:
        return save_item(self.database, self.meeting_id, self.value(), self.item_id)


class ActionDialog(FormDialog):
    def __init__(
        self,
        database: Database,
        action_id: int | None = None,
        *,
        meeting_id: int | None = None,
        agenda_item_id: int | None = None,
        audit_id: int | None = None,
        case_review_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(database, "Edit action" if action_id else "New action", parent)
        self.action_id = action_id
        data = ActionInput(
            "",
            meeting_id=meeting_id,
            agenda_item_id=agenda_item_id,
            audit_id=audit_id,
            case_review_id=case_review_id,
        )
        self.data = data
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().height() * 4)
        self.owner = ChoiceCombo(person_choices(database), blank="")
        earliest_year = load_settings(database).earliest_year
        self.due = OptionalDate("Due by", earliest_year=earliest_year)
        self.status = enum_combo(ActionStatus, data.status)
        self.done_date = date_edit(clock.today(), earliest_year=earliest_year)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        for key, label, widget in (
            ("description", "&Action *", self.description),
            ("owner", "&Owner", self.owner),
            ("due_date", "&Due", self.due),
            ("status", "&Status", self.status),
            ("done_date", "Date &done", self.done_date),
            ("notes", "&Notes", self.notes),
        ):
            self.form.add(key, label, widget)
        self.status.currentIndexChanged.connect(self._status_changed)
        self.fill(data)
        if action_id:
            self.open_records()
        self.resize(560, 420)

    def records(self) -> tuple[tuple[str, object], ...]:
        return (("action", self.action_id),) if self.action_id else ()

    def load(self) -> None:
        if self.action_id:
            self.fill(action_input(self.database, self.action_id))

    def fill(self, data: ActionInput) -> None:
        self.data = data
        self.description.setPlainText(data.description)
        self.owner.set_id(data.owner_id)
        if data.owner_id is None and data.owner_text:
            self.owner.setEditText(data.owner_text)
        self.due.set_value(data.due_date)
        self.status.setCurrentIndex(max(0, self.status.findData(data.status)))
        show_date(self.done_date, data.done_date or clock.today())
        self.notes.setPlainText(data.notes)
        self._status_changed()

    def _status_changed(self) -> None:
        self.done_date.setEnabled(self.status.currentData() is ActionStatus.DONE)

    def value(self) -> ActionInput:
        status = ActionStatus(self.status.currentData())
        return dataclasses.replace(
            self.data,
            description=self.description.toPlainText(),
            owner_id=self.owner.current_id(),
            owner_text=self.owner.typed_text(),
            due_date=self.due.value(),
            status=status,
            done_date=from_qdate(self.done_date.date()) if status is ActionStatus.DONE else None,
            notes=self.notes.toPlainText(),
        )

    def save_record(self) -> int:
        return save_action(self.database, self.value(), self.action_id)


class StandardItemsDialog(FormDialog):
    """A group's standard opening and closing items, one per line."""

    def __init__(
        self, database: Database, group_id: int, group_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(database, f"Standard agenda items — {group_name}", parent)
        self.group_id = group_id
        self.form_layout.addRow(
            QLabel("One item per line: title | purpose | minutes (purpose and minutes optional).")
        )
        self.opening = QPlainTextEdit()
        self.closing = QPlainTextEdit()
        for key, label, widget in (
            ("opening", "&Opening items", self.opening),
            ("closing", "&Closing items", self.closing),
        ):
            widget.setTabChangesFocus(True)
            self.form.add(key, label, widget)
        self.open_records()
        self.resize(640, 420)

    def records(self) -> tuple[tuple[str, object], ...]:
        return (("board_group", self.group_id),)

    def load(self) -> None:
        opening, closing = standard_items(self.database, self.group_id)
        self.opening.setPlainText(opening)
        self.closing.setPlainText(closing)

    def save_record(self) -> int:
        save_standard_items(
            self.database, self.group_id, self.opening.toPlainText(), self.closing.toPlainText()
        )
        return self.group_id


def ask(dialog: QDialog) -> bool:
    """Shows a form; whether it was saved. The form is deleted afterwards (once control returns
    to the event loop), so forms do not pile up under their parent for the program's life."""
    saved = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return saved
