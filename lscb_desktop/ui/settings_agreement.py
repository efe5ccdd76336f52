"""Settings > Membership agreement: the agreement in the Board's own words.

Its title, return instructions and responsibilities are templates; the names in braces are
filled in when the agreement is printed (services/agreement_words.py), so the default reads as
the welcome pack does, with this Board's names.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from lscb_desktop.services.agreement_words import PLACEHOLDERS
from lscb_desktop.services.settings import Settings
from lscb_desktop.ui.forms import Form

__all__ = ["AgreementPage"]

#: The settings on this page that are one line of text.
LINES = ("area", "administrator_name", "administrator_email", "administrator_phone")
#: Those that are templates of several lines.
TEMPLATES = ("agreement_return", "agreement_text")


class AgreementPage(QWidget):
    """The page's fields, each with its message line in the dialog's form."""

    def __init__(self, form: Form, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        fields = QFormLayout()
        self.title = QLineEdit()
        self.area = QLineEdit()
        self.area.setPlaceholderText("e.g. Luton")
        self.administrator_name = QLineEdit()
        self.administrator_email = QLineEdit()
        self.administrator_phone = QLineEdit()
        self.agreement_return = _text_box(3)
        self.agreement_text = _text_box(8)
        for key, label, widget in (
            ("agreement_title", "&Title", self.title),
            ("area", "&Area served", self.area),
            ("administrator_name", "Ad&ministrator", self.administrator_name),
            ("administrator_email", "Administrator's &email", self.administrator_email),
            ("administrator_phone", "Administrator's &phone", self.administrator_phone),
            ("agreement_return", "Return &instructions", self.agreement_return),
            ("agreement_text", "Res&ponsibilities", self.agreement_text),
        ):
            form.add(key, label, widget, layout=fields)
        layout.addLayout(fields)
        names = ", ".join(f"{{{key}}} {meaning}" for key, meaning in PLACEHOLDERS.items())
        note = QLabel(
            "The agreement prints these words as they are, one item a line. Names in braces "
            f"are filled in: {names}. The first line of the return instructions is printed in bold."
        )
        note.setWordWrap(True)
        layout.addWidget(note)

    def fill(self, settings: Settings) -> None:
        self.title.setText(settings.agreement_title)
        for key in LINES:
            edit: QLineEdit = getattr(self, key)
            edit.setText(getattr(settings, key))
        for key in TEMPLATES:
            box: QPlainTextEdit = getattr(self, key)
            box.setPlainText(getattr(settings, key))

    def values(self) -> dict[str, Any]:
        found: dict[str, Any] = {"agreement_title": self.title.text().strip()}
        for key in LINES:
            found[key] = getattr(self, key).text().strip()
        for key in TEMPLATES:
            found[key] = getattr(self, key).toPlainText().strip()
        return found


def _text_box(lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box
