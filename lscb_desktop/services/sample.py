"""The sample database: the Luton Board from ``sample/luton.json``, two annual periods of business.

The people, agencies, groups and memberships come from the data file exactly. Meetings, agendas,
attendance, actions, audits and case reviews are laid out around ``today`` (the previous and the
current annual period) with a fixed random seed, so the same day always gives the same database.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import io
import itertools
import json
import random
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lscb_desktop import clock
from lscb_desktop.models import (
    CHECKLIST,
    Action,
    ActionStatus,
    Agency,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Audit,
    AuditStatus,
    CaseReview,
    Declaration,
    DeclarationAction,
    Document,
    Frequency,
    Group,
    GroupKind,
    Guest,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    Person,
    Purpose,
    ReviewDecision,
    ReviewType,
    Role,
)
from lscb_desktop.services.periods import Period, period_containing, period_starting
from lscb_desktop.services.settings import Settings, save_settings
from lscb_desktop.services.workdays import add_working_days, next_working_day
from lscb_desktop.store import Database

SEED = 2015


def sample_paper(title: str, group: str, day: dt.date, author: str) -> bytes:
    """A one-page PDF report, so the sample's agendas have real papers to show and merge (the
    pack stamps the marking on it, as on any agency's paper)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    pdf.setTitle(title)
    height = A4[1]
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(60, height - 90, title)
    pdf.setFont("Helvetica", 11)
    lines = [
        f"Report to the {group}, {day:%d/%m/%Y}",
        f"Presented by {author}" if author else "",
        "",
        "1. Purpose of the report",
        "To update the group and ask it to note the progress made and the risks that remain.",
        "",
        "2. Recommendation",
        "That the group notes the report and agrees the actions set out in section 4.",
    ]
    for number, line in enumerate(lines):
        pdf.drawString(60, height - 120 - number * 16, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def load_sample_data() -> dict[str, Any]:
    text = resources.files("lscb_desktop.sample").joinpath("luton.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def nth_weekday(year: int, month: int, weekday: int, week: int) -> dt.date:
    """The ``week``-th (1-4) ``weekday`` (0 = Monday) of a month."""
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (week - 1))


def _email(name: str, domain: str) -> str | None:
    if not domain:
        return None
    parts = [re.sub(r"[^a-z]", "", part.lower()) for part in name.split()]
    return f"{parts[0]}.{parts[-1]}@{domain}" if len(parts) > 1 else None


@dataclass
class _Builder:
    session: Session
    data: dict[str, Any]
    today: dt.date
    settings: Settings
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    #: For what attendance recorded besides the status (reasons, times, officers, declarations):
    #: a random sequence of its own, so the rest of the sample is as it always was.
    detail_rng: random.Random = field(default_factory=lambda: random.Random(SEED + 12))
    held: list[Meeting] = field(default_factory=list)
    agencies: dict[str, Agency] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    group_data: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def periods(self) -> tuple[Period, Period]:
        month = self.settings.annual_period_start_month
        current = period_containing(self.today, month)
        return period_starting(current.start.year - 1, month), current

    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.today, dt.time(9, 0))

    # -- the records from the data file ------------------------------------------------------

    def add_directory(self) -> None:
        for row in self.data["agencies"]:
            agency = Agency(
                name=row["name"],
                short_name=row["short_name"],
                sector=row["sector"],
                statutory_partner=row["statutory_partner"],
                counts_for_quorum=row.get("counts_for_quorum", True),
                notes=row.get("notes", ""),
            )
            self.agencies[row["key"]] = agency
            self.session.add(agency)
        domains = {row["key"]: row.get("domain", "") for row in self.data["agencies"]}
        for row in self.data["people"]:
            email = row.get("email") or _email(row["name"], domains[row["agency"]])
            person = Person(
                title=row.get("title", ""),
                name=row["name"],
                job_title=row.get("job_title", ""),
                agency=self.agencies[row["agency"]],
                email=email.lower() if email else None,
                secure_email=row.get("secure_email", "").lower(),
                phone=row.get("phone", ""),
                address=row.get("address", ""),
                pa_name=row.get("pa_name", ""),
                pa_email=row.get("pa_email", "").lower(),
                pa_phone=row.get("pa_phone", ""),
                notes=row.get("notes", ""),
            )
            self.people[row["key"]] = person
            self.session.add(person)

    def add_groups(self) -> None:
        first = self.periods[0].start
        for row in self.data["groups"]:
            group = Group(
                name=row["name"],
                short_name=row["short_name"],
                kind=GroupKind(row["kind"]),
                accountable_to=self.groups.get(row["accountable_to"] or ""),
                purpose=row["purpose"],
                aims=row["aims"],
                reporting=row["reporting"],
                meeting_frequency=Frequency(row["meeting_frequency"]),
                quorum_agencies=row["quorum_agencies"],
                tor_review_date=add_months(self.periods[1].start, 9),
                notes=row.get("notes", ""),
            )
            self.groups[row["key"]] = group
            self.group_data[row["key"]] = row
            self.session.add(group)
            for seat in row["members"]:
                start = add_months(first, -self.rng.randint(6, 60))
                membership = Membership(
                    person=self.people[seat["person"]],
                    group=group,
                    role=Role(seat["role"]),
                    position=seat["position"],
                    start_date=start,
                    substitute=self.people.get(seat.get("substitute", "")),
                )
                self._tick_checklist(membership, complete=self.rng.random() < 0.8)
                self.session.add(membership)

    def _tick_checklist(self, membership: Membership, *, complete: bool) -> None:
        done = len(CHECKLIST) if complete else self.rng.randint(2, len(CHECKLIST) - 1)
        for index, (column, _label) in enumerate(CHECKLIST[:done]):
            day = membership.start_date + dt.timedelta(days=3 + 4 * index)
            if day <= self.today:
                setattr(membership, column, day)

    def apply_changes(self) -> None:
        """Leavers and joiners: the business manager moves on, a Board seat changes hands."""
        self.session.flush()
        for change in self.data["changes"]:
            when = add_months(self.periods[change["period"]].start, change["month"])
            groups = [self.groups[key] for key in change.get("groups", self.groups)]
            leaver = self.people.get(change.get("leaves", ""))
            joiner = self.people[change["joins"]]
            seats = []
            if leaver is not None:
                for membership in list(leaver.memberships):
                    if membership.group in groups and membership.end_date is None:
                        membership.end_date = when - dt.timedelta(days=1)
                        seats.append((membership.group, membership.role, membership.position))
            else:
                seats = [(g, Role(change["role"]), change["position"]) for g in groups]
            for group, role, position in seats:
                membership = Membership(
                    person=joiner,
                    group=group,
                    role=role,
                    position=change.get("job_title", position),
                    start_date=when,
                )
                self._tick_checklist(membership, complete=False)
                self.session.add(membership)

    # -- meetings ------------------------------------------------------------------------------

    def meeting_dates(self, schedule: dict[str, Any], frequency: Frequency) -> list[dt.date]:
        dates: list[dt.date] = []
        for period in self.periods:
            year = period.start.year + (1 if schedule["first_month"] < period.start.month else 0)
            day = nth_weekday(year, schedule["first_month"], schedule["weekday"], schedule["week"])
            while day in period:
                dates.append(next_working_day(day))
                if frequency is Frequency.QUARTERLY:
                    moved = add_months(day, 3)
                    day = nth_weekday(
                        moved.year, moved.month, schedule["weekday"], schedule["week"]
                    )
                else:
                    weeks = {Frequency.SIX_WEEKLY: 6, Frequency.EIGHT_WEEKLY: 8}.get(frequency, 4)
                    day += dt.timedelta(weeks=weeks)
        return dates

    def add_meetings(self) -> None:
        self.session.flush()
        for key, group in self.groups.items():
            row = self.group_data[key]
            schedule = row.get("schedule")
            if not schedule or group.meeting_frequency is None:
                continue
            start_t = dt.time.fromisoformat(schedule["start"])
            end_t = dt.time.fromisoformat(schedule["end"])
            for index, day in enumerate(self.meeting_dates(schedule, group.meeting_frequency)):
                cancelled = (key == "lig" and index == 3) or (key == "exec" and index == 8)
                self.add_meeting(group, day, start_t, end_t, schedule["room"], cancelled=cancelled)
        board = self.groups["board"]
        y0 = self.periods[0].start
        extraordinary = next_working_day(nth_weekday(y0.year + 1, 2, 2, 1))
        meeting = self.add_meeting(
            board,
            extraordinary,
            dt.time(10, 0),
            dt.time(12, 0),
            "Council Chamber, Town Hall",
            kind=MeetingKind.EXTRAORDINARY,
            items=[
                (f"Overview report: CSPR {y0.year}-01", "decision", 60),
                ("Multi-agency action plan", "decision", 30),
            ],
        )
        meeting.notes = "Extraordinary meeting to receive a case review overview report."

    def add_meeting(
        self,
        group: Group,
        day: dt.date,
        start: dt.time,
        end: dt.time,
        venue: str,
        *,
        cancelled: bool = False,
        kind: MeetingKind = MeetingKind.ORDINARY,
        items: list[tuple[str, str, int]] | None = None,
    ) -> Meeting:
        starts_at = dt.datetime.combine(day, start)
        if cancelled:
            status = MeetingStatus.CANCELLED
        elif starts_at < self.now():
            status = MeetingStatus.HELD
        else:
            status = MeetingStatus.PLANNED
        meeting = Meeting(
            group=group,
            starts_at=starts_at,
            ends_at=dt.datetime.combine(day, end),
            venue=venue,
            kind=kind,
            status=status,
            protective_marking=self.settings.protective_marking,
        )
        self.session.add(meeting)
        members = [m for m in group.memberships if m.is_current(day)]
        self.add_agenda(meeting, members, items)
        if status is MeetingStatus.HELD:
            self.add_attendance(meeting, members)
            self.add_actions(meeting, members)
            self.held.append(meeting)
        return meeting

    def add_agenda(
        self, meeting: Meeting, members: list[Membership], items: list[tuple[str, str, int]] | None
    ) -> None:
        standard = self.data["standard_items"]
        key = next(k for k, g in self.groups.items() if g is meeting.group)
        topics = self.data["topics"].get(key, [])
        chosen = items or [tuple(t) for t in self.rng.sample(topics, min(3, len(topics)))]
        chair = next((m.person for m in members if m.role is Role.CHAIR), None)
        manager = next((m.person for m in members if m.role is Role.BUSINESS_MANAGER), None)
        sequence = [*standard["opening"], *chosen, *standard["closing"]]
        for position, (title, purpose, minutes) in enumerate(sequence, start=1):
            if position <= 2:
                presenter = chair
            elif title == "Action log":
                presenter = manager
            elif members and position <= len(standard["opening"]) + len(chosen):
                presenter = self.rng.choice(members).person
            else:
                presenter = chair
            is_topic = len(standard["opening"]) < position <= len(standard["opening"]) + len(chosen)
            item = AgendaItem(
                position=position,
                title=title,
                presenter=presenter,
                purpose=Purpose(purpose),
                minutes=minutes,
                paper_expected=is_topic,
            )
            meeting.agenda_items.append(item)
            if is_topic and self.paper_is_in(
                meeting, position == len(standard["opening"]) + len(chosen)
            ):
                item.document = self.paper(meeting, title, presenter)

    def paper_is_in(self, meeting: Meeting, last_topic: bool) -> bool:
        """Every paper of a held meeting; for one in the next fortnight, all but the last."""
        if meeting.status is MeetingStatus.HELD:
            return True
        soon = meeting.starts_at.date() <= self.today + dt.timedelta(days=14)
        return meeting.status is MeetingStatus.PLANNED and soon and not last_topic

    def paper(self, meeting: Meeting, title: str, presenter: Person | None) -> Document:
        content = sample_paper(
            title,
            meeting.group.name,
            meeting.starts_at.date(),
            presenter.display_name if presenter else "",
        )
        slug = "-".join(title.lower().replace("'", "").split())[:40]
        return Document(
            filename=f"{meeting.starts_at:%Y-%m-%d} {meeting.group.short_name} {slug}.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            confidential=True,
            added_at=meeting.starts_at - dt.timedelta(days=self.settings.papers_deadline_days + 1),
        )

    def add_attendance(self, meeting: Meeting, members: list[Membership]) -> None:
        for membership in members:
            roll = self.rng.random()
            always = membership.role in {Role.CHAIR, Role.BUSINESS_MANAGER}
            record = Attendance(person=membership.person, status=AttendanceStatus.PRESENT)
            if always or roll < 0.72:
                pass
            elif roll < 0.86:
                record.status = AttendanceStatus.APOLOGIES
            elif roll < 0.95:
                record.status = AttendanceStatus.SUBSTITUTE
                if membership.substitute is not None:
                    record.substitute = membership.substitute
                else:
                    agency = membership.person.agency
                    record.substitute_name = f"Deputy for {membership.person.name}"
                    if agency is not None:
                        record.substitute_name += f" ({agency.short_name})"
            else:
                record.status = AttendanceStatus.ABSENT
            # What was true on the day: the agency and seat of the membership.
            record.agency = membership.agency or membership.person.agency
            record.role = membership.role
            record.seat = membership.position
            meeting.attendance.append(record)
        if self.rng.random() < 0.2:
            name, organisation = self.rng.choice(self.data["guests"])
            meeting.guests.append(Guest(name=name, organisation=organisation))

    def add_actions(self, meeting: Meeting, members: list[Membership]) -> None:
        topical = [item for item in meeting.agenda_items if 3 < item.position < 7]
        for item in self.rng.sample(topical, min(len(topical), self.rng.randint(1, 2))):
            owner = self.rng.choice(members).person if members else None
            due = meeting.starts_at.date() + dt.timedelta(days=42)
            self.session.add(
                self._action(
                    f"{item.title}: report back to the next meeting",
                    owner,
                    due,
                    meeting=meeting,
                    agenda_item=item,
                )
            )

    def _action(
        self, description: str, owner: Person | None, due: dt.date, **source: Any
    ) -> Action:
        action = Action(description=description, owner=owner, due_date=due, **source)
        if due < self.today - dt.timedelta(days=30):
            if self.rng.random() < 0.9:
                action.status = ActionStatus.DONE
                action.done_date = min(
                    due + dt.timedelta(days=self.rng.randint(-20, 20)), self.today
                )
            else:
                action.status = ActionStatus.DROPPED
        elif due < self.today and self.rng.random() < 0.5:
            action.status = ActionStatus.DONE
            action.done_date = due
        return action

    # -- what rooms record besides who came ---------------------------------------------------

    def add_attendance_details(self) -> None:
        """Reasons for apologies, late arrivals and early departures, officers in attendance for
        an item, declarations of interest; attendance confirmed with the minutes at the group's
        next meeting; and the latest meeting recorded only in part (the office is at it)."""
        rng = self.detail_rng
        reasons = self.settings.reasons
        officers = self.data["officers"]
        interests = self.data["interests"]
        held = sorted(self.held, key=lambda m: (m.starts_at, m.group.name))
        for meeting in held:
            for record in sorted(meeting.attendance, key=lambda r: r.person.name):
                roll = rng.random()
                if record.status is AttendanceStatus.APOLOGIES:
                    record.reason = rng.choice(reasons) if roll < 0.85 else ""
                elif record.status is AttendanceStatus.PRESENT and roll < 0.05:
                    late = dt.timedelta(minutes=rng.choice((10, 15, 20, 30)))
                    record.arrived_at = (meeting.starts_at + late).time()
                elif record.status is AttendanceStatus.PRESENT and roll < 0.08:
                    ends_at = meeting.ends_at or meeting.starts_at + dt.timedelta(hours=2)
                    record.left_at = (ends_at - dt.timedelta(minutes=rng.choice((20, 30)))).time()
            topics = [item for item in meeting.agenda_items if item.paper_expected]
            if topics and rng.random() < 0.15:
                name, job_title, organisation = rng.choice(officers)
                guest = Guest(name=name, organisation=organisation, job_title=job_title)
                guest.items = [rng.choice(topics)]
                meeting.guests.append(guest)
            there = [r for r in meeting.attendance if r.status is AttendanceStatus.PRESENT]
            if topics and there and rng.random() < 0.08:
                interest, action = rng.choice(interests)
                meeting.declarations.append(
                    Declaration(
                        person=rng.choice(sorted(there, key=lambda r: r.person.name)).person,
                        agenda_item=rng.choice(topics),
                        interest=interest,
                        action=DeclarationAction(action),
                    )
                )
        by_group: dict[str, list[Meeting]] = {}
        for meeting in held:
            by_group.setdefault(meeting.group.name, []).append(meeting)
        for meetings in by_group.values():
            for meeting, following in itertools.pairwise(meetings):
                meeting.attendance_confirmed_on = following.starts_at.date()
                meeting.attendance_confirmed_by = "lscb.admin"
        if held:
            latest = held[-1]
            recorded = sorted(latest.attendance, key=lambda r: r.person.name)
            for record in recorded[len(recorded) // 2 :]:
                latest.attendance.remove(record)

    # -- audits and case reviews -------------------------------------------------------------

    def add_audits(self) -> None:
        themes = self.data["audit_themes"]
        lead = self.people["mary-emson"]
        partners = sorted(
            (a for a in self.agencies.values() if a.statutory_partner and a.sector != "Community"),
            key=lambda a: a.name,
        )
        for p_index, period in enumerate(self.periods):
            for quarter in range(1, 5):
                title, theme = themes[p_index * 4 + quarter - 1]
                self.add_audit(period, quarter, title, theme, lead, partners, core=True)
        self.add_audit(
            self.periods[1],
            3,
            "Children in temporary accommodation",
            "Housing",
            lead,
            partners,
            core=False,
        )

    def add_audit(
        self,
        period: Period,
        quarter: int,
        title: str,
        theme: str,
        lead: Person,
        partners: list[Agency],
        *,
        core: bool,
    ) -> None:
        q_start = add_months(period.start, 3 * (quarter - 1))
        q_end = add_months(q_start, 3) - dt.timedelta(days=1)
        audit = Audit(
            title=title,
            theme=theme,
            period_start_year=period.start.year,
            quarter=quarter,
            core=core,
            priority=f"Business plan priority: {theme.lower()}",
            lead=lead,
            cases_sampled=self.rng.randint(6, 12),
            agencies=self.rng.sample(partners, self.rng.randint(4, 6)),
            authority_letter_on=q_start + dt.timedelta(days=7) if q_start <= self.today else None,
        )
        if not core:
            audit.notes = "Requested by the Board."
        if q_end + dt.timedelta(days=90) < self.today:
            audit.status = AuditStatus.CLOSED
        elif q_end < self.today:
            audit.status = AuditStatus.REPORTED
        elif q_start <= self.today:
            audit.status = AuditStatus.IN_PROGRESS
        if audit.status in {AuditStatus.REPORTED, AuditStatus.CLOSED}:
            good = self.rng.random() < 0.5
            audit.compliance = "Good" if good else "Requires improvement"
            audit.findings = (
                "Practice met the expected standard in most cases sampled; recording of the "
                "voice of the child was consistent."
                if good
                else "Information sharing between agencies was delayed in several cases; strategy "
                "discussions did not always include health."
            )
            if not good:
                audit.escalated_to_sag_on = q_end + dt.timedelta(days=21)
                audit.assurance_requested_on = q_end + dt.timedelta(days=35)
                self.session.add(
                    self._action(
                        f"Assurance report and action plan: {title}",
                        self.people["glen-denham"],
                        q_end + dt.timedelta(days=90),
                        audit=audit,
                    )
                )
        self.session.add(audit)

    def add_case_reviews(self) -> None:
        y0, y1 = (p.start.year for p in self.periods)
        for row in self.data["case_reviews"]:
            if row["start"] == "recent":
                incident = add_working_days(self.today, -3)
            else:
                period, month = row["start"]
                incident = next_working_day(add_months(self.periods[period].start, month))
            review = CaseReview(
                reference=row["reference"].format(y0=y0, y1=y1),
                review_type=ReviewType(row["type"]),
                referring_agency=self.agencies[row["agency"]],
                notes=row["notes"],
            )
            self.fill_steps(review, row, incident)
            self.session.add(review)

    def fill_steps(self, review: CaseReview, row: dict[str, Any], incident: dt.date) -> None:
        decision_on = add_working_days(incident, 19)
        final = next_working_day(add_months(decision_on, 5))
        planned = next_working_day(add_months(final, 2))
        steps = [
            ("incident_known_on", incident),
            ("referral_received_on", add_working_days(incident, 1)),
            ("referral_confirmed_on", add_working_days(incident, 2)),
            ("panel_notified_on", add_working_days(incident, 4)),
            ("rapid_review_sent_on", add_working_days(incident, 14)),
            ("decision_on", decision_on),
            ("commissioned_on", add_working_days(decision_on, 20)),
            ("final_report_on", final),
            ("publication_notice_on", add_working_days(planned, -10)),
            ("published_on", planned),
            ("action_plan_agreed_on", planned + dt.timedelta(days=28)),
        ]
        last = {"referred": 1, "decided": 5, "final_report": 7, "published": 10}[row["stage"]]
        for column, day in steps[: last + 1]:
            if day <= self.today:
                setattr(review, column, day)
        if review.decision_on is not None and "decision" in row:
            review.decision = ReviewDecision(row["decision"])
        if review.commissioned_on is not None:
            review.reviewer = row.get("reviewer", "")
            review.methodology = row.get("methodology", "")
        if row["stage"] in {"final_report", "published"}:
            review.publication_planned_on = planned
        if review.published_on is not None:
            for text in (
                "Embed pre-birth assessment guidance across agencies",
                "Practitioner briefing on the voice of the child",
            ):
                self.session.add(
                    self._action(
                        text,
                        self.people["sharon-keenan"],
                        planned + dt.timedelta(days=120),
                        case_review=review,
                    )
                )


def is_empty(database: Database) -> bool:
    with database.session() as session:
        return not session.scalar(select(func.count()).select_from(Person))


def create_sample(database: Database, today: dt.date | None = None) -> None:
    """Fill an empty database with the sample Board."""
    if not is_empty(database):
        raise ValueError("The database already holds records; the sample needs an empty one.")
    data = load_sample_data()
    settings = Settings(**data["settings"])
    save_settings(database, settings)
    with database.session() as session:
        builder = _Builder(session, data, today or clock.today(), settings)
        builder.add_directory()
        builder.add_groups()
        builder.apply_changes()
        builder.add_meetings()
        builder.add_attendance_details()
        builder.add_audits()
        builder.add_case_reviews()
