"""No child's name anywhere: the reference pattern, the text rules, and saving a case review."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lscb_desktop.models import CaseReview, ReviewType
from lscb_desktop.services.anonymity import (
    ANONYMISE,
    case_review_problems,
    reference_problem,
    text_problem,
)
from lscb_desktop.services.reviews import CaseReviewInput, case_review_input, save_case_review
from lscb_desktop.services.settings import Settings, load_settings, save_settings
from lscb_desktop.services.validation import InvalidInput, date_problem
from lscb_desktop.store import Database
from tests.conftest import SAMPLE_TODAY

SAMPLE_JSON = Path(__file__).parents[2] / "lscb_desktop" / "sample" / "luton.json"


@pytest.mark.parametrize(
    "reference",
    [
        "CSPR 2026-02",
        "SCR 2015-01",
        "cspr 2026-02",  # capitals or not
        "CSPR  2026-02 ",  # spaces are tidied first
        "LCSPR 2025-1",
        "LSCB/2014/3",
        "RR2026-04",
        "CSPR 2026-02A",
    ],
)
def test_the_default_pattern_takes_the_usual_references(reference):
    assert reference_problem(reference, Settings()) is None


@pytest.mark.parametrize(
    "reference",
    ["Jayden Smith", "Jayden", "Smith 2026-01", "Baby Smith", "JSmith 2026-01", "2026-01", "-"],
)
def test_the_default_pattern_refuses_names_and_fragments(reference):
    message = reference_problem(reference, Settings())
    assert message is not None
    assert "never by a child's name" in message
    assert "File > Settings" in message


def test_a_blank_reference_is_asked_for():
    assert reference_problem("   ", Settings()) == (
        "Enter the anonymised reference, e.g. CSPR 2026-03."
    )


def test_every_reference_of_the_sample_passes():
    sample = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    for row in sample["case_reviews"]:
        reference = row["reference"].format(y0=2025, y1=2026)
        assert reference_problem(reference, Settings()) is None, reference


#: What a careful tester typed into the notes, and what each must be reported as.
IDENTIFYING = [
    ("aged 3, DOB 01/02/2023, of 12 High Street", "a child's age (“aged 3”)"),
    ("aged 3, DOB 01/02/2023, of 12 High Street", "a date of birth (“DOB 01/02/2023”)"),
    ("aged 3, DOB 01/02/2023, of 12 High Street", "a house address (“12 High Street”)"),
    ("Lives near LU1 2AB.", "a full postcode (“LU1 2AB”)"),
    ("lives near lu1 2ab", "a full postcode (“lu1 2ab”)"),
    ("SW1A 1AA", "a full postcode"),
    ("born 3rd March 2021", "a date of birth (“born 3rd March 2021”)"),
    ("Born on March 3, 2021", "a date of birth"),
    ("born in March 2021", "a date of birth"),
    ("D.O.B. 1.2.23", "a date of birth"),
    ("date of birth: 2023-02-01", "a date of birth"),
    ("a two-year-old boy", "a child's age (“two-year-old”)"),
    ("18 months old at the time", "a child's age"),
    ("a 6-week-old baby", "a child's age"),
    ("Age: 4", "a child's age"),
    ("siblings aged 3 and 4", "a child's age (“aged 3”)"),
    ("3yo", "a child's age"),
    ("12a St Mary's Road", "a house address"),
    ("Flat 3, Oak Court", "a house address"),
    ("Name: Jayden Smith", "a person's name"),
    ("Child's name - Jayden", "a person's name"),
]


@pytest.mark.parametrize(("text", "reported"), IDENTIFYING)
def test_text_that_would_identify_a_child_is_refused_and_explained(text, reported):
    message = text_problem(text)
    assert message is not None
    assert reported in message
    assert message.endswith(ANONYMISE)


def test_every_kind_found_is_listed_in_the_order_it_appears():
    assert text_problem("aged 3, DOB 01/02/2023, of 12 High Street") == (
        "This looks like a child's age (“aged 3”), a date of birth (“DOB 01/02/2023”) and a "
        f"house address (“12 High Street”). {ANONYMISE}"
    )


@pytest.mark.parametrize(
    "text",
    [
        # the sample's own words
        "Infant, non-accidental injury. Learning on the voice of the child and pre-birth "
        "assessment.",
        "Thematic review of four cases of serious youth violence",
        "Serious youth violence and gang association.",
        "Rapid review found the learning already addressed by single-agency action plans.",
        "Independent reviewer (commissioned)",
        "Systems methodology with practitioner learning events",
        # the language of reviews, which looks a little like the details above
        "Young people aged 11 to 17 across the partnership",
        "children aged 0-2",
        "young people aged 16 and over",
        "care leavers up to age 25",
        "3 Family Court hearings and 2 Crown Court trials",
        "Q1 2nd draft to the Panel",
        "Practitioner event at 3pm",
        "Panel met on 03/03/2026 and agreed the terms of reference",
        "3 cases in the park area",
        "Working Together 2023; Section 11 audit",
        "Learning from LU1 and LU4 districts",
        "the baby was born prematurely",
        "CSPR 2026-02 follows SCR 2015-01",
        "",
    ],
)
def test_the_language_of_reviews_passes(text):
    assert text_problem(text) is None


def test_case_review_problems_names_each_field():
    problems = case_review_problems(
        {
            "reference": "Jayden Smith",
            "reviewer": "Independent reviewer",
            "methodology": "Met the family at 12 High Street",
            "notes": "aged 3",
            "review_type": "local_cspr",  # not text the rules look at
        },
        Settings(),
    )
    assert sorted(problems) == ["methodology", "notes", "reference"]


# -- the pattern is a setting -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "said"),
    [
        (r"[A-Z]{2,6}[ -]?\d{4}[-/ ]\d{1,4}[A-Z]?", "accepts “Smith 2026-01”"),
        (r".*", "accepts “Jayden Smith”"),
        (r"[a-z]+", "accepts “Jayden”"),
        (r"[", "not a valid pattern"),
        (r"  ", "enter a pattern"),
    ],
)
def test_a_pattern_that_could_take_a_name_is_not_a_setting(pattern, said):
    with pytest.raises(ValueError, match="case_reference_pattern") as caught:
        Settings(case_reference_pattern=pattern).validated()
    assert said in str(caught.value)


def test_an_office_can_use_its_own_convention(empty_db: Database):
    save_settings(empty_db, Settings(case_reference_pattern=r"Child [A-Z]{1,2}"))
    settings = load_settings(empty_db)
    assert reference_problem("Child K", settings) is None
    assert reference_problem("CSPR 2026-03", settings) is not None
    review_id = save_case_review(empty_db, CaseReviewInput("child k", ReviewType.LOCAL_CSPR))
    assert case_review_input(empty_db, review_id).reference == "child k"


def test_a_damaged_pattern_in_the_database_refuses_every_reference():
    settings = dataclasses.replace(Settings(), case_reference_pattern="[")
    assert reference_problem("CSPR 2026-03", settings) == (
        "The case reference pattern in Settings is not valid; correct it first."
    )


@pytest.mark.parametrize("year", [1899, SAMPLE_TODAY.year + 1])
def test_the_earliest_year_is_a_past_year_from_1900(year):
    with pytest.raises(ValueError, match="earliest_year"):
        Settings(earliest_year=year).validated()


# -- saving a case review ---------------------------------------------------------------------


def _count(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(CaseReview)) or 0


def test_a_childs_name_is_not_saved_as_a_reference(sample_db: Database):
    before = _count(sample_db)
    with pytest.raises(InvalidInput) as caught:
        save_case_review(sample_db, CaseReviewInput("Jayden Smith", ReviewType.LOCAL_CSPR))
    assert list(caught.value.problems) == ["reference"]
    assert "never by a child's name" in caught.value.problems["reference"]
    assert _count(sample_db) == before


def test_identifying_notes_reviewer_and_methodology_are_refused_field_by_field(
    sample_db: Database,
):
    before = _count(sample_db)
    data = CaseReviewInput(
        "CSPR 2026-03",
        ReviewType.LOCAL_CSPR,
        reviewer="Name: Jayden Smith",
        methodology="Visits to LU1 2AB",
        notes="aged 3, DOB 01/02/2023, of 12 High Street",
    )
    with pytest.raises(InvalidInput) as caught:
        save_case_review(sample_db, data)
    problems = caught.value.problems
    assert sorted(problems) == ["methodology", "notes", "reviewer"]
    assert "a person's name" in problems["reviewer"]
    assert "a full postcode" in problems["methodology"]
    assert "a date of birth" in problems["notes"]
    assert all(ANONYMISE in text for text in problems.values())
    assert _count(sample_db) == before


def test_an_existing_review_cannot_be_changed_to_hold_a_name(sample_db: Database):
    review_id = 1
    data = case_review_input(sample_db, review_id)
    with pytest.raises(InvalidInput) as caught:
        save_case_review(sample_db, dataclasses.replace(data, notes="Jayden, 3 years old"), 1)
    assert "a child's age (“3 years old”)" in caught.value.problems["notes"]
    assert case_review_input(sample_db, review_id).notes == data.notes


def test_the_same_reference_in_other_capitals_is_the_same_case(sample_db: Database):
    with pytest.raises(InvalidInput) as caught:
        save_case_review(sample_db, CaseReviewInput("cspr 2026-02", ReviewType.LOCAL_CSPR))
    assert caught.value.problems == {"reference": "There is already a review CSPR 2026-02."}


def test_the_sample_reviews_save_unchanged(sample_db: Database):
    with sample_db.session() as session:
        ids = list(session.scalars(select(CaseReview.id)))
    for review_id in ids:
        assert save_case_review(sample_db, case_review_input(sample_db, review_id), review_id)


# -- dates within earliest_year..2100 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "said"),
    [
        (dt.date(1900, 1, 1), "01/01/1900 is before 1990, the earliest year for dates"),
        (dt.date(1989, 12, 31), "31/12/1989 is before 1990"),
        (dt.date(2101, 1, 1), "01/01/2101 is after 2100"),
    ],
)
def test_a_case_review_date_out_of_range_is_refused_naming_the_step(empty_db: Database, when, said):
    data = CaseReviewInput("CSPR 2026-03", ReviewType.LOCAL_CSPR, dates={"incident_known_on": when})
    with pytest.raises(InvalidInput) as caught:
        save_case_review(empty_db, data)
    assert list(caught.value.problems) == ["incident_known_on"]
    assert said in caught.value.problems["incident_known_on"]
    assert _count(empty_db) == 0


def test_older_history_is_taken_when_the_earliest_year_is_lowered(empty_db: Database):
    save_settings(empty_db, Settings(earliest_year=1950))
    data = CaseReviewInput(
        "SCR 1960-01", ReviewType.LOCAL_CSPR, dates={"incident_known_on": dt.date(1960, 5, 3)}
    )
    review_id = save_case_review(empty_db, data)
    dates = case_review_input(empty_db, review_id).dates or {}
    assert dates["incident_known_on"] == dt.date(1960, 5, 3)


def test_date_problem_takes_dates_and_date_times_and_blanks():
    assert date_problem(None, 1990) is None
    assert date_problem(dt.date(1990, 1, 1), 1990) is None
    assert date_problem(dt.date(2100, 12, 31), 1990) is None
    assert date_problem(dt.datetime(1900, 1, 1, 10), 1990) == (
        "01/01/1900 is before 1990, the earliest year for dates: check the year (for older "
        "history, lower the earliest year under File > Settings)."
    )
