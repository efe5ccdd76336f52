"""The letter of authority for a multi-agency audit, in the house style."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from lscb_desktop.reports.inputs import AuthorityDoc
from lscb_desktop.reports.style import SHADE, TEXT_WIDTH, build_pdf, grid, letterhead, paragraph


def authority_story(doc: AuthorityDoc) -> list[Flowable]:
    board = doc.house.board_term
    story = letterhead(doc.house, "Letter of authority", f"Multi-agency audit: {doc.title}")
    story.append(paragraph(f"Date: {doc.on:%d/%m/%Y}"))
    story.append(Spacer(1, 4 * mm))
    story.append(
        paragraph(
            f"The {doc.house.organisation} authorises the core members of the {doc.audit_group} "
            f"named below to carry out this audit on its behalf: to see and audit the case records "
            f"of the agencies involved, to delegate work within their own agencies to complete it, "
            f"and to report the findings to the {board}. Records are to be handled as "
            f"{doc.house.marking} and kept only as long as the audit needs them."
        )
    )
    scope = [
        [paragraph("Audit", "cell-bold"), paragraph(doc.title, "cell")],
        [paragraph("Theme", "cell-bold"), paragraph(doc.theme or "—", "cell")],
        [
            paragraph("When", "cell-bold"),
            paragraph(
                f"{doc.period}" + (f", quarter {doc.quarter}" if doc.quarter else ""), "cell"
            ),
        ],
        [
            paragraph("Cases sampled", "cell-bold"),
            paragraph(str(doc.cases_sampled) if doc.cases_sampled else "To be agreed", "cell"),
        ],
        [paragraph(f"{board} priority", "cell-bold"), paragraph(doc.priority or "—", "cell")],
        [paragraph("Lead", "cell-bold"), paragraph(doc.lead or "—", "cell")],
        [
            paragraph("Agencies involved", "cell-bold"),
            paragraph("; ".join(doc.agencies) or "To be agreed", "cell"),
        ],
    ]
    story += [
        Spacer(1, 4 * mm),
        paragraph("Scope", "heading"),
        grid(
            scope,
            [40 * mm, TEXT_WIDTH - 40 * mm],
            header_rows=0,
            extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)],
        ),
        paragraph(f"Core members of the {doc.audit_group}", "heading"),
    ]
    members: list[list[object]] = [["Name", "Agency"]]
    members += [[paragraph(n, "cell"), paragraph(a, "cell")] for n, a in doc.core_members]
    if len(members) == 1:
        members.append(["—", ""])
    story.append(grid(members, [60 * mm, TEXT_WIDTH - 60 * mm]))
    story += [
        Spacer(1, 14 * mm),
        paragraph("Signed: ____________________________________________"),
        Spacer(1, 2 * mm),
        paragraph(
            f"for {doc.chair}, Independent Chair" if doc.chair else "for the Independent Chair"
        ),
        paragraph(doc.house.organisation),
    ]
    return story


def build_authority(doc: AuthorityDoc, target: Path) -> Path:
    return build_pdf(target, doc.house, f"Letter of authority — {doc.title}", authority_story(doc))
