"""Making a change to a meeting's attendance from the window: the one place that asks the user
when a service needs their yes first (:class:`NeedsConfirmation`: a substitute from another
agency, a change to attendance confirmed with the minutes) and tries again with their answer.

Every change on the Attendance tab goes through :func:`ask_and_retry` (forms, which show
refusals under their fields) or :func:`attempt` (one-click changes: a key, a button, a
removal from a list, which show refusals in a message)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from lscb_desktop.services.validation import InvalidInput, NeedsConfirmation
from lscb_desktop.ui.conflict_dialog import one_click

T = TypeVar("T")


class Declined(Exception):
    """The user said no to a question a change asked: nothing was changed."""


def ask_and_retry(parent: QWidget, title: str, action: Callable[..., T]) -> T:
    """``action()``; when it needs the user's yes, asks its question (Yes/No) and, on yes, runs
    it again with the question's flag set, as many times as it asks something new (a substitute
    from another agency at a confirmed meeting asks twice). Raises :class:`Declined` on no."""
    flags: dict[str, bool] = {}
    while True:
        try:
            return action(**flags)
        except NeedsConfirmation as exc:
            if flags.get(exc.flag):
                raise  # asked again after a yes: a fault in the service, not a question
            answer = QMessageBox.question(
                parent,
                title,
                exc.question,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                raise Declined(exc.question) from None
            flags[exc.flag] = True


def attempt(parent: QWidget, title: str, action: Callable[..., object]) -> bool:
    """A one-click change: asks when the service needs a yes, shows a refusal in words, and
    says (True) whether the change was made. A record someone else changed or deleted since it
    was shown is named in words too (see :func:`one_click`)."""
    outcome: list[bool] = []

    def change() -> None:
        try:
            ask_and_retry(parent, title, action)
        except Declined:
            outcome.append(False)
        except InvalidInput as exc:
            QMessageBox.warning(parent, title, "\n".join(exc.problems.values()))
            outcome.append(False)

    return one_click(parent, title, change) and not outcome
