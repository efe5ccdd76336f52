"""Imports a workbook all or nothing: every bad row is reported and the database is left unchanged.

Each row is matched to a record by its UUID (a new record takes the row's UUID); a row without one
is matched by its natural key: agencies and groups by name, people by email (else by name and
agency), memberships by person, group and start date, meetings by group and date, and everything
else by its meeting or reference. Two rows are never merged into one record (see identity.py).
What the window would ask about (a substitute from another agency, a change to attendance
confirmed with the minutes) is refused, since an import cannot ask.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lscb_desktop.services.progress import Progress
from lscb_desktop.services.settings import read_settings
from lscb_desktop.services.workbook import spec
from lscb_desktop.services.workbook.identity import ImportResult
from lscb_desktop.services.workbook.import_attendance import AttendanceSheets
from lscb_desktop.services.workbook.import_directory import DirectorySheets
from lscb_desktop.services.workbook.import_meetings import MeetingSheets
from lscb_desktop.services.workbook.import_reviews import ReviewSheets
from lscb_desktop.services.workbook.reader import (
    ImportFailed,
    Problem,
    Problems,
    SheetData,
    read_workbook,
)
from lscb_desktop.store import Database

__all__ = ["ImportFailed", "ImportResult", "import_workbook"]


class _Importer(DirectorySheets, MeetingSheets, AttendanceSheets, ReviewSheets):
    def __init__(self, session: Session, problems: Problems, result: ImportResult) -> None:
        super().__init__(session, problems, result)
        self.settings_now = read_settings(session)
        problems.limits.earliest_year = self.settings_now.earliest_year

    def handlers(self) -> dict[str, Callable[[SheetData], None]]:
        return {
            spec.SETTINGS.name: self.settings,
            spec.AGENCIES.name: self.agencies,
            spec.PEOPLE.name: self.people,
            spec.GROUPS.name: self.groups,
            spec.MEMBERSHIPS.name: self.memberships,
            spec.MEETINGS.name: lambda d: self.meetings(d, self.settings_now.protective_marking),
            spec.AGENDA_ITEMS.name: self.agenda_items,
            spec.ATTENDANCE.name: self.attendance,
            spec.GUESTS.name: self.guests,
            spec.DECLARATIONS.name: self.declarations,
            spec.AUDITS.name: self.audits,
            spec.CASE_REVIEWS.name: self.case_reviews,
            spec.ACTIONS.name: self.actions,
        }


def import_workbook(
    database: Database, path: Path, progress: Callable[[Progress], None] | None = None
) -> ImportResult:
    """Import ``path``; raises ImportFailed (with every problem) and changes nothing if any row
    is bad.

    ``progress`` is called after each sheet; an exception it raises (the window's Cancel) rolls
    the whole import back.
    """
    problems = Problems()
    result = ImportResult()
    with database.session() as session:
        importer = _Importer(session, problems, result)
        handlers = importer.handlers()
        with session.no_autoflush:
            total = len(handlers) + 1
            for done, data in enumerate(read_workbook(Path(path), problems, result.warnings), 1):
                if data.oversized:
                    raise ImportFailed(problems.items)
                handlers[data.sheet.name](data)
                if progress is not None:
                    progress(Progress(done, total, f"Read {data.sheet.name}"))
        if problems.items:
            raise ImportFailed(problems.items)
        try:
            session.flush()
        except IntegrityError as exc:
            raise ImportFailed([_integrity_problem()]) from exc
    return result


def _integrity_problem() -> Problem:
    return Problem(
        "(workbook)",
        0,
        "",
        "the records conflict with each other (two records would share a name, email, "
        "reference or UUID); nothing was imported",
    )
