"""Making documents from the window: a save dialog that remembers its folder per document,
long builds off the GUI thread, opening the file afterwards, and Print… with a preview."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSettings, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from lscb_desktop import clock
from lscb_desktop.services.files import OutputError
from lscb_desktop.services.periods import Period
from lscb_desktop.services.privacy import private_folder
from lscb_desktop.services.progress import Progress
from lscb_desktop.store import Database
from lscb_desktop.ui.opening import open_file
from lscb_desktop.ui.workers import Report, consume, run_with_progress

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter

OPEN_AFTER_KEY = "documents/open_after_saving"

Builder = Callable[[Path], object]
"""Writes the document to the path it is given (quick documents)."""
SteppedBuilder = Callable[[Path], Iterator[Progress]]
"""Writes the document, yielding progress (the agenda pack, the annual workbook)."""


def safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|]+', "-", text).strip() or "document"


def open_after_saving() -> bool:
    return str(QSettings().value(OPEN_AFTER_KEY, "false")).lower() == "true"


def set_open_after_saving(value: bool) -> None:
    QSettings().setValue(OPEN_AFTER_KEY, "true" if value else "false")


def _folder(kind: str) -> str:
    return str(QSettings().value(f"documents/folder/{kind}", str(Path.home())))


def ask_target(parent: QWidget, kind: str, title: str, name: str, filters: str) -> Path | None:
    """The save dialog, starting in the folder last used for this kind of document."""
    path, _ = QFileDialog.getSaveFileName(
        parent, title, str(Path(_folder(kind)) / safe_name(name)), filters
    )
    if not path:
        return None
    QSettings().setValue(f"documents/folder/{kind}", str(Path(path).parent))
    return Path(path)


def make(
    parent: QWidget,
    title: str,
    target: Path,
    build: Builder | None = None,
    stepped: SteppedBuilder | None = None,
) -> Path | None:
    """Builds the document (off the GUI thread, with progress and Cancel); the file, or None when
    it was cancelled or failed (the user has been told why)."""

    def job(report: Report) -> None:
        if stepped is not None:
            consume(stepped(target), report)
        elif build is not None:
            build(target)

    outcome = run_with_progress(parent, title, job, f"Making {target.name}…")
    if outcome.cancelled:
        return None
    if isinstance(outcome.error, OutputError):
        QMessageBox.warning(parent, title, str(outcome.error))
        return None
    if outcome.error is not None:
        raise outcome.error
    return target


def save_document(
    parent: QWidget,
    kind: str,
    title: str,
    name: str,
    filters: str,
    *,
    build: Builder | None = None,
    stepped: SteppedBuilder | None = None,
) -> Path | None:
    """Asks where, makes the document there, and opens it when the user has asked for that."""
    target = ask_target(parent, kind, title, name, filters)
    if target is None:
        return None
    made = make(parent, title, target, build, stepped)
    if made is not None and open_after_saving():
        open_file(parent, title, made, f"It is saved at {made}.")
    return made


def print_document(
    parent: QWidget,
    title: str,
    *,
    build: Builder | None = None,
    stepped: SteppedBuilder | None = None,
) -> bool:
    """Makes the PDF in the private temporary folder, shows it in a print preview, prints it,
    and deletes it (the folder goes when the program closes, should that fail)."""
    # Loaded when printing, not at start-up.
    from PySide6.QtPdf import QPdfDocument  # noqa: PLC0415
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog  # noqa: PLC0415

    folder = private_folder("print-")
    try:
        made = make(parent, title, folder / "document.pdf", build, stepped)
        if made is None:
            return False
        document = QPdfDocument(parent)
        document.load(str(made))
        try:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(title)
            preview = QPrintPreviewDialog(printer, parent)
            preview.setWindowTitle(f"Print — {title}")
            preview.paintRequested.connect(lambda p: paint_pdf(document, p))
            preview.resize(900, 1000)
            return bool(preview.exec())
        finally:
            document.close()  # Windows will not delete a file that is open
            document.deleteLater()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def paint_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Draws each page of the PDF onto the printer's pages, scaled to fit; returns the count."""
    painter = QPainter(printer)
    dpi = min(printer.resolution(), 300)
    try:
        for index in range(document.pageCount()):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            size = QSize(int(points.width() / 72 * dpi), int(points.height() / 72 * dpi))
            image = document.render(index, size)
            area = painter.viewport()
            fitted = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.topLeft(), fitted), image)
    finally:
        painter.end()
    return document.pageCount()


