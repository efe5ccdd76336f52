"""The sample database against the welcome pack: every sub-group's table, member by member."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lscb_desktop.models import (
    Action,
    ActionStatus,
    Agency,
    Attendance,
    AttendanceStatus,
    Audit,
    CaseReview,
    Frequency,
    Group,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    Person,
    Role,
)
from lscb_desktop.services.periods import period_containing
from lscb_desktop.services.settings import load_settings
from tests.conftest import FIXTURES, SAMPLE_TODAY

FIRST_DAY = dt.date(2025, 4, 1)  # the first annual period of the sample laid out on SAMPLE_TODAY

GROUP_NAMES = {
    "The Executive Group": "Executive Group",
    "The Scrutiny and Assurance Group": "Scrutiny and Assurance Group",
    "The Multi Agency Audit Group": "Multi-Agency Audit Group",
    "The Learning and Improvement Group": "Learning and Improvement Group",
    "The Serious Case Review Group": "Serious Case Review Group",
    "The Young People’s Challenge Group": "Young People's Challenge Group",
}

#: How the tables write agencies -> the sample agency's short name.
AGENCY_AS_WRITTEN = {
    "LSCB": "LSCB",
    "Luton C&L": "Luton C&L",
    "C&L": "Luton C&L",
    "C & L": "Luton C&L",
    "Independent": "Independent",
    "Luton CCG": "Luton CCG",
    "CCG": "Luton CCG",
    "PPU": "Beds Police",
    "Bedfordshire Police": "Beds Police",
    "NHS": "NHS",
    "Public Health": "Public Health",
    "Lay Member": "Lay Member",
    "CCS": "CCS",
    "L&DUH": "L&DUHT",
    "L&DUHT": "L&DUHT",
    "YOS": "YOS",
    "Probation": "Probation",
    "NSPCC": "NSPCC",
    "Lea manor School": "Lea Manor",
    "Community Safety Partnership": "CSP",
    "ELFT": "ELFT",
    "East London NHS": "ELFT",
    "LBC": "LBC",
    "LBC Adults": "LBC Adults",
    "Stopsley High School": "Stopsley High",
    "Ramridge Primary School": "Ramridge",
    "Focusrcs": "Focusrcs",
    "CAFCAS": "CAFCASS",
    "Young person": "Young person",
}
#: Spellings that differ between the tables for the same person.
NAME_ALIASES = {"Jo Ullyet": "Jo Ulyett"}


@dataclass
class Seat:
    name: str
    agency: str
    role: Role
    positions: set[str]
    substitute: str | None = None


def _clean(text: str) -> str:
    return text.strip().rstrip(" .-").strip()


def parse_tables() -> dict[str, list[Seat]]:
    """The welcome pack's tables: {group name: seats}, one per named (or young person's) row."""
    tables: dict[str, list[list[str]]] = {}
    current: list[list[str]] = []
    for line in (FIXTURES / "welcome-pack-tables.txt").read_text("utf-8").splitlines():
        if line.startswith("## "):
            title = line[3:].split(" - ")[0]
            current = tables.setdefault(GROUP_NAMES[title], [])
        elif line.startswith("\t\t\t"):  # a wrapped third column
            current[-1][3] += " " + line.strip()
        elif line.strip():
            current.append([*line.split("\t"), "", "", ""][:4])
    seats: dict[str, list[Seat]] = {}
    for group, rows in tables.items():
        found: dict[str, Seat] = {}
        young = 0
        for lead, name, second, third in rows:
            role = {"Chair:": Role.CHAIR, "Deputy": Role.DEPUTY_CHAIR}.get(lead, Role.MEMBER)
            substitute = None
            if match := re.fullmatch(r"(.+?)\s*\((.+)\)", name):
                name, substitute = match.groups()
            elif "/" in name:
                name, substitute = name.split("/")
            if not name.strip():
                if second != "Young person":
                    continue  # a vacant seat (MAAG's ELFT Safeguarding Lead)
                young += 1
                name, role = f"Young person ({'AB'[young - 1]})", Role.YOUNG_PERSON
            name = re.sub(r"^(Dr|DS|DI) ", "", name.strip())
            name = NAME_ALIASES.get(name, name)
            if substitute:
                substitute = re.sub(r"^(Dr|DS|DI) ", "", substitute.strip())
            agency = next(AGENCY_AS_WRITTEN[c] for c in (second, third) if c in AGENCY_AS_WRITTEN)
            if name in found:  # LIG lists its chair twice
                continue
            found[name] = Seat(name, agency, role, {"", _clean(second), _clean(third)}, substitute)
        seats[group] = list(found.values())
    return seats


@pytest.fixture
def memberships(sample_db) -> dict[str, list[Membership]]:
    with sample_db.session() as session:
        query = select(Membership).options(
            selectinload(Membership.person).selectinload(Person.agency),
            selectinload(Membership.group),
            selectinload(Membership.substitute),
        )
        by_group: dict[str, list[Membership]] = {}
        for membership in session.scalars(query):
            if membership.is_current(FIRST_DAY):
                by_group.setdefault(membership.group.name, []).append(membership)
        return by_group


def test_the_tables_parse_into_every_group() -> None:
    seats = parse_tables()
    assert set(seats) == set(GROUP_NAMES.values())
    assert len(seats["Learning and Improvement Group"]) == 27  # 29 rows: a repeat, a wrapped cell
    assert len(seats["Multi-Agency Audit Group"]) == 8  # 9 rows, one vacant


@pytest.mark.parametrize("group", sorted(GROUP_NAMES.values()))
def test_each_sub_group_has_the_members_the_welcome_pack_lists(memberships, group) -> None:
    expected = {seat.name: seat for seat in parse_tables()[group]}
    actual = {m.person.name: m for m in memberships[group]}
    assert set(actual) == set(expected)
    for name, seat in expected.items():
        membership = actual[name]
        assert membership.person.agency.short_name == seat.agency, name
        assert membership.position in seat.positions, name
        if seat.role in (Role.CHAIR, Role.DEPUTY_CHAIR, Role.YOUNG_PERSON):
            assert membership.role is seat.role, name
        else:
            assert membership.role not in (Role.CHAIR, Role.DEPUTY_CHAIR), name
        if seat.substitute:
            assert membership.substitute.name == seat.substitute, name


def test_groups_have_their_terms_of_reference(sample_db) -> None:
    with sample_db.session() as session:
        groups = {
            g.short_name: g
            for g in session.scalars(select(Group).options(selectinload(Group.accountable_to)))
        }
        assert groups["SAG"].quorum_agencies == 3
        assert groups["LIG"].quorum_agencies == 3
        assert groups["LIG"].meeting_frequency is Frequency.EIGHT_WEEKLY
        assert groups["SAG"].meeting_frequency is Frequency.QUARTERLY
        assert groups["SAG"].accountable_to.short_name == "Exec"
        assert groups["LIG"].accountable_to.short_name == "Exec"
        assert groups["MAAG"].accountable_to.short_name == "Board"
        assert "four core multi agency audits per year" in groups["MAAG"].aims
        assert "vacant" in groups["MAAG"].notes
        assert groups["Board"].purpose.startswith("To coordinate what is done")


def test_the_board_has_its_chair_vice_chairs_and_business_unit(sample_db) -> None:
    with sample_db.session() as session:
        board = session.scalars(select(Group).where(Group.short_name == "Board")).one()
        current = {m.person.name: m.role for m in board.memberships if m.is_current(SAMPLE_TODAY)}
    assert current["Frances Pearson"] is Role.CHAIR
    assert current["Nick Bellingham"] is Role.VICE_CHAIR
    assert current["David Foord"] is Role.VICE_CHAIR
    assert current["Vijay Patel"] is Role.BUSINESS_MANAGER
    assert current["Lucia May"] is Role.ADMINISTRATOR
    assert "Chris Bridgett" not in current  # the interim business manager has left


def test_the_settings_are_luton_s(sample_db) -> None:
    settings = load_settings(sample_db)
    assert settings.organisation_name == "Luton Safeguarding Children Board"
    assert settings.protective_marking == "OFFICIAL-SENSITIVE"
    assert "LU1 2BQ" in settings.address


def test_two_periods_of_business_with_leavers_joiners_apologies_and_substitutes(sample_db):
    current = period_containing(SAMPLE_TODAY)
    with sample_db.session() as session:
        meetings = session.scalars(select(Meeting)).all()
        starts = {m.starts_at.date() for m in meetings}
        assert min(starts) >= dt.date(2025, 4, 1)
        assert max(starts) <= current.end
        statuses = {m.status for m in meetings}
        assert statuses == {MeetingStatus.HELD, MeetingStatus.PLANNED, MeetingStatus.CANCELLED}
        assert any(m.kind is MeetingKind.EXTRAORDINARY for m in meetings)
        assert all(m.starts_at.weekday() < 5 for m in meetings)
        counts = dict(
            session.execute(
                select(Attendance.status, func.count()).group_by(Attendance.status)
            ).all()
        )
        assert set(counts) == set(AttendanceStatus)
        assert (
            session.scalar(
                select(func.count()).select_from(Membership).where(Membership.end_date.is_not(None))
            )
            >= 3
        )
        overdue = session.scalars(
            select(Action).where(Action.status == ActionStatus.OPEN, Action.due_date < SAMPLE_TODAY)
        ).all()
        assert overdue  # something for the action log to highlight


def test_four_core_audits_a_year_and_anonymised_case_reviews(sample_db):
    with sample_db.session() as session:
        core = session.execute(
            select(Audit.period_start_year, func.count())
            .where(Audit.core.is_(True))
            .group_by(Audit.period_start_year)
        ).all()
        assert dict(core) == {2025: 4, 2026: 4}
        references = session.scalars(select(CaseReview.reference)).all()
    assert references
    assert all(re.fullmatch(r"CSPR \d{4}-\d{2}", r) for r in references)


def test_a_case_review_has_no_field_for_a_child_s_name() -> None:
    columns = {c.key for c in CaseReview.__table__.columns}
    assert not any("child" in c or c.endswith("name") for c in columns)


def test_the_sample_shows_what_rooms_record_besides_who_came(sample_db):
    """Reasons, a late arrival and an early departure, officers in attendance for an item,
    declarations of interest, confirmed meetings, and one recent meeting not fully recorded."""
    from lscb_desktop.models import Declaration, Guest
    from lscb_desktop.services.attendance import meeting_sheet

    with sample_db.session() as session:
        records = session.scalars(select(Attendance)).all()
        reasons = {r.reason for r in records if r.status is AttendanceStatus.APOLOGIES}
        assert {"Illness", "Council business"} <= reasons
        assert any(r.arrived_at for r in records) and any(r.left_at for r in records)
        assert all(r.agency_id is not None for r in records)
        officers = [g for g in session.scalars(select(Guest)) if g.items]
        assert officers and all(g.job_title for g in officers)
        declarations = session.scalars(select(Declaration)).all()
        assert len({d.meeting_id for d in declarations}) >= 3
        held = session.scalars(
            select(Meeting).where(Meeting.status == MeetingStatus.HELD).order_by(Meeting.starts_at)
        ).all()
        confirmed = [m for m in held if m.attendance_confirmed_on is not None]
        assert len(confirmed) > len(held) / 2
        assert all(m.attendance_confirmed_on >= m.starts_at.date() for m in confirmed)
        latest = held[-1].id
    sheets = [meeting_sheet(sample_db, m.id) for m in held]
    partial = [s for s in sheets if not s.complete]
    assert [s.meeting_id for s in partial] == [latest]
    assert 0 < partial[0].recorded < partial[0].expected
    assert partial[0].confirmed_on is None


def test_the_business_unit_never_makes_a_sample_meeting_quorate(sample_db):
    from lscb_desktop.services.attendance import meeting_sheet

    with sample_db.session() as session:
        unit = session.scalar(select(Agency).where(Agency.name.like("%Business Unit")))
        assert unit is not None and not unit.counts_for_quorum
        held = session.scalars(select(Meeting.id).where(Meeting.status == MeetingStatus.HELD))
        meeting_ids = list(held)
    for meeting_id in meeting_ids:
        sheet = meeting_sheet(sample_db, meeting_id)
        assert unit.name not in sheet.quorum.agencies
        assert all(not row.counts for row in sheet.attendees if row.agency == unit.name)
