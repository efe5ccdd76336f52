"""docs/workbook-format.md describes every sheet and column the program reads and writes."""

from __future__ import annotations

from pathlib import Path

from lscb_desktop.services.settings import FIELD_TYPES, LATEST_YEAR, Settings
from lscb_desktop.services.workbook import spec
from lscb_desktop.services.workbook.cells import Kind
from lscb_desktop.services.workbook.reader import MAX_ROWS

DOC = Path(__file__).parents[2] / "docs" / "workbook-format.md"


def test_every_sheet_and_column_is_documented() -> None:
    text = DOC.read_text("utf-8")
    sections = {part.split("\n", 1)[0]: part for part in text.split("\n### ")[1:]}
    assert list(sections) == [sheet.name for sheet in spec.SHEETS]
    for sheet in spec.SHEETS:
        column_table = sections[sheet.name].split("| Column | Kind |", 1)[1]
        documented = [
            line.split("|")[1].strip()
            for line in column_table.splitlines()
            if line.startswith("| ") and not line.startswith("| ---")
        ]
        assert documented == [c.header for c in sheet.columns], sheet.name


def test_every_setting_is_documented() -> None:
    text = DOC.read_text("utf-8")
    for key in FIELD_TYPES:
        assert key in text, key


def _column_rows(sheet: spec.Sheet) -> dict[str, str]:
    text = DOC.read_text("utf-8")
    section = text.split(f"\n### {sheet.name}\n", 1)[1].split("\n### ", 1)[0]
    return {
        line.split("|")[1].strip(): line
        for line in section.split("| Column | Kind |", 1)[1].splitlines()
        if line.startswith("| ")
    }


def test_every_number_columns_bounds_are_documented() -> None:
    for sheet in spec.SHEETS:
        rows = _column_rows(sheet)
        for column in sheet.columns:
            if column.kind is Kind.INT:
                bounds = f"{column.minimum:,} to {column.maximum:,}"
                assert bounds in rows[column.header], (sheet.name, column.header)


def test_the_limits_the_import_applies_are_the_documented_ones() -> None:
    text = " ".join(DOC.read_text("utf-8").split())
    assert f"at most {MAX_ROWS:,} rows of data" in text
    assert f"to the end of {LATEST_YEAR}" in text
    assert f"({Settings().earliest_year} unless changed)" in text
    assert "ends with a `UUID` column" in text
