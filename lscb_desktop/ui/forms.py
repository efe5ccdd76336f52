"""Pieces every form uses: a field with its message beneath, searchable pickers, date fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop import clock
from lscb_desktop.services.people import Choice

DATE_FORMAT = "dd/MM/yyyy"
ERROR_STYLE = "color: #b00020;"


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


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
            first.setFocus()
        return unplaced

    def message(self, key: str) -> str:
        label = self.messages[key]
        return label.text() if not label.isHidden() else ""


class ChoiceCombo(QComboBox):
    """A picker over records that can be searched by typing any part of a name.

    ``blank`` is the first entry's text when no choice is allowed ("(none)"); an editable combo
    also keeps free text (a new agency's name, a substitute who is not on file).
    """

    def __init__(
        self,
        choices: Sequence[Choice] = (),
        blank: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.blank = blank
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        self.set_choices(choices)

    def set_choices(self, choices: Sequence[Choice]) -> None:
        current = self.current_id()
        self.clear()
        if self.blank is not None:
            self.addItem(self.blank, None)
        for choice in choices:
            self.addItem(choice.text, choice.id)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.set_id(current)

    def current_id(self) -> int | None:
        """The chosen record's id, or None for the blank entry or text that matches none."""
        text = self.currentText().strip()
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            return None
        value = self.itemData(index)
        return int(value) if value is not None else None

    def typed_text(self) -> str:
        """Text typed that matches no entry ("" when it matches one or is the blank entry)."""
        text = self.currentText().strip()
        if not text or text == self.blank:
            return ""
        return "" if self.findText(text, Qt.MatchFlag.MatchFixedString) >= 0 else text

    def set_id(self, record_id: int | None) -> None:
        index = self.findData(record_id) if record_id is not None else -1
        if index >= 0:
            self.setCurrentIndex(index)
        elif self.blank is not None:
            self.setCurrentIndex(0)
        else:
            self.setCurrentIndex(-1)
            self.setEditText("")


def date_edit(value: dt.date | None = None, parent: QWidget | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setDate(to_qdate(value or clock.today()))
    return edit


class OptionalDate(QWidget):
    """A date that may be unset: a tick box ("done") and the date it was done."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(text, self)
        self.edit = date_edit(parent=self)
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
        self.edit.setDate(to_qdate(value or clock.today()))
