"""Forms never lose what was typed: Esc, Cancel or closing a changed form asks first.

A dialog notes what its fields hold when it is first shown (and after it reloads its records);
``reject`` compares the fields with that and, when something differs, asks whether to discard
the changes. Keeping them leaves the dialog open with everything as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from types import UnionType
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

__all__ = ["AsksBeforeDiscarding", "form_state"]


def _checks(view: QAbstractItemView) -> object:
    model = view.model()
    if model is None:
        return None
    rows = range(model.rowCount())
    return (
        model.rowCount(),
        *(model.data(model.index(row, 0), Qt.ItemDataRole.CheckStateRole) for row in rows),
    )


#: How to read each kind of field (the first that matches; a combo box before its line edit).
_READERS: tuple[tuple[type[QWidget] | UnionType, Callable[[Any], object]], ...] = (
    (QComboBox, lambda w: w.currentText()),
    (QAbstractSpinBox, lambda w: w.text()),  # dates and times too
    (QLineEdit, lambda w: w.text()),
    (QPlainTextEdit | QTextEdit, lambda w: w.toPlainText()),
    (QAbstractButton, lambda w: w.isChecked() if w.isCheckable() else None),
    (QAbstractItemView, _checks),
)


def _value(widget: QWidget) -> object:
    for kind, read in _READERS:
        if isinstance(widget, kind):
            return read(widget)
    return None


def _inside_another_field(widget: QWidget) -> bool:
    """The line edit of a combo box or a date field: its parent's value already says it."""
    parent = widget.parentWidget()
    return isinstance(widget, QLineEdit) and isinstance(parent, QComboBox | QAbstractSpinBox)


def form_state(dialog: QWidget) -> dict[int, tuple[str, object]]:
    """What every field of ``dialog`` holds, by field (not by position: showing another tab
    reorders a dialog's children)."""
    state: dict[int, tuple[str, object]] = {}
    for widget in dialog.findChildren(QWidget):
        if _inside_another_field(widget):
            continue
        value = _value(widget)
        if value is not None:
            state[id(widget)] = (type(widget).__name__, value)
    return state


class AsksBeforeDiscarding(QDialog):
    """A dialog whose Esc, Cancel and close button ask before throwing away typed changes."""

    _clean_state: dict[int, tuple[str, object]] | None = None

    def mark_clean(self) -> None:
        """What the fields hold now is what is on file (or the new form's defaults)."""
        self._clean_state = form_state(self)

    def has_changes(self) -> bool:
        return self._clean_state is not None and form_state(self) != self._clean_state

    def showEvent(self, event: QShowEvent) -> None:
        if self._clean_state is None:
            self.mark_clean()
        super().showEvent(event)

    def reject(self) -> None:
        if self.has_changes():
            answer = QMessageBox.question(
                self,
                "Discard changes?",
                "What you typed in this form has not been saved. Discard it, or go back to "
                "the form and keep it?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()
