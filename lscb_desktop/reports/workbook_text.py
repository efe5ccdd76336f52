"""Text from the records goes into a workbook as text, never as a formula."""

from __future__ import annotations

from openpyxl import Workbook


def text_never_formulas(book: Workbook) -> None:
    """openpyxl makes a formula of any text that starts with "=", so a name such as
    "=HYPERLINK(...)" would become a live link in Excel; every such cell is set back to text.
    (Text starting with +, - or @ is always written as text.)"""
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
