"""Issuing the pack and its supplements from the window: Documents > Issue the pack…, Issue a
supplement… and E-mail the supplement…, over :mod:`lscb_desktop.services.packs`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from lscb_desktop.services.files import OutputError
from lscb_desktop.services.privacy import private_folder
from lscb_desktop.services.progress import Progress
from lscb_desktop.store import Database
from lscb_desktop.ui.documents import PDF, make, save_document
from lscb_desktop.ui.opening import open_file


def _day(group: str, when: dt.datetime) -> str:
    return f"{group} {when:%Y-%m-%d}"


def _issue(
    parent: QWidget,
    database: Database,
    title: str,
    label: str,
    name: str,
    stepped: Callable[[Path], Iterator[Progress]],
) -> Path | None:
    """Asks where, builds and records the version there as one undo step called ``label``."""
    with database.journal.labelled(label):
        return save_document(parent, "pack", title, name, PDF, stepped=stepped)


def _not_cancelled(parent: QWidget, title: str, database: Database, meeting_id: int) -> bool:
    """Asks before issuing the pack of a cancelled meeting; whether to go on."""
    from lscb_desktop.models import MeetingStatus  # noqa: PLC0415
    from lscb_desktop.services.documents import meeting_head  # noqa: PLC0415

    head, _marking = meeting_head(database, meeting_id)
    if head.status is not MeetingStatus.CANCELLED:
        return True
    answer = QMessageBox.question(
        parent,
        title,
        f"The {head.group} meeting of {head.starts_at:%d/%m/%Y} is cancelled. Issue its pack "
        "anyway?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def _separately(
    parent: QWidget, title: str, database: Database, meeting_id: int, names: set[str] | None
) -> bool:
    """Asks before issuing papers that only a page naming them would stand for (Word and Excel
    with no LibreOffice here): members would be sent the page, not the paper. Whether to go on."""
    from lscb_desktop.services.exports import papers_to_print_separately  # noqa: PLC0415

    missing = [
        name
        for name in papers_to_print_separately(database, meeting_id)
        if names is None or name in names
    ]
    if not missing:
        return True
    answer = QMessageBox.question(
        parent,
        title,
        "LibreOffice is not installed here, so these papers cannot be put in what is issued: "
        "a page will name each of them, to be sent separately:\n\n"
        + "\n".join(missing)
        + "\n\nIssue it anyway?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def issue_pack(
    parent: QWidget, database: Database, meeting_id: int, group: str, when: dt.datetime
) -> str:
    """Saves the whole pack and records it as the version sent; asks first when a version has
    been issued already (a supplement then carries only what is new). The status message, or ""
    when nothing was issued."""
    from lscb_desktop.services.packs import iter_pack_issue, pack_state  # noqa: PLC0415

    title = "Issue the pack"
    if not _not_cancelled(parent, title, database, meeting_id):
        return ""
    state = pack_state(database, meeting_id)
    if state.latest is not None:
        ask = (
            f"{state.in_words()}\n\nIssue the whole pack again? Members will then have "
            "another whole pack; a supplement (Documents > Issue a supplement…) carries only the "
            "papers changed since."
        )
        answer = QMessageBox.question(
            parent,
            title,
            ask,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return ""
    if not _separately(parent, title, database, meeting_id, None):
        return ""
    made = _issue(
        parent,
        database,
        title,
        f"issue the pack of {group} {when:%d/%m/%Y}",
        f"Agenda pack {_day(group, when)}.pdf",
        lambda target: iter_pack_issue(database, meeting_id, target, issue=True),
    )
    if made is None:
        return ""
    issued = pack_state(database, meeting_id).latest
    assert issued is not None
    pages = f"{issued.pages} page{'' if issued.pages == 1 else 's'}"
    return f"Issued the pack of {group} {when:%d/%m/%Y} ({pages}), saved at {made}"


def issue_supplement(
    parent: QWidget, database: Database, meeting_id: int, group: str, when: dt.datetime
) -> str:
    """Saves the next supplement (the papers new or replaced since the last version) and records
    it as sent; says why when there is nothing to supplement."""
    from lscb_desktop.services.packs import iter_supplement_issue, pack_state  # noqa: PLC0415

    title = "Issue a supplement"
    state = pack_state(database, meeting_id)
    if state.latest is None or not state.changes:
        why = (
            "The pack has not been issued yet, so every paper goes in it: use Documents > "
            "Issue the pack…."
            if state.latest is None
            else f"No paper has changed since {state.latest.short}, so there is nothing to put "
            "in a supplement."
        )
        QMessageBox.information(parent, title, why)
        return ""
    number = state.next_supplement
    if not _separately(parent, title, database, meeting_id, {c.filename for c in state.to_send}):
        return ""
    made = _issue(
        parent,
        database,
        title,
        f"issue Supplement {number} of {group} {when:%d/%m/%Y}",
        f"Supplement {number} {_day(group, when)}.pdf",
        lambda target: iter_supplement_issue(database, meeting_id, target, issue=True),
    )
    if made is None:
        return ""
    count, gone = len(state.to_send), len(state.changes) - len(state.to_send)
    papers = f"{count} paper{'' if count == 1 else 's'}" + (f", {gone} withdrawn" if gone else "")
    return f"Issued Supplement {number} of {group} {when:%d/%m/%Y} ({papers}), saved at {made}"


def email_supplement(
    parent: QWidget, database: Database, meeting_id: int, group: str, when: dt.datetime
) -> str:
    """Documents > E-mail the supplement…: the last supplement issued, made again in the private
    temporary folder as it was issued, attached to a draft e-mail opened in the mail program."""
    from lscb_desktop.services import packs  # noqa: PLC0415
    from lscb_desktop.services.pack_email import supplement_email  # noqa: PLC0415
    from lscb_desktop.services.privacy import write_private_bytes  # noqa: PLC0415

    title = "E-mail the supplement"
    state = packs.pack_state(database, meeting_id)
    try:
        issue = packs.last_supplement(state)
    except OutputError as exc:
        QMessageBox.information(parent, title, f"{exc} (Documents > Issue a supplement…)")
        return ""
    folder = private_folder("email-")
    made = make(
        parent,
        title,
        folder / f"Supplement {issue.supplement} {_day(group, when)}.pdf",
        stepped=lambda target: packs.iter_supplement_again(database, meeting_id, target),
    )
    if made is None:
        return ""
    lines = packs.issued_lines(state, issue)
    mail = supplement_email(database, meeting_id, made, issue.supplement, lines)
    draft = write_private_bytes(
        folder / f"Supplement {issue.supplement} {_day(group, when)}.eml", mail.message.as_bytes()
    )
    if mail.warning:
        QMessageBox.warning(parent, title, mail.warning)
    open_file(parent, title, draft, f"The draft e-mail is saved at {draft}.")
    return mail.after(f"Drafted the e-mail of Supplement {issue.supplement}")
