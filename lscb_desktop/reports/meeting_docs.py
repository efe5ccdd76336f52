"""The agenda and the attendance register of a meeting, in the house style."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from lscb_desktop.reports.style import (
    SHADE,
    TEXT_WIDTH,
    build_pdf,
    grid,
    letterhead,
    paragraph,
    pdf_bytes,
)
from lscb_desktop.services.agenda import AgendaRow
from lscb_desktop.services.documents import AgendaDoc, MeetingHead, RegisterDoc


def _details(head: MeetingHead) -> Flowable:
    rows = [
        [paragraph("Date and time", "cell-bold"), paragraph(head.when, "cell")],
        [paragraph("Venue", "cell-bold"), paragraph(head.venue or "To be confirmed", "cell")],
        [paragraph("Chair", "cell-bold"), paragraph(head.chair or "—", "cell")],
    ]
    return grid(
        rows,
        [35 * mm, TEXT_WIDTH - 35 * mm],
        header_rows=0,
        extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)],
    )


def _paper_ref(item: AgendaRow, pages: dict[int, int] | None) -> str:
    if item.paper_id is None:
        return "To follow" if item.paper_expected else ""
    if pages is not None and item.id in pages:
        return f"Paper {item.number}, page {pages[item.id]}"
    return f"Paper {item.number}"


def agenda_story(doc: AgendaDoc, pages: dict[int, int] | None = None) -> list[Flowable]:
    """The agenda's flowables; ``pages`` (item id -> page) adds where each paper starts."""
    head = doc.head
    story: list[Flowable] = letterhead(doc.house, "Agenda", head.title)
    story += [_details(head), Spacer(1, 5 * mm)]
    rows: list[list[object]] = [["No.", "Time", "Item", "Purpose", "Paper"]]
    for item in doc.items:
        text = item.title + (f"\n{item.presenter}" if item.presenter else "")
        rows.append(
            [
                str(item.number),
                f"{item.starts_at:%H:%M}",
                paragraph(text, "cell"),
                paragraph(item.purpose, "cell"),
                paragraph(_paper_ref(item, pages), "cell"),
            ]
        )
    if len(rows) == 1:
        rows.append(["", "", paragraph("The agenda is still to be set.", "cell"), "", ""])
    story.append(grid(rows, [12 * mm, 15 * mm, 88 * mm, 25 * mm, TEXT_WIDTH - 140 * mm]))
    story.append(Spacer(1, 5 * mm))
    apologies = ", ".join(doc.apologies) if doc.apologies else "none received yet"
    story.append(paragraph(f"Apologies: {apologies}."))
    if head.next_meeting is not None:
        story.append(paragraph(f"Date of next meeting: {head.next_meeting:%A %d/%m/%Y, %H:%M}."))
    story.append(Spacer(1, 4 * mm))
    story.append(
        paragraph(
            "Papers are confidential to members of the group and must not be shared without "
            "the agreement of the chair.",
            "small",
        )
    )
    return story


def agenda_title(head: MeetingHead) -> str:
    return f"Agenda — {head.group}, {head.starts_at:%d/%m/%Y}"


def build_agenda(doc: AgendaDoc, target: Path) -> Path:
    return build_pdf(target, doc.house, agenda_title(doc.head), agenda_story(doc))


def pack_front(doc: AgendaDoc, pages: dict[int, int], following: int) -> bytes:
    """The pack's cover and agenda in memory, numbered as the first pages of the whole pack."""
    story = cover_story(doc) + agenda_story(doc, pages)
    return pdf_bytes(doc.house, f"Agenda pack — {doc.head.group}", story, following)


def cover_story(doc: AgendaDoc) -> list[Flowable]:
    head = doc.head
    story = letterhead(doc.house, "Agenda pack", head.title)
    story += [
        Spacer(1, 20 * mm),
        paragraph(head.when, "heading"),
        paragraph(head.venue or "Venue to be confirmed"),
        Spacer(1, 10 * mm),
        paragraph(f"Chair: {head.chair}" if head.chair else ""),
        paragraph(f"{len(doc.items)} agenda items; papers follow in item order."),
        Spacer(1, 60 * mm),
        paragraph(
            f"{doc.house.marking}. These papers are confidential. Please read them before the "
            "meeting and bring them with you.",
            "centre",
        ),
        PageBreak(),
    ]
    return story


# -- the attendance register ----------------------------------------------------------------------


GUEST_ROWS = 6


def register_story(doc: RegisterDoc) -> list[Flowable]:
    head = doc.head
    story: list[Flowable] = letterhead(doc.house, "Attendance register", head.title)
    story += [_details(head), Spacer(1, 3 * mm)]
    rule = (
        f"Quorum: at least {head.quorum_rule} agencies must be represented, by a member or a "
        "named substitute."
        if head.quorum_rule
        else "This group has no quorum rule."
    )
    story += [paragraph(rule), Spacer(1, 4 * mm)]
    rows: list[list[object]] = [
        ["Name", "Agency", "Role", "Signature", paragraph("Substitute's name", "cell-bold")]
    ]
    for line in doc.lines:
        rows.append(
            [
                paragraph(line.name, "cell"),
                paragraph(line.agency, "cell"),
                paragraph(line.role, "cell"),
                "",
                "",
            ]
        )
    widths = [38 * mm, 48 * mm, 22 * mm, 31 * mm, TEXT_WIDTH - 139 * mm]
    # Generous padding rather than fixed heights: room to sign, and long agency names still fit.
    roomy = [("TOPPADDING", (0, 1), (-1, -1), 9), ("BOTTOMPADDING", (0, 1), (-1, -1), 9)]
    story.append(grid(rows, widths, extra=roomy))
    story.append(Spacer(1, 6 * mm))
    guest_section: list[Flowable] = [paragraph("Guests and others attending", "heading")]
    guests: list[list[object]] = [["Name", "Organisation", "Signature"]]
    guests += [["", "", ""] for _ in range(GUEST_ROWS)]
    widths = [55 * mm, 65 * mm, TEXT_WIDTH - 120 * mm]
    guest_section.append(grid(guests, widths, heights=[None] + [9 * mm] * GUEST_ROWS))
    story.append(KeepTogether(guest_section))
    return story


def build_register(doc: RegisterDoc, target: Path) -> Path:
    title = f"Attendance register — {doc.head.group}, {doc.head.starts_at:%d/%m/%Y}"
    return build_pdf(target, doc.house, title, register_story(doc))