def today_stamp() -> str:
    return f"{clock.today():%Y-%m-%d}"


# -- the documents, as the tabs and the Documents menu offer them --------------------------------

PDF = "PDF documents (*.pdf)"
XLSX = "Excel workbooks (*.xlsx)"
ICS = "Calendar files (*.ics)"


def _meeting_name(what: str, group: str, when: dt.datetime) -> str:
    return f"{what} {group} {when:%Y-%m-%d}.pdf"


def meeting_document(
    parent: QWidget,
    database: Database,
    what: str,
    meeting_id: int,
    group: str,
    when: dt.datetime,
    *,
    to_printer: bool = False,
) -> None:
    """The agenda, agenda pack or attendance register of a meeting, saved or printed, or its
    draft minutes (a Word document) saved."""
    from lscb_desktop.services import exports  # noqa: PLC0415 - ReportLab loads when first used

    title = {
        "agenda": "Agenda",
        "pack": "Agenda pack",
        "register": "Attendance register",
        "minutes": "Draft minutes",
    }[what]
    if what == "minutes":
        from lscb_desktop.services.minutes import export_minutes  # noqa: PLC0415

        save_document(
            parent,
            what,
            "Save the draft minutes",
            f"{title} {group} {when:%Y-%m-%d}.docx",
            "Word documents (*.docx)",
            build=lambda target: export_minutes(database, meeting_id, target),
        )
        return
    build: Builder | None = None
    stepped: SteppedBuilder | None = None
    if what == "pack":
        missing = exports.papers_to_print_separately(database, meeting_id)
        if missing:
            QMessageBox.information(
                parent,
                title,
                "LibreOffice is not installed here, so these papers will be named on a page of "
                "their own, to be printed separately:\n\n" + "\n".join(missing),
            )
        stepped = lambda target: exports.iter_export_pack(database, meeting_id, target)  # noqa: E731
    elif what == "agenda":
        build = lambda target: exports.export_agenda(database, meeting_id, target)  # noqa: E731
    else:
        build = lambda target: exports.export_register(database, meeting_id, target)  # noqa: E731
    if to_printer:
        print_document(parent, f"{title} — {group}", build=build, stepped=stepped)
    else:
        name = _meeting_name(title, group, when)
        save_document(
            parent, what, f"Save the {title.lower()}", name, PDF, build=build, stepped=stepped
        )


def calendar_document(
    parent: QWidget, database: Database, group_id: int | None, period: Period | None, label: str
) -> None:
    from lscb_desktop.services import exports  # noqa: PLC0415

    save_document(
        parent,
        "calendar",
        "Save the meetings as a calendar",
        f"Meetings {label}.ics",
        ICS,
        build=lambda target: exports.export_calendar(
            database, target, group_id=group_id, period=period
        ),
    )


def agreement_document(
    parent: QWidget,
    database: Database,
    name: str,
    *,
    person_id: int | None = None,
    group_id: int | None = None,
    to_printer: bool = False,
) -> None:
    from lscb_desktop.services import exports  # noqa: PLC0415

    def build(target: Path) -> Path:
        return exports.export_agreements(database, target, person_id=person_id, group_id=group_id)

    if to_printer:
        print_document(parent, f"Membership agreement — {name}", build=build)
    else:
        save_document(
            parent,
            "agreement",
            "Save the membership agreement",
            f"Membership agreement {name}.pdf",
            PDF,
            build=build,
        )


