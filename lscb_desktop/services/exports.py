"""Every document the program makes, by name: gathers the data, then hands it to a report builder.

The window and the command line both call these, so a document is the same whichever made it.
Long ones are generators of progress.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select

from lscb_desktop import clock
from lscb_desktop.models import Meeting, MeetingStatus
from lscb_desktop.reports.attendance_workbook import WorkbookSpec, iter_attendance_workbook
from lscb_desktop.reports.calendar import build_calendar
from lscb_desktop.reports.meeting_docs import build_agenda, build_register
from lscb_desktop.reports.member_docs import (
    build_agreements,
    build_contacts_pdf,
    build_contacts_workbook,
)
from lscb_desktop.reports.pack import (
    CONVERTIBLE,
    Converter,
    convert_with_libreoffice,
    iter_pack,
    libreoffice,
)
from lscb_desktop.services.agenda import agenda_rows
from lscb_desktop.services.attendance_figures import attendance_grids
from lscb_desktop.services.documents import (
    agenda_doc,
    agreement_doc,
    contacts_doc,
    pack_papers,
    register_doc,
)
from lscb_desktop.services.files import OutputError
from lscb_desktop.services.meetings import meeting_rows
from lscb_desktop.services.periods import Period
from lscb_desktop.services.progress import Progress
from lscb_desktop.services.settings import load_settings
from lscb_desktop.store import Database


def export_agenda(database: Database, meeting_id: int, target: Path) -> Path:
    return build_agenda(agenda_doc(database, meeting_id), target)


def export_register(database: Database, meeting_id: int, target: Path) -> Path:
    return build_register(register_doc(database, meeting_id), target)


def iter_export_pack(
    database: Database,
    meeting_id: int,
    target: Path,
    convert: Converter = convert_with_libreoffice,
) -> Iterator[Progress]:
    doc = agenda_doc(database, meeting_id)
    yield from iter_pack(doc, pack_papers(database, meeting_id), target, convert)


def export_agreements(
    database: Database, target: Path, *, person_id: int | None = None, group_id: int | None = None
) -> Path:
    doc = agreement_doc(database, person_id=person_id, group_id=group_id)
    if not doc.agreements:
        raise OutputError("That group has no current members, so there is no agreement to make.")
    return build_agreements(doc, target)


def export_contacts(database: Database, group_id: int, target: Path) -> Path:
    """A PDF or, for a target ending .xlsx, a workbook."""
    doc = contacts_doc(database, group_id)
    if Path(target).suffix.lower() == ".xlsx":
        return build_contacts_workbook(doc, target)
    return build_contacts_pdf(doc, target)


def iter_export_attendance(
    database: Database,
    period: Period,
    target: Path,
    group_ids: list[int] | None = None,
    made: dt.date | None = None,
    *,
    confirmed_only: bool = False,
) -> Iterator[Progress]:
    """The annual attendance workbook; ``confirmed_only`` counts only meetings whose attendance
    is confirmed with the minutes (and says so on every sheet)."""
    settings = load_settings(database)
    grids = attendance_grids(database, period, group_ids, confirmed_only=confirmed_only)
    spec = WorkbookSpec(
        period=period,
        organisation=settings.organisation_name,
        marking=settings.protective_marking,
        threshold=settings.attendance_threshold / 100,
        made=made or clock.today(),
        percentages=settings.show_percentages,
        confirmed_only=confirmed_only,
        left_out=_unconfirmed(database, period, group_ids) if confirmed_only else 0,
    )
    yield from iter_attendance_workbook(grids, spec, target)


def _unconfirmed(database: Database, period: Period, group_ids: list[int] | None) -> int:
    """Held meetings in the period whose attendance is not confirmed with the minutes."""
    start = dt.datetime.combine(period.start, dt.time())
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time())
    query = (
        select(func.count(Meeting.id))
        .where(Meeting.status == MeetingStatus.HELD, Meeting.attendance_confirmed_on.is_(None))
        .where(Meeting.starts_at >= start, Meeting.starts_at < end)
    )
    if group_ids is not None:
        query = query.where(Meeting.group_id.in_(group_ids))
    with database.session() as session:
        return int(session.scalar(query) or 0)


def export_calendar(
    database: Database, target: Path, *, group_id: int | None = None, period: Period | None = None
) -> Path:
    settings = load_settings(database)
    rows = sorted(
        meeting_rows(database, group_id=group_id, period=period), key=lambda r: r.starts_at
    )
    key = re.sub(r"[^a-z0-9]+", "-", settings.organisation_short_name.casefold()).strip("-")
    return build_calendar(rows, settings.organisation_name, key or "lscb", target)


def papers_to_print_separately(database: Database, meeting_id: int) -> list[str]:
    """Word and Excel papers that cannot be converted on this machine (no LibreOffice)."""
    if libreoffice() is not None:
        return []
    return [
        row.paper
        for row in agenda_rows(database, meeting_id)
        if row.paper and Path(row.paper).suffix.lower() in CONVERTIBLE
    ]


def export_authority(database: Database, audit_id: int, target: Path) -> Path:
    """The letter of authority for an audit."""
    from lscb_desktop.reports.audit_docs import build_authority  # noqa: PLC0415
    from lscb_desktop.services.documents import authority_doc  # noqa: PLC0415

    return build_authority(authority_doc(database, audit_id), target)
