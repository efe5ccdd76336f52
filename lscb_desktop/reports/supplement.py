"""A supplement to an issued pack: a cover listing its papers and their agenda items, then the
papers, stamped "Supplement N – Item M – page x of y" so that they never take the pack's own page
numbers."""

from __future__ import annotations

import io
from collections.abc import Generator, Sequence
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from lscb_desktop.files import atomic_path
from lscb_desktop.progress import Progress
from lscb_desktop.reports.inputs import AgendaLine, SupplementDoc
from lscb_desktop.reports.pack import (
    Converter,
    LoadedPaper,
    PackLayout,
    convert_with_libreoffice,
    load_papers,
    pages_in_words,
    write_pack,
)
from lscb_desktop.reports.style import TEXT_WIDTH, grid, letterhead, paragraph, pdf_bytes


def supplement_title(doc: SupplementDoc) -> str:
    return f"Supplement {doc.number} — {doc.head.group}, {doc.head.starts_at:%d/%m/%Y}"


def _cover(doc: SupplementDoc, starts: Sequence[int], following: int) -> bytes:
    head = doc.head
    story: list[Flowable] = letterhead(doc.house, f"Supplement {doc.number}", head.title)
    count = len([line for line in doc.lines if not line.withdrawn])
    story += [
        paragraph(head.when, "heading"),
        paragraph(head.venue or "Venue to be confirmed"),
        Spacer(1, 6 * mm),
        paragraph(
            f"This supplement follows {doc.follows}. It holds the "
            + (f"{count} papers" if count != 1 else "one paper")
            + " new or changed since then; the pack's own page numbers are unchanged, and these "
            f"pages are numbered “Supplement {doc.number} – Item N – page x of y”."
            if count
            else f"This supplement follows {doc.follows}. It holds no papers: it names the "
            "papers withdrawn since then."
        ),
        Spacer(1, 4 * mm),
    ]
    rows: list[list[object]] = [["Item", "Title", "Paper", "Why", "Page"]]
    pages = iter(starts)
    for line in doc.lines:
        rows.append(
            [
                str(line.number),
                paragraph(line.title, "cell"),
                paragraph(line.paper or "—", "cell"),
                paragraph(line.why, "cell"),
                "—" if line.withdrawn else str(next(pages)),
            ]
        )
    widths = [12 * mm, 55 * mm, 45 * mm, 42 * mm, TEXT_WIDTH - 154 * mm]
    story += [
        grid(rows, widths),
        Spacer(1, 10 * mm),
        paragraph(
            f"{doc.house.marking}. These papers are confidential. Please keep them with the pack.",
            "centre",
        ),
    ]
    page_word = f"Supplement {doc.number} – page"
    return pdf_bytes(doc.house, supplement_title(doc), story, following, page_word)


def _front(doc: SupplementDoc, papers: list[LoadedPaper]) -> PdfReader:
    """The cover with each paper's first page in the supplement; laid out until they settle."""
    front_pages = 1
    reader = None
    for _ in range(4):
        starts, page = [], front_pages + 1
        for paper in papers:
            starts.append(page)
            page += paper.pages
        reader = PdfReader(io.BytesIO(_cover(doc, starts, page - front_pages - 1)))
        if len(reader.pages) == front_pages:
            break
        front_pages = len(reader.pages)
    assert reader is not None
    return reader


def iter_supplement(
    doc: SupplementDoc,
    papers: Sequence[tuple[AgendaLine, str, bytes]],
    target: Path,
    convert: Converter = convert_with_libreoffice,
) -> Generator[Progress, None, PackLayout]:
    """Builds the supplement at ``target``, yielding progress, and returns its layout;
    abandoning it writes nothing."""
    total = len(papers) + 2
    with atomic_path(Path(target)) as partial:
        loaded = yield from load_papers(papers, convert, total)
        front = _front(doc, loaded)
        yield Progress(len(papers) + 1, total, f"Laid out the cover of Supplement {doc.number}")
        prefix = f"Supplement {doc.number} – "
        layout = write_pack(
            front, ("Cover",), loaded, doc.house, supplement_title(doc), partial, prefix
        )
        yield Progress(total, total, f"Wrote {pages_in_words(layout.pages)}")
    return layout
