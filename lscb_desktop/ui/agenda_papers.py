"""The Meetings tab's paper actions on the selected agenda item: attach (or replace), open, mark
confidential, remove. Each names the paper the agenda list showed, so a paper someone else
attached since is never replaced or removed unseen: the user is told in words instead.

Each function returns the status message of what it did, or "" when nothing was done."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from lscb_desktop import APP_NAME
from lscb_desktop.services.agenda import (
    AgendaRow,
    attach_paper,
    paper_file_problem,
    read_paper,
    remove_paper,
    set_paper_confidential,
)
from lscb_desktop.services.concurrency import RecordGone
from lscb_desktop.services.privacy import private_folder, write_private_bytes
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.store import Database
from lscb_desktop.ui.conflict_dialog import one_click, show_gone
from lscb_desktop.ui.opening import open_file

PAPER_FILTER = "Papers (*.pdf *.doc *.docx *.xls *.xlsx *.odt *.rtf)"


def attach(parent: QWidget, database: Database, item: AgendaRow) -> str:
    folder = str(QSettings().value("paths/papers", str(Path.home())))
    path, _ = QFileDialog.getOpenFileName(
        parent, f"Paper for item {item.number}: {item.title}", folder, PAPER_FILTER
    )
    if not path:
        return ""
    QSettings().setValue("paths/papers", str(Path(path).parent))
    return attach_file(parent, database, item, Path(path))


def attach_file(parent: QWidget, database: Database, item: AgendaRow, path: Path) -> str:
    """Attach paper… once the file is chosen (or dropped onto the item): the same checks, the
    same question, the same service."""
    problem = paper_file_problem(Path(path))
    if problem:  # said before asking anything about a file that cannot be a paper
        QMessageBox.warning(parent, "Attach paper", problem)
        return ""
    confidential = (
        QMessageBox.question(
            parent,
            "Attach paper",
            f"Is {Path(path).name} confidential?\n\nConfidential papers are marked so in the "
            "agenda and the pack.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        == QMessageBox.StandardButton.Yes
    )
    change = partial(
        attach_paper,
        database,
        item.id,
        Path(path),
        confidential=confidential,
        paper_shown=item.paper_id,
    )
    try:
        if not one_click(parent, "Attach paper", change):
            return ""
    except InvalidInput as exc:
        QMessageBox.warning(parent, "Attach paper", "\n".join(exc.problems.values()))
        return ""
    verb = "Replaced the paper of" if item.paper else "Attached a paper to"
    return f"{verb} item {item.number}"


def open_paper(parent: QWidget, database: Database, item: AgendaRow) -> None:
    if item.paper_id is None:
        QMessageBox.information(
            parent, "Open paper", f"Item {item.number}, “{item.title}”, has no paper attached."
        )
        return
    try:
        name, content = read_paper(database, item.paper_id)
    except RecordGone as exc:
        show_gone(parent, exc)
        return
    # In the private temporary folder, which is removed when the program closes: a copy
    # of a confidential paper is never left behind. Read-only, so that Word or Excel opens
    # it read-only and offers Save As rather than keeping edits in a copy about to go.
    # (Not on Windows, where a read-only file could not be removed with its folder.)
    target = write_private_bytes(private_folder("paper-") / Path(name).name, content)
    if os.name == "posix":
        target.chmod(0o400)
    open_file(
        parent,
        "Open paper",
        target,
        f"A copy is saved at {target} until {APP_NAME} is closed.",
    )


def toggle_confidential(parent: QWidget, database: Database, item: AgendaRow) -> str:
    if item.paper_id is None:
        return ""
    change = partial(
        set_paper_confidential,
        database,
        item.id,
        not item.confidential,
        paper_shown=item.paper_id,
    )
    if not one_click(parent, "Mark paper", change):
        return ""
    return f"Marked the paper {'not confidential' if item.confidential else 'confidential'}"


def remove(parent: QWidget, database: Database, item: AgendaRow) -> str:
    if item.paper_id is None:
        return ""
    answer = QMessageBox.question(
        parent, "Remove paper", f"Remove the paper {item.paper} from item {item.number}?"
    )
    if answer != QMessageBox.StandardButton.Yes:
        return ""
    change = partial(remove_paper, database, item.id, paper_shown=item.paper_id)
    return "Removed the paper" if one_click(parent, "Remove paper", change) else ""


def attach_minutes(parent: QWidget, database: Database, meeting_id: int) -> str:
    """Chooses the confirmed minutes of a meeting and attaches them to the next meeting's
    "Minutes of the last meeting" item; the status message, or "" (the user told why)."""
    from lscb_desktop.services.minutes import attach_confirmed_minutes  # noqa: PLC0415

    folder = str(QSettings().value("paths/papers", str(Path.home())))
    path, _ = QFileDialog.getOpenFileName(parent, "The confirmed minutes", folder, PAPER_FILTER)
    if not path:
        return ""
    QSettings().setValue("paths/papers", str(Path(path).parent))
    problem = paper_file_problem(Path(path))
    if problem:
        QMessageBox.warning(parent, "Confirmed minutes", problem)
        return ""
    try:
        with database.journal.labelled("attach the confirmed minutes"):
            placed = attach_confirmed_minutes(database, meeting_id, Path(path))
    except InvalidInput as exc:
        QMessageBox.warning(parent, "Confirmed minutes", "\n".join(exc.problems.values()))
        return ""
    return placed.in_words(Path(path).name)
