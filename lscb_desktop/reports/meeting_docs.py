"""The agenda and the attendance register of a meeting, in the house style."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from lscb_desktop.reports.inputs import (
    AgendaDoc,
    AgendaLine,
    DeclarationLine,
    MeetingHead,
    OfficerLine,
    RegisterDoc,
)
from lscb_desktop.reports.style import (
    SHADE,
    TEXT_WIDTH,
    build_pdf,
    grid,
    letterhead,
    paragraph,
    pdf_bytes,
)

#: What the chair asks at the start, when the agenda has no item of its own for it.
ASK_TO_DECLARE = (
    "Members are asked to declare any interest in an item on this agenda at the start of the "
    "meeting, and to say whether they will leave the room, take no part or stay."
)


def _details(head: MeetingHead, officers: Sequence[OfficerLine] = ()) -> Flowable:
    rows = [
        [paragraph("Date and time", "cell-bold"), paragraph(head.when, "cell")],
        [paragraph("Venue", "cell-bold"), paragraph(head.venue or "To be confirmed", "cell")],
        [paragraph("Chair", "cell-bold"), paragraph(head.chair or "—", "cell")],
    ]
    if officers:
        attending = "\n".join(officer.described for officer in officers)
        rows.append([paragraph("In attendance", "cell-bold"), paragraph(attending, "cell")])
    return grid(
        rows,
        [35 * mm, TEXT_WIDTH - 35 * mm],
        header_rows=0,
        extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)],
    )


def _paper_ref(item: AgendaLine, pages: dict[int, int] | None) -> str:
    if item.paper_id is None:
        return "To follow" if item.paper_expected else ""
    if pages is not None and item.id in pages:
        return f"Paper {item.number}, page {pages[item.id]}"
    return f"Paper {item.number}"


def _item_cell(item: AgendaLine, doc: AgendaDoc) -> list[Flowable]:
    """The item's title and presenter, and the officers in attendance for it."""
    cell = [paragraph(item.title + (f"\n{item.presenter}" if item.presenter else ""), "cell")]
    officers = doc.officers_for(item.id)
    if officers:
        names = "; ".join(officer.described for officer in officers)
        cell.append(paragraph(f"In attendance for this item: {names}", "cell-note"))
    return cell


def _declarations_table(lines: list[DeclarationLine], blank: int = 0) -> Flowable:
    rows: list[list[object]] = [["Item", "Name", "Interest", "Action taken"]]
    for line in lines:
        interest = line.interest + (f"\n{line.notes}" if line.notes else "")
        rows.append(
            [
                paragraph(line.item, "cell"),
                paragraph(line.name, "cell"),
                paragraph(interest, "cell"),
                paragraph(line.action, "cell"),
            ]
        )
    rows += [["", "", "", ""] for _ in range(blank)]
    heights = [None] * (1 + len(lines)) + [9 * mm] * blank
    widths = [40 * mm, 35 * mm, 63 * mm, TEXT_WIDTH - 138 * mm]
    return grid(rows, widths, heights=heights)


