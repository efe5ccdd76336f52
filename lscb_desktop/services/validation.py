"""Checks on what a user types, shared by the forms and the workbook import.

A form collects every problem at once in :class:`InvalidInput`, keyed by the field's name, so the
window can show each message next to its field and keep everything the user typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from lscb_desktop.services.settings import LATEST_YEAR


class InvalidInput(ValueError):
    """One or more fields are wrong; ``problems`` maps each field's name to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{key}: {text}" for key, text in self.problems.items()))


def check_email(text: str) -> str:
    """The address in lower case, "" when blank, or a ValueError saying what is wrong."""
    text = text.strip()
    if not text:
        return ""
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"“{text}” is not an email address ({exc})") from None
    return text.lower()


#: Ofcom's numbers for drama, training and examples (national significant numbers, without the
#: leading 0): real in form, never allocated, so libphonenumber calls them invalid.
_EXAMPLE_RANGES = re.compile(
    r"7700900\d{3}|2079460\d{3}|11[3-8]4960\d{3}|1[2-6]14960\d{3}|1914980\d{3}"
    r"|1632960\d{3}|2920180\d{3}|8081570\d{3}|9098790\d{3}|3069990\d{3}"
)


def _example_number(number: phonenumbers.PhoneNumber) -> bool:
    return number.country_code == 44 and bool(
        _EXAMPLE_RANGES.fullmatch(phonenumbers.national_significant_number(number))
    )


def check_uk_phone(text: str) -> str:
    """A UK number written the usual way ("01582 546000", "07700 900123"), "" when blank.

    Numbers are checked and formatted with the ``phonenumbers`` library (Google's libphonenumber
    metadata), which knows the real UK numbering plan; an extension ("x 1234") is kept. Ofcom's
    numbers reserved for examples and training ("07700 900123") are taken as well.
    """
    text = text.strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise ValueError(f"“{text}” is not a phone number") from None
    if not phonenumbers.is_valid_number(number) and not _example_number(number):
        raise ValueError(f"“{text}” is not a valid UK phone number")
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def date_problem(
    value: dt.date | None, earliest_year: int, latest_year: int = LATEST_YEAR
) -> str | None:
    """Why a date is out of the years the program accepts, or None when it is within them.

    A date before ``earliest_year`` (a setting) or after ``latest_year`` is a typing mistake
    such as 01/01/1900; ``value`` may be a date or a date and time.
    """
    if value is None:
        return None
    shown = value.strftime("%d/%m/%Y")
    if value.year < earliest_year:
        return (
            f"{shown} is before {earliest_year}, the earliest year for dates: check the year "
            "(for older history, lower the earliest year under File > Settings)."
        )
    if value.year > latest_year:
        return f"{shown} is after {latest_year}: check the year."
    return None


class Collector:
    """Gathers the problems of a form field by field, then raises them together."""

    def __init__(self) -> None:
        self.problems: dict[str, str] = {}

    def run(self, field: str, check: Callable[[str], str], text: str) -> str:
        """``check(text)``, or the text as typed when it fails (the problem is noted)."""
        try:
            return check(text)
        except ValueError as exc:
            self.add(field, str(exc))
            return text

    def check_date(self, field: str, value: dt.date | None, earliest_year: int) -> None:
        """Notes a date outside ``earliest_year``..LATEST_YEAR (see :func:`date_problem`)."""
        message = date_problem(value, earliest_year)
        if message:
            self.add(field, message)

    def add(self, field: str, message: str) -> None:
        self.problems.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInput(self.problems)


class NeedsConfirmation(ValueError):
    """The change is allowed only once the user has said yes to ``question``: the caller asks,
    then calls again with the keyword argument ``flag`` set to True (an import, which cannot
    ask, reports ``question`` as the row's problem instead)."""

    def __init__(self, question: str, flag: str, field: str = "") -> None:
        self.question = question
        self.flag = flag
        self.field = field
        super().__init__(question)
