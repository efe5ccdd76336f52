"""Reading and writing workbook cells: dates as Excel dates or text, yes/no, labels, emails.

Every reader refuses what does not belong in its column (a date-time in a name, TRUE in a number,
a year outside the settings' range, a number past the column's bounds) with a message for the user.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
import uuid
from dataclasses import dataclass
from typing import Any

from openpyxl.utils.datetime import from_excel

from lscb_desktop.models.enums import Labelled
from lscb_desktop.services.settings import LATEST_YEAR
from lscb_desktop.services.validation import check_email

#: Excel's own limit on the characters in one cell.
MAX_TEXT = 32_767
#: The Excel serial number of 31/12/9999, the last date Excel knows.
_LAST_SERIAL = 2_958_465


class Kind(enum.Enum):
    TEXT = "text"
    DATE = "date"
    TIME = "time"
    INT = "int"
    BOOL = "bool"
    ENUM = "enum"
    EMAIL = "email"
    UUID = "uuid"


@dataclass(frozen=True)
class Field:
    """A column that maps straight onto a model attribute."""

    header: str
    attr: str
    kind: Kind = Kind.TEXT
    required: bool = False
    enum: type[Labelled] | None = None
    #: Blank stores None (rather than "") in the model.
    nullable: bool = False
    width: int = 18
    #: The smallest and largest whole number a number column takes.
    minimum: int = 0
    maximum: int = 1_000_000


@dataclass
class Limits:
    """What the settings allow: dates from ``earliest_year`` to LATEST_YEAR."""

    earliest_year: int = 1990


class CellError(ValueError):
    """A cell that cannot be read; the message says why, for the user."""


_DATE_PATTERNS = (
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), ("d", "m", "y")),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})"), ("d", "m", "yy")),
)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_text(value: Any) -> None:
    """Refuses a cell that Excel holds as a date, time or TRUE/FALSE where text belongs."""
    if isinstance(value, dt.datetime):
        shown = f"{value:%d/%m/%Y %H:%M}" if value.time() else f"{value:%d/%m/%Y}"
        raise CellError(f"holds a date ({shown}) where text belongs; type it as text")
    if isinstance(value, dt.date):
        raise CellError(f"holds a date ({value:%d/%m/%Y}) where text belongs; type it as text")
    if isinstance(value, dt.time | dt.timedelta):
        raise CellError(f"holds a time ({value}) where text belongs; type it as text")
    if isinstance(value, bool):
        raise CellError(f"holds {str(value).upper()} (a Yes/No value) where text belongs")
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise CellError(f"holds {len(value):,} characters, more than Excel keeps ({MAX_TEXT:,})")


def read_text(value: Any) -> str:
    if is_blank(value):
        return ""
    check_text(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def shown_number(value: float) -> str:
    """A number as the user would recognise it: 12,345, 0.5, 1e+20."""
    if isinstance(value, int) and abs(value) < 10**15:
        return f"{value:,}"
    try:
        return f"{float(value):.6g}"
    except OverflowError:
        return f"a number of {len(str(abs(int(value))))} digits"


def read_uuid(value: Any) -> str | None:
    """A record's identifier in its usual form, or None for a blank cell."""
    if is_blank(value):
        return None
    text = read_text(value)
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise CellError(f"“{text}” is not a UUID (leave the cell blank for a new record)") from None


def _in_range(day: dt.date, limits: Limits) -> dt.date:
    if not limits.earliest_year <= day.year <= LATEST_YEAR:
        raise CellError(
            f"{day:%d/%m/%Y} is outside the years {limits.earliest_year} to {LATEST_YEAR} "
            "(a typing mistake?); for older history lower the earliest year in Settings"
        )
    return day