def agenda_story(doc: AgendaDoc, pages: dict[int, int] | None = None) -> list[Flowable]:
    """The agenda's flowables; ``pages`` (item id -> page) adds where each paper starts."""
    head = doc.head
    story: list[Flowable] = letterhead(doc.house, "Agenda", head.title)
    story += [_details(head, doc.whole_meeting_officers), Spacer(1, 3 * mm)]
    if doc.declarations_item is None:
        ask = [
            [paragraph("Declarations of interest", "cell-bold"), paragraph(ASK_TO_DECLARE, "cell")]
        ]
        story.append(
            grid(
                ask,
                [35 * mm, TEXT_WIDTH - 35 * mm],
                header_rows=0,
                extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)],
            )
        )
    story.append(Spacer(1, 5 * mm))
    rows: list[list[object]] = [["No.", "Time", "Item", "Purpose", "Paper"]]
    for item in doc.items:
        rows.append(
            [
                str(item.number),
                f"{item.starts_at:%H:%M}",
                _item_cell(item, doc),
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
    if doc.declarations:
        own = doc.declarations_item
        where = f" (item {own.number})" if own is not None else ""
        story.append(
            KeepTogether(
                [
                    paragraph(f"Declarations of interest recorded{where}", "heading"),
                    _declarations_table(doc.declarations),
                    Spacer(1, 3 * mm),
                ]
            )
        )
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
    declared = len(doc.declarations)
    story += [
        Spacer(1, 20 * mm),
        paragraph(head.when, "heading"),
        paragraph(head.venue or "Venue to be confirmed"),
        Spacer(1, 10 * mm),
        paragraph(f"Chair: {head.chair}" if head.chair else ""),
        paragraph(f"{len(doc.items)} agenda items; papers follow in item order."),
        paragraph(
            f"Declarations of interest: {declared} recorded, listed after the agenda; members "
            "are asked to declare any other at the start of the meeting."
            if declared
            else "Declarations of interest: members are asked to declare any interest in an "
            "item at the start of the meeting."
        ),
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
DECLARATION_ROWS = 3


def _register_rule(doc: RegisterDoc) -> list[Flowable]:
    rule = (
        f"Quorum: {doc.rule_text}, by a member or a named substitute."
        if doc.rule_text
        else "This group has no quorum rule."
    )
    story: list[Flowable] = [paragraph(rule)]
    if doc.not_counted:
        story.append(paragraph(doc.not_counted))
    return story


def _members_table(doc: RegisterDoc) -> Flowable:
    header = ["Name", "Agency", "Role", "Signature", paragraph("Arrived / left", "cell-bold")]
    rows: list[list[object]] = [[*header, paragraph("Substitute's name", "cell-bold")]]
    for line in doc.lines:
        name: list[Flowable] = [paragraph(line.name, "cell")]
        if line.seat:
            name.append(paragraph(line.seat, "cell-note"))
        role: list[Flowable] = [paragraph(line.role, "cell")]
        if not line.counts:
            role.append(paragraph("Not counted", "cell-note"))
        rows.append([name, paragraph(line.agency, "cell"), role, "", "", ""])
    widths = [37 * mm, 38 * mm, 22 * mm, 28 * mm, 16 * mm, TEXT_WIDTH - 141 * mm]
    # Generous padding rather than fixed heights: room to sign, and long agency names still fit.
    roomy = [("TOPPADDING", (0, 1), (-1, -1), 9), ("BOTTOMPADDING", (0, 1), (-1, -1), 9)]
    return grid(rows, widths, extra=roomy)


def _officers_section(doc: RegisterDoc) -> Flowable:
    section: list[Flowable] = [paragraph("Guests and officers in attendance", "heading")]
    rows: list[list[object]] = [
        ["Name", "Job title and organisation", "Attending for", "Signature"]
    ]
    for officer in doc.officers:
        items = "\n".join(f"Item {number}: {title}" for number, title in officer.items)
        rows.append(
            [
                paragraph(officer.name, "cell"),
                paragraph(
                    ", ".join(p for p in (officer.job_title, officer.organisation) if p), "cell"
                ),
                paragraph(items or officer.attending_for, "cell"),
                "",
            ]
        )
    rows += [["", "", "", ""] for _ in range(GUEST_ROWS)]
    widths = [40 * mm, 50 * mm, 45 * mm, TEXT_WIDTH - 135 * mm]
    heights = [None] * (1 + len(doc.officers)) + [9 * mm] * GUEST_ROWS
    roomy = [
        ("TOPPADDING", (0, 1), (-1, len(doc.officers)), 7),
        ("BOTTOMPADDING", (0, 1), (-1, len(doc.officers)), 7),
    ]
    section.append(grid(rows, widths, heights=heights, extra=roomy if doc.officers else ()))
    return KeepTogether(section)


def _declarations_section(doc: RegisterDoc) -> Flowable:
    return KeepTogether(
        [
            paragraph("Declarations of interest", "heading"),
            paragraph(
                "An interest in an item, or in the whole meeting, and what the member did: left "
                "the room, took no part, or stayed and took part. A member who left the room or "
                "took no part does not count towards that item's quorum.",
                "small",
            ),
            Spacer(1, 2 * mm),
            _declarations_table(doc.declarations, DECLARATION_ROWS),
        ]
    )


def register_story(doc: RegisterDoc) -> list[Flowable]:
    head = doc.head
    story: list[Flowable] = letterhead(doc.house, "Attendance register", head.title)
    story += [_details(head), Spacer(1, 3 * mm)]
    story += [*_register_rule(doc), Spacer(1, 4 * mm)]
    story.append(_members_table(doc))
    story += [Spacer(1, 6 * mm), _officers_section(doc)]
    story += [Spacer(1, 6 * mm), _declarations_section(doc)]
    return story


def build_register(doc: RegisterDoc, target: Path) -> Path:
    title = f"Attendance register — {doc.head.group}, {doc.head.starts_at:%d/%m/%Y}"
    return build_pdf(target, doc.house, title, register_story(doc))
