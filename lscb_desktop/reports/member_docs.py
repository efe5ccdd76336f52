"""Membership agreements (one per page) and a group's contact list (PDF and workbook)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.table import Table as SheetTable
from openpyxl.worksheet.table import TableStyleInfo
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from lscb_desktop.files import atomic_path
from lscb_desktop.reports.inputs import Agreement, AgreementDoc, ContactsDoc
from lscb_desktop.reports.style import (
    SHADE,
    TEXT_WIDTH,
    build_pdf,
    grid,
    letterhead,
    paragraph,
)
from lscb_desktop.reports.workbook_text import text_never_formulas


def _agreement_page(doc: AgreementDoc, agreement: Agreement) -> list[Flowable]:
    """The agreement as the Board words it: the return instructions, the member's details,
    the responsibilities and the signature, nothing added."""
    story = letterhead(doc.house, doc.title, agreement.group if agreement.group else "")
    for index, line in enumerate(doc.return_lines):
        story.append(paragraph(line, "bold" if index == 0 else "body"))
    if doc.return_lines:
        story.append(Spacer(1, 5 * mm))
    details = [
        [paragraph("Name:", "cell-bold"), paragraph(agreement.name, "cell")],
        [paragraph("Agency/Organisation:", "cell-bold"), paragraph(agreement.agency, "cell")],
        [paragraph("Job Title:", "cell-bold"), paragraph(agreement.job_title, "cell")],
    ]
    story.append(
        grid(
            details,
            [45 * mm, TEXT_WIDTH - 45 * mm],
            header_rows=0,
            extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)],
        )
    )
    story += [Spacer(1, 5 * mm), paragraph("Responsibilities:", "heading")]
    story += [paragraph(f"•  {line}") for line in doc.responsibilities]
    story += [
        Spacer(1, 14 * mm),
        paragraph("Signature: ____________________________________________"),
    ]
    return story


def build_agreements(doc: AgreementDoc, target: Path) -> Path:
    """One agreement per page, for one member or a whole group, in one file."""
    story: list[Flowable] = []
    for index, agreement in enumerate(doc.agreements):
        if index:
            story.append(PageBreak())
        story += _agreement_page(doc, agreement)
    who = doc.agreements[0].name if len(doc.agreements) == 1 else doc.agreements[0].group
    return build_pdf(target, doc.house, f"Membership agreement — {who}", story)


CONTACT_HEADERS = ("Name", "Role", "Agency", "Email", "Phone")


def _contact_rows(doc: ContactsDoc) -> list[tuple[str, str, str, str, str]]:
    return [(m.name, m.role, m.agency, m.email, m.phone) for m in doc.members]


def build_contacts_pdf(doc: ContactsDoc, target: Path) -> Path:
    story = letterhead(doc.house, "Contact list", f"{doc.group}, {doc.on:%d/%m/%Y}")
    rows: list[list[object]] = [list(CONTACT_HEADERS)]
    # Phone numbers stay on one line; the rest wrap.
    for row in _contact_rows(doc):
        rows.append([*(paragraph(cell, "cell") for cell in row[:4]), row[4]])
    widths = [34 * mm, 19 * mm, 38 * mm, 52 * mm, TEXT_WIDTH - 143 * mm]
    story.append(grid(rows, widths))
    return build_pdf(target, doc.house, f"Contact list — {doc.group}", story)


def build_contacts_workbook(doc: ContactsDoc, target: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Contacts"
    sheet.append([f"{doc.group}: contact list, {doc.on:%d/%m/%Y} ({doc.house.marking})"])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(list(CONTACT_HEADERS))
    for row in _contact_rows(doc):
        sheet.append(list(row))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8ECF3")
    last = len(doc.members) + 2
    if doc.members:
        table = SheetTable(displayName="Contacts", ref=f"A2:E{last}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        sheet.add_table(table)
    for letter, width in zip("ABCDE", (26, 16, 40, 38, 16), strict=True):
        sheet.column_dimensions[letter].width = width
        for cell in sheet[letter][2:]:
            cell.alignment = Alignment(vertical="top")
    sheet.freeze_panes = "A3"
    sheet.oddHeader.center.text = doc.house.marking
    sheet.oddFooter.center.text = doc.house.marking
    text_never_formulas(book)
    with atomic_path(Path(target)) as partial:
        book.save(partial)
    return Path(target)
