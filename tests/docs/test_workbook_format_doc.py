"""docs/workbook-format.md describes every sheet and column the program reads and writes."""

from __future__ import annotations

from pathlib import Path

from lscb_desktop.services.settings import FIELD_TYPES
from lscb_desktop.services.workbook import spec

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
