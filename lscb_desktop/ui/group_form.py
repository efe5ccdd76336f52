"""A group's terms of reference as a form (the Sub-groups tab's page, and the New group
dialog): purpose, aims, reporting, frequency, and the quorum: a number of agencies and the
partners that must be represented."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.models import Frequency, GroupKind
from lscb_desktop.services.agencies import agency_rows
from lscb_desktop.services.concurrency import RecordGone, Snapshot
from lscb_desktop.services.groups import GroupInput, group_choices, group_input, save_group
from lscb_desktop.services.people import Choice
from lscb_desktop.services.quorum import QuorumRule
from lscb_desktop.services.settings import load_settings
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import Database
from lscb_desktop.ui.check_list import CheckList
from lscb_desktop.ui.choice_combo import ChoiceCombo
from lscb_desktop.ui.conflict_dialog import SaveGuard, Unsaved, show_gone
from lscb_desktop.ui.forms import (
    Form,
    OptionalDate,
)
from lscb_desktop.ui.unsaved import AsksBeforeDiscarding


class GroupForm(QWidget):
    """A group's terms of reference, editable; ``value()`` is what the form holds now.

    The quorum sits in a column of its own: at least a number of agencies, and the partners
    that must be represented whatever the number (ticked in a list of the agencies)."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.group_id: int | None = None
        self.loaded = GroupInput(name="")
        #: The agencies marked statutory partner, for the quick button.
        self.statutory_ids: set[int] = set()
        #: The group as the form was shown it: saving over someone else's change asks first.
        self.guard = SaveGuard(self, database)
        layout = QFormLayout()
        self.form = Form(layout)
        self.name = QLineEdit()
        self.short_name = QLineEdit()
        self.short_name.setMaximumWidth(140)
        self.kind = QComboBox()
        for kind in GroupKind:
            self.kind.addItem(kind.label, kind)
        self.accountable_to = ChoiceCombo(blank="(no one)")
        self.purpose = QPlainTextEdit()
        self.aims = QPlainTextEdit()
        for text in (self.purpose, self.aims):
            text.setTabChangesFocus(True)
        self.reporting = QLineEdit()
        self.reporting.setPlaceholderText("e.g. A quarterly report to the Executive Group")
        self.frequency = QComboBox()
        self.frequency.addItem("(not set)", None)
        for frequency in Frequency:
            self.frequency.addItem(frequency.label, frequency)
        self.review_date = OptionalDate(
            "Review due", earliest_year=load_settings(database).earliest_year
        )
        for key, label, widget in (
            ("name", "&Name *", self.name),
            ("short_name", "S&hort name", self.short_name),
            ("kind", "&Kind", self.kind),
            ("accountable_to", "Acco&untable to", self.accountable_to),
            ("purpose", "&Purpose", self.purpose),
            ("aims", "&Aims", self.aims),
            ("reporting", "&Reports", self.reporting),
            ("meeting_frequency", "&Meets", self.frequency),
            ("tor_review_date", "Terms of reference review", self.review_date),
        ):
            self.form.add(key, label, widget)
        columns = QHBoxLayout(self)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addLayout(layout, 5)
        columns.addWidget(self._quorum_box(), 2)

    def _quorum_box(self) -> QGroupBox:
        box = QGroupBox("Quorum", self)
        layout = QFormLayout(box)
        # Each label above its field, so that the agencies' names have the box's width.
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.quorum = QSpinBox()
        self.quorum.setRange(0, 50)
        self.quorum.setSpecialValueText("No number")
        self.quorum.setSuffix(" agencies")
        self.partners = CheckList(box)
        self.partners.setToolTip(
            "Agencies that must be represented, by their member or a substitute, for the "
            "meeting to be quorate, besides the number (“all three statutory safeguarding "
            "partners present”). Tick with the mouse or the space bar."
        )
        self.statutory_button = QPushButton("Tick the s&tatutory partners", box)
        self.statutory_button.setToolTip("Tick every agency marked as a statutory partner")
        self.statutory_button.clicked.connect(self.tick_statutory_partners)
        self.clear_partners_button = QPushButton("Untick a&ll", box)
        self.clear_partners_button.clicked.connect(lambda: self.partners.set_ticked(()))
        partners = QWidget(box)
        column = QVBoxLayout(partners)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.partners, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.statutory_button)
        buttons.addWidget(self.clear_partners_button)
        column.addLayout(buttons)
        self.rule_text = QLabel(box)
        self.rule_text.setWordWrap(True)
        self.form.add("quorum_agencies", "&Quorum (at least)", self.quorum, layout=layout)
        self.form.add(
            "quorum_partners", "Requ&ired partners", partners, "Required partners", layout=layout
        )
        self.partners.setAccessibleName("Required partners")
        layout.addRow(self.rule_text)
        self.quorum.valueChanged.connect(self._show_rule)
        self.partners.list_model.changed.connect(self._show_rule)
        return box

    def _show_rule(self) -> None:
        """The rule as the form holds it, in the words the register prints."""
        names = {c.id: c.text for c in self.partners.list_model.choices}
        rule = QuorumRule(
            self.quorum.value() or None,
            tuple((i, names[i]) for i in self.partners.ticked_ids()),
        )
        self.rule_text.setText(
            f"Quorate with {rule.text}."
            if rule.is_set
            else "No quorum rule: meetings show the agencies represented, without saying "
            "whether they were quorate."
        )

    def tick_statutory_partners(self) -> None:
        """Ticks the agencies marked statutory partner (any already ticked stay ticked)."""
        self.partners.set_ticked({*self.partners.ticked_ids(), *self.statutory_ids})

    def _load_agencies(self) -> None:
        rows = agency_rows(self.database)
        self.statutory_ids = {row.id for row in rows if row.statutory_partner}
        self.partners.set_choices([Choice(row.id, row.name) for row in rows])

    def load(self, group_id: int | None) -> None:
        data = GroupInput(name="")
        self.guard.use(Snapshot())
        if group_id:
            try:
                self.guard.watch(("board_group", group_id))
                data = group_input(self.database, group_id)
            except RecordGone as exc:
                show_gone(self, exc)
                group_id = None
        self.group_id = group_id
        self.accountable_to.set_choices(group_choices(self.database, exclude=group_id))
        self._load_agencies()
        self.loaded = data
        self.form.clear_problems()
        self.name.setText(data.name)
        self.short_name.setText(data.short_name)
        self.kind.setCurrentIndex(self.kind.findData(data.kind))
        self.accountable_to.set_id(data.accountable_to_id)
        self.purpose.setPlainText(data.purpose)
        self.aims.setPlainText(data.aims)
        self.reporting.setText(data.reporting)
        self.frequency.setCurrentIndex(max(0, self.frequency.findData(data.meeting_frequency)))
        self.quorum.setValue(data.quorum_agencies or 0)
        self.partners.set_ticked(data.quorum_partner_ids)
        self.review_date.set_value(data.tor_review_date)
        self._show_rule()

    def value(self) -> GroupInput:
        return GroupInput(
            name=self.name.text(),
            short_name=self.short_name.text(),
            kind=GroupKind(self.kind.currentData()),
            accountable_to_id=self.accountable_to.current_id(),
            purpose=self.purpose.toPlainText(),
            aims=self.aims.toPlainText(),
            reporting=self.reporting.text(),
            meeting_frequency=self.frequency.currentData(),
            quorum_agencies=self.quorum.value() or None,
            tor_review_date=self.review_date.value(),
            notes=self.loaded.notes,
            quorum_partner_ids=tuple(sorted(self.partners.ticked_ids())),
        )

    def is_dirty(self) -> bool:
        return self.value() != self.loaded

    def save(self) -> int | None:
        """Saves the form; the group's id, or None with each problem shown by its field."""
        self.form.clear_problems()
        problems = self.form.date_problems()
        if self.accountable_to.typed_text():
            problems["accountable_to"] = "Pick a group from the list, or (no one)."
        try:
            if problems:
                raise InvalidInput(problems)
            value, group_id = self.value(), self.group_id
            saved = self.guard.save(
                lambda: save_group(self.database, value, group_id),
                lambda: self.load(group_id),
            )
        except InvalidInput as exc:
            self.form.show_problems(exc.problems)
            return None
        except Unsaved:
            return None
        self.group_id = saved
        self.loaded = self.value()
        return saved


class NewGroupDialog(AsksBeforeDiscarding):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New group")
        self.form = GroupForm(database, self)
        self.form.load(None)
        self.saved_id: int | None = None
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.resize(960, 600)

    def save(self) -> None:
        self.saved_id = self.form.save()
        if self.saved_id is not None:
            self.accept()
