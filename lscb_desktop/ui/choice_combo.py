"""A picker over records (people, agencies, groups) that is searched by typing.

Entries read "Name (Agency)". Typing filters the list; a name typed in full picks its entry
when it is the only one of that name ("Alison Harding" picks "Alison Harding (National
Probation Service)"), so a person on file is never taken for someone new. Text that matches
no entry is kept as typed (a new agency's name, a presenter who is not on file).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from lscb_desktop.services.people import Choice

__all__ = ["ChoiceCombo"]


class ChoiceCombo(QComboBox):
    """``blank`` allows no choice: the first entry is empty and ``blank`` ("(none)") is the
    placeholder the empty field shows, so typing starts a search instead of adding to it.
    ``picked`` is sent with the chosen id (None for none) whenever it changes, by choosing or
    by typing."""

    picked = Signal(object)

    def __init__(
        self,
        choices: Sequence[Choice] = (),
        blank: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.blank = blank
        self._last: int | None = None
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        # As wide as the form makes it, not as the longest name on file: a picker of every
        # agency once made the member form wider than a 1280-pixel screen.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.set_choices(choices)
        self.editTextChanged.connect(self._typed)
        self.currentIndexChanged.connect(self._tell)
        line = self.lineEdit()
        if line is not None:
            line.editingFinished.connect(self.settle)

    # -- matching what was typed ----------------------------------------------------------

    def matches(self, text: str) -> list[int]:
        """The entries ``text`` names: the one whose text it is, or those of that name."""
        wanted = " ".join(text.split()).casefold()
        if not wanted:
            return []
        exact = self.findText(wanted, Qt.MatchFlag.MatchFixedString)
        if exact >= 0:
            return [exact]
        return [
            index
            for index in range(self.count())
            if self.itemText(index).casefold().startswith(wanted + " (")
        ]

    def _match(self) -> int:
        found = self.matches(self.currentText())
        return found[0] if len(found) == 1 else -1

    def _typed(self, text: str) -> None:
        """An entry's text typed in full picks it, as choosing it from the list does."""
        index = self.findText(text.strip(), Qt.MatchFlag.MatchFixedString)
        if index >= 0 and index != self.currentIndex():
            self.setCurrentIndex(index)
        self._tell()

    def settle(self) -> None:
        """When typing ends, a name that is one entry's picks it (its text then shown in full)."""
        index = self._match()
        if index >= 0 and self.itemText(index) != self.currentText():
            self.setCurrentIndex(index)
            self.setEditText(self.itemText(index))
        self._tell()

    def _tell(self) -> None:
        chosen = self.current_id()
        if chosen != self._last:
            self._last = chosen
            self.picked.emit(chosen)

    # -- the choices ------------------------------------------------------------------------

    def set_choices(self, choices: Sequence[Choice]) -> None:
        current = self.current_id()
        self.clear()
        if self.blank is not None:
            self.addItem("", None)
            line = self.lineEdit()
            if line is not None:
                line.setPlaceholderText(self.blank)
        for choice in choices:
            self.addItem(choice.text, choice.id)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.set_id(current)

    def current_id(self) -> int | None:
        """The chosen record's id: the entry the text is, or the one entry of that name; None
        for the blank entry or text that names no one entry."""
        if not self.currentText().strip():
            return None
        index = self._match()
        if index < 0:
            return None
        value = self.itemData(index)
        return int(value) if value is not None else None

    def typed_text(self) -> str:
        """Text typed that names no entry ("" when it names one, or is blank)."""
        text = self.currentText().strip()
        if not text or self.matches(text):
            return ""
        return text

    def set_id(self, record_id: int | None) -> None:
        index = self.findData(record_id) if record_id is not None else -1
        if index >= 0:
            self.setCurrentIndex(index)
        elif self.blank is not None:
            self.setCurrentIndex(0)
        else:
            self.setCurrentIndex(-1)
            self.setEditText("")
