"""The plain data each printed document needs, gathered in one short session per document.

Reports (``lscb_desktop.reports``) turn these into files; they never open the database.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lscb_desktop import clock
from lscb_desktop.models import (
    Agency,
    AttendanceStatus,
    Audit,
    Group,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    Role,
)
from lscb_desktop.reports.inputs import (
    AgendaDoc,
    Agreement,
    AgreementDoc,
    AuthorityDoc,
    ContactsDoc,
    DeclarationLine,
    Letterhead,
    MeetingHead,
    OfficerLine,
    RegisterDoc,
    RegisterLine,
)
from lscb_desktop.services.agenda import AgendaRow, agenda_rows, read_paper
from lscb_desktop.services.agreement_words import fill
from lscb_desktop.services.attendance import MeetingSheet, meeting_sheet
from lscb_desktop.services.members import board_group_id, group_members
from lscb_desktop.services.periods import period_starting
from lscb_desktop.services.settings import Settings, load_logo, load_settings
from lscb_desktop.store import Database
from lscb_desktop.words import and_list


def letterhead(database: Database, marking: str = "") -> Letterhead:
    settings = load_settings(database)
    return Letterhead(
        organisation=settings.organisation_name,
        address=settings.address,
        marking=marking or settings.protective_marking,
        logo=load_logo(database),
        board_term=settings.term_board,
    )


def meeting_head(database: Database, meeting_id: int) -> tuple[MeetingHead, str]:
    """The meeting's particulars, and its own protective marking ("" for the default)."""
    with database.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        day = meeting.starts_at.date()
        chair = session.scalar(
            select(Membership)
            .where(Membership.group_id == meeting.group_id, Membership.role == Role.CHAIR)
            .where(Membership.start_date <= day)
            .where((Membership.end_date.is_(None)) | (Membership.end_date >= day))
            .options(selectinload(Membership.person))
            .limit(1)
        )
        following = session.scalar(
            select(Meeting.starts_at)
            .where(Meeting.group_id == meeting.group_id, Meeting.starts_at > meeting.starts_at)
            .where(Meeting.status != MeetingStatus.CANCELLED)
            .order_by(Meeting.starts_at)
            .limit(1)
        )
        group: Group = meeting.group
        head = MeetingHead(
            meeting_id=meeting.id,
            group=group.name,
            group_short=group.short_name or group.name,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            venue=meeting.venue,
            kind=meeting.kind,
            status=meeting.status,
            chair=chair.person.display_name if chair else "",
            quorum_rule=group.quorum_agencies,
            next_meeting=following,
        )
        return head, meeting.protective_marking


def item_numbers(items: list[AgendaRow]) -> dict[int, tuple[int, str]]:
    return {item.id: (item.number, item.title) for item in items}


def declaration_lines(
    sheet: MeetingSheet, numbers: dict[int, tuple[int, str]]
) -> list[DeclarationLine]:
    lines = []
    for row in sheet.declarations:
        if row.item_id is None:
            item = "Whole meeting"
        else:
            number, title = numbers.get(row.item_id, (row.item_number, row.item_title))
            item = f"Item {number}: {title}"
        lines.append(DeclarationLine(item, row.name, row.interest, row.action.label, row.notes))
    return lines


def officer_lines(sheet: MeetingSheet, numbers: dict[int, tuple[int, str]]) -> list[OfficerLine]:
    lines = []
    for guest in sheet.guests:
        ids = [item_id for item_id, _, _ in guest.items if item_id in numbers]
        ids.sort(key=lambda item_id: numbers[item_id][0])
        lines.append(
            OfficerLine(
                guest.name,
                guest.job_title,
                guest.organisation,
                tuple(numbers[item_id] for item_id in ids),
                tuple(ids),
            )
        )
    return lines


def apology(name: str, reason: str, listed: list[str]) -> str:
    """ "Jane Smith (illness)": a reason from the settings' list reads in lower case, one typed
    otherwise is kept as it was typed (it may begin with a name)."""
    reason = reason.strip()
    if not reason:
        return name
    if reason.casefold() in {r.casefold() for r in listed} and not reason[:2].isupper():
        reason = reason[0].lower() + reason[1:]
    return f"{name} ({reason})"


def agenda_doc(database: Database, meeting_id: int) -> AgendaDoc:
    head, marking = meeting_head(database, meeting_id)
    sheet = meeting_sheet(database, meeting_id)
    listed = load_settings(database).reasons
    apologies = [
        apology(r.name, r.reason, listed)
        for r in sheet.attendees
        if r.status is AttendanceStatus.APOLOGIES
    ]
    items = agenda_rows(database, meeting_id)
    numbers = item_numbers(items)
    return AgendaDoc(
        head,
        items,
        apologies,
        letterhead(database, marking),
        declaration_lines(sheet, numbers),
        officer_lines(sheet, numbers),
    )


def _not_counted(database: Database, sheet: MeetingSheet) -> str:
    """Who on the register does not count towards the quorum, from the list itself: the agencies
    that do not count, then the roles that do not ("Members from the Business Unit, advisers
    and administrators do not count towards the quorum.")."""
    left_out = [row for row in sheet.attendees if row.expected and not row.counts]
    if not left_out:
        return ""
    ids = {row.agency_id for row in left_out if row.agency_id is not None}
    with database.session() as session:
        agencies = {
            agency.id: agency
            for agency in session.scalars(select(Agency).where(Agency.id.in_(ids)))
        }
    names: list[str] = []
    roles: list[str] = []
    for row in left_out:
        agency = agencies.get(row.agency_id) if row.agency_id is not None else None
        if agency is None:
            words = "members with no agency"
        elif not agency.counts_for_quorum:
            words = f"members from {agency.name}"
        else:  # the agency counts, so the role does not: "advisers", "lay members"
            words = f"{row.role.lower()}s"
        (roles if agency is not None and agency.counts_for_quorum else names).append(words)
    parts = [*sorted(set(names), key=str.casefold), *sorted(set(roles))]
    text = and_list(parts)
    return f"{text[0].upper()}{text[1:]} do not count towards the quorum (marked “Not counted”)."


