"""The smaller forms: the induction checklist, ending a membership, an agency, and the date
from which a member who moved represents their new agency."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop import clock
from lscb_desktop.models import CHECKLIST
from lscb_desktop.services.agencies import AgencyInput, agency_input, save_agency
from lscb_desktop.services.agency_moves import AgencyMove
from lscb_desktop.services.members import end_membership, member_form, set_checklist
from lscb_desktop.services.settings import load_settings
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import Database
from lscb_desktop.ui.conflict_dialog import RecordDialog, Unsaved
from lscb_desktop.ui.forms import Form, OptionalDate, date_edit, from_qdate


def _buttons(dialog: QDialog, ok_text: str = "") -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    if ok_text:
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ChecklistDialog(RecordDialog):
    """The members' checklist for one membership: each item ticked with the date it was done."""

    def __init__(
        self, database: Database, membership_id: int, who: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(database, parent)
        self.membership_id = membership_id
        self.setWindowTitle(f"Induction checklist — {who}")
        earliest_year = load_settings(database).earliest_year
        self.items: dict[str, OptionalDate] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick each item when it is done; the date is when it was done."))
        # Each item's tick box carries its label; the form only adds the message beneath it.
        form_layout = QFormLayout()
        self.form = Form(form_layout)
        for column, label in CHECKLIST:
            item = OptionalDate(label, self, earliest_year=earliest_year)
            item.check.setAccessibleName(label)
            self.items[column] = item
            self.form.add(column, "", item, label)
        layout.addLayout(form_layout)
        buttons = _buttons(self, "Save")
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)
        self.open_records()
        self.resize(560, self.sizeHint().height())

    def records(self) -> tuple[tuple[str, object], ...]:
        return (("membership", self.membership_id),)

    def load(self) -> None:
        current = member_form(self.database, self.membership_id).checklist
        for column, item in self.items.items():
            item.set_value(current[column])

    def clear_messages(self) -> None:
        self.form.clear_problems()

    def save(self) -> None:
        self.form.clear_problems()
        dates = {column: item.value() for column, item in self.items.items()}
        try:
            # A year typed outside the settings' range, or an old date kept from before.
            problems = self.form.date_problems()
            if problems:
                raise InvalidInput(problems)
            self.guarded_save(lambda: set_checklist(self.database, self.membership_id, dates))
        except InvalidInput as exc:
            self.form.show_problems(exc.problems)
            return
        except Unsaved:
            return
        self.accept()


class EndMembershipDialog(RecordDialog):
    """Asks for the last day of a membership; the history stays."""

    def __init__(
        self,
        database: Database,
        membership_id: int,
        who: str,
        group_name: str,
        parent: QWidget | None = None,
        last_day: dt.date | None = None,
    ) -> None:
        super().__init__(database, parent)
        self.membership_id = membership_id
        self.setWindowTitle("End membership" if last_day is None else "Change the last day")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"End {who}'s membership of {group_name}?\n\nThey will leave the current list "
                "but stay in past meetings, attendance and reports, and under "
                "“Show former members”."
            )
        )
        form_layout = QFormLayout()
        self.form = Form(form_layout)
        self.end_date = date_edit(
            last_day or clock.today(), earliest_year=load_settings(database).earliest_year
        )
        self.form.add("end_date", "&Last day", self.end_date, "Last day of membership")
        layout.addLayout(form_layout)
        buttons = _buttons(self, "End membership")
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)
        self.open_records()

    def records(self) -> tuple[tuple[str, object], ...]:
        return (("membership", self.membership_id),)

    def load(self) -> None:
        member_form(self.database, self.membership_id)  # still on file

    def save(self) -> None:
        self.form.clear_problems()
        end_date = from_qdate(self.end_date.date())
        try:
            dates = self.form.date_problems()
            if dates:
                raise InvalidInput(dates)
            self.guarded_save(lambda: end_membership(self.database, self.membership_id, end_date))
        except InvalidInput as exc:
            self.form.show_problems(exc.problems)
            return
        except Unsaved:
            return
        self.accept()


