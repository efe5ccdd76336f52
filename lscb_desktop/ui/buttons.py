"""A push button wired to its slot, as the tabs' button rows make them."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget


def button(text: str, slot: object, parent: QWidget, tip: str = "") -> QPushButton:
    made = QPushButton(text, parent)
    made.clicked.connect(slot)  # type: ignore[arg-type]
    if tip:
        made.setToolTip(tip)
    return made
