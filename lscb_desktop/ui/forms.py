"""Pieces every form uses: a field with its message beneath, searchable pickers, date fields,
and :class:`FormDialog`, the Save-and-Cancel dialog of a record.

Date fields keep to the years the program accepts (the settings' earliest year to 2100), so that
a slip of the keyboard cannot record a meeting in 1900. A year typed outside them is refused by
the field, which goes back to its last date; saving then says so under the field rather than
saving a date the user did not mean. A record that already holds a date out of that range is
shown as it is, never changed behind the user's back, and saving names the field too
(:meth:`Form.date_problems`).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QObject, QTime
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop import clock
from lscb_desktop.services.settings import LATEST_YEAR, Settings
from lscb_desktop.services.validation import InvalidInput, date_problem
from lscb_desktop.store import Database
from lscb_desktop.ui.conflict_dialog import RecordDialog, Unsaved

DATE_FORMAT = "dd/MM/yyyy"
ERROR_STYLE = "color: #b00020;"
#: The earliest year a date field takes when the form is not given the settings' one.
DEFAULT_EARLIEST_YEAR = Settings().earliest_year
#: The Qt property on a date field that holds the earliest year it accepts.
EARLIEST_YEAR_PROPERTY = "earliestYear"
#: The Qt property on a date field that holds what was typed in it and refused.
REFUSED_PROPERTY = "refusedText"


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class _RefusedTyping(QObject):
    """Remembers text typed in a date field that the field refused (a year of 1900): when
    editing ends, the field goes back to its last date, and saving should say so rather than
    save a date the user did not mean."""

    def __init__(self, edit: QDateTimeEdit) -> None:
        super().__init__(edit)
        self.edit = edit
        self.pending: str | None = None
        # textEdited comes only from typing; the field putting back its date does not send it.
        edit.lineEdit().textEdited.connect(self.typed)
        edit.editingFinished.connect(self.finished)
        edit.dateTimeChanged.connect(self.forget)

    def typed(self) -> None:
        self.pending = None if self.edit.hasAcceptableInput() else self.edit.text()

    def finished(self) -> None:
        if self.pending is not None:
            self.edit.setProperty(REFUSED_PROPERTY, self.pending)
            self.pending = None

    def forget(self) -> None:
        self.edit.setProperty(REFUSED_PROPERTY, None)


def limit_dates(edit: QDateTimeEdit, earliest_year: int = DEFAULT_EARLIEST_YEAR) -> None:
    """Keeps ``edit`` (a date or date-and-time field) within earliest_year..LATEST_YEAR.

    The range is widened to take the date the field holds now, so that a record's date is never
    changed by showing it; :func:`date_field_problem` names it when the form is saved.
    """
    edit.setProperty(EARLIEST_YEAR_PROPERTY, earliest_year)
    current = edit.date()
    earliest, latest = QDate(earliest_year, 1, 1), QDate(LATEST_YEAR, 12, 31)
    edit.setDateRange(min(earliest, current), max(latest, current))
    _RefusedTyping(edit)


def show_date(edit: QDateTimeEdit, value: dt.date) -> None:
    """Puts ``value`` in a limited field, widening its range if the value is outside it."""
    wanted = to_qdate(value)
    if wanted < edit.minimumDate():
        edit.setMinimumDate(wanted)
    if wanted > edit.maximumDate():
        edit.setMaximumDate(wanted)
    edit.setDate(wanted)


def earliest_year_of(edit: QDateTimeEdit) -> int | None:
    """The earliest year a field limited by :func:`limit_dates` takes (None if not limited)."""
    value = edit.property(EARLIEST_YEAR_PROPERTY)
    return int(value) if value is not None else None


def date_field_problem(edit: QDateTimeEdit) -> str | None:
    """What is wrong with a limited date field's date, or None (also for an unlimited field).

    A refused year is reported once: saving again keeps the date the field went back to.
    """
    earliest_year = earliest_year_of(edit)
    if earliest_year is None:
        return None  # a time of day, or a field that takes any date
    years = f"a date from {earliest_year} to {LATEST_YEAR}"
    if not edit.hasAcceptableInput():
        return f"“{edit.text()}” is not {years}: check the year."
    refused = edit.property(REFUSED_PROPERTY)
    if refused:
        edit.setProperty(REFUSED_PROPERTY, None)
        return (
            f"“{refused}” is not {years}, so the field went back to {edit.text()}: "
            "check the date, then save again."
        )
    return date_problem(from_qdate(edit.date()), earliest_year)


def reveal(widget: QWidget) -> None:
    """Shows the page (of a tab widget or any stack) holding ``widget``, scrolls to it and gives
    it the focus: a message under a field on a hidden page would otherwise go unseen."""
    child, parent = widget, widget.parentWidget()
    while parent is not None and not child.isWindow():  # within the dialog, not its owner
        if isinstance(parent, QTabWidget) and parent.indexOf(child) >= 0:
            parent.setCurrentWidget(child)
        elif isinstance(parent, QStackedWidget) and parent.indexOf(child) >= 0:
            tabs = parent.parentWidget()
            if isinstance(tabs, QTabWidget):  # a tab's page: the tab bar shows it too
                tabs.setCurrentWidget(child)
            else:
                parent.setCurrentWidget(child)
        elif isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        child, parent = parent, parent.parentWidget()
    widget.setFocus()


class Form:
    """A QFormLayout whose fields each have a message line beneath, keyed by the field's name.

    ``show_problems`` writes each message under its field and focuses the first wrong one;
    nothing the user typed is touched.
    """

    def __init__(self, layout: QFormLayout | None = None) -> None:
        self.layout = layout
        self.fields: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}

    def add(
        self,
        key: str,
        label: str,
        widget: QWidget,
        accessible: str = "",
        layout: QFormLayout | None = None,
    ) -> QWidget:
        """Adds a labelled field to ``layout`` (or the form's own layout)."""
        target = layout or self.layout
        assert target is not None, "give the layout the field goes in"
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        message = QLabel(holder)
        message.setObjectName(f"{key}_message")
        message.setStyleSheet(ERROR_STYLE)
        message.setWordWrap(True)
        message.hide()
        column.addWidget(message)
        column.addStretch(1)  # any spare height goes below the field, not around it
        caption = QLabel(label)
        caption.setBuddy(widget)
        target.addRow(caption, holder)
        widget.setAccessibleName(accessible or label.replace("&", "").rstrip(":"))
        self.fields[key] = widget
        self.messages[key] = message
        return widget

    def clear_problems(self) -> None:
        for message in self.messages.values():
            message.clear()
            message.hide()

    def show_problems(self, problems: dict[str, str]) -> list[str]:
        """Shows each problem under its field; returns those with no field here."""
        self.clear_problems()
        unplaced = []
        first: QWidget | None = None
        for key, text in problems.items():
            message = self.messages.get(key)
            if message is None:
                unplaced.append(text)
                continue
            message.setText(text)
            message.show()
            if first is None:
                first = self.fields[key]
        if first is not None:
            reveal(first)
        return unplaced

    def message(self, key: str) -> str:
        label = self.messages[key]
        return label.text() if not label.isHidden() else ""

    def date_problems(self) -> dict[str, str]:
        """key -> message for each date field holding a date outside the years it accepts."""
        problems: dict[str, str] = {}
        for key, widget in self.fields.items():
            edit = widget.edit if isinstance(widget, OptionalDate) else widget
            if isinstance(edit, QDateTimeEdit) and edit.isEnabled():
                message = date_field_problem(edit)
                if message:
                    problems[key] = message
        return problems


def date_edit(
    value: dt.date | None = None,
    parent: QWidget | None = None,
    *,
    earliest_year: int = DEFAULT_EARLIEST_YEAR,
) -> QDateEdit:
    """A dd/MM/yyyy field with a calendar, kept within earliest_year..LATEST_YEAR."""
    edit = QDateEdit(parent)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setDate(to_qdate(value or clock.today()))
    limit_dates(edit, earliest_year)
    return edit


class OptionalDate(QWidget):
    """A date that may be unset: a tick box ("done") and the date it was done."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        earliest_year: int = DEFAULT_EARLIEST_YEAR,
    ) -> None:
        super().__init__(parent)
        self.check = QCheckBox(text, self)
        self.edit = date_edit(parent=self, earliest_year=earliest_year)
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check, 1)
        row.addWidget(self.edit)
        self.setFocusProxy(self.check)

    def value(self) -> dt.date | None:
        return from_qdate(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, value: dt.date | None) -> None:
        self.check.setChecked(value is not None)
        show_date(self.edit, value or clock.today())


# -- date and time, choices, and the dialog every record form is -----------------------------

DATETIME_FORMAT = "dd/MM/yyyy HH:mm"


def to_qdatetime(value: dt.datetime) -> QDateTime:
    return QDateTime(to_qdate(value.date()), QTime(value.hour, value.minute))


def from_qdatetime(value: QDateTime) -> dt.datetime:
    time = value.time()
    return dt.datetime.combine(from_qdate(value.date()), dt.time(time.hour(), time.minute()))


def datetime_edit(
    value: dt.datetime, *, earliest_year: int = DEFAULT_EARLIEST_YEAR
) -> QDateTimeEdit:
    """A dd/MM/yyyy HH:mm field with a calendar, kept within earliest_year..2100."""
    edit = QDateTimeEdit(to_qdatetime(value))
    edit.setDisplayFormat(DATETIME_FORMAT)
    edit.setCalendarPopup(True)
    limit_dates(edit, earliest_year)
    return edit


def show_datetime(edit: QDateTimeEdit, value: dt.datetime) -> None:
    """Puts ``value`` in a limited date-and-time field, widening its range if need be."""
    show_date(edit, value.date())
    edit.setDateTime(to_qdatetime(value))


def enum_combo(values: object, current: object, blank: str | None = None) -> QComboBox:
    combo = QComboBox()
    if blank is not None:
        combo.addItem(blank, None)
    for value in values:  # type: ignore[attr-defined]
        combo.addItem(value.label, value)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    return combo


class FormDialog(RecordDialog):
    """A form with Save and Cancel; ``save_record`` raises InvalidInput to keep it open.

    A form of a record on file notes it as it opens (``records``, ``load``): saving over a
    change someone else made meanwhile asks what to do (see ``conflict_dialog``)."""

    def __init__(self, database: Database, title: str, parent: QWidget | None) -> None:
        super().__init__(database, parent)
        self.setWindowTitle(title)
        self.form_layout = QFormLayout()
        self.form = Form(self.form_layout)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.saved_id: int | None = None
        # The fields scroll when the form is taller than the screen (a laptop's 768 pixels,
        # once messages appear under fields); the message and the buttons always show.
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(self.form_layout)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def fit_to_screen(self, width: int, height: int) -> None:
        """Resize to ``width`` x ``height``, but never taller than the screen leaves room for."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is not None:
            height = min(height, screen.availableGeometry().height() - 60)
        self.resize(width, height)

    def save_record(self) -> int | None:
        raise NotImplementedError

    def confirm(self) -> bool:
        """Asks what saving needs the user's yes to (nothing by default); False keeps the form."""
        return True

    def clear_messages(self) -> None:
        self.form.clear_problems()
        self.message.hide()

    def save(self) -> None:
        self.clear_messages()
        try:
            # The services refuse a date outside the years in the settings too; checking here
            # first names a field whose typed year the date widget quietly put back.
            dates = self.form.date_problems()
            if dates:
                raise InvalidInput(dates)
            if not self.confirm():
                return
            self.saved_id = self.guarded_save(self.save_record)
        except InvalidInput as exc:
            leftovers = self.form.show_problems(exc.problems)
            if leftovers:
                self.message.setText("\n".join(leftovers))
                self.message.show()
            return
        except Unsaved:
            return
        self.accept()
