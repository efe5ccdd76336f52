"""Meetings > Plan a year…: a group's meetings for a period, from its frequency, before saving.

Only dates after today are proposed; a date within a week of a meeting the group already has is
shown unticked with that meeting beside it, so planning twice adds nothing twice. The period
and the first meeting open on what is still to plan.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop import clock
from lscb_desktop.models import Frequency
from lscb_desktop.services.groups import group_choices, group_input
from lscb_desktop.services.periods import Period, period_starting
from lscb_desktop.services.schedule import (
    STEPS,
    create_meetings,
    group_meetings,
    near_enough,
    near_meeting,
    near_words,
    plan_defaults,
    plan_year,
)
from lscb_desktop.services.settings import load_settings
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.services.workdays import why_not_working
from lscb_desktop.store import Database
from lscb_desktop.ui.choice_combo import ChoiceCombo
from lscb_desktop.ui.forms import (
    Form,
    date_field_problem,
    datetime_edit,
    from_qdatetime,
    show_datetime,
)
from lscb_desktop.ui.unsaved import AsksBeforeDiscarding

__all__ = ["PlanYearDialog"]

#: The proposed dates show their weekday: "04/02/2027 10:00 (Thu)", typed day first.
WEEKDAY_FORMAT = "dd/MM/yyyy HH:mm (ddd)"
ADD, WHEN, NOTE = range(3)


class PlanYearDialog(AsksBeforeDiscarding):
    """Proposes a group's meetings for a period from its frequency; the dates can be edited,
    unticked, removed or added before any is saved."""

    def __init__(
        self,
        database: Database,
        periods: list[Period],
        group_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.setWindowTitle("Plan a year of meetings")
        self.added = 0
        self.skipped = 0
        self._filling = False
        settings = load_settings(database)
        self.earliest_year = settings.earliest_year
        form_layout = QFormLayout()
        self.form = Form(form_layout)
        self.group = ChoiceCombo(group_choices(database))
        self.group.set_id(group_id)
        self.period = QComboBox()
        # The year after the last too: once the coming years are planned, the next is offered.
        last = max(periods, key=lambda p: p.start)
        for period in [*periods, period_starting(last.start.year + 1, last.start.month)]:
            self.period.addItem(period.name, period)
        self.frequency = QComboBox()
        for frequency in STEPS:
            self.frequency.addItem(frequency.label, frequency)
        self.frequency.addItem("As required (add each date)", Frequency.AS_REQUIRED)
        self.first = datetime_edit(
            dt.datetime.combine(periods[0].start, dt.time(10)), earliest_year=self.earliest_year
        )
        self.first.setDisplayFormat(WEEKDAY_FORMAT)
        self.minutes = QSpinBox()
        self.minutes.setRange(15, 480)
        self.minutes.setSingleStep(15)
        self.minutes.setValue(120)
        self.minutes.setSuffix(" minutes")
        self.venue = QLineEdit(settings.default_venue)
        propose = QPushButton("&Propose dates")
        propose.clicked.connect(self.propose)
        for key, label, widget in (
            ("group", "&Group *", self.group),
            ("period", "&Period", self.period),
            ("frequency", "&Meets", self.frequency),
            ("first", "&First meeting", self.first),
            ("minutes", "&Length", self.minutes),
            ("venue", "&Venue", self.venue),
        ):
            self.form.add(key, label, widget)
        self.group.currentIndexChanged.connect(self._group_changed)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.frequency.currentIndexChanged.connect(self._forget_dates)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Save meetings")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form_layout)
        layout.addLayout(self._date_buttons(propose))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._group_changed()
        self.resize(640, 620)

    def _date_buttons(self, propose: QPushButton) -> QHBoxLayout:
        """The table of proposed dates, and the buttons that fill and change it."""
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["Add", "Meeting", "Note"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ADD, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(WHEN, 190)
        self.table.setAccessibleName("Proposed meetings")
        add_row = QPushButton("&Add a date")
        remove_row = QPushButton("&Remove date")
        add_row.clicked.connect(self._add_date)
        remove_row.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        row = QHBoxLayout()
        row.addWidget(propose)
        row.addStretch(1)
        row.addWidget(add_row)
        row.addWidget(remove_row)
        return row

    # -- what opens: the period and first meeting still to plan ---------------------------------

    def _periods(self) -> list[Period]:
        return [self.period.itemData(i) for i in range(self.period.count())]

    def _frequency(self) -> Frequency | None:
        value = self.frequency.currentData()
        return Frequency(value) if value is not None else None

    def _forget_dates(self) -> None:
        """Dates proposed for another group, period or frequency are not this one's to save."""
        if self.table.rowCount():
            self.table.setRowCount(0)
            self.message.setText("Propose the dates again for what you changed.")

    def _group_changed(self) -> None:
        self._forget_dates()
        group_id = self.group.current_id()
        if group_id is None:
            return
        frequency = group_input(self.database, group_id).meeting_frequency
        index = self.frequency.findData(frequency)
        self.frequency.setCurrentIndex(max(index, 0))
        period, first = plan_defaults(self.database, group_id, self._periods(), frequency)
        self._filling = True
        self.period.setCurrentIndex(max(0, self.period.findText(period.name)))
        self._filling = False
        show_datetime(self.first, first)

    def _period_changed(self) -> None:
        group_id = self.group.current_id()
        if self._filling or group_id is None:
            return
        self._forget_dates()
        period: Period = self.period.currentData()
        _, first = plan_defaults(self.database, group_id, [period], self._frequency())
        show_datetime(self.first, first)

    # -- the table ------------------------------------------------------------------------------

    def _add_date(self) -> None:
        if self.table.rowCount() == 0:
            start = from_qdatetime(self.first.dateTime())
        else:
            start = self._start(self.table.rowCount() - 1) + dt.timedelta(weeks=4)
        self._add_row(start, "added by hand", ticked=True)
        self._explain(self.table.rowCount() - 1)

    def _start(self, row: int) -> dt.datetime:
        edit = self.table.cellWidget(row, WHEN)
        assert isinstance(edit, QDateTimeEdit)
        return from_qdatetime(edit.dateTime())

    def _add_row(self, start: dt.datetime, note: str, *, ticked: bool) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        tick = QTableWidgetItem()
        tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        tick.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.table.setItem(row, ADD, tick)
        edit = datetime_edit(start, earliest_year=self.earliest_year)
        edit.setDisplayFormat(WEEKDAY_FORMAT)
        edit.setAccessibleName(f"Meeting {row + 1}")
        self.table.setCellWidget(row, WHEN, edit)
        self.table.setItem(row, NOTE, QTableWidgetItem(note))
        # A date changed by hand is explained again: a weekend, a bank holiday, a meeting near.
        edit.dateTimeChanged.connect(lambda _value, e=edit: self._explain(self._row_of(e)))

    def _row_of(self, edit: QWidget) -> int:
        for row in range(self.table.rowCount()):
            if self.table.cellWidget(row, WHEN) is edit:
                return row
        return -1

    def _explain(self, row: int) -> None:
        group_id = self.group.current_id()
        note = self.table.item(row, NOTE) if row >= 0 else None
        if note is None or group_id is None:
            return
        start = self._start(row)
        within = near_enough(self._frequency())
        near = near_meeting(group_meetings(self.database, group_id), start, within)
        words = ["changed by hand"]
        if why_not_working(start.date()):
            words.append(f"falls on {why_not_working(start.date())}")
        if start.date() <= clock.today():
            words.append("not after today: a plan adds meetings to come")
        if near is not None:
            words.append(near_words(near, start))
        note.setText("; ".join(words))

    def propose(self) -> None:
        self.table.setRowCount(0)
        group_id = self.group.current_id()
        if group_id is None:
            self.form.show_problems({"group": "Choose the group that meets."})
            return
        frequency = self._frequency()
        period: Period = self.period.currentData()
        if frequency not in STEPS:
            self.message.setText(
                "The group meets as required: add each date with Add a date, then save."
            )
            return
        first = from_qdatetime(self.first.dateTime())
        plan = plan_year(self.database, group_id, period, first, frequency)
        for planned in plan.dates:
            self._add_row(planned.starts_at, planned.note, ticked=planned.near is None)
        if plan.dates or plan.past:
            self.message.setText(plan.in_words())
        else:
            self.message.setText(
                f"No dates to propose in {period.name} from {first:%a %d/%m/%Y}: the group's "
                "meetings for the period are planned. Choose the next period, or add a date."
            )

    def starts(self) -> list[dt.datetime]:
        """The ticked dates, as they stand in the table."""
        return [
            self._start(row)
            for row in range(self.table.rowCount())
            if (tick := self.table.item(row, ADD)) is not None
            and tick.checkState() == Qt.CheckState.Checked
        ]

    def save(self) -> None:
        self.form.clear_problems()
        group_id = self.group.current_id()
        if group_id is None:
            self.form.show_problems({"group": "Choose the group that meets."})
            return
        if not self.starts():
            self.message.setText("Propose the dates (or add them), and tick those to add.")
            return
        for row in range(self.table.rowCount()):
            edit = self.table.cellWidget(row, WHEN)
            assert isinstance(edit, QDateTimeEdit)
            problem = date_field_problem(edit)
            if problem:
                self.message.setText(f"Meeting {row + 1}: {problem}")
                self.table.setCurrentCell(row, WHEN)
                return
        starts = self.starts()
        plural = "" if len(starts) == 1 else "s"
        label = f"plan {len(starts)} meeting{plural} of {self.group.currentText()}"
        try:
            with self.database.journal.labelled(label):
                self.added, self.skipped = create_meetings(
                    self.database, group_id, starts, self.minutes.value(), self.venue.text()
                )
        except InvalidInput as exc:
            self.message.setText(" ".join(exc.problems.values()))
            return
        self.accept()
