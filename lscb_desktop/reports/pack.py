"""The agenda pack: a cover, the agenda with the page each paper starts on, then every paper.

PDF papers are merged page for page. Word and Excel papers are converted with LibreOffice when it
is installed; otherwise a page names the file to print separately. Every paper page is stamped
with the protective marking and "Item N – page x of y", and the PDF has a bookmark per item.
The build is a generator of progress, so the window can show it and cancel it.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from lscb_desktop.files import atomic_path
from lscb_desktop.progress import Progress
from lscb_desktop.reports.inputs import AgendaDoc, AgendaLine, Letterhead
from lscb_desktop.reports.meeting_docs import pack_front
from lscb_desktop.reports.page_frame import frame_of
from lscb_desktop.reports.style import FONT, FONT_BOLD, INK, register_fonts

#: Turns an office file (name, bytes) into PDF bytes, or None when it cannot.
Converter = Callable[[str, bytes], bytes | None]

CONVERTIBLE = {".doc", ".docx", ".xls", ".xlsx", ".odt", ".rtf"}


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(name: str, content: bytes) -> bytes | None:
    """Converts a Word or Excel file with LibreOffice (headless); None if it is not installed
    or the conversion fails."""
    program = libreoffice()
    if program is None:
        return None
    # In the program's private temporary folder (``tempfile`` points there once the program
    # has started; removed at the next start if it is killed), and LibreOffice is told to keep
    # its own temporary files there too.
    with tempfile.TemporaryDirectory(prefix="convert-") as folder:
        source = Path(folder) / Path(name).name
        source.touch(mode=0o600)
        source.write_bytes(content)
        private = dict.fromkeys(("TMPDIR", "TMP", "TEMP"), folder)
        try:
            subprocess.run(
                [program, "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
                check=True,
                capture_output=True,
                timeout=180,
                env={**os.environ, **private},
            )
        except (OSError, subprocess.SubprocessError):
            return None
        result = source.with_suffix(".pdf")
        return result.read_bytes() if result.exists() else None


@dataclass
class LoadedPaper:
    item: AgendaLine
    name: str
    reader: PdfReader | None
    note: str = ""

    @property
    def pages(self) -> int:
        return len(self.reader.pages) if self.reader is not None else 1


def _notice(item: AgendaLine, name: str, why: str) -> bytes:
    """A page standing in for a paper that cannot be merged."""
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, initialFontName=FONT)
    height = A4[1]
    pdf.setFillColor(INK)
    pdf.setFont(FONT_BOLD, 15)
    pdf.drawString(25 * mm, height - 60 * mm, f"Item {item.number}: {item.title}")
    pdf.setFont(FONT, 11.5)
    pdf.drawString(25 * mm, height - 75 * mm, f"The paper {name} is printed separately.")
    pdf.drawString(25 * mm, height - 83 * mm, why)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _load(item: AgendaLine, name: str, content: bytes, convert: Converter) -> LoadedPaper:
    suffix = Path(name).suffix.lower()
    if suffix in CONVERTIBLE:
        converted = convert(name, content)
        if converted is None:
            why = "It could not be converted to PDF here (LibreOffice is not installed)."
            return LoadedPaper(
                item, name, PdfReader(io.BytesIO(_notice(item, name, why))), "separate"
            )
        content = converted
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            reader.decrypt("")
        if len(reader.pages) == 0:
            raise PdfReadError("no pages")
    except (PdfReadError, ValueError, OSError) as exc:
        why = f"It could not be read as a PDF ({exc})."
        return LoadedPaper(item, name, PdfReader(io.BytesIO(_notice(item, name, why))), "separate")
    return LoadedPaper(item, name, reader)


def _stamps(
    papers: list[LoadedPaper], marking: str, front_pages: int, prefix: str = ""
) -> PdfReader:
    """One overlay page for every paper page of the pack, in order, each the size of the page
    as the reader sees it (page_frame): the marking at top and bottom, "Item N – page x of y",
    and the page's number in the whole pack; a supplement's ``prefix`` ("Supplement 1 – ")
    comes before both. (One document for the whole pack, so its fonts are embedded once.)"""
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, initialFontName=FONT)
    pack_pages = front_pages + sum(paper.pages for paper in papers)
    pack_page = front_pages
    page_word = "page" if prefix else "Page"
    for paper in papers:
        assert paper.reader is not None
        for number, page in enumerate(paper.reader.pages, start=1):
            pack_page += 1
            frame = frame_of(page)
            width, height = frame.width, frame.height
            pdf.setPageSize((width, height))
            pdf.setFillColorRGB(0.54, 0.11, 0.08)
            pdf.setFont(FONT_BOLD, 9)
            pdf.drawCentredString(width / 2, height - 7 * mm, marking)
            pdf.drawCentredString(width / 2, 4 * mm, marking)
            pdf.setFillColor(INK)
            pdf.setFont(FONT, 8.5)
            item = f"{prefix}Item {paper.item.number} – page {number} of {paper.pages}"
            pdf.drawRightString(width - 10 * mm, 4 * mm, item)
            pdf.drawString(10 * mm, 4 * mm, f"{prefix}{page_word} {pack_page} of {pack_pages}")
            pdf.showPage()
    pdf.save()
    return PdfReader(io.BytesIO(buffer.getvalue()))


STAMP_PREFIX = "/LSCBStamp"


def _stamp_fonts(stamps: PdfReader, writer: PdfWriter) -> DictionaryObject:
    """The stamps' fonts, copied into the pack once, under names no paper uses."""
    fonts = DictionaryObject()
    for page in stamps.pages:
        resources = cast(DictionaryObject, page["/Resources"])
        for name, font in cast(DictionaryObject, resources["/Font"]).items():
            key = NameObject(STAMP_PREFIX + name[1:])
            if key not in fonts:
                fonts[key] = font.clone(writer)
    return fonts


