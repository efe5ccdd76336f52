"""The organisation's settings: typed, with defaults, stored as rows of text."""

from __future__ import annotations

import base64
import dataclasses
import enum
import re
from dataclasses import dataclass, fields
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lscb_desktop import clock
from lscb_desktop.models import Setting
from lscb_desktop.services.agreement_words import (
    DEFAULT_RESPONSIBILITIES,
    DEFAULT_RETURN,
    DEFAULT_TITLE,
    FORMER_RESPONSIBILITIES,
    template_problem,
)
from lscb_desktop.store import Database

BOARD_TERMS = ("Board", "Partnership")
REVIEW_TERMS = ("serious case review", "child safeguarding practice review")
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
#: The kind of review (SCR, CSPR, LCSPR, RR, …, or the partnership's initials), a year and a
#: number: "CSPR 2026-02", "SCR 2015-01", "LSCB/2014/3". The kinds are listed rather than "any
#: letters", so that a surname cannot stand in for them ("Smith 2026-01").
DEFAULT_CASE_REFERENCE_PATTERN = (
    r"(?:SCR|CSPR|LCSPR|SCPR|RR|CR|LLR|LR|MAR|MALR|DHR|SAR|LSCB|LSCP|SCP)"
    r"[ /-]?\d{4}[-/ ]\d{1,4}[A-Z]?"
)
#: Names a reference pattern must refuse: a pattern that takes any of them could take a child's.
NAMES_A_PATTERN_MUST_REFUSE = (
    "Jayden Smith",
    "Jayden",
    "Smith",
    "Baby Smith",
    "Smith 2026-01",
    "JSmith 2026-01",
)
#: Dates after this year are refused as typing mistakes.
LATEST_YEAR = 2100
DEFAULT_APOLOGY_REASONS = "\n".join(
    (
        "Council business",
        "Other work commitment",
        "Illness",
        "Caring responsibilities",
        "Bereavement",
        "Annual leave",
    )
)
#: A reason for apologies is a short phrase: longer detail goes in the notes.
REASON_LENGTH = 120


