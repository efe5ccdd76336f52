"""The house style every PDF shares: A4, embedded fonts, the marking on every page, page numbers.

Fonts come from ``resources/fonts`` (Liberation Sans, metric-compatible with Arial, under the SIL
Open Font License) and are embedded, so a document prints the same on any machine. The text stays
text: it can be searched and copied.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    Flowable,
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from lscb_desktop.config import resources_dir
from lscb_desktop.files import atomic_path
from lscb_desktop.reports.inputs import Letterhead

FONT = "LiberationSans"
FONT_BOLD = "LiberationSans-Bold"
FONT_ITALIC = "LiberationSans-Italic"
MARGIN = 20 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.HexColor("#1f2a44")
RULE = colors.HexColor("#9aa5b8")
SHADE = colors.HexColor("#e8ecf3")


@cache
def register_fonts() -> None:
    folder = resources_dir() / "fonts"
    for name, file in (
        (FONT, "LiberationSans-Regular.ttf"),
        (FONT_BOLD, "LiberationSans-Bold.ttf"),
        (FONT_ITALIC, "LiberationSans-Italic.ttf"),
        ("LiberationSans-BoldItalic", "LiberationSans-BoldItalic.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=FONT_BOLD,
        italic=FONT_ITALIC,
        boldItalic="LiberationSans-BoldItalic",
    )


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14, textColor=INK)
    return {
        "body": body,
        "bold": ParagraphStyle("bold", parent=body, fontName=FONT_BOLD),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=11.5),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12),
        "cell-bold": ParagraphStyle("cell-bold", parent=body, fontName=FONT_BOLD, fontSize=9.5),
        "cell-note": ParagraphStyle(
            "cell-note", parent=body, fontName=FONT_ITALIC, fontSize=8, leading=10
        ),
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=17, leading=22, spaceAfter=4
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=12,
            leading=16,
            spaceBefore=8,
            spaceAfter=4,
        ),
        "organisation": ParagraphStyle(
            "organisation", parent=body, fontName=FONT_BOLD, fontSize=13, leading=16
        ),
        "centre": ParagraphStyle("centre", parent=body, alignment=TA_CENTER),
    }


def paragraph(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped, line breaks kept)."""
    escaped = (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
    )
    return Paragraph(escaped, styles()[style])


def letterhead(house: Letterhead, title: str, subtitle: str = "") -> list[Flowable]:
    """The first page's head: the organisation (and its logo), the document's title."""
    left: list[Flowable] = [paragraph(house.organisation, "organisation")]
    if house.address:
        left.append(paragraph(house.address.replace("\n", ", "), "small"))
    if house.logo:
        reader = ImageReader(io.BytesIO(house.logo))
        width, height = reader.getSize()
        scale = min(45 * mm / width, 20 * mm / height)
        logo: Flowable = Image(io.BytesIO(house.logo), width * scale, height * scale)
        head: Flowable = Table(
            [[left, logo]], colWidths=[TEXT_WIDTH - 50 * mm, 50 * mm], hAlign="LEFT"
        )
        head.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        flowables: list[Flowable] = [head]
    else:
        flowables = left
    flowables += [Spacer(1, 6 * mm), paragraph(title, "title")]
    if subtitle:
        flowables.append(paragraph(subtitle, "heading"))
    flowables.append(Spacer(1, 3 * mm))
    return flowables


def grid(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    extra: Sequence[tuple[Any, ...]] = (),
    heights: Sequence[float | None] | None = None,
) -> Table:
    """A ruled table whose header repeats on every page it runs onto."""
    table = Table(
        list(rows),
        colWidths=list(widths),
        rowHeights=list(heights) if heights is not None else None,
        repeatRows=header_rows,
        hAlign="LEFT",
    )
    header: list[tuple[Any, ...]] = (
        [
            ("FONT", (0, 0), (-1, header_rows - 1), FONT_BOLD, 9.5),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
        ]
        if header_rows
        else []
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9.5),
                *header,
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                *extra,
            ]
        )
    )
    return table


def _numbered_canvas(
    house: Letterhead, following: int = 0, page_word: str = "Page"
) -> type[canvas.Canvas]:
    """A canvas that draws the marking and "Page N of M" once it knows how many pages there are
    (``following`` more pages will come after these, as the papers do after a pack's agenda)."""

    class NumberedCanvas(canvas.Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Otherwise every page starts in Helvetica, a font the file would not embed (the
            # document template passes None when it has no initial font of its own).
            kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages) + following
            for state in self._pages:
                self.__dict__.update(state)
                draw_furniture(self, house, self._pageNumber, total, page_word)
                super().showPage()
            super().save()

    return NumberedCanvas


def draw_furniture(
    pdf: canvas.Canvas, house: Letterhead, number: int, total: int, page_word: str = "Page"
) -> None:
    """The protective marking at the top and bottom of the page, and its number."""
    register_fonts()
    pdf.saveState()
    pdf.setFillColor(colors.HexColor("#8a1c14"))
    pdf.setFont(FONT_BOLD, 10)
    pdf.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 11 * mm, house.marking)
    pdf.drawCentredString(PAGE_WIDTH / 2, 8 * mm, house.marking)
    pdf.setFillColor(INK)
    pdf.setFont(FONT, 8.5)
    pdf.drawString(MARGIN, 13 * mm, house.organisation)
    pdf.drawRightString(PAGE_WIDTH - MARGIN, 13 * mm, f"{page_word} {number} of {total}")
    pdf.restoreState()


def _render(
    out: str | io.BytesIO,
    house: Letterhead,
    title: str,
    story: list[Flowable],
    following: int,
    page_word: str = "Page",
) -> None:
    register_fonts()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=house.organisation,
        subject=title,
        creator="LSCB Desktop",
    )
    document.build(story, canvasmaker=_numbered_canvas(house, following, page_word))


def build_pdf(target: Path, house: Letterhead, title: str, story: list[Flowable]) -> Path:
    """Writes ``story`` to ``target`` in the house style (atomically: complete or not at all)."""
    with atomic_path(Path(target)) as partial:
        _render(str(partial), house, title, story, 0)
    return Path(target)


def pdf_bytes(
    house: Letterhead,
    title: str,
    story: list[Flowable],
    following: int = 0,
    page_word: str = "Page",
) -> bytes:
    """The same document in memory (the agenda pack builds its front pages this way);
    ``page_word`` begins each page's number ("Supplement 1 – page" on a supplement's cover)."""
    buffer = io.BytesIO()
    _render(buffer, house, title, story, following, page_word)
    return buffer.getvalue()