def _overlay(page: PageObject, stamp: PageObject, fonts: DictionaryObject) -> None:
    """Draws the stamp over the page (which is in the pack's writer): one new content stream
    holding the page's own content wrapped in q … Q, so that its graphics state cannot leak
    into the stamp, then the stamp, mapped onto the visible page (page_frame).

    This does what ``merge_transformed_page`` does for the one simple case a stamp is (text in
    fonts of its own), at a fraction of the cost: merging re-parses and renames every resource
    of every page, which made the pack several times slower and larger than the papers alone.
    The page's old content streams are left alone (another page may share them); the ones no
    page uses any more are dropped when the pack is written.
    """
    content = stamp.get_contents()
    assert content is not None
    data = content.get_data()
    stamp_resources = cast(DictionaryObject, stamp["/Resources"])
    for name in cast(DictionaryObject, stamp_resources["/Font"]):
        data = data.replace(f"{name} ".encode(), f"{STAMP_PREFIX}{name[1:]} ".encode())
    found = page.get("/Resources")
    resources = cast(
        DictionaryObject, found.get_object() if found is not None else DictionaryObject()
    )
    if "/Resources" not in page:
        page[NameObject("/Resources")] = resources
    if "/Font" not in resources:
        resources[NameObject("/Font")] = DictionaryObject()
    page_fonts = cast(DictionaryObject, resources["/Font"])
    for key, font in fonts.items():
        page_fonts[key] = font
    own = page.get_contents()
    combined = DecodedStreamObject()
    combined.set_data(
        b"q\n"
        + (own.get_data() if own is not None else b"")
        + b"\nQ\nq\n"
        + frame_of(page).cm
        + b"\n"
        + data
        + b"\nQ\n"
    )
    if "/Contents" in page:
        del page[NameObject("/Contents")]
    page.replace_contents(combined.flate_encode())


