"""The statutory clock in working days, each step's state, the audit programme's flag, the letter
of authority, and the Home view on the sample with a fixed today."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from pypdf import PdfReader

from lscb_desktop.cli import main
from lscb_desktop.models import CaseReview, ReviewDecision, ReviewType
from lscb_desktop.services.audits import AuditInput, programme, save_audit
from lscb_desktop.services.exports import export_authority
from lscb_desktop.services.home import home
from lscb_desktop.services.reviews import (
    CaseReviewInput,
    StepState,
    case_review_rows,
    review_steps,
    save_case_review,
    step_state,
    working_days_between,
)
from lscb_desktop.services.settings import Settings
from lscb_desktop.services.validation import InvalidInput
from lscb_desktop.services.workdays import add_working_days
from tests.conftest import SAMPLE_TODAY

D = dt.date


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Christmas Day 2026 is a Friday; Boxing Day falls on Saturday, so Monday 28th is off.
        (D(2026, 12, 23), 5, D(2027, 1, 4)),  # and New Year's Day, a Friday
        (D(2026, 12, 24), 1, D(2026, 12, 29)),
        # Good Friday 26/03/2027 and Easter Monday 29/03/2027.
        (D(2027, 3, 25), 1, D(2027, 3, 30)),
        (D(2027, 3, 24), 2, D(2027, 3, 30)),
        # A weekend: Friday plus one is Monday.
        (D(2026, 11, 20), 1, D(2026, 11, 23)),
        (D(2026, 11, 23), -1, D(2026, 11, 20)),
        # Back over Christmas, as the notice of publication counts.
        (D(2027, 1, 8), -7, D(2026, 12, 29)),
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(start, days, due):
    assert add_working_days(start, days) == due
    assert working_days_between(start, due) == days


def review(**dates) -> CaseReview:
    return CaseReview(reference="CSPR 2026-99", review_type=ReviewType.LOCAL_CSPR, **dates)


def steps_by_label(record: CaseReview, today: dt.date, settings: Settings | None = None):
    return {s.label: s for s in review_steps(record, settings or Settings(), today)}


def test_the_due_dates_follow_the_statutory_periods():
    record = review(
        incident_known_on=D(2026, 12, 23),
        referral_received_on=D(2026, 12, 24),
        decision_on=D(2026, 6, 25),
        publication_planned_on=D(2027, 1, 8),
    )
    steps = steps_by_label(record, D(2026, 12, 1))
    assert steps["Referral confirmed in writing"].due == D(2026, 12, 30)  # 48 hours, working
    assert steps["National Panel notified"].due == D(2027, 1, 4)  # 5 working days
    assert steps["Rapid review sent"].due == D(2027, 1, 18)  # 15 working days
    # Six months after the decision is Christmas Day: the next working day is the 29th.
    assert steps["Final report"].due == D(2026, 12, 29)
    assert steps["Notice of publication"].due == D(2026, 12, 29)  # 7 working days before
    assert steps["Partners' decision"].due is None


def test_the_periods_are_settings():
    record = review(incident_known_on=D(2026, 11, 2))
    settings = dataclasses.replace(Settings(), review_panel_working_days=3)
    assert steps_by_label(record, D(2026, 11, 2), settings)["National Panel notified"].due == (
        D(2026, 11, 5)
    )


@pytest.mark.parametrize(
    ("due", "done", "today", "state"),
    [
        (D(2026, 11, 27), None, D(2026, 11, 20), StepState.NOT_DUE),  # 5 working days away
        (D(2026, 11, 25), None, D(2026, 11, 23), StepState.DUE_SOON),  # 2 working days
        (D(2026, 11, 23), None, D(2026, 11, 23), StepState.DUE_SOON),  # today
        (D(2026, 11, 23), None, D(2026, 11, 20), StepState.DUE_SOON),  # over the weekend
        (D(2026, 11, 20), None, D(2026, 11, 23), StepState.OVERDUE),
        (D(2026, 11, 20), D(2026, 11, 20), D(2026, 11, 23), StepState.DONE_IN_TIME),
        (D(2026, 11, 20), D(2026, 11, 23), D(2026, 11, 23), StepState.DONE_LATE),
        (None, D(2026, 11, 20), D(2026, 11, 23), StepState.DONE),
        (None, None, D(2026, 11, 23), StepState.WAITING),
    ],
)
def test_every_state_of_a_step(due, done, today, state):
    assert step_state(due, done, today, soon=2) is state


def test_a_step_moves_from_not_due_to_due_soon_to_overdue_to_done():
    record = review(incident_known_on=D(2026, 11, 16))  # Panel due Monday 23/11
    label = "National Panel notified"
    assert steps_by_label(record, D(2026, 11, 17))[label].state is StepState.NOT_DUE
    assert steps_by_label(record, D(2026, 11, 19))[label].state is StepState.DUE_SOON
    assert steps_by_label(record, D(2026, 11, 24))[label].state is StepState.OVERDUE
    record.panel_notified_on = D(2026, 11, 24)
    assert steps_by_label(record, D(2026, 11, 24))[label].state is StepState.DONE_LATE
    record.panel_notified_on = D(2026, 11, 20)
    assert steps_by_label(record, D(2026, 11, 24))[label].state is StepState.DONE_IN_TIME


def test_after_a_decision_of_no_review_the_review_steps_are_not_needed():
    record = review(
        incident_known_on=D(2026, 5, 1),
        decision_on=D(2026, 6, 1),
        decision=ReviewDecision.NO_REVIEW,
    )
    steps = steps_by_label(record, D(2026, 11, 23))
    assert steps["Final report"].state is StepState.NOT_NEEDED
    assert steps["Published"].state is StepState.NOT_NEEDED


def test_the_register_puts_the_most_urgent_first(sample_db):
    rows = case_review_rows(sample_db, today=SAMPLE_TODAY)
    assert rows[0].reference == "CSPR 2026-02"
    assert rows[0].state is StepState.DUE_SOON
    assert rows[0].next_step.label == "Referral confirmed in writing"
    overdue = case_review_rows(sample_db, today=D(2026, 12, 1), state=StepState.OVERDUE)
    assert [r.reference for r in overdue] == ["CSPR 2026-02"]
    thematic = case_review_rows(sample_db, today=SAMPLE_TODAY, review_type=ReviewType.THEMATIC)
    assert [r.reference for r in thematic] == ["CSPR 2026-01"]


def test_a_referral_needs_a_unique_reference_and_dates_in_order(sample_db):
    with pytest.raises(InvalidInput) as caught:
        save_case_review(sample_db, CaseReviewInput(" ", ReviewType.LOCAL_CSPR))
    assert "anonymised reference" in caught.value.problems["reference"]
    with pytest.raises(InvalidInput) as caught:
        save_case_review(sample_db, CaseReviewInput("CSPR 2026-01", ReviewType.LOCAL_CSPR))
    assert caught.value.problems == {"reference": "There is already a review CSPR 2026-01."}
    with pytest.raises(InvalidInput) as caught:
        save_case_review(
            sample_db,
            CaseReviewInput(
                "CSPR 2026-03",
                ReviewType.LOCAL_CSPR,
                dates={
                    "incident_known_on": D(2026, 11, 20),
                    "referral_received_on": D(2026, 11, 1),
                },
            ),
        )
    assert "referral_received_on" in caught.value.problems
    new = save_case_review(
        sample_db,
        CaseReviewInput(
            "CSPR 2026-03",
            ReviewType.RAPID_REVIEW_ONLY,
            dates={"incident_known_on": D(2026, 11, 20)},
        ),
    )
    row = next(r for r in case_review_rows(sample_db, today=SAMPLE_TODAY) if r.id == new)
    assert {s.label: s.due for s in row.steps}["Rapid review sent"] == D(2026, 12, 11)


def test_a_period_with_fewer_than_four_core_audits_is_flagged(sample_db):
    assert not programme(sample_db, 2026).short_of_core  # the sample plans its four
    next_year = programme(sample_db, 2027)
    assert next_year.warning == "Only 0 of the 4 core audits are planned for 2027-28."
    for quarter in (1, 2, 3):
        save_audit(sample_db, AuditInput(f"Audit {quarter}", 2027, quarter=quarter))
    save_audit(sample_db, AuditInput("Board request", 2027, quarter=4, core=False))
    assert programme(sample_db, 2027).core_planned == 3
    assert programme(sample_db, 2027).short_of_core
    save_audit(sample_db, AuditInput("Audit 4", 2027, quarter=4))
    assert programme(sample_db, 2027).warning == ""
    with pytest.raises(InvalidInput) as caught:
        save_audit(sample_db, AuditInput("Audit 5", 2027, quarter=5))
    assert caught.value.problems == {"quarter": "The quarter is 1, 2, 3 or 4."}


def test_the_letter_of_authority_names_the_members_agencies_scope_and_chair(sample_db, tmp_path):
    audit = programme(sample_db, 2026).audits[0]
    target = export_authority(sample_db, audit.id, tmp_path / "letter.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert "Letter of authority" in text
    assert f"Multi-agency audit: {audit.title}" in text
    assert "authorises the core members of the Multi-Agency Audit Group" in text
    for agency in audit.agencies:
        assert agency.split()[0] in text
    assert "DS Colin Nelson" in text and "Verity Southwell" in text  # MAAG's core members
    assert "2026-27, quarter 1" in text
    assert "for Frances Pearson, Independent Chair" in text
    assert text.count("OFFICIAL-SENSITIVE") >= 2


def test_the_home_view_on_the_sample(sample_db):
    summary = home(sample_db, SAMPLE_TODAY)
    first = summary.next_meetings[0]
    assert first.text == (
        "Tue 01/12/2026 10:00 Executive Group — papers due 24/11/2026 (1 still to come)"
    )
    assert (first.kind, first.urgent) == ("meeting", True)
    assert summary.overdue_papers == []  # no deadline has passed yet
    assert [line.text for line in summary.review_steps] == [
        "CSPR 2026-02: Referral confirmed in writing — due 23/11/2026",
        "CSPR 2026-02: National Panel notified — due 25/11/2026",
    ]  # the rapid review (09/12/2026) is 12 working days away
    assert all(line.kind == "case_review" for line in summary.review_steps)
    assert summary.overdue_actions and all(line.urgent for line in summary.overdue_actions)
    assert [line.text.split(":")[0] for line in summary.audits] == ["Q3", "Q3"]
    later = home(sample_db, D(2026, 11, 26))
    assert later.overdue_papers[0].text.startswith("Executive Group, 01/12/2026: 1 paper(s)")
    assert later.review_steps[0].text == (
        "CSPR 2026-02: Referral confirmed in writing — overdue since 23/11/2026"
    )


def test_list_audits_and_case_reviews_as_json(capsys, sample_target):
    assert main(["--db", sample_target, "list", "audits", "--json"]) == 0
    audits = json.loads(capsys.readouterr().out)
    assert {a["period"] for a in audits} == {"2025-26", "2026-27"}
    assert sum(a["core"] for a in audits if a["period"] == "2026-27") == 4
    assert main(["--db", sample_target, "list", "case-reviews", "--json"]) == 0
    reviews = {r["reference"]: r for r in json.loads(capsys.readouterr().out)}
    steps = {s["step"]: s for s in reviews["CSPR 2026-01"]["steps"]}
    assert steps["Final report"]["state"] in {"done in time", "done late"}
    assert set(steps["Final report"]) == {"step", "due", "done", "state"}


def test_the_home_view_lists_the_latest_overdue_actions_and_counts_the_rest(sample_db, monkeypatch):
    from lscb_desktop.services import home as home_module

    everything = home(sample_db, SAMPLE_TODAY).overdue_actions
    monkeypatch.setattr(home_module, "OVERDUE_ACTIONS_SHOWN", 1)
    few = home(sample_db, SAMPLE_TODAY).overdue_actions
    assert few[0] == everything[0]  # the most recently due first
    assert few[1].text == f"… and {len(everything) - 1:,} more overdue: see the action log"
