"""Case reviews identify a case by an anonymised reference, never by a child's name.

One set of rules for the window, the workbook import and the command line: a reference must match
the pattern in the settings, and the review's free text must not hold what identifies a child
(a date of birth, "aged 3", a full postcode, a house address, a labelled name).

The text rules look for the shapes personal details are written in, not for words, so that the
language of reviews ("the voice of the child", "pre-birth assessment", "young people aged 11 to
17", "four cases of serious youth violence", "Family Court") passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lscb_desktop.services.settings import Settings

ANONYMISE = (
    "Case records must not identify a child: use the anonymised reference and leave out names, "
    "dates of birth, ages, addresses and postcodes."
)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
#: A date written any usual way: 01/02/2023, 1.2.23, 2023-02-01, 3rd March 2021, March 3, 2021.
_DATE = (
    r"(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}|\d{4}-\d{1,2}-\d{1,2}"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTHS},?\s+\d{{2,4}}|{_MONTHS}\s+{_DAY},?\s+\d{{2,4}}"
    # "born in March 2021" is a date of birth too, to the month
    rf"|(?:in\s+)?{_MONTHS}\s+\d{{4}})"
)
_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen)"
)
_AGE_NUMBER = rf"(?:\d{{1,2}}|{_NUMBER_WORDS})"
#: A range of ages describes a group of children, not one: "aged 11 to 17", "aged 0-2",
#: "aged 16 and over", "aged 10+".
_RANGE_AFTER = (
    r"(?!\s*(?:-|–|to)\s*\d|\s*\+|\s+plus\b|\s+(?:and|or)\s+"
    r"(?:over|above|under|below|older|younger|more|less)\b)"
)

_DATE_OF_BIRTH = re.compile(
    rf"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?)\s*[:\-–]?\s*{_DATE}",
    re.IGNORECASE,
)
_AGE = re.compile(
    # "aged 3", "age: 3", "Age 3" at the start of a line, but not "aged 11-17" or "up to age 18"
    rf"\baged\s*:?\s*{_AGE_NUMBER}\b{_RANGE_AFTER}"
    rf"|\bage\s*:\s*{_AGE_NUMBER}\b{_RANGE_AFTER}"
    rf"|^\s*age\s+{_AGE_NUMBER}\b{_RANGE_AFTER}"
    # "3 years old", "3-year-old", "18 months old", "a two-year-old", "3yo", "3 y/o"
    rf"|\b{_AGE_NUMBER}\s*(?:-\s*)?(?:years?|yrs?|months?|weeks?)(?:\s*-\s*|\s+)old\b"
    r"|\b\d{1,2}\s*(?:yo|y/o|yrs?\s+old)\b",
    re.IGNORECASE | re.MULTILINE,
)
#: A full UK postcode: outward code (area letters that exist: no Q, V or X first, no I, J or Z
#: second) and inward code; "LU1" alone names a district, not a home.
_POSTCODE = re.compile(
    r"\b(?P<out>[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s*(?P<in>\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)", re.IGNORECASE)
_STREETS = (
    r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Way|Crescent|Cres|Court|Place"
    r"|Gardens|Gdns|Grove|Terrace|Hill|Walk|Row|Square|Sq|Mews|Park|View|Rise|Green|Parade"
)
#: "12 High Street", "12a St Mary's Road", "Flat 3, Oak Court": a number, capitalised words and a
#: street word. The words must be capitalised, so "3 cases in the park" is not an address.
_ADDRESS = re.compile(
    rf"\b(?i:flat|apartment|apt)\s*\d{{1,4}}[A-Za-z]?\b"
    rf"|\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'’.-]*\s+){{1,3}}(?i:{_STREETS})\b"
)
#: Courts are not homes: "3 Family Court hearings", "2 Crown Court trials".
_COURTS = re.compile(
    r"\b(?:family|crown|youth|county|magistrates'?|magistrates’|high|coroner'?s|coroner’s"
    r"|appeal|supreme)\s+court\b",
    re.IGNORECASE,
)
#: "Name: Jayden Smith", "child's name - Jayden": a labelled name.
_NAME = re.compile(
    r"\b(?i:(?:child(?:'s|’s)?\s+|first\s+|full\s+|given\s+|family\s+|sur|fore|maiden\s+)?name)"
    r"\s*[:=\-–]\s*[A-Z][A-Za-z'’-]+"
)


def _postcode(text: str) -> str | None:
    for found in _POSTCODE.finditer(text):
        inward = found.group("in")
        # "Q1 2nd draft" is not a postcode; "LU1 2ND" in capitals may be one.
        if _ORDINAL.fullmatch(inward) and not found.group(0).isupper():
            continue
        return found.group(0)
    return None


def _address(text: str) -> str | None:
    for found in _ADDRESS.finditer(text):
        if _COURTS.search(found.group(0)):
            continue
        return found.group(0)
    return None


def _first(pattern: re.Pattern[str]) -> Callable[[str], str | None]:
    def find(text: str) -> str | None:
        found = pattern.search(text)
        return found.group(0) if found else None

    return find


#: (what it looks like, a finder): every kind found is reported, in the order it appears.
_IDENTIFYING: tuple[tuple[str, Callable[[str], str | None]], ...] = (
    ("a date of birth", _first(_DATE_OF_BIRTH)),
    ("a child's age", _first(_AGE)),
    ("a full postcode", _postcode),
    ("a house address", _address),
    ("a person's name", _first(_NAME)),
)


def reference_problem(reference: str, settings: Settings) -> str | None:
    """Why ``reference`` cannot be a case reference, or None when it is acceptable."""
    text = " ".join(reference.split())
    if not text:
        return "Enter the anonymised reference, e.g. CSPR 2026-03."
    try:
        pattern = re.compile(settings.case_reference_pattern, re.IGNORECASE)
    except re.error:
        return "The case reference pattern in Settings is not valid; correct it first."
    if pattern.fullmatch(text) is None:
        return (
            f"“{text}” is not an anonymised reference (like CSPR 2026-03). "
            "A case is known by its reference, never by a child's name. "
            "The accepted form is set under File > Settings."
        )
    return None


def text_problem(text: str) -> str | None:
    """Why free text about a case would identify a child, or None when it would not."""
    text = text or ""
    found: list[tuple[int, str]] = []
    for what, find in _IDENTIFYING:
        match = find(text)
        if match:
            shown = " ".join(match.split())
            found.append((text.find(match), f"{what} (“{shown}”)"))
    if not found:
        return None
    kinds = [kind for _, kind in sorted(found)]
    listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    return f"This looks like {listed}. {ANONYMISE}"


#: The free-text fields of a case review that are checked, by attribute.
CHECKED_TEXT = ("reviewer", "methodology", "notes")


def case_review_problems(values: dict[str, object], settings: Settings) -> dict[str, str]:
    """attribute -> message for every value of a case review that could identify a child."""
    problems: dict[str, str] = {}
    reference = values.get("reference")
    if isinstance(reference, str):
        message = reference_problem(reference, settings)
        if message:
            problems["reference"] = message
    for attr in CHECKED_TEXT:
        value = values.get(attr)
        if isinstance(value, str):
            message = text_problem(value)
            if message:
                problems[attr] = message
    return problems