def _front(doc: AgendaDoc, papers: list[LoadedPaper]) -> tuple[PdfReader, dict[int, int]]:
    """The cover and agenda with each paper's first page; laid out until the numbers settle."""
    starts: dict[int, int] = {}
    front_pages = 2
    for _ in range(4):
        page = front_pages + 1
        starts = {}
        for paper in papers:
            starts[paper.item.id] = page
            page += paper.pages
        following = sum(paper.pages for paper in papers)
        reader = PdfReader(io.BytesIO(pack_front(doc, starts, following)))
        if len(reader.pages) == front_pages:
            return reader, starts
        front_pages = len(reader.pages)
    return reader, starts


def pages_in_words(count: int) -> str:
    return f"{count} page{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class PaperPlace:
    """Where a paper sits in a built pack: its item, first page and number of pages."""

    item_id: int
    name: str
    first_page: int
    pages: int


@dataclass(frozen=True)
class PackLayout:
    """What a build made: its pages in all, and where each paper sits."""

    pages: int
    papers: tuple[PaperPlace, ...]


def load_papers(
    papers: Sequence[tuple[AgendaLine, str, bytes]], convert: Converter, total: int
) -> Generator[Progress, None, list[LoadedPaper]]:
    """Reads each paper (or converts it, or makes a notice stand in for it), yielding progress
    (of ``total`` steps); returns them in order."""
    loaded = []
    for done, (item, name, content) in enumerate(papers, start=1):
        loaded.append(_load(item, name, content, convert))
        yield Progress(done, total, f"Read paper {done} of {len(papers)}: {name}")
    return loaded


def write_pack(
    front: PdfReader,
    outline: Sequence[str],
    loaded: list[LoadedPaper],
    house: Letterhead,
    title: str,
    target: Path,
    prefix: str = "",
) -> PackLayout:
    """The front pages (one outline entry per ``outline`` title, a page each), then every paper
    stamped (``prefix`` before its stamps), written to ``target``."""
    writer = PdfWriter()
    for page in front.pages:
        writer.add_page(page)
    for number, name in enumerate(outline):
        writer.add_outline_item(title=name, page_number=min(number, len(front.pages) - 1))
    stamp_pages: Iterator[PageObject] = iter(())
    fonts = DictionaryObject()
    if loaded:
        stamps = _stamps(loaded, house.marking, len(front.pages), prefix)
        fonts = _stamp_fonts(stamps, writer)
        stamp_pages = iter(stamps.pages)
    places = []
    for paper in loaded:
        assert paper.reader is not None
        first = len(writer.pages)
        for page in paper.reader.pages:
            _overlay(writer.add_page(page), next(stamp_pages), fonts)
        writer.add_outline_item(
            title=f"Item {paper.item.number}: {paper.item.title}", page_number=first
        )
        places.append(PaperPlace(paper.item.id, paper.name, first + 1, paper.pages))
    writer.add_metadata(
        {"/Title": title, "/Author": house.organisation, "/Creator": "LSCB Desktop"}
    )
    # The papers' own content streams, now inside the stamped ones, are not written twice.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    with Path(target).open("wb") as handle:
        writer.write(handle)
    return PackLayout(len(writer.pages), tuple(places))


def iter_pack(
    doc: AgendaDoc,
    papers: Sequence[tuple[AgendaLine, str, bytes]],
    target: Path,
    convert: Converter = convert_with_libreoffice,
) -> Generator[Progress, None, PackLayout]:
    """Builds the pack at ``target``, yielding progress, and returns its layout; abandoning it
    writes nothing."""
    total = len(papers) + 2
    with atomic_path(Path(target)) as partial:
        loaded = yield from load_papers(papers, convert, total)
        front, starts = _front(doc, loaded)
        yield Progress(len(papers) + 1, total, "Laid out the cover and agenda")
        title = f"Agenda pack — {doc.head.group}, {doc.head.starts_at:%d/%m/%Y}"
        layout = write_pack(front, ("Cover", "Agenda"), loaded, doc.house, title, partial)
        assert all(place.first_page == starts[place.item_id] for place in layout.papers)
        yield Progress(total, total, f"Wrote {pages_in_words(layout.pages)}")
    return layout