def register_doc(database: Database, meeting_id: int) -> RegisterDoc:
    head, marking = meeting_head(database, meeting_id)
    sheet = meeting_sheet(database, meeting_id)
    lines = [
        RegisterLine(r.name, r.agency, r.role, r.seat, r.counts)
        for r in sheet.attendees
        if r.expected
    ]
    numbers = item_numbers(agenda_rows(database, meeting_id))
    return RegisterDoc(
        head,
        lines,
        letterhead(database, marking),
        sheet.rule.text,
        _not_counted(database, sheet),
        declaration_lines(sheet, numbers),
        officer_lines(sheet, numbers),
    )


def _agreement_words(settings: Settings) -> dict[str, str]:
    """What the agreement's placeholders stand for (agreement_words.PLACEHOLDERS)."""
    return {
        "name": settings.organisation_name,
        "short_name": settings.organisation_short_name or settings.organisation_name,
        "area": settings.area,
        "board": settings.term_board,
        "administrator": settings.administrator_name,
        "administrator_email": settings.administrator_email,
        "administrator_phone": settings.administrator_phone,
        "address": ", ".join(line.strip() for line in settings.address.splitlines() if line),
    }


def _lines(template: str, words: dict[str, str]) -> list[str]:
    return [line.strip() for line in fill(template, words).splitlines() if line.strip()]


def agreement_doc(
    database: Database, *, person_id: int | None = None, group_id: int | None = None
) -> AgreementDoc:
    """Agreements for one person (their current memberships, or their record if none) or for
    everyone currently in a group."""
    if (person_id is None) == (group_id is None):
        raise ValueError("give a person or a group")
    today = clock.today()
    query = (
        select(Membership)
        .where(Membership.listed_on(today))
        .options(
            selectinload(Membership.person).selectinload(Person.agency),
            selectinload(Membership.agency),
            selectinload(Membership.group),
        )
    )
    query = (
        query.where(Membership.person_id == person_id)
        if person_id is not None
        else query.where(Membership.group_id == group_id)
    )
    with database.session() as session:
        memberships = sorted(session.scalars(query), key=lambda m: m.person.name.casefold())
        agreements = [
            Agreement(
                name=m.person.display_name,
                job_title=m.person.job_title,
                agency=m.agency.name if m.agency else "",  # the agency the seat represents
                group=m.group.name,
                role=m.role.label,
            )
            for m in memberships
        ]
        if not agreements and person_id is not None:
            person = session.get_one(Person, person_id)
            agreements = [
                Agreement(
                    person.display_name,
                    person.job_title,
                    person.agency.name if person.agency else "",
                    "",
                    "",
                )
            ]
        if group_id is not None:
            session.get_one(Group, group_id)
    settings = load_settings(database)
    words = _agreement_words(settings)
    return AgreementDoc(
        agreements,
        _lines(settings.agreement_text, words),
        letterhead(database),
        title=fill(settings.agreement_title, words).strip(),
        return_lines=_lines(settings.agreement_return, words),
    )


def contacts_doc(database: Database, group_id: int, on: dt.date | None = None) -> ContactsDoc:
    on = on or clock.today()
    with database.session() as session:
        name = session.get_one(Group, group_id).name
    return ContactsDoc(name, group_members(database, group_id, on=on), letterhead(database), on)


def pack_papers(database: Database, meeting_id: int) -> list[tuple[AgendaRow, str, bytes]]:
    """Each item's paper in agenda order: (item, file name, bytes)."""
    rows = agenda_rows(database, meeting_id)
    return [(row, *read_paper(database, row.paper_id)) for row in rows if row.paper_id is not None]


def _audit_group(session: Session) -> Group | None:
    """The group that carries out the audits: the one whose name speaks of audit (the Luton
    sample's Multi-Agency Audit Group); there is no setting for it yet."""
    groups = session.scalars(select(Group).where(Group.archived_on.is_(None))).all()
    return next((g for g in groups if "audit" in g.name.casefold()), None)


def _chair_of(session: Session, group_id: int, on: dt.date) -> str:
    chair = session.scalar(
        select(Membership)
        .where(Membership.group_id == group_id, Membership.role == Role.CHAIR)
        .where(Membership.start_date <= on)
        .where((Membership.end_date.is_(None)) | (Membership.end_date >= on))
        .options(selectinload(Membership.person))
        .limit(1)
    )
    return chair.person.display_name if chair else ""


def authority_doc(database: Database, audit_id: int, on: dt.date | None = None) -> AuthorityDoc:
    on = on or clock.today()
    settings = load_settings(database)
    board_id = board_group_id(database)
    with database.session() as session:
        audit = session.get_one(Audit, audit_id)
        group = _audit_group(session)
        members: list[tuple[str, str]] = []
        if group is not None:
            for row in group_members(database, group.id, on=on):
                members.append((row.name, row.agency))
        return AuthorityDoc(
            title=audit.title,
            theme=audit.theme,
            period=period_starting(
                audit.period_start_year, settings.annual_period_start_month
            ).name,
            quarter=audit.quarter,
            cases_sampled=audit.cases_sampled,
            priority=audit.priority,
            lead=audit.lead.display_name if audit.lead else "",
            agencies=[agency.name for agency in audit.agencies],
            audit_group=group.name if group else "the audit group",
            core_members=members,
            chair=_chair_of(session, board_id, on) if board_id else "",
            house=letterhead(database),
            on=on,
        )
