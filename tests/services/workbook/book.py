"""Reading and editing exported workbooks in the tests, and a digest of every record."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import text

from lscb_desktop.models import Base
from lscb_desktop.services.workbook import export_workbook
from lscb_desktop.store import Database


def sheets(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's rows of values (formulas as their text)."""
    book = load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}


def column(rows: list[list[Any]], header: str) -> list[Any]:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def digest(database: Database) -> str:
    """A hash of every row of every table (the change log included)."""
    sha = hashlib.sha256()
    with database.engine.connect() as connection:
        for name in sorted(Base.metadata.tables):
            rows = connection.execute(text(f'SELECT * FROM "{name}" ORDER BY 1')).all()
            sha.update(f"{name}:{len(rows)}:{rows!r}".encode())
    return sha.hexdigest()


def exported(database: Database, path: Path) -> dict[str, list[list[Any]]]:
    export_workbook(database, path)
    return sheets(path)
