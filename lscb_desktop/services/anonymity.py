"""Case reviews identify a case by an anonymised reference, never by a child's name.

One set of rules for the window, the workbook import and the command line: a reference must match
the pattern in the settings, and the review's free text must not hold what identifies a child
(a date of birth, "aged 3", a full postcode, a house address).
"""

from __future__ import annotations

import re

from lscb_desktop.services.settings import Settings

ANONYMISE = (
    "Case records must not identify a child: use the anonymised reference and leave out names, "
    "dates of birth, ages, addresses and postcodes."
)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\s+\d{{2,4}})"
)

#: (what it looks like, the pattern), tried in order; the first that matches is reported.
_IDENTIFYING: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "a date of birth",
        re.compile(rf"\b(?:d\.?o\.?b\.?|date of birth|born(?:\s+on)?)\s*:?\s*{_DATE}", re.I),
    ),
    (
        "a child's age",
        re.compile(
            r"\b(?:aged?\s*:?\s*\d{1,2}\b|\d{1,2}\s*(?:-\s*)?(?:years?|yrs?|months?)"
            r"(?:\s*-\s*|\s+)old\b|\d{1,2}\s*(?:yo|y/o)\b)",
            re.I,
        ),
    ),
    (
        "a full postcode",
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.I),
    ),
    (
        "a house address",
        re.compile(
            r"\b\d{1,4}[A-Z]?,?\s+(?:[A-Z][a-z']+\s+){1,3}"
            r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Court|Ct|"
            r"Place|Gardens|Grove|Terrace|Hill|Walk|Row|Square|Mews|Park|View|Rise)\b\.?",
            re.I,
        ),
    ),
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
    for what, pattern in _IDENTIFYING:
        found = pattern.search(text or "")
        if found:
            return f"This looks like {what} (“{found.group(0).strip()}”). {ANONYMISE}"
    return None


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