@dataclass(frozen=True)
class Settings:
    organisation_name: str = "Local Safeguarding Children Board"
    organisation_short_name: str = "LSCB"
    address: str = ""
    phone: str = ""
    email: str = ""
    #: "Board" or "Partnership": what the program calls the organisation's main body.
    term_board: str = "Board"
    #: "serious case review" or "child safeguarding practice review".
    term_review: str = "child safeguarding practice review"
    protective_marking: str = "OFFICIAL-SENSITIVE"
    default_venue: str = ""
    papers_deadline_days: int = 7
    #: A pack larger than this (megabytes) is not attached to the e-mail to members.
    email_attachment_limit_mb: int = 10
    #: Attendance below this percentage is marked.
    attendance_threshold: int = 75
    #: The month (1-12) in which the annual period starts; April by default.
    annual_period_start_month: int = 4
    #: The area the Board serves, as its documents name it ("Luton").
    area: str = ""
    #: Who the membership agreement is returned to (agreement_words fills these in).
    administrator_name: str = ""
    administrator_email: str = ""
    administrator_phone: str = ""
    #: The membership agreement in the Board's words: its title, the return instructions and
    #: the responsibilities (one a line), each a template (see services/agreement_words.py).
    agreement_title: str = DEFAULT_TITLE
    agreement_return: str = DEFAULT_RETURN
    agreement_text: str = DEFAULT_RESPONSIBILITIES
    #: The statutory clock of a case review (Working Together): each step's period.
    review_confirm_working_days: int = 2  # referral confirmed in writing: within 48 hours
    review_panel_working_days: int = 5  # the national Panel told: 5 working days from the incident
    review_rapid_working_days: int = 15  # rapid review sent: 15 working days from the incident
    review_report_months: int = 6  # final report: 6 months from the decision
    review_notice_working_days: int = 7  # notice of publication: 7 working days before
    #: A step is "due soon" within this many working days of its date.
    due_soon_working_days: int = 2
    #: A case review's reference must match this pattern (a regular expression, matched whole,
    #: ignoring case), so that a child's name cannot be used to identify a case.
    case_reference_pattern: str = DEFAULT_CASE_REFERENCE_PATTERN
    #: Dates before this year are refused as typing mistakes (older history: lower it).
    earliest_year: int = 1990
    #: The reasons for apologies the Attendance tab offers, one a line (any other may be typed).
    apology_reasons: str = DEFAULT_APOLOGY_REASONS
    #: Whether lay members make a meeting quorate (in some areas they do; by default not).
    lay_members_count_for_quorum: bool = False
    #: Whether figures show percentages beside the counts (some boards want counts alone).
    show_percentages: bool = True

    def validated(self) -> Settings:
        """This, or a ValueError naming the field that is wrong."""
        if not self.organisation_name.strip():
            raise ValueError("organisation_name: the organisation needs a name")
        if self.term_board not in BOARD_TERMS:
            raise ValueError(f"term_board: must be one of {', '.join(BOARD_TERMS)}")
        if self.term_review not in REVIEW_TERMS:
            raise ValueError(f"term_review: must be one of {', '.join(REVIEW_TERMS)}")
        if not 0 <= self.papers_deadline_days <= 60:
            raise ValueError("papers_deadline_days: must be between 0 and 60 days")
        if not 1 <= self.email_attachment_limit_mb <= 150:
            raise ValueError("email_attachment_limit_mb: must be between 1 and 150 MB")
        if not 0 <= self.attendance_threshold <= 100:
            raise ValueError("attendance_threshold: must be a percentage from 0 to 100")
        if not 1 <= self.annual_period_start_month <= 12:
            raise ValueError("annual_period_start_month: must be a month from 1 to 12")
        for key in (
            "review_confirm_working_days",
            "review_panel_working_days",
            "review_rapid_working_days",
            "review_notice_working_days",
            "due_soon_working_days",
        ):
            if not 0 <= getattr(self, key) <= 100:
                raise ValueError(f"{key}: must be between 0 and 100 working days")
        for key in ("agreement_title", "agreement_return", "agreement_text"):
            problem = template_problem(getattr(self, key))
            if problem:
                raise ValueError(f"{key}: {problem[0].lower()}{problem[1:].rstrip('.')}")
        if not 1 <= self.review_report_months <= 36:
            raise ValueError("review_report_months: must be between 1 and 36 months")
        this_year = clock.today().year
        if not 1900 <= self.earliest_year <= this_year:
            raise ValueError(f"earliest_year: must be a year from 1900 to {this_year}")
        _check_pattern(self.case_reference_pattern)
        for reason in self.reasons:
            if len(reason) > REASON_LENGTH:
                raise ValueError(
                    f"apology_reasons: “{reason[:40]}…” is longer than {REASON_LENGTH} characters"
                )
        return self

    @property
    def reasons(self) -> list[str]:
        """The reasons for apologies, in order, once each."""
        lines = (" ".join(line.split()) for line in self.apology_reasons.splitlines())
        return list(dict.fromkeys(line for line in lines if line))


def _check_pattern(pattern: str) -> None:
    """A ValueError unless ``pattern`` is a regular expression that refuses names.

    It is compiled as references are checked (whole, ignoring case).
    """
    if not pattern.strip():
        raise ValueError("case_reference_pattern: enter a pattern for case references")
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"case_reference_pattern: not a valid pattern ({exc})") from None
    for name in NAMES_A_PATTERN_MUST_REFUSE:
        if compiled.fullmatch(name):
            raise ValueError(
                f"case_reference_pattern: the pattern accepts “{name}”, which could be a "
                "child's name; a reference must not be able to identify a child"
            )


FIELD_TYPES: dict[str, type] = {
    f.name: {"int": int, "bool": bool}.get(str(getattr(f.type, "__name__", f.type)), str)
    for f in fields(Settings)
}
_YES = {"true", "yes", "y", "1", "on"}
_NO = {"false", "no", "n", "0", "off", ""}