class AgencyDialog(RecordDialog):
    """Adds or edits a partner agency."""

    def __init__(
        self, database: Database, agency_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(database, parent)
        self.agency_id = agency_id
        self.saved_id: int | None = None
        self.setWindowTitle("Edit agency" if agency_id else "New agency")
        form_layout = QFormLayout()
        self.form = Form(form_layout)
        self.name = QLineEdit()
        self.short_name = QLineEdit()
        self.short_name.setPlaceholderText("e.g. ELFT")
        self.sector = QLineEdit()
        self.sector.setPlaceholderText("e.g. Health, Police, Education")
        self.statutory = QCheckBox("A statutory Board partner: it must be represented")
        self.counts_for_quorum = QCheckBox("Counts towards quorum")
        self.counts_for_quorum.setChecked(True)
        self.counts_for_quorum.setToolTip(
            "Untick for an agency whose people support meetings rather than make them quorate, "
            "such as the Board's own business unit: it is then left out of every quorum and of "
            "the agencies' attendance rates (its members' own rates are still shown)."
        )
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        for key, label, widget in (
            ("name", "&Name *", self.name),
            ("short_name", "&Short name", self.short_name),
            ("sector", "S&ector", self.sector),
            ("statutory_partner", "Statutory partner", self.statutory),
            ("counts_for_quorum", "Quorum", self.counts_for_quorum),
            ("notes", "Notes", self.notes),
        ):
            self.form.add(key, label, widget)
        self.counts_for_quorum.setAccessibleName("Counts towards quorum")
        layout = QVBoxLayout(self)
        layout.addLayout(form_layout)
        buttons = _buttons(self, "Save")
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)
        if agency_id:
            self.open_records()
        self.resize(520, self.sizeHint().height())

    def records(self) -> tuple[tuple[str, object], ...]:
        return (("agency", self.agency_id),) if self.agency_id else ()

    def load(self) -> None:
        if self.agency_id:
            self.fill(agency_input(self.database, self.agency_id))

    def fill(self, data: AgencyInput) -> None:
        self.name.setText(data.name)
        self.short_name.setText(data.short_name)
        self.sector.setText(data.sector)
        self.statutory.setChecked(data.statutory_partner)
        self.counts_for_quorum.setChecked(data.counts_for_quorum)
        self.notes.setPlainText(data.notes)

    def clear_messages(self) -> None:
        self.form.clear_problems()

    def save(self) -> None:
        self.form.clear_problems()
        data = AgencyInput(
            name=self.name.text(),
            short_name=self.short_name.text(),
            sector=self.sector.text(),
            statutory_partner=self.statutory.isChecked(),
            notes=self.notes.toPlainText(),
            counts_for_quorum=self.counts_for_quorum.isChecked(),
        )
        try:
            self.saved_id = self.guarded_save(
                lambda: save_agency(self.database, data, self.agency_id)
            )
        except InvalidInput as exc:
            self.form.show_problems(exc.problems)
            return
        except Unsaved:
            return
        self.accept()


class MoveDateDialog(QDialog):
    """Asks from which date a member who moved to another agency represents it: their
    memberships before the date stay with the old agency (and every figure with them)."""

    def __init__(
        self,
        move: AgencyMove,
        earliest_year: int,
        on: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.moving = move
        self.chosen: dt.date | None = None
        self.setWindowTitle("Moved to another agency")
        self.question = QLabel(f"<b>{move.question}</b>")
        self.question.setWordWrap(True)
        self.explanation = QLabel(move.explanation())
        self.explanation.setWordWrap(True)
        form_layout = QFormLayout()
        self.form = Form(form_layout)
        self.date = date_edit(on or clock.today(), earliest_year=earliest_year)
        self.form.add("moved_on", "&From", self.date, move.question)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.explanation)
        layout.addLayout(form_layout)
        buttons = _buttons(self, "Save")
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)
        self.date.setFocus()
        self.resize(520, self.sizeHint().height())

    def save(self) -> None:
        self.form.clear_problems()
        problems = self.form.date_problems()
        if problems:
            self.form.show_problems(problems)
            return
        self.chosen = from_qdate(self.date.date())
        self.accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget,
        move: AgencyMove,
        earliest_year: int,
        on: dt.date | None = None,
    ) -> dt.date | None:
        """The date chosen, or None if cancelled."""
        dialog = cls(move, earliest_year, on, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen
