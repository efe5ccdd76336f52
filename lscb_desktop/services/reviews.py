"""Case reviews and the statutory clock.

Each step's due date is worked out in working days (weekends and England and Wales bank holidays
skipped, from the holidays library) from the step it runs from, with the periods in the settings:

- referral confirmed in writing: 2 working days (48 hours) after the referral was received;
- national Panel notified: 5 working days after the serious incident became known;
- rapid review sent: 15 working days after the incident became known;
- final report: 6 months after the partners' decision (on the next working day);
- notice of publication to the Panel and the Department: 7 working days before publication.

A step is then: not due, due soon (within 2 working days), overdue, done in time or done late;
or not needed, when the decision was that no review would follow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lscb_desktop import clock
from lscb_desktop.models import CaseReview, ReviewDecision, ReviewType
from lscb_desktop.services.anonymity import case_review_problems
from lscb_desktop.services.settings import Settings, load_settings, read_settings
from lscb_desktop.services.validation import Collector
from lscb_desktop.services.workdays import add_working_days, is_working_day, next_working_day
from lscb_desktop.store import Database


class StepState(StrEnum):
    NOT_DUE = "not due"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"
    DONE_IN_TIME = "done in time"
    DONE_LATE = "done late"
    DONE = "done"
    NOT_NEEDED = "not needed"
    WAITING = "waiting"  # the step it runs from has not happened yet

    @property
    def urgent(self) -> bool:
        return self in (StepState.OVERDUE, StepState.DUE_SOON)


#: How urgent each state is, for sorting and for a review's overall state.
URGENCY = {
    StepState.OVERDUE: 0,
    StepState.DUE_SOON: 1,
    StepState.NOT_DUE: 2,
    StepState.WAITING: 3,
    StepState.DONE_LATE: 4,
    StepState.DONE_IN_TIME: 5,
    StepState.DONE: 6,
    StepState.NOT_NEEDED: 7,
}


@dataclass(frozen=True)
class Step:
    """One dated step: its column on the record, its name, and how its due date is worked out."""

    column: str
    label: str
    due: Callable[[CaseReview, Settings], dt.date | None] | None = None
    #: The step only applies when a review follows the rapid review.
    review_only: bool = False


def _after(
    column: str, days: Callable[[Settings], int]
) -> Callable[[CaseReview, Settings], dt.date | None]:
    def due(review: CaseReview, settings: Settings) -> dt.date | None:
        start = getattr(review, column)
        return add_working_days(start, days(settings)) if start is not None else None

    return due


def _report_due(review: CaseReview, settings: Settings) -> dt.date | None:
    if review.decision_on is None:
        return None
    return next_working_day(
        review.decision_on + relativedelta(months=settings.review_report_months)
    )


def _notice_due(review: CaseReview, settings: Settings) -> dt.date | None:
    if review.publication_planned_on is None:
        return None
    return add_working_days(review.publication_planned_on, -settings.review_notice_working_days)


STEPS: tuple[Step, ...] = (
    Step("incident_known_on", "Serious incident known"),
    Step("referral_received_on", "Referral received"),
    Step(
        "referral_confirmed_on",
        "Referral confirmed in writing",
        _after("referral_received_on", lambda s: s.review_confirm_working_days),
    ),
    Step(
        "panel_notified_on",
        "National Panel notified",
        _after("incident_known_on", lambda s: s.review_panel_working_days),
    ),
    Step(
        "rapid_review_sent_on",
        "Rapid review sent",
        _after("incident_known_on", lambda s: s.review_rapid_working_days),
    ),
    Step("decision_on", "Partners' decision"),
    Step("commissioned_on", "Review commissioned", review_only=True),
    Step("final_report_on", "Final report", _report_due, review_only=True),
    Step("publication_notice_on", "Notice of publication", _notice_due, review_only=True),
    Step("published_on", "Published", review_only=True),
    Step("action_plan_agreed_on", "Action plan agreed", review_only=True),
)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end is before)."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    count, day = 0, start
    while day != end:
        day += dt.timedelta(days=sign)
        count += is_working_day(day)
    return sign * count


def step_state(due: dt.date | None, done: dt.date | None, today: dt.date, soon: int) -> StepState:
    if done is not None:
        if due is None:
            return StepState.DONE
        return StepState.DONE_IN_TIME if done <= due else StepState.DONE_LATE
    if due is None:
        return StepState.WAITING
    if today > due:
        return StepState.OVERDUE
    if working_days_between(today, due) <= soon:
        return StepState.DUE_SOON
    return StepState.NOT_DUE


@dataclass(frozen=True)
class StepRow:
    column: str
    label: str
    due: dt.date | None
    done: dt.date | None
    state: StepState

    def as_plain(self) -> dict[str, object]:
        return {
            "step": self.label,
            "due": self.due.isoformat() if self.due else None,
            "done": self.done.isoformat() if self.done else None,
            "state": self.state.value,
        }


def _no_review(review: CaseReview) -> bool:
    return review.decision is ReviewDecision.NO_REVIEW or (
        review.review_type is ReviewType.RAPID_REVIEW_ONLY
    )


def review_steps(review: CaseReview, settings: Settings, today: dt.date) -> list[StepRow]:
    rows = []
    for step in STEPS:
        done = getattr(review, step.column)
        if step.review_only and _no_review(review) and done is None:
            rows.append(StepRow(step.column, step.label, None, None, StepState.NOT_NEEDED))
            continue
        due = step.due(review, settings) if step.due is not None else None
        state = step_state(due, done, today, settings.due_soon_working_days)
        rows.append(StepRow(step.column, step.label, due, done, state))
    return rows


@dataclass(frozen=True)
class CaseReviewRow:
    id: int
    reference: str
    review_type: ReviewType
    referring_agency: str
    decision: ReviewDecision | None
    reviewer: str
    steps: list[StepRow]

    @property
    def state(self) -> StepState:
        """The most urgent state among the steps still open (or done, when all are)."""
        return min((s.state for s in self.steps), key=lambda state: URGENCY[state])

    @property
    def next_step(self) -> StepRow | None:
        open_steps = [
            s for s in self.steps if s.done is None and s.state is not StepState.NOT_NEEDED
        ]
        dated = [s for s in open_steps if s.due is not None]
        return min(dated, key=lambda s: s.due or dt.date.max) if dated else None


def case_review_rows(
    database: Database,
    *,
    today: dt.date | None = None,
    review_type: ReviewType | None = None,
    state: StepState | None = None,
    active_since: dt.date | None = None,
) -> list[CaseReviewRow]:
    """The register, the most urgent first; ``state`` keeps reviews with a step in that state.

    ``active_since`` keeps the reviews whose incident, or planned publication, is on or after
    that date (or not yet known): the Home view looks only at those, so twenty years of closed
    reviews cost it nothing.
    """
    today = today or clock.today()
    settings = load_settings(database)
    query = select(CaseReview).options(selectinload(CaseReview.referring_agency))
    if active_since is not None:
        query = query.where(
            CaseReview.incident_known_on.is_(None)
            | (CaseReview.incident_known_on >= active_since)
            | (CaseReview.publication_planned_on >= active_since)
        )
    if review_type is not None:
        query = query.where(CaseReview.review_type == review_type)
    with database.session() as session:
        rows = [
            CaseReviewRow(
                id=r.id,
                reference=r.reference,
                review_type=r.review_type,
                referring_agency=r.referring_agency.name if r.referring_agency else "",
                decision=r.decision,
                reviewer=r.reviewer,
                steps=review_steps(r, settings, today),
            )
            for r in session.scalars(query)
        ]
    if state is not None:
        rows = [r for r in rows if any(s.state is state for s in r.steps)]
    return sorted(rows, key=lambda r: (URGENCY[r.state], r.reference))


# -- editing ----------------------------------------------------------------------------------

DATE_COLUMNS = (*(step.column for step in STEPS), "publication_planned_on")


@dataclass(frozen=True)
class CaseReviewInput:
    reference: str
    review_type: ReviewType
    referring_agency_id: int | None = None
    decision: ReviewDecision | None = None
    reviewer: str = ""
    methodology: str = ""
    notes: str = ""
    dates: dict[str, dt.date | None] | None = None


def case_review_input(database: Database, review_id: int) -> CaseReviewInput:
    with database.session() as session:
        r = session.get_one(CaseReview, review_id)
        return CaseReviewInput(
            reference=r.reference,
            review_type=r.review_type,
            referring_agency_id=r.referring_agency_id,
            decision=r.decision,
            reviewer=r.reviewer,
            methodology=r.methodology,
            notes=r.notes,
            dates={column: getattr(r, column) for column in DATE_COLUMNS},
        )


def save_case_review(
    database: Database, data: CaseReviewInput, review_id: int | None = None
) -> int:
    """Adds or changes a referral or review; raises InvalidInput naming each wrong field.

    The reference is the only identifier: there is no field for a child's name. The reference
    must match the pattern in the settings, and the reviewer, methodology and notes must not
    hold what would identify a child (see :mod:`lscb_desktop.services.anonymity`); every date
    must fall between the settings' earliest year and 2100. Nothing is saved unless all is right.
    """
    problems = Collector()
    reference = " ".join(data.reference.split())
    dates = dict(data.dates or {})
    with database.session() as session:
        settings = read_settings(session)
        for attr, message in case_review_problems(
            {
                "reference": reference,
                "reviewer": data.reviewer,
                "methodology": data.methodology,
                "notes": data.notes,
            },
            settings,
        ).items():
            problems.add(attr, message)
        for column in DATE_COLUMNS:
            problems.check_date(column, dates.get(column), settings.earliest_year)
        seen: dt.date | None = None
        for column in ("incident_known_on", "referral_received_on", "decision_on", "published_on"):
            value = dates.get(column)
            if value is not None and seen is not None and value < seen:
                problems.add(column, "This date is before an earlier step's date.")
            if value is not None:
                seen = value
        # "cspr 2026-02" is the same case as "CSPR 2026-02".
        same = session.scalar(
            select(CaseReview).where(func.lower(CaseReview.reference) == reference.lower())
        )
        if reference and same is not None and same.id != review_id:
            problems.add("reference", f"There is already a review {same.reference}.")
        problems.raise_if_any()
        review = (
            session.get_one(CaseReview, review_id)
            if review_id is not None
            else CaseReview(reference=reference, review_type=data.review_type)
        )
        review.reference = reference
        review.review_type = data.review_type
        review.referring_agency_id = data.referring_agency_id
        review.decision = data.decision
        review.reviewer = data.reviewer.strip()
        review.methodology = data.methodology.strip()
        review.notes = data.notes
        for column in DATE_COLUMNS:
            if column in dates:
                setattr(review, column, dates[column])
        session.add(review)
        session.flush()
        return review.id
