"""The member form: a person's details and their membership of one group.

When the agency of a person with memberships changes, the form asks from which date they
represent the new one: their memberships are ended the day before and continued for the new
agency from it (``services.moving``), so meetings before the move, and every figure for them,
stay with the agency they represented then.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.models import Role
from lscb_desktop.services.agency_moves import AgencyMove, agency_move
from lscb_desktop.services.concurrency import RecordGone, Snapshot, membership_snapshot, snapshot
from lscb_desktop.services.members import (
    MembershipInput,
    add_member,
    member_form,
    update_member,
)
from lscb_desktop.services.people import (
    Choice,
    PersonInput,
    agency_choices,
    person_choices,
    person_input,
)
from lscb_desktop.services.settings import load_settings
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import Database
from lscb_desktop.ui.choice_combo import ChoiceCombo
from lscb_desktop.ui.conflict_dialog import RecordDialog, Unsaved, show_gone
from lscb_desktop.ui.forms import (
    Form,
    date_edit,
    from_qdate,
    show_date,
)
from lscb_desktop.ui.small_dialogs import MoveDateDialog
from lscb_desktop.words import and_list

NEW_PERSON = "Find someone on file, or type a new person's name"


class MemberDialog(RecordDialog):
    """Adds a member to a group (a person on file or a new one), or edits a membership.

    The dialog stays open until the record is saved: a wrong field is named beneath it and
    everything typed is kept. Saving over a change someone else made to the person or the
    membership since the form was opened asks what to do (see ``conflict_dialog``).
    """

    def __init__(
        self,
        database: Database,
        group_id: int,
        group_name: str,
        membership_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(database, parent)
        self.group_id = group_id
        self.membership_id = membership_id
        self.saved_id: int | None = None
        self._person_id: int | None = None
        #: The move to another agency answered for this form: (agency id, typed agency), date.
        self._moved: tuple[tuple[int | None, str], dt.date] | None = None
        #: What a move to another agency did, in words ("" when there was none).
        self.outcome = ""
        verb = "Edit member of" if membership_id else "Add a member to"
        self.setWindowTitle(f"{verb} {group_name}")
        people = person_choices(database)
        self.form = Form()
        person_box = self._person_box(people)
        member_box = self._membership_box(people, group_name)

        self.general_message = QLabel(self)
        self.general_message.setStyleSheet("color: #b00020;")
        self.general_message.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        columns = QHBoxLayout()
        columns.addWidget(person_box, 3)
        columns.addWidget(member_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(QLabel("* required"))
        layout.addWidget(self.general_message)
        layout.addWidget(buttons)
        if membership_id is not None:
            self.open_records()
        (self.name if membership_id else self.person_picker).setFocus()
        self.resize(920, 560)

    def _person_box(self, people: list[Choice]) -> QGroupBox:
        box = QGroupBox("Person", self)
        form = self.form
        form.layout = QFormLayout(box)
        self.person_picker = ChoiceCombo(people, blank=NEW_PERSON)
        if self.membership_id is None:
            form.add("person", "&Who", self.person_picker, "Person on file")
            self.person_picker.currentIndexChanged.connect(self._person_picked)
            line = self.person_picker.lineEdit()
            if line is not None:
                line.editingFinished.connect(self._take_typed_name)
        self.title = QLineEdit()
        self.name = QLineEdit()
        self.job_title = QLineEdit()
        self.agency = ChoiceCombo(agency_choices(self.database))
        self.agency.setPlaceholderText("Pick from the list or type a new agency")
        self.email = QLineEdit()
        self.secure_email = QLineEdit()
        self.phone = QLineEdit()
        self.address = QPlainTextEdit()
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.fontMetrics().height() * 4)
        self.pa_name = QLineEdit()
        self.pa_email = QLineEdit()
        self.pa_phone = QLineEdit()
        for key, label, widget in (
            ("title", "&Title", self.title),
            ("name", "&Name *", self.name),
            ("job_title", "&Job title", self.job_title),
            ("agency", "A&gency", self.agency),
            ("email", "&Email", self.email),
            ("secure_email", "Secure email", self.secure_email),
            ("phone", "&Phone", self.phone),
            ("address", "Address", self.address),
            ("pa_name", "PA's name", self.pa_name),
            ("pa_email", "PA's email", self.pa_email),
            ("pa_phone", "PA's phone", self.pa_phone),
        ):
            form.add(key, label, widget)
        self.title.setMaximumWidth(90)
        return box

    def _membership_box(self, people: list[Choice], group_name: str) -> QGroupBox:
        box = QGroupBox(f"Membership of {group_name}", self)
        member_layout = QFormLayout(box)
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.label, role)
        self.role.setCurrentIndex(self.role.findData(Role.MEMBER))
        self.position = QLineEdit()
        self.position.setPlaceholderText("e.g. Designated Nurse")
        self.start_date = date_edit(earliest_year=load_settings(self.database).earliest_year)
        self.substitute = ChoiceCombo(people, blank="(none)")
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        for key, label, widget in (
            ("role", "&Role", self.role),
            ("position", "P&osition", self.position),
            ("start_date", "&Start date *", self.start_date),
            ("substitute", "Designated s&ubstitute", self.substitute),
            ("notes", "Notes", self.notes),
        ):
            self.form.add(key, label, widget, layout=member_layout)
        return box

    # -- loading ------------------------------------------------------------------------------

    def _fill_person(self, person: PersonInput) -> None:
        self.title.setText(person.title)
        self.name.setText(person.name)
        self.job_title.setText(person.job_title)
        self.agency.set_id(person.agency_id)
        self.email.setText(person.email)
        self.secure_email.setText(person.secure_email)
        self.phone.setText(person.phone)
        self.address.setPlainText(person.address)
        self.pa_name.setText(person.pa_name)
        self.pa_email.setText(person.pa_email)
        self.pa_phone.setText(person.pa_phone)
        self._person_notes = person.notes

    def take_snapshot(self) -> Snapshot:
        if self.membership_id is not None:
            return membership_snapshot(self.database, self.membership_id)
        if self._person_id is not None:
            return snapshot(self.database, ("person", self._person_id))
        return Snapshot()

    def load(self) -> None:
        if self.membership_id is not None:
            self._load(self.membership_id)
        elif self._person_id is not None:
            self._fill_person(person_input(self.database, self._person_id))

    def clear_messages(self) -> None:
        self.form.clear_problems()
        self.general_message.hide()

    def _load(self, membership_id: int) -> None:
        form = member_form(self.database, membership_id)
        self._person_id = form.person_id
        self._fill_person(form.person)
        self.role.setCurrentIndex(self.role.findData(form.membership.role))
        self.position.setText(form.membership.position)
        if form.membership.start_date:
            show_date(self.start_date, form.membership.start_date)
        self.substitute.set_id(form.membership.substitute_id)
        self.notes.setPlainText(form.membership.notes)

    def _person_picked(self) -> None:
        person_id = self.person_picker.current_id()
        if person_id == self._person_id:
            return
        self._person_id = person_id
        if person_id is None:
            self.guard.use(Snapshot())
            self._fill_person(PersonInput(""))
            return
        try:
            self.guard.use(self.take_snapshot())  # noted before they are read, for saving
            self.load()
        except RecordGone as exc:
            show_gone(self, exc)
            self._person_id = None
            self.person_picker.set_id(None)

    def _take_typed_name(self) -> None:
        """A name typed in Who that is no one on file is the new person's: it moves to Name
        (when Name is still empty), and Who goes back to "a new person"."""
        typed = self.person_picker.typed_text()
        if not typed or self.name.text().strip():
            return
        self.person_picker.set_id(None)
        self.name.setText(typed)
        self.name.setFocus()

    def _a_second_person_of_that_name(self) -> bool:
        """For a new person whose name someone on file has: whether the user means a second
        person of that name (True: nothing to ask)."""
        if self._person_id is not None:
            return True
        same = [
            self.person_picker.itemText(i) for i in self.person_picker.matches(self.name.text())
        ]
        if not same:
            return True
        answer = QMessageBox.question(
            self,
            "Already on file",
            f"{and_list(same)} {'is' if len(same) == 1 else 'are'} already on file. Add "
            f"another person called “{' '.join(self.name.text().split())}”?\n\nChoose No to "
            "go back and pick them in Who.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            return True
        self.person_picker.setFocus()
        return False

    # -- saving -------------------------------------------------------------------------------

    def person_value(self) -> PersonInput:
        return PersonInput(
            name=self.name.text(),
            title=self.title.text(),
            job_title=self.job_title.text(),
            agency_id=self.agency.current_id(),
            new_agency=self.agency.typed_text(),
            email=self.email.text(),
            secure_email=self.secure_email.text(),
            phone=self.phone.text(),
            address=self.address.toPlainText(),
            pa_name=self.pa_name.text(),
            pa_email=self.pa_email.text(),
            pa_phone=self.pa_phone.text(),
            notes=getattr(self, "_person_notes", ""),
        )

    def membership_value(self) -> MembershipInput:
        return MembershipInput(
            role=Role(self.role.currentData()),
            start_date=from_qdate(self.start_date.date()),
            position=self.position.text(),
            substitute_id=self.substitute.current_id(),
            notes=self.notes.toPlainText(),
        )

    def problems(self) -> dict[str, str]:
        """What the form shows now, by field (empty when there is nothing wrong)."""
        shown = {key: self.form.message(key) for key in self.form.messages}
        if not self.general_message.isHidden():
            shown[""] = self.general_message.text()
        return {key: text for key, text in shown.items() if text}

    def save(self) -> None:
        self.clear_messages()
        # The service refuses dates outside the settings' years too; the form says so first.
        problems: dict[str, str] = self.form.date_problems()
        if self.substitute.typed_text():
            problems["substitute"] = "Pick the substitute from the list, or leave it empty."
        if self.membership_id is None:
            self._take_typed_name()
            who = self.person_picker.currentText().strip()
            if who and self.person_picker.current_id() is None:
                many = len(self.person_picker.matches(who))
                problems["person"] = (
                    f"{many} people on file are called “{who}”: pick one from the list."
                    if many > 1
                    else f"No one on file is called “{who}”: pick someone from the list, or "
                    "empty this field to add the new person named below."
                )
            elif not problems and not self._a_second_person_of_that_name():
                return
        # A person on file who changes agency: from when? (Asked before the save; cancelling
        # saves nothing and keeps the form.)
        move = None if problems else self._agency_move()
        moved_on = self._moved_on(move) if move is not None else None
        if move is not None and moved_on is None:
            return
        try:
            if problems:
                raise InvalidInput(problems)
            self.saved_id = self.guarded_save(lambda: self._save(moved_on))
        except InvalidInput as exc:
            leftovers = self.form.show_problems(exc.problems)
            if leftovers:
                self.general_message.setText("\n".join(leftovers))
                self.general_message.show()
            return
        except Unsaved:
            return
        if move is not None and moved_on is not None:
            self.outcome = move.outcome(moved_on)
            QMessageBox.information(self, "Moved to another agency", self.outcome)
        self.accept()

    def _agency_move(self) -> AgencyMove | None:
        """What the agency in the form would move, for a person on file (None: nothing)."""
        if self._person_id is None:
            return None
        return agency_move(
            self.database, self._person_id, self.agency.current_id(), self.agency.typed_text()
        )

    def _moved_on(self, move: AgencyMove) -> dt.date | None:
        """The date from which the person represents the new agency: asked once per agency
        chosen (a save refused for another field does not ask again); None if cancelled."""
        target = (self.agency.current_id(), self.agency.typed_text().casefold())
        if self._moved is not None and self._moved[0] == target:
            return self._moved[1]
        earliest_year = load_settings(self.database).earliest_year
        chosen = MoveDateDialog.ask(self, move, earliest_year)
        self._moved = (target, chosen) if chosen is not None else None
        return chosen

    def _save(self, moved_on: dt.date | None = None) -> int:
        person = dataclasses.replace(self.person_value(), moved_on=moved_on)
        if self.membership_id is None:
            return add_member(
                self.database,
                self.group_id,
                self.membership_value(),
                person_id=self._person_id,
                person=person,
            )
        return update_member(self.database, self.membership_id, person, self.membership_value())

    @classmethod
    def edit(
        cls,
        parent: QWidget,
        database: Database,
        group_id: int,
        group_name: str,
        membership_id: int | None = None,
    ) -> int | None:
        """Shows the form; the saved membership's id (the one holding the seat now, after a move
        to another agency), or None if cancelled."""
        dialog = cls(database, group_id, group_name, membership_id, parent)
        if dialog.exec() != cls.DialogCode.Accepted:
            return None
        return dialog.saved_id