def contacts_document(
    parent: QWidget, database: Database, group_id: int, group: str, *, workbook: bool
) -> None:
    from lscb_desktop.services import exports  # noqa: PLC0415

    suffix, filters = (".xlsx", XLSX) if workbook else (".pdf", PDF)
    save_document(
        parent,
        "contacts",
        "Save the contact list",
        f"Contacts {group} {today_stamp()}{suffix}",
        filters,
        build=lambda target: exports.export_contacts(database, group_id, target),
    )


def attendance_document(
    parent: QWidget,
    database: Database,
    period: Period,
    group_id: int | None,
    label: str,
    *,
    confirmed_only: bool = False,
) -> None:
    """The annual attendance workbook; ``confirmed_only`` counts only meetings whose attendance
    is confirmed with the minutes (the workbook says so on every sheet)."""
    from lscb_desktop.services import exports  # noqa: PLC0415

    groups = [group_id] if group_id is not None else None
    suffix = " confirmed" if confirmed_only else ""
    save_document(
        parent,
        "attendance",
        "Save the attendance workbook",
        f"Attendance {period.name} {label}{suffix}.xlsx",
        XLSX,
        stepped=lambda target: exports.iter_export_attendance(
            database, period, target, groups, confirmed_only=confirmed_only
        ),
    )


def email_pack(
    parent: QWidget, database: Database, meeting_id: int, group: str, when: dt.datetime
) -> str:
    """Documents > E-mail the pack…: makes the pack (with progress) in the private temporary
    folder, writes the draft e-mail carrying it there, and opens it in the mail program; the
    status message, or "" when nothing was made."""
    from lscb_desktop.services import exports  # noqa: PLC0415
    from lscb_desktop.services.pack_email import pack_email  # noqa: PLC0415
    from lscb_desktop.services.pack_state import pack_state  # noqa: PLC0415
    from lscb_desktop.services.privacy import write_private_bytes  # noqa: PLC0415

    title = "E-mail the pack"
    refusal = pack_state(database, meeting_id).pack_email_refusal()
    if refusal:
        QMessageBox.information(parent, title, refusal)
        return ""
    folder = private_folder("email-")
    pack = folder / _meeting_name("Agenda pack", group, when)
    made = make(
        parent,
        title,
        pack,
        stepped=lambda target: exports.iter_export_pack(database, meeting_id, target),
    )
    if made is None:
        return ""
    mail = pack_email(database, meeting_id, made)
    draft = write_private_bytes(folder / f"{group} {when:%Y-%m-%d}.eml", mail.message.as_bytes())
    if mail.warning:
        QMessageBox.warning(parent, title, mail.warning)
    open_file(parent, title, draft, f"The draft e-mail is saved at {draft}.")
    return mail.after("Drafted the e-mail of the pack")


def remind_presenters(
    parent: QWidget, database: Database, meeting_id: int, group: str, when: dt.datetime
) -> str:
    """Documents > Remind presenters…: the draft e-mail to the presenters whose paper has not
    come in, opened in the mail program; the status message."""
    from lscb_desktop.services.pack_email import reminder_email  # noqa: PLC0415
    from lscb_desktop.services.privacy import write_private_bytes  # noqa: PLC0415

    title = "Remind presenters"
    mail = reminder_email(database, meeting_id)
    if mail is None:
        QMessageBox.information(parent, title, "Every paper this agenda waits for has come in.")
        return ""
    if not mail.to:
        QMessageBox.information(
            parent,
            title,
            "No presenter of a missing paper has an email address on file"
            + (f" ({', '.join(mail.no_email)})." if mail.no_email else "."),
        )
        return ""
    folder = private_folder("email-")
    draft = write_private_bytes(
        folder / f"Papers due {group} {when:%Y-%m-%d}.eml", mail.message.as_bytes()
    )
    open_file(parent, title, draft, f"The draft e-mail is saved at {draft}.")
    return mail.after("Drafted the reminder")
