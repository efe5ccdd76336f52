"""Reading a workbook's sheets into rows, collecting each problem with its sheet, row, column.

Nothing openpyxl raises reaches the user: a file or sheet that cannot be read becomes a Problem
that says where. Formulas and error values are refused cell by cell (the workbook is read without
``data_only``, so a formula is seen as one rather than as a blank), and a sheet may hold at most
MAX_ROWS rows of data.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from lscb_desktop.services.workbook import spec
from lscb_desktop.services.workbook.cells import CellError, Limits, is_blank, read_field

#: The most rows of data one sheet may hold; past it the import is refused as a mistake.
MAX_ROWS = 200_000


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}, row {self.row}" if self.row else self.sheet
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """The workbook could not be imported; nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the workbook; nothing was imported")


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)
    #: What the settings allow (the Settings sheet, read first, may change them).
    limits: Limits = field(default_factory=Limits)

    def add(self, sheet: str, row: int, column: str, message: str) -> None:
        self.items.append(Problem(sheet, row, column, message))


class Row:
    """One data row of a sheet; reading a cell records a problem instead of raising."""

    def __init__(
        self,
        sheet: spec.Sheet,
        number: int,
        cells: dict[str, Any],
        problems: Problems,
        bad: set[str] | None = None,
    ) -> None:
        self.sheet = sheet
        self.number = number
        self.cells = cells
        self.problems = problems
        #: Columns whose cell was refused while reading (a formula, an error value).
        self.bad = bad or set()
        self.failed = bool(self.bad)

    def has(self, header: str) -> bool:
        return header in self.cells

    def raw(self, header: str) -> Any:
        return self.cells.get(header)

    def value(self, header: str) -> Any:
        """The cell read by its column's kind; None when absent, blank or wrong (reported)."""
        column = self.sheet.column(header)
        if header in self.bad:
            return None
        if header not in self.cells:
            if column.required:
                self.fail(header, "is required")
            return None
        try:
            value = read_field(column, self.cells[header], self.problems.limits)
        except CellError as exc:
            self.fail(header, str(exc))
            return None
        except (ValueError, TypeError, ArithmeticError):  # a value no reader foresaw
            self.fail(header, f"“{str(self.cells[header])[:40]}” cannot be read in this column")
            return None
        most = self.sheet.lengths.get(header)
        if most is not None and isinstance(value, str) and len(value) > most:
            self.fail(header, f"holds {len(value):,} characters; at most {most:,} are kept here")
            return None
        return value

    def plain_values(self) -> dict[str, Any]:
        """attr -> value for the plain columns this sheet has (absent columns are left alone)."""
        values = {}
        for column in self.sheet.plain:
            if column.header in self.bad:
                continue
            if column.header in self.cells or column.required:
                values[column.attr] = self.value(column.header)
        return values

    def fail(self, column: str, message: str) -> None:
        self.failed = True
        self.problems.add(self.sheet.name, self.number, column, message)


@dataclass
class SheetData:
    sheet: spec.Sheet
    rows: list[Row]
    #: Past MAX_ROWS: the import stops here rather than spend minutes on a mistake.
    oversized: bool = False


def _headers(
    values: tuple[Any, ...], sheet: spec.Sheet, problems: Problems, warnings_: list[str]
) -> dict[int, str]:
    known = {" ".join(c.header.split()).casefold(): c.header for c in sheet.columns}
    found: dict[int, str] = {}
    for index, value in enumerate(values):
        if is_blank(value):
            continue
        key = " ".join(str(value).split()).casefold()
        if key in known:
            if known[key] in found.values():
                problems.add(sheet.name, 1, str(value).strip(), "this column appears twice")
            found[index] = known[key]
        else:
            warnings_.append(
                f"{sheet.name}: column “{str(value).strip()[:60]}” is not part of the "
                "format and was not read"
            )
    for column in sheet.columns:
        if column.required and column.header not in found.values():
            problems.add(sheet.name, 1, column.header, "this required column is missing")
    return found


