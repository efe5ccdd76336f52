"""Papers as offices have them (scans turned by /Rotate, landscape spreadsheets, cropped pages,
boxes that do not start at 0,0) come out of the pack stamped upright and inside the page the
reader sees: checked by where each stamp's text lands, read back from the PDF."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import IndirectObject, RectangleObject, StreamObject
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from lscb_desktop.services.agenda import ItemInput, attach_paper, save_item
from lscb_desktop.services.exports import iter_export_pack
from lscb_desktop.services.settings import load_settings
from tests.reports.test_pdfs import meeting

#: name -> (page size drawn, /Rotate, media box, crop box); boxes None keep the drawn page.
KINDS: dict[str, tuple[tuple[float, float], int, list[float] | None, list[float] | None]] = {
    "portrait": (A4, 0, None, None),
    "scanned, turned 90": (A4, 90, None, None),
    "turned 180": (A4, 180, None, None),
    "turned 270": (A4, 270, None, None),
    "landscape": (landscape(A4), 0, None, None),
    "landscape turned 90": (landscape(A4), 90, None, None),
    "cropped": (A4, 0, None, [60, 80, 540, 760]),
    "offset media box": (A4, 0, [100, 200, 695, 1042], None),
    "offset and turned 270": (A4, 270, [-300, -400, 295, 442], None),
    "cropped and turned 90": (A4, 90, None, [40, 40, 500, 700]),
}


def _paper(tmp_path: Path) -> Path:
    """One page of each kind, each saying which it is."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for name, (size, _turn, _media, _crop) in KINDS.items():
        pdf.setPageSize(size)
        pdf.drawString(150, 400, f"Body of the {name} page")
        pdf.showPage()
    pdf.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    for page, (_size, turn, media, crop) in zip(writer.pages, KINDS.values(), strict=True):
        if turn:
            page.rotate(turn)
        if media is not None:
            page.mediabox = RectangleObject(media)
        if crop is not None:
            page.cropbox = RectangleObject(crop)
    path = tmp_path / "Scanned and landscape papers.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


@dataclass(frozen=True)
class Seen:
    """A piece of text as the reader sees the page: where it starts and which way it runs."""

    text: str
    x: float
    y: float
    across: tuple[float, float]


def _shown(page) -> tuple[float, float, list[Seen]]:
    """The visible page's size and its text, in the reader's upright coordinates.

    Worked out here from the PDF rules (the crop box within the media box, turned clockwise by
    /Rotate), apart from the program's own page_frame."""
    media, crop = page.mediabox, page.cropbox
    left, bottom = max(crop.left, media.left), max(crop.bottom, media.bottom)
    right, top = min(crop.right, media.right), min(crop.top, media.top)
    w, h = float(right - left), float(top - bottom)
    turn = page.rotation % 360

    def upright(u: float, v: float) -> tuple[float, float]:
        u, v = u - float(left), v - float(bottom)
        return {0: (u, v), 90: (v, w - u), 180: (w - u, h - v), 270: (h - v, u)}[turn]

    def way(du: float, dv: float) -> tuple[float, float]:
        return {0: (du, dv), 90: (dv, -du), 180: (-du, -dv), 270: (-dv, du)}[turn]

    seen: list[Seen] = []

    def visit(text, cm, tm, _font, _size):
        if not text.strip():
            return
        ox = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        oy = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        dx = tm[0] * cm[0] + tm[1] * cm[2]
        dy = tm[0] * cm[1] + tm[1] * cm[3]
        seen.append(Seen(text.strip(), *upright(ox, oy), way(dx, dy)))

    page.extract_text(visitor_text=visit)
    size = (h, w) if turn in (90, 270) else (w, h)
    return size[0], size[1], seen


@pytest.fixture
def pack(sample_db, tmp_path) -> tuple[PdfReader, int, str]:
    board = meeting(sample_db, "Strategic Board", dt.date(2026, 6, 10))
    item = save_item(sample_db, board.id, ItemInput("Scanned and landscape papers", minutes=10))
    attach_paper(sample_db, item, _paper(tmp_path))
    target = tmp_path / "pack.pdf"
    list(iter_export_pack(sample_db, board.id, target, convert=lambda _n, _c: None))
    reader = PdfReader(target)
    return reader, len(reader.pages) - len(KINDS), load_settings(sample_db).protective_marking


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_stamp_is_upright_and_inside_the_page_the_reader_sees(pack, kind):
    reader, first, marking = pack
    number = list(KINDS).index(kind) + 1
    page = reader.pages[first + number - 1]
    width, height, seen = _shown(page)
    stamps = {
        "top marking": next(s for s in seen if s.text == marking and s.y > height / 2),
        "lower marking": next(s for s in seen if s.text == marking and s.y < height / 2),
        "item page": next(s for s in seen if s.text.endswith(f"page {number} of {len(KINDS)}")),
        "pack page": next(
            s for s in seen if s.text == f"Page {first + number} of {len(reader.pages)}"
        ),
    }
    for name, stamp in stamps.items():
        assert stamp.across[0] > 0 and abs(stamp.across[1]) < 1e-6, f"{name} runs sideways"
        assert 0 < stamp.x < width and 0 < stamp.y < height, f"{name} is off the page"
    assert stamps["top marking"].y > height - 30
    assert stamps["lower marking"].y < 20 and stamps["pack page"].y < 20
    # The marking is centred: it starts as far in from the left as it ends from the right.
    assert width * 0.25 < stamps["top marking"].x < width / 2
    assert stamps["pack page"].x < width / 4 < width * 0.5 < stamps["item page"].x
    assert f"Body of the {kind} page" in page.extract_text()


def test_the_papers_content_is_written_once(pack):
    """Each page's own content goes into its stamped stream; the old one is not kept as well."""
    reader, _first, _marking = pack
    holding = 0
    for number, generations in reader.xref.items():
        for identifier in generations:
            found = reader.get_object(IndirectObject(identifier, number, reader))
            if isinstance(found, StreamObject) and b"Body of the" in found.get_data():
                holding += 1
    assert holding == len(KINDS)
