"""Builds a large, realistic database for the benchmarks.

    python benchmarks/make_large_db.py --scale 1 [--out benchmarks/data/large-1.sqlite]

At scale 1: 20 annual periods, 15 groups, 600 people across 40 agencies with joiners and leavers,
about 3,000 meetings with agendas (about 25,000 items), attendance for every held meeting (about
90,000 rows), 5,000 actions, 80 audits, 60 case reviews and 500 papers that are real PDFs of 1 to
20 pages. Scale 4 and 16 multiply the history (periods, people, and everything in them).

It goes through the program's own store (``open_database``: the migrations, the constraints and
the change log) and models, a period at a time in one session each; papers are attached with the
program's ``attach_paper`` service. A fixed seed makes every build the same.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lscb_desktop.models import (  # noqa: E402
    Action,
    ActionStatus,
    Agency,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Audit,
    AuditStatus,
    CaseReview,
    Frequency,
    Group,
    GroupKind,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    Purpose,
    ReviewDecision,
    ReviewType,
    Role,
)
from lscb_desktop.services.agenda import attach_paper  # noqa: E402
from lscb_desktop.services.settings import Settings, save_settings  # noqa: E402
from lscb_desktop.services.workdays import add_working_days, next_working_day  # noqa: E402
from lscb_desktop.store import Database, open_database  # noqa: E402

PERIODS_AT_SCALE_1 = 20
GROUPS = 15
AGENCIES = 40
PEOPLE_AT_SCALE_1 = 600
PAPERS_AT_SCALE_1 = 500
MEETINGS_A_YEAR = (12, 12, 10, 10, 10, 10, 10, 10, 8, 8, 8, 8, 12, 10, 12)  # sums to 150
GROUP_SIZES = (30, 24, 30, 26, 28, 32, 30, 30, 34, 30, 30, 28, 34, 30, 34)
STANDARD = (
    ("Welcome, introductions and apologies", Purpose.INFORMATION, 5),
    ("Minutes of the last meeting and matters arising", Purpose.DECISION, 10),
    ("Action log", Purpose.ASSURANCE, 10),
)
CLOSING = (
    ("Any other business", Purpose.INFORMATION, 5),
    ("Date of next meeting", Purpose.INFORMATION, 5),
)
TOPICS = (
    "Performance scorecard",
    "Business plan progress report",
    "Section 11 audit findings",
    "Neglect strategy",
    "Training evaluation",
    "Early help update",
    "Learning from case reviews",
    "Budget monitoring report",
    "Voice of the child",
    "Exploitation sub-group report",
)


REASONS = ("Council business", "Illness", "Annual leave", "Other work commitment", "")


def paper_pdf(title: str, pages: int) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica-Bold", 15)
        pdf.drawString(60, 780, title)
        pdf.setFont("Helvetica", 11)
        for line in range(30):
            pdf.drawString(
                60, 740 - line * 20, f"Page {number}: paragraph {line + 1} of the report."
            )
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


class Builder:
    def __init__(self, database: Database, scale: float, seed: int = 7) -> None:
        self.database = database
        self.scale = scale
        self.rng = random.Random(seed)
        #: For reasons for apologies: a sequence of its own, so the rest is as it always was.
        self.detail_rng = random.Random(seed + 1)
        self.periods = max(1, round(PERIODS_AT_SCALE_1 * scale))
        self.first_year = 2026 - self.periods + 1
        self.people_count = max(3 * max(GROUP_SIZES), round(PEOPLE_AT_SCALE_1 * scale))
        self.counts: dict[str, int] = {}

    # -- the directory ------------------------------------------------------------------------

    def directory(self) -> None:
        save_settings(
            self.database,
            Settings(
                organisation_name="Anytown Safeguarding Children Partnership",
                organisation_short_name="ASCP",
                term_board="Partnership",
                default_venue="Civic Centre, Anytown",
                # A long history goes back before 1990; the import refuses earlier dates.
                earliest_year=max(1900, min(1990, self.first_year)),
            ),
        )
        with self.database.session() as session:
            agencies = [
                Agency(name=f"Agency {n:02d}", short_name=f"A{n:02d}", statutory_partner=n <= 12)
                for n in range(1, AGENCIES + 1)
            ]
            session.add_all(agencies)
            groups = []
            for n in range(GROUPS):
                kind = GroupKind.BOARD if n == 0 else GroupKind.SUBGROUP
                groups.append(
                    Group(
                        name="Safeguarding Partnership" if n == 0 else f"Sub-group {n:02d}",
                        short_name="SP" if n == 0 else f"SG{n:02d}",
                        kind=kind,
                        meeting_frequency=Frequency.MONTHLY,
                        quorum_agencies=3 if n else None,
                        purpose="To coordinate and ensure the effectiveness of what partners do.",
                    )
                )
            session.add_all(groups)
            session.flush()
            people = [
                Person(
                    name=f"Person {n:05d}",
                    title=self.rng.choice(["", "", "Dr", "DS"]),
                    job_title=self.rng.choice(["Head of Service", "Designated Nurse", "Manager"]),
                    agency_id=agencies[n % AGENCIES].id,
                    email=f"person.{n:05d}@agency{n % AGENCIES:02d}.example.org",
                    phone=f"01582 {500000 + n:06d}",
                )
                for n in range(self.people_count)
            ]
            session.add_all(people)
            session.flush()
            self.agency_ids = [a.id for a in agencies]
            self.group_ids = [g.id for g in groups]
            self.person_ids = [p.id for p in people]
            self.person_agency = {p.id: p.agency_id for p in people}
            self._memberships(session)
        self.counts.update(agencies=AGENCIES, groups=GROUPS, people=self.people_count)

    def _memberships(self, session: Session) -> None:
        """Each group's seats, each held by a chain of people: a leaver and a joiner every few
        years, so the history has both."""
        start = dt.date(self.first_year, 4, 1)
        end = dt.date(self.first_year + self.periods, 3, 31)
        self.seats: dict[int, list[tuple[int, dt.date, dt.date | None, Role]]] = {}
        pool = list(self.person_ids)
        self.rng.shuffle(pool)
        cursor = 0
        count = 0
        for group_index, group_id in enumerate(self.group_ids):
            spells = []
            in_group: set[int] = set()  # nobody holds two seats of one group
            for seat in range(GROUP_SIZES[group_index]):
                day = start
                while day < end:
                    person = pool[cursor % len(pool)]
                    cursor += 1
                    if person in in_group:
                        continue
                    in_group.add(person)
                    length = self.rng.randint(700, 3000)
                    leaves = day + dt.timedelta(days=length)
                    stays = leaves >= end or (end - day).days < 400
                    role = Role.CHAIR if seat == 0 else Role.MEMBER
                    session.add(
                        Membership(
                            person_id=person,
                            group_id=group_id,
                            role=role,
                            start_date=day,
                            end_date=None if stays else leaves,
                        )
                    )
                    count += 1
                    spells.append((person, day, None if stays else leaves, role))
                    if stays:
                        break
                    day = leaves + dt.timedelta(days=1)
            self.seats[group_id] = spells
        self.counts["memberships"] = count

    # -- a year of business ---------------------------------------------------------------------

    def period(self, year: int, today: dt.date) -> None:
        with self.database.session() as session:
            meetings = []
            for group_index, group_id in enumerate(self.group_ids):
                per_year = MEETINGS_A_YEAR[group_index]
                for n in range(per_year):
                    day = dt.date(year, 4, 1) + dt.timedelta(days=int(n * 365 / per_year) + 10)
                    day = next_working_day(day)
                    starts = dt.datetime.combine(day, dt.time(10 if group_index % 2 else 14))
                    cancelled = self.rng.random() < 0.02
                    status = (
                        MeetingStatus.CANCELLED
                        if cancelled
                        else MeetingStatus.HELD
                        if day < today
                        else MeetingStatus.PLANNED
                    )
                    meeting = Meeting(
                        group_id=group_id,
                        starts_at=starts,
                        ends_at=starts + dt.timedelta(hours=2),
                        venue="Civic Centre, Anytown",
                        status=status,
                        protective_marking="OFFICIAL-SENSITIVE",
                    )
                    self._agenda(meeting)
                    if status is MeetingStatus.HELD:
                        self._attendance(meeting, group_id, day)
                        if day < today - dt.timedelta(days=60):
                            # confirmed with the minutes at the next meeting or so
                            meeting.attendance_confirmed_on = day + dt.timedelta(days=42)
                            meeting.attendance_confirmed_by = "business.unit"
                    session.add(meeting)
                    meetings.append(meeting)
            session.flush()
            for meeting in meetings:
                for _ in range(self.rng.choice((1, 2, 2, 2))):
                    due = meeting.starts_at.date() + dt.timedelta(days=self.rng.randint(14, 90))
                    done = due < today and self.rng.random() < 0.8
                    session.add(
                        Action(
                            description=f"{self.rng.choice(TOPICS)}: report back",
                            meeting_id=meeting.id,
                            owner_id=self.rng.choice(self.person_ids),
                            due_date=due,
                            status=ActionStatus.DONE if done else ActionStatus.OPEN,
                            done_date=due if done else None,
                        )
                    )
                    self.counts["actions"] = self.counts.get("actions", 0) + 1
            self._audits(session, year, today)
            self._reviews(session, year, today)
            self.counts["meetings"] = self.counts.get("meetings", 0) + len(meetings)

    def _agenda(self, meeting: Meeting) -> None:
        topics = self.rng.sample(TOPICS, 3)
        items = [*STANDARD, *((t, Purpose.ASSURANCE, 15) for t in topics), *CLOSING]
        for position, (title, purpose, minutes) in enumerate(items, start=1):
            meeting.agenda_items.append(
                AgendaItem(
                    position=position,
                    title=title,
                    purpose=purpose,
                    minutes=minutes,
                    paper_expected=title in topics,
                )
            )
        self.counts["agenda_items"] = self.counts.get("agenda_items", 0) + len(items)

    def _attendance(self, meeting: Meeting, group_id: int, day: dt.date) -> None:
        for person, start, end, role in self.seats[group_id]:
            if start <= day and (end is None or end >= day):
                roll = self.rng.random()
                status = (
                    AttendanceStatus.PRESENT
                    if roll < 0.74
                    else AttendanceStatus.APOLOGIES
                    if roll < 0.88
                    else AttendanceStatus.SUBSTITUTE
                    if roll < 0.96
                    else AttendanceStatus.ABSENT
                )
                # what was true on the day, as the window records it
                record = Attendance(
                    person_id=person, status=status, agency_id=self.person_agency[person], role=role
                )
                if status is AttendanceStatus.APOLOGIES:
                    record.reason = self.detail_rng.choice(REASONS)
                if status is AttendanceStatus.SUBSTITUTE:
                    record.substitute_name = f"Deputy for {person}"
                meeting.attendance.append(record)
                self.counts["attendance"] = self.counts.get("attendance", 0) + 1

    def _audits(self, session: Session, year: int, today: dt.date) -> None:
        for quarter in range(1, 5):
            q_end = dt.date(year, 4, 1) + dt.timedelta(days=quarter * 91)
            audit = Audit(
                title=f"Core audit {year} Q{quarter}",
                theme=self.rng.choice(["Neglect", "Exploitation", "Early help", "Domestic abuse"]),
                period_start_year=year,
                quarter=quarter,
                core=True,
                lead_id=self.rng.choice(self.person_ids),
                cases_sampled=self.rng.randint(4, 12),
                status=AuditStatus.CLOSED if q_end < today else AuditStatus.PLANNED,
            )
            session.add(audit)
        self.counts["audits"] = self.counts.get("audits", 0) + 4

    def _reviews(self, session: Session, year: int, today: dt.date) -> None:
        for n in range(3):
            incident = next_working_day(dt.date(year, 5 + n * 3, 3))
            known = incident <= today
            session.add(
                CaseReview(
                    reference=f"CSPR {year}-{n + 1:02d}",
                    review_type=ReviewType.LOCAL_CSPR if n else ReviewType.RAPID_REVIEW_ONLY,
                    referring_agency_id=self.rng.choice(self.agency_ids),
                    incident_known_on=incident if known else None,
                    referral_received_on=add_working_days(incident, 1) if known else None,
                    panel_notified_on=add_working_days(incident, 4) if known else None,
                    rapid_review_sent_on=add_working_days(incident, 14) if known else None,
                    decision_on=add_working_days(incident, 19) if known else None,
                    decision=(ReviewDecision.LOCAL_REVIEW if n else ReviewDecision.NO_REVIEW)
                    if known
                    else None,
                )
            )
        self.counts["case_reviews"] = self.counts.get("case_reviews", 0) + 3

    # -- papers -----------------------------------------------------------------------------------

    def papers(self, count: int) -> None:
        """Real PDFs of 1 to 20 pages on items that expect one, the most recent meetings first."""
        from sqlalchemy import select  # noqa: PLC0415

        with self.database.session() as session:
            items = session.scalars(
                select(AgendaItem.id)
                .join(Meeting)
                .where(AgendaItem.paper_expected.is_(True))
                .order_by(Meeting.starts_at.desc(), AgendaItem.position)
                .limit(count)
            ).all()
        templates = {
            pages: paper_pdf(f"A report of {pages} pages", pages) for pages in range(1, 21)
        }
        with tempfile.TemporaryDirectory() as folder:
            for n, item_id in enumerate(items):
                pages = 1 + n % 20
                path = Path(folder) / f"paper-{n:04d}.pdf"
                path.write_bytes(templates[pages])
                attach_paper(self.database, item_id, path)
        self.counts["papers"] = len(items)


def build(target: Path, scale: float, *, quiet: bool = False) -> dict[str, int]:
    if target.exists():
        target.unlink()
    database = open_database(target)
    builder = Builder(database, scale)
    today = dt.date(2026, 11, 23)
    started = time.perf_counter()
    builder.directory()
    for offset in range(builder.periods):
        builder.period(builder.first_year + offset, today)
        if not quiet:
            print(f"\r  period {offset + 1} of {builder.periods}", end="", file=sys.stderr)
    builder.papers(max(1, round(PAPERS_AT_SCALE_1 * scale)))
    database.dispose()
    if not quiet:
        print(f"\r  built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return builder.counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    target = args.out or ROOT / "benchmarks" / "data" / f"large-{args.scale:g}.sqlite"
    target.parent.mkdir(parents=True, exist_ok=True)
    counts = build(target, args.scale)
    print(f"{target}: " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