def parse_setting(key: str, text: str) -> Any:
    """A setting's value from text, or a ValueError that says why not."""
    if key not in FIELD_TYPES:
        raise ValueError(f"“{key}” is not a setting (known: {', '.join(FIELD_TYPES)})")
    if FIELD_TYPES[key] is bool:
        word = str(text).strip().casefold()
        if word in _YES | _NO:
            return word in _YES
        raise ValueError(f"{key}: “{text}” is not yes or no")
    if FIELD_TYPES[key] is int:
        try:
            return int(str(text).strip().rstrip("%"))
        except ValueError:
            raise ValueError(f"{key}: “{text}” is not a whole number") from None
    return str(text)


def load_settings(database: Database) -> Settings:
    with database.session() as session:
        return read_settings(session)


class _Keep(enum.Enum):
    LOGO = "keep the logo"


#: ``save_settings(..., logo=KEEP_LOGO)`` leaves the logo as it is.
KEEP_LOGO = _Keep.LOGO


def save_settings(
    database: Database,
    settings: Settings,
    logo: bytes | Literal[_Keep.LOGO] | None = KEEP_LOGO,
) -> None:
    """Saves the settings and, unless KEEP_LOGO, the logo (None removes it), all or nothing;
    a logo that is not a PNG or JPEG image raises ValueError (see :func:`check_logo`)."""
    if logo is not KEEP_LOGO:
        check_logo(logo)
    with database.session() as session:
        write_settings(session, settings)
        if logo is not KEEP_LOGO:
            _write_logo(session, logo)


def read_settings(session: Session) -> Settings:
    """The settings as seen inside an open session (an import reads and writes them there)."""
    rows = dict(session.execute(select(Setting.key, Setting.value)).all())
    values = {}
    for key, text in rows.items():
        if key == "agreement_text" and text == FORMER_RESPONSIBILITIES:
            continue  # the program's rewording, never the Board's: the welcome pack's instead
        if key in FIELD_TYPES:
            try:
                values[key] = parse_setting(key, text)
            except ValueError:
                continue  # a damaged value falls back to its default
    return Settings(**values)


def write_settings(session: Session, settings: Settings) -> None:
    settings.validated()
    existing = {row.key: row for row in session.scalars(select(Setting))}
    for key, value in dataclasses.asdict(settings).items():
        text = str(value)
        row = existing.get(key)
        if row is None:
            session.add(Setting(key=key, value=text))
        elif row.value != text:
            row.value = text


# -- the logo ---------------------------------------------------------------------------------

LOGO_KEY = "logo"
LOGO_MAX_BYTES = 2 * 1024 * 1024
_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def load_logo(database: Database) -> bytes | None:
    """The organisation's logo (PNG or JPEG) for the first page of documents, if one is set.

    It is kept in the database, out of :class:`Settings`, so that the settings stay small text
    and the workbook export (whose cells hold at most 32,767 characters) leaves it out.
    """
    with database.session() as session:
        row = session.get(Setting, LOGO_KEY)
        return base64.b64decode(row.value) if row is not None and row.value else None


def check_logo(data: bytes | None) -> None:
    """A ValueError ("logo: …") for a file that is not a PNG or JPEG image of at most 2 MB."""
    if data is not None:
        if not data.startswith(_IMAGE_SIGNATURES):
            raise ValueError("logo: choose a PNG or JPEG image")
        if len(data) > LOGO_MAX_BYTES:
            raise ValueError("logo: the image is over 2 MB; choose a smaller one")


def save_logo(database: Database, data: bytes | None) -> None:
    """Sets the logo (None removes it); raises ValueError for a file that is not PNG or JPEG."""
    check_logo(data)
    with database.session() as session:
        _write_logo(session, data)


def _write_logo(session: Session, data: bytes | None) -> None:
    row = session.get(Setting, LOGO_KEY)
    if data is None:
        if row is not None:
            session.delete(row)
        return
    text = base64.b64encode(data).decode("ascii")
    if row is None:
        session.add(Setting(key=LOGO_KEY, value=text))
    elif row.value != text:
        row.value = text