def read_workbook(path: Path, problems: Problems, warnings_: list[str]) -> Iterator[SheetData]:
    """The recognised sheets of the workbook, in the format's import order."""
    name = Path(path).name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(Path(path), read_only=True, data_only=False)
    except FileNotFoundError:
        problems.add(name, 0, "", "there is no such file")
        return
    except Exception as exc:  # whatever openpyxl raises, the user gets a sentence
        if _unsafe(exc):
            problems.add(name, 0, "", _UNSAFE)
            return
        problems.add(
            name,
            0,
            "",
            "this file cannot be read as an Excel workbook (.xlsx): it is another kind of "
            "file or it is damaged; open it in Excel and save it as an .xlsx workbook",
        )
        return
    try:
        by_format: dict[str, Any] = {}
        for ws in book.worksheets:
            sheet = spec.sheet_named(ws.title)
            if sheet is None:
                warnings_.append(f"Sheet “{ws.title}” is not part of the format and was not read")
            elif sheet.name in by_format:
                problems.add(sheet.name, 0, "", f"the workbook has two sheets called {sheet.name}")
            else:
                by_format[sheet.name] = ws
        for sheet in spec.SHEETS:
            ws = by_format.get(sheet.name)
            if ws is None:
                continue
            yield _read_sheet(sheet, ws, problems, warnings_)
    finally:
        book.close()


_UNSAFE = (
    "the workbook holds XML that is refused for safety (a document type or entity "
    "declarations, as in an XML bomb); open it in Excel and save it again"
)


def _too_many(sheet: spec.Sheet, number: int, problems: Problems) -> None:
    problems.add(
        sheet.name,
        number,
        "",
        f"the sheet has more than {MAX_ROWS:,} rows of data, more than an import takes; "
        "split it into several workbooks",
    )


def _read_sheet(sheet: spec.Sheet, ws: Any, problems: Problems, warnings_: list[str]) -> SheetData:
    rows: list[Row] = []
    number = 1
    # The size the sheet declares (its used range) is read without reading the rows, so an
    # oversized sheet is refused at once; one that declares none, or too few, is counted.
    declared = getattr(ws, "max_row", None)
    if isinstance(declared, int) and declared > MAX_ROWS + 1:
        _too_many(sheet, MAX_ROWS + 2, problems)
        return SheetData(sheet, [], oversized=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows_iter = ws.iter_rows()
            header_cells = next(rows_iter, ())
            _refuse_formulas(sheet, 1, header_cells, None, problems)
            headers = _headers(tuple(_value(c) for c in header_cells), sheet, problems, warnings_)
            for number, cells in enumerate(rows_iter, start=2):
                row = _row(sheet, number, cells, headers, problems)
                if row is None:
                    continue
                if len(rows) >= MAX_ROWS:
                    _too_many(sheet, number, problems)
                    return SheetData(sheet, [], oversized=True)
                rows.append(row)
    except Exception as exc:  # a damaged sheet is reported where reading stopped
        if _unsafe(exc):
            problems.add(sheet.name, number, "", _UNSAFE)
            return SheetData(sheet, rows)
        problems.add(
            sheet.name,
            number,
            "",
            "the sheet cannot be read from this row on (the file is damaged); "
            "open it in Excel and save it again",
        )
    return SheetData(sheet, rows)


def _unsafe(exc: BaseException | None) -> bool:
    """Whether defusedxml refused the XML (openpyxl may wrap its error in a ValueError)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _value(cell: Any) -> Any:
    return getattr(cell, "value", None)


def _refuse_formulas(
    sheet: spec.Sheet,
    number: int,
    cells: tuple[Any, ...],
    headers: dict[int, str] | None,
    problems: Problems,
) -> set[str]:
    """Reports each formula or error value among ``cells``; the headers of the columns refused."""
    bad: set[str] = set()
    for index, cell in enumerate(cells):
        kind = getattr(cell, "data_type", None)
        if kind not in ("f", "e"):
            continue
        if headers is None:
            column = str(_value(cell) or "")[:40]
        elif index in headers:
            column = headers[index]
        else:
            continue  # a column that is not read
        where = f"{get_column_letter(index + 1)}{number}"
        shown = str(_value(cell))[:60]
        if kind == "f":
            message = f"cell {where} holds a formula ({shown}); paste values instead"
        else:
            message = (
                f"cell {where} holds an error value ({shown}), or a date Excel cannot show; "
                "correct it or clear the cell"
            )
        problems.add(sheet.name, number, column, message)
        bad.add(column)
    return bad


def _row(
    sheet: spec.Sheet,
    number: int,
    cells: tuple[Any, ...],
    headers: dict[int, str],
    problems: Problems,
) -> Row | None:
    bad = _refuse_formulas(sheet, number, cells, headers, problems)
    values = {h: (_value(cells[i]) if i < len(cells) else None) for i, h in headers.items()}
    for header in bad:
        values[header] = None
    if not bad and all(is_blank(v) for v in values.values()):
        return None
    return Row(sheet, number, values, problems, bad)
