"""Reading and writing workbook cells: dates as Excel dates or text, yes/no, labels, emails."""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from typing import Any

from openpyxl.utils.datetime import from_excel

from lscb_desktop.models.enums import Labelled
from lscb_desktop.services.validation import check_email


class Kind(enum.Enum):
    TEXT = "text"
    DATE = "date"
    TIME = "time"
    INT = "int"
    BOOL = "bool"
    ENUM = "enum"
    EMAIL = "email"


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


class CellError(ValueError):
    """A cell that cannot be read; the message says why, for the user."""


_DATE_PATTERNS = (
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), ("d", "m", "y")),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})"), ("d", "m", "yy")),
)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_text(value: Any) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_date(value: Any) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        converted = from_excel(value)
        if isinstance(converted, dt.datetime):
            return converted.date()
        raise CellError(f"{value} is not a date")
    text = str(value).strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            year = parts.get("y") or 2000 + parts["yy"]
            try:
                return dt.date(year, parts["m"], parts["d"])
            except ValueError:
                break
    raise CellError(f"“{text}” is not a date (write it like 23/11/2026)")


def read_time(value: Any) -> dt.time | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time as a fraction of a day
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60, minutes % 60)
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
    raise CellError(f"“{value}” is not a time (write it like 14:00)")


def read_int(value: Any) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"“{value}” is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise CellError(f"“{text}” is not a whole number")


_TRUE = {"yes", "y", "true", "1", "x", "✓"}
_FALSE = {"no", "n", "false", "0"}


def read_bool(value: Any) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = read_text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"“{value}” is not Yes or No")


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


def read_field(field: Field, value: Any) -> Any:
    """The model value for a cell of this field; raises CellError."""
    if field.kind is Kind.DATE:
        result: Any = read_date(value)
    elif field.kind is Kind.TIME:
        result = read_time(value)
    elif field.kind is Kind.INT:
        result = read_int(value)
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
