"""The workbook format: every record in one .xlsx, a sheet per kind (docs/workbook-format.md)."""

from __future__ import annotations

from lscb_desktop.services.workbook.exporter import export_workbook, iter_export
from lscb_desktop.services.workbook.importer import ImportResult, import_workbook
from lscb_desktop.services.workbook.reader import ImportFailed, Problem

__all__ = [
    "ImportFailed",
    "ImportResult",
    "Problem",
    "export_workbook",
    "import_workbook",
    "iter_export",
]
