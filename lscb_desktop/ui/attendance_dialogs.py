"""The Attendance tab's small dialogs: who attended as a substitute, the date the minutes
confirming the attendance were approved, a guest or officer in attendance, and a declaration
of interest. Each keeps what was typed when a save is refused, and says why under the field."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.models import DeclarationAction
from lscb_desktop.services.attendance import AttendeeRow, MeetingSheet, meeting_sheet
from lscb_desktop.services.attendance_recording import confirm_attendance
from lscb_desktop.services.declarations import (
    DeclarationInput,
    add_declaration,
    declaration_input,
    update_declaration,
)
from lscb_desktop.services.guests import add_guest, update_guest
from lscb_desktop.services.people import Choice, person_choices
from lscb_desktop.services.settings import load_settings
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import Database
from lscb_desktop.store.versions import GONE_WORDS, RecordGone
from lscb_desktop.ui.attendance_changes import Declined, ask_and_retry
from lscb_desktop.ui.choice_combo import ChoiceCombo
from lscb_desktop.ui.conflict_dialog import Unsaved
from lscb_desktop.ui.forms import (
    Form,
    FormDialog,
    date_edit,
    enum_combo,
    from_qdate,
)

Index = QModelIndex | QPersistentModelIndex
#: What the substitute dialog does with its answer: records it (a person on file, or a typed
#: name), raising InvalidInput or Declined to keep the dialog open.
RecordSubstitute = Callable[[int | None, str], None]
NO_ONE_YET = (
    "No one is recorded yet: pick someone (type any part of their name) or type the name of "
    "someone not on file. Escape closes without recording."
)


def _name_of(choice_text: str) -> str:
    """ "Jane Doe (NSPCC)" -> "Jane Doe"."""
    return choice_text.rsplit(" (", 1)[0] if choice_text.endswith(")") else choice_text


class SubstituteDialog(QDialog):
    """Who attended for a member. The field starts empty (Enter on it records no one); the
    member's designated substitute is offered first, then everyone else on file who may be a
    substitute here: not the member, not anyone on the meeting's list in their own right, not
    someone already substituting for another member."""

    def __init__(
        self,
        row: AttendeeRow,
        sheet: MeetingSheet,
        people: Sequence[Choice],
        record: RecordSubstitute,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.row = row
        self.record = record
        self.setWindowTitle(f"Substitute for {row.name}")
        on_list = {r.person_id for r in sheet.attendees}
        taken = {
            r.substitute_id
            for r in sheet.attendees
            if r.substitute_id is not None and r.person_id != row.person_id
        }
        names = {p.id: _name_of(p.text) for p in people}
        #: People who may not substitute here, by name as typed (for a name typed in full).
        self.refused = {
            names[person_id].casefold(): names[person_id]
            for person_id in (on_list | taken)
            if person_id in names
        }
        self.candidates = [p for p in people if p.id not in on_list and p.id not in taken]
        designated = next(
            (p for p in self.candidates if p.id == row.designated_substitute_id), None
        )
        choices = list(self.candidates)
        if designated is not None:
            choices.insert(0, Choice(designated.id, f"Designated: {designated.text}"))
        self.field = ChoiceCombo(choices, None, self)
        self.field.setMinimumWidth(380)
        agency = f" ({row.agency})" if row.agency else ""
        question = QLabel(f"Who attended for <b>{escape(row.name)}</b>{escape(agency)}?", self)
        self.designated_button: QPushButton | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        if designated is not None:
            named = designated.text.replace("&", "&&")  # "Luton & Dunstable": no mnemonic
            self.designated_button = QPushButton(f"&Designated substitute: {named}")
            self.designated_button.setAutoDefault(False)
            self.designated_button.clicked.connect(lambda: self._take(designated.id))
            layout.addWidget(self.designated_button)
        elif row.designated_substitute:
            layout.addWidget(
                QLabel(
                    f"Their designated substitute, {row.designated_substitute}, is on this "
                    "meeting's list already, so cannot attend for them.",
                    self,
                )
            )
        form_layout = QFormLayout()
        self.form = Form(form_layout)
        self.form.add("substitute", "&Attended for them:", self.field, "Substitute")
        self.field.editTextChanged.connect(self.form.clear_problems)  # what it said is done with
        layout.addLayout(form_layout)
        hint = QLabel(
            "Pick someone on file (type any part of their name), or type the name of someone "
            "who is not on file.",
            self,
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Record")
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.field.setFocus()

    def _say(self, problems: dict[str, str]) -> None:
        """Shows what is wrong under the field, the dialog growing to show all of it."""
        self.form.show_problems(problems)
        self.adjustSize()

    def _take(self, person_id: int) -> None:
        self.field.set_id(person_id)
        self.save()

    def answer(self) -> tuple[int | None, str] | None:
        """The person on file chosen, or the name typed; None (said under the field) when
        the field is empty or names someone who cannot substitute here."""
        text = self.field.currentText().strip()
        if not text:
            self._say({"substitute": NO_ONE_YET})
            return None
        chosen = self.field.current_id()
        if chosen is not None:
            return chosen, ""
        name = " ".join(text.split())
        same = [p.id for p in self.candidates if _name_of(p.text).casefold() == name.casefold()]
        if len(same) == 1:  # a name on file typed in full, without the agency
            return same[0], ""
        refused = self.refused.get(name.casefold())
        if refused is not None:
            self._say(
                {
                    "substitute": f"{refused} is on this meeting's list already (in their own "
                    "right or for someone else), so cannot also attend for this member."
                }
            )
            return None
        return None, name

    def save(self) -> None:
        self.form.clear_problems()
        answer = self.answer()
        if answer is None:
            return
        try:
            self.record(*answer)
        except InvalidInput as exc:
            self._say({"substitute": " ".join(exc.problems.values())})
            return
        except Declined:
            self._say({"substitute": "Not recorded: pick someone else, or Cancel."})
            return
        self.accept()


class ConfirmDialog(QDialog):
    """The date the minutes that confirm the attendance were approved (today unless changed)."""

    def __init__(
        self, database: Database, sheet: MeetingSheet, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.sheet = sheet
        self.setWindowTitle("Confirm the attendance with the minutes")
        text = QLabel(
            f"Confirm the attendance at {sheet.group}, {sheet.starts_at:%d/%m/%Y}, as recorded "
            "in the approved minutes? It is then locked: a later change asks first and is "
            "logged against the meeting.",
            self,
        )
        text.setWordWrap(True)
        self.date = date_edit(parent=self, earliest_year=load_settings(database).earliest_year)
        form_layout = QFormLayout()
        self.form = Form(form_layout)
        self.form.add("confirmed", "&Minutes approved on:", self.date)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Confirm")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form_layout)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())

    def save(self) -> None:
        self.form.clear_problems()
        problems = self.form.date_problems()
        try:
            if problems:
                raise InvalidInput(problems)
            confirm_attendance(self.database, self.sheet.meeting_id, from_qdate(self.date.date()))
        except InvalidInput as exc:
            for text in self.form.show_problems(exc.problems):
                self.form.show_problems({"confirmed": text})
            self.adjustSize()
            return
        self.accept()


class CheckListModel(QAbstractListModel):
    """Lines to tick (a meeting's agenda items), in a model: a short-lived list, but never
    QListWidget items with data set from Python (see ``home_tab.LinesModel``)."""

    def __init__(self, lines: Iterable[tuple[int, str]], parent: Any = None) -> None:
        super().__init__(parent)
        self.lines = list(lines)
        self.ticked: set[int] = set()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.lines)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsUserCheckable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        ident, text = self.lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if ident in self.ticked else Qt.CheckState.Unchecked
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole:
            return False
        ident = self.lines[index.row()][0]
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        if state == Qt.CheckState.Checked:
            self.ticked.add(ident)
        else:
            self.ticked.discard(ident)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def set_ticked(self, ids: Iterable[int]) -> None:
        self.beginResetModel()
        self.ticked = set(ids)
        self.endResetModel()

    def ticked_ids(self) -> list[int]:
        return [ident for ident, _ in self.lines if ident in self.ticked]


class GuestDialog(FormDialog):
    """A guest, or an officer in attendance for some of the meeting's items."""

    def __init__(
        self,
        database: Database,
        sheet: MeetingSheet,
        items: Sequence[tuple[int, str]],
        guest_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = "Edit guest or officer" if guest_id else "Add a guest or officer in attendance"
        super().__init__(database, title, parent)
        self.sheet = sheet
        self.guest_id = guest_id
        self.name = QLineEdit(self)
        self.organisation = QLineEdit(self)
        self.job_title = QLineEdit(self)
        self.items_model = CheckListModel(items, self)
        self.items = QListView(self)
        self.items.setModel(self.items_model)
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items.setMinimumHeight(120)
        self.form.add("guest", "&Name:", self.name, "Guest's name")
        self.form.add("organisation", "&Organisation:", self.organisation)
        self.form.add("job_title", "&Job title:", self.job_title)
        self.form.add("items", "In attendance &for:", self.items, "Items attended for")
        hint = QLabel("Tick the items they attended for; none ticked is the whole meeting.")
        hint.setWordWrap(True)
        self.form_layout.addRow("", hint)
        self.open_records()
        self.fit_to_screen(520, 460)

    def records(self) -> tuple[tuple[str, object], ...]:
        return (("guest", self.guest_id),) if self.guest_id else ()

    def load(self) -> None:
        if not self.guest_id:
            return
        sheet = meeting_sheet(self.database, self.sheet.meeting_id)
        guest = next((g for g in sheet.guests if g.id == self.guest_id), None)
        if guest is None:
            raise RecordGone(GONE_WORDS)
        self.name.setText(guest.name)
        self.organisation.setText(guest.organisation)
        self.job_title.setText(guest.job_title)
        self.items_model.set_ticked(ident for ident, _, _ in guest.items)

    def save_record(self) -> int | None:
        name, organisation = self.name.text(), self.organisation.text()
        job_title, item_ids = self.job_title.text(), self.items_model.ticked_ids()
        try:
            if self.guest_id:
                guest_id = self.guest_id
                ask_and_retry(
                    self,
                    self.windowTitle(),
                    lambda **flags: update_guest(
                        self.database,
                        guest_id,
                        name,
                        organisation,
                        job_title=job_title,
                        item_ids=item_ids,
                        version=None,  # the form's snapshot checks it
                        **flags,
                    ),
                )
                return guest_id
            return ask_and_retry(
                self,
                self.windowTitle(),
                lambda **flags: add_guest(
                    self.database,
                    self.sheet.meeting_id,
                    name,
                    organisation,
                    job_title=job_title,
                    item_ids=item_ids,
                    **flags,
                ),
            )
        except Declined as exc:
            raise Unsaved(str(exc)) from exc


def declaration_people(database: Database, sheet: MeetingSheet) -> list[Choice]:
    """Who may declare: those on the meeting's list, substitutes and guests on file first, then
    everyone else on file."""
    people = person_choices(database)
    by_name = {_name_of(p.text).casefold(): p.id for p in people}
    first = [r.person_id for r in sheet.attendees]
    first += [r.substitute_id for r in sheet.attendees if r.substitute_id is not None]
    first += [by_name[g.name.casefold()] for g in sheet.guests if g.name.casefold() in by_name]
    order = {person_id: place for place, person_id in enumerate(dict.fromkeys(first))}
    return sorted(people, key=lambda p: (order.get(p.id, len(order)), p.text.casefold()))


class DeclarationDialog(FormDialog):
    """A declaration of interest: who, in which item (or the whole meeting), the interest, and
    what they did (a member who left the room or took no part is left out of its quorum)."""

    def __init__(
        self,
        database: Database,
        sheet: MeetingSheet,
        items: Sequence[tuple[int, str]],
        declaration_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = "Edit declaration of interest" if declaration_id else "Declaration of interest"
        super().__init__(database, title, parent)
        self.sheet = sheet
        self.declaration_id = declaration_id
        self.person = ChoiceCombo(declaration_people(database, sheet), None, self)
        self.item = QComboBox(self)
        self.item.addItem("Whole meeting", None)
        for ident, text in items:
            self.item.addItem(text, ident)
        self.interest = QPlainTextEdit(self)
        self.interest.setTabChangesFocus(True)
        self.interest.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.action = enum_combo(DeclarationAction, DeclarationAction.STAYED)
        for combo in (self.person, self.item):  # long names and titles must not widen the form
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(30)
        self.notes = QLineEdit(self)
        self.form.add("person", "&Who declared:", self.person, "Who declared")
        self.form.add("item", "&Item:", self.item)
        self.form.add("interest", "I&nterest:", self.interest, "Interest")
        self.form.add("action", "What they &did:", self.action, "What they did")
        self.form.add("notes", "N&otes:", self.notes)
        self.open_records()
        self.fit_to_screen(600, 360)

    def records(self) -> tuple[tuple[str, object], ...]:
        return (("declaration", self.declaration_id),) if self.declaration_id else ()

    def load(self) -> None:
        if not self.declaration_id:
            return
        data, _version = declaration_input(self.database, self.declaration_id)
        self.person.set_id(data.person_id)
        self.item.setCurrentIndex(max(0, self.item.findData(data.agenda_item_id)))
        self.interest.setPlainText(data.interest)
        self.action.setCurrentIndex(max(0, self.action.findData(data.action)))
        self.notes.setText(data.notes)

    def value(self) -> DeclarationInput:
        return DeclarationInput(
            person_id=self.person.current_id(),
            interest=self.interest.toPlainText(),
            action=self.action.currentData(),
            agenda_item_id=self.item.currentData(),
            notes=self.notes.text(),
        )

    def save_record(self) -> int | None:
        data = self.value()
        if data.person_id is None and self.person.currentText().strip():
            raise InvalidInput(
                {"person": "Pick someone on file from the list (type any part of the name)."}
            )
        try:
            if self.declaration_id:
                declaration_id = self.declaration_id
                ask_and_retry(
                    self,
                    self.windowTitle(),
                    lambda **flags: update_declaration(
                        self.database, declaration_id, data, version=None, **flags
                    ),
                )
                return declaration_id
            return ask_and_retry(
                self,
                self.windowTitle(),
                lambda **flags: add_declaration(
                    self.database, self.sheet.meeting_id, data, **flags
                ),
            )
        except Declined as exc:
            raise Unsaved(str(exc)) from exc


def item_lines(items: Iterable[Any]) -> list[tuple[int, str]]:
    """Agenda rows as (id, "Item 4: Title") for the guest and declaration forms."""
    return [(item.id, f"Item {item.number}: {item.title}") for item in items]