def read_date(value: Any, limits: Limits | None = None) -> dt.date | None:
    """A date from an Excel date, an Excel serial number or text; refuses years out of range."""
    limits = limits or Limits()
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return _in_range(value.date(), limits)
    if isinstance(value, dt.date):
        return _in_range(value, limits)
    if isinstance(value, bool | dt.time | dt.timedelta):
        raise CellError(f"“{value}” is not a date (write it like 23/11/2026)")
    if isinstance(value, int | float):
        if not (1 <= value <= _LAST_SERIAL):  # NaN fails too; a huge int is not made a float
            raise CellError(f"{shown_number(value)} is not a date (write it like 23/11/2026)")
        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            converted = None
        if isinstance(converted, dt.datetime):
            return _in_range(converted.date(), limits)
        raise CellError(f"{shown_number(value)} is not a date (write it like 23/11/2026)")
    text = str(value).strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            year = parts.get("y") or 2000 + parts["yy"]
            try:
                day = dt.date(year, parts["m"], parts["d"])
            except ValueError:
                break
            return _in_range(day, limits)
    raise CellError(f"“{text[:40]}” is not a date (write it like 23/11/2026)")


def _to_the_minute(value: dt.time) -> dt.time:
    """A time to the nearest minute, as the program keeps times (an Excel time may be a
    fraction of a second off, and seconds mean nothing in minutes of a meeting)."""
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    minutes = min(round(seconds / 60), 24 * 60 - 1)
    return dt.time(minutes // 60, minutes % 60)


def read_time(value: Any) -> dt.time | None:
    """A time of day, to the minute, from an Excel time or text like 14:00 or 2pm."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return _to_the_minute(value.time())
    if isinstance(value, dt.time):
        return _to_the_minute(value)
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time as a fraction of a day
        minutes = min(round(value * 24 * 60), 24 * 60 - 1)
        return dt.time(minutes // 60, minutes % 60)
    if isinstance(value, bool | dt.date | dt.timedelta):
        raise CellError(f"“{value}” is not a time (write it like 14:00)")
    text = str(value).strip().lower().replace(".", ":")
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if match.group(3) == "pm" and hour < 12:
            hour += 12
        if match.group(3) == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise CellError(f"“{str(value)[:40]}” is not a time (write it like 14:00)")


def read_int(value: Any, minimum: int = 0, maximum: int = 1_000_000) -> int | None:
    """A whole number from ``minimum`` to ``maximum``."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"holds {str(value).upper()} (a Yes/No value) where a number belongs")
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError(f"holds a date or time ({value}) where a whole number belongs")
    number: int | None = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            number = int(value)
    else:
        text = str(value).strip()
        if re.fullmatch(r"-?\d{1,30}", text):
            number = int(text)
    if number is None:
        raise CellError(f"“{str(value)[:40]}” is not a whole number")
    if not minimum <= number <= maximum:
        raise CellError(
            f"{shown_number(number)} is not a whole number from {minimum:,} to {maximum:,}"
        )
    return number


_TRUE = {"yes", "y", "true", "1", "x", "✓"}
_FALSE = {"no", "n", "false", "0"}


def read_bool(value: Any) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError(f"holds a date or time ({value}) where Yes or No belongs")
    text = read_text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"“{str(value)[:40]}” is not Yes or No")


def read_email(value: Any) -> str:
    try:
        return check_email(read_text(value))
    except ValueError as exc:
        raise CellError(str(exc)) from None


def read_enum(value: Any, enum_cls: type[Labelled]) -> Labelled | None:
    if is_blank(value):
        return None
    try:
        return enum_cls.parse(read_text(value))
    except ValueError as exc:
        raise CellError(str(exc)) from None


def read_field(field: Field, value: Any, limits: Limits | None = None) -> Any:
    """The model value for a cell of this field; raises CellError."""
    if field.kind is Kind.DATE:
        result: Any = read_date(value, limits)
    elif field.kind is Kind.TIME:
        result = read_time(value)
    elif field.kind is Kind.INT:
        result = read_int(value, field.minimum, field.maximum)
    elif field.kind is Kind.UUID:
        result = read_uuid(value)
    elif field.kind is Kind.BOOL:
        result = read_bool(value)
    elif field.kind is Kind.ENUM:
        assert field.enum is not None
        result = read_enum(value, field.enum)
    elif field.kind is Kind.EMAIL:
        result = read_email(value)
    else:
        result = read_text(value)
    if field.required and result in (None, ""):
        raise CellError("is required")
    if result == "" and field.nullable:
        return None
    return result


def write_field(field: Field, value: Any) -> Any:
    """The cell value for a model value of this field."""
    if value is None or value == "":
        return None
    if field.kind is Kind.BOOL:
        return "Yes" if value else "No"
    if isinstance(value, Labelled):
        return value.label
    return value
