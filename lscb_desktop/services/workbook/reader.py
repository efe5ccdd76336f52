"""Reading a workbook's sheets into rows, collecting each problem with its sheet, row, column."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from lscb_desktop.services.workbook import spec
from lscb_desktop.services.workbook.cells import CellError, is_blank, read_field


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

    def add(self, sheet: str, row: int, column: str, message: str) -> None:
        self.items.append(Problem(sheet, row, column, message))


class Row:
    """One data row of a sheet; reading a cell records a problem instead of raising."""

    def __init__(
        self, sheet: spec.Sheet, number: int, cells: dict[str, Any], problems: Problems
    ) -> None:
        self.sheet = sheet
        self.number = number
        self.cells = cells
        self.problems = problems
        self.failed = False

    def has(self, header: str) -> bool:
        return header in self.cells

    def raw(self, header: str) -> Any:
        return self.cells.get(header)

    def value(self, header: str) -> Any:
        """The cell read by its column's kind; None when absent, blank or wrong (reported)."""
        column = self.sheet.column(header)
        if header not in self.cells:
            if column.required:
                self.fail(header, "is required")
            return None
        try:
            return read_field(column, self.cells[header])
        except CellError as exc:
            self.fail(header, str(exc))
            return None

    def plain_values(self) -> dict[str, Any]:
        """attr -> value for the plain columns this sheet has (absent columns are left alone)."""
        values = {}
        for column in self.sheet.plain:
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


def _headers(
    values: tuple[Any, ...], sheet: spec.Sheet, problems: Problems, warnings: list[str]
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
            warnings.append(
                f"{sheet.name}: column “{str(value).strip()}” is not part of the "
                "format and was not read"
            )
    for column in sheet.columns:
        if column.required and column.header not in found.values():
            problems.add(sheet.name, 1, column.header, "this required column is missing")
    return found


def read_workbook(path: Path, problems: Problems, warnings: list[str]) -> Iterator[SheetData]:
    """The recognised sheets of the workbook, in the format's import order."""
    try:
        book = load_workbook(Path(path), read_only=True, data_only=True)
    except FileNotFoundError:
        problems.add(Path(path).name, 0, "", "there is no such file")
        return
    except (InvalidFileException, BadZipFile, KeyError, OSError) as exc:
        problems.add(Path(path).name, 0, "", f"this is not an Excel workbook (.xlsx): {exc}")
        return
    try:
        by_format: dict[str, Any] = {}
        for ws in book.worksheets:
            sheet = spec.sheet_named(ws.title)
            if sheet is None:
                warnings.append(f"Sheet “{ws.title}” is not part of the format and was not read")
            else:
                by_format[sheet.name] = ws
        for sheet in spec.SHEETS:
            ws = by_format.get(sheet.name)
            if ws is None:
                continue
            yield _read_sheet(sheet, ws, problems, warnings)
    finally:
        book.close()


def _read_sheet(sheet: spec.Sheet, ws: Any, problems: Problems, warnings: list[str]) -> SheetData:
    rows_iter = ws.iter_rows(values_only=True)
    header_values = next(rows_iter, ())
    headers = _headers(header_values, sheet, problems, warnings)
    rows = []
    for number, values in enumerate(rows_iter, start=2):
        cells = {h: (values[i] if i < len(values) else None) for i, h in headers.items()}
        if all(is_blank(v) for v in cells.values()):
            continue
        rows.append(Row(sheet, number, cells, problems))
    return SheetData(sheet, rows)
