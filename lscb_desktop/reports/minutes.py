"""Draft minutes as a Word document (python-docx), for the minute-taker to write up.

The meeting, who was present (with their agency), apologies with their reasons, substitutes
and who was in attendance, declarations of interest, then each agenda item with its presenter
and paper and room for the discussion and decisions, and the actions: those still open from
earlier meetings, and this meeting's. Every page carries the protective marking at top and
bottom and "DRAFT"; A4, in the house's font.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from lscb_desktop.files import atomic_path
from lscb_desktop.reports.inputs import ActionLine, MinutesDoc

__all__ = ["build_minutes"]

FONT = "Arial"
MARKING_RED = RGBColor(0x8A, 0x1C, 0x14)


def _marking(paragraph: Paragraph, text: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(9)
    run.font.color.rgb = MARKING_RED


def _people(document: DocumentObject, heading: str, names: Iterable[str]) -> None:
    document.add_heading(heading, level=2)
    listed = list(names)
    if not listed:
        document.add_paragraph("None.")
    for name in listed:
        document.add_paragraph(name, style="List Bullet")


def _actions(document: DocumentObject, heading: str, actions: list[ActionLine], empty: str) -> None:
    document.add_heading(heading, level=2)
    if not actions:
        document.add_paragraph(empty)
        return
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, title in zip(
        table.rows[0].cells, ("Action", "Owner", "Due", "Raised", "Status"), strict=True
    ):
        cell.text = title
        cell.paragraphs[0].runs[0].bold = True
    for action in actions:
        cells = table.add_row().cells
        due = f"{action.due:%d/%m/%Y}" if action.due else ""
        for cell, text in zip(
            cells,
            (action.description, action.owner, due, action.raised, action.status),
            strict=True,
        ):
            cell.text = text


def build_minutes(doc: MinutesDoc, target: Path) -> Path:
    """Writes the draft minutes to ``target`` (all or nothing) and returns it."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    _marking(section.header.paragraphs[0], doc.house.marking)
    _marking(section.footer.paragraphs[0], f"{doc.house.marking} — DRAFT MINUTES")
    head = doc.head
    document.add_paragraph(doc.house.organisation).runs[0].bold = True
    document.add_heading(f"{head.title}: draft minutes", level=1)
    document.add_paragraph(f"{head.when}, {head.venue}" if head.venue else head.when)
    if head.chair:
        document.add_paragraph(f"Chair: {head.chair}")
    note = document.add_paragraph(
        "DRAFT: not yet confirmed. The minutes are confirmed at the next meeting."
    )
    note.runs[0].italic = True
    _people(document, "Present", doc.present)
    _people(document, "Apologies", doc.apologies)
    if doc.substitutes:
        _people(document, "Substitutes", doc.substitutes)
    if doc.in_attendance:
        _people(document, "In attendance", doc.in_attendance)
    document.add_heading("Declarations of interest", level=2)
    if not doc.declarations:
        document.add_paragraph("None declared.")
    for line in doc.declarations:
        notes = f" ({line.notes})" if line.notes else ""
        document.add_paragraph(
            f"{line.name}, {line.item}: {line.interest}. {line.action}.{notes}",
            style="List Bullet",
        )
    for item in doc.items:
        document.add_heading(f"{item.number}. {item.title}", level=2)
        facts = []
        if item.presenter:
            facts.append(f"Presented by {item.presenter}")
        if item.paper:
            facts.append(f"Paper: {item.paper}")
        if facts:
            document.add_paragraph(". ".join(facts) + ".").runs[0].italic = True
        document.add_paragraph("Discussion:")
        document.add_paragraph("")
        document.add_paragraph("Agreed:")
        document.add_paragraph("")
    _actions(
        document,
        "Actions from earlier meetings",
        doc.actions_before,
        "No actions were open from earlier meetings.",
    )
    _actions(document, "Actions from this meeting", doc.actions_new, "No actions recorded yet.")
    with atomic_path(Path(target)) as partial:
        document.save(str(partial))
    return Path(target)
