"""The PDFs read back as a person would check them: the words on each page, the marking on every
page, page numbers, bookmarks and page counts, embedded fonts and the document's properties."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from lscb_desktop.services.agenda import ItemInput, attach_paper, save_item
from lscb_desktop.services.documents import agenda_doc, pack_papers
from lscb_desktop.services.exports import (
    export_agenda,
    export_agreements,
    export_contacts,
    export_register,
    iter_export_pack,
)
from lscb_desktop.services.files import OutputError
from lscb_desktop.services.meetings import meeting_rows
from lscb_desktop.services.settings import save_logo
from tests.conftest import SAMPLE_TODAY

MARKING = "OFFICIAL-SENSITIVE"


def pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def meeting(db, group: str, day: dt.date):
    return next(
        r for r in meeting_rows(db, today=SAMPLE_TODAY) if r.group == group and r.date == day
    )


def assert_house_style(path: Path) -> None:
    texts = pages(path)
    for number, text in enumerate(texts, start=1):
        assert text.count(MARKING) >= 2, f"page {number} lacks the marking top and bottom"
        assert f"Page {number} of {len(texts)}" in text
    reader = PdfReader(path)
    assert reader.metadata.author == "Luton Safeguarding Children Board"
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("LiberationSans" in font for font in fonts)
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/FontDescriptor"] if "/FontDescriptor" in font else None
            if descriptor is None:
                descendant = font.get_object()["/DescendantFonts"][0].get_object()
                descriptor = descendant["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), "fonts must be embedded"


def test_the_agenda_lists_the_items_with_times_presenters_and_papers(sample_db, tmp_path):
    row = meeting(sample_db, "Executive Group", dt.date(2026, 12, 1))
    target = export_agenda(sample_db, row.id, tmp_path / "agenda.pdf")
    assert_house_style(target)
    text = " ".join(pages(target))
    assert "Luton Safeguarding Children Board" in text
    assert "Executive Group — Meeting" in text
    assert "Tuesday 01/12/2026, 10:00 to 12:00" in text
    assert "Committee Room 2, Town Hall" in text
    assert "Chair Frances Pearson" in " ".join(text.split())
    assert re.search(r"1\s+10:00\s+Welcome, introductions and apologies", text)
    assert re.search(r"4\s+10:25\s+Budget and partner contributions", text)
    assert "Paper 4" in text and "To follow" in text
    assert "Apologies: none received yet." in text
    assert "Date of next meeting: Tuesday 26/01/2027, 10:00." in text
    assert PdfReader(target).metadata.title == "Agenda — Executive Group, 01/12/2026"


def test_the_register_runs_onto_more_pages_with_its_header_repeated(sample_db, tmp_path):
    lig = meeting(sample_db, "Learning and Improvement Group", dt.date(2026, 11, 20))
    target = export_register(sample_db, lig.id, tmp_path / "register.pdf")
    assert_house_style(target)
    texts = pages(target)
    assert len(texts) >= 2  # 27 members and room to sign
    for text in texts[: len(texts) - 1]:
        words = " ".join(text.split())
        assert "Name Agency Role Signature Arrived / left Substitute's name" in words
    whole = " ".join(texts)
    assert "Quorum: at least 3 agencies represented, by a member or a named substitute." in whole
    assert "Dr Abdullah Khan" in whole and "Adele Penfold" in whole
    assert "Guests and officers in attendance" in whole
    assert "Declarations of interest" in whole


def test_the_pack_has_a_cover_the_agenda_and_every_paper_stamped_and_bookmarked(
    sample_db, tmp_path
):
    board = meeting(sample_db, "Strategic Board", dt.date(2026, 6, 10))
    papers = pack_papers(sample_db, board.id)
    word = tmp_path / "Neglect strategy.docx"
    word.write_bytes(b"PK\x03\x04 a Word file")
    item = save_item(sample_db, board.id, ItemInput("Neglect strategy", minutes=10))
    attach_paper(sample_db, item, word)
    steps = list(
        iter_export_pack(sample_db, board.id, tmp_path / "pack.pdf", convert=lambda n, c: None)
    )
    assert steps[-1].fraction == 1.0
    target = tmp_path / "pack.pdf"
    reader = PdfReader(target)
    texts = pages(target)
    front = 2  # the cover and the agenda
    assert len(reader.pages) == front + len(papers) + 1  # one page each, and the Word notice
    assert "Agenda pack" in texts[0]
    assert [o.title for o in reader.outline] == [
        "Cover",
        "Agenda",
        *(f"Item {row.number}: {row.title}" for row, _, _ in papers),
        "Item 7: Neglect strategy",
    ]
    for number, text in enumerate(texts, start=1):
        assert text.count(MARKING) >= 2
        assert f"Page {number} of {len(texts)}" in text
    first_paper = papers[0][0]
    assert f"Paper {first_paper.number}, page {front + 1}" in texts[1]
    assert f"Item {first_paper.number} – page 1 of 1" in texts[front]
    assert first_paper.title in texts[front]
    assert "The paper Neglect strategy.docx is printed separately." in texts[-1]


def test_a_converted_word_paper_is_merged_page_for_page(sample_db, tmp_path):
    board = meeting(sample_db, "Strategic Board", dt.date(2026, 6, 10))
    word = tmp_path / "Two pages.docx"
    word.write_bytes(b"PK\x03\x04")
    item = save_item(sample_db, board.id, ItemInput("Two-page report", minutes=10))
    attach_paper(sample_db, item, word)
    two_pages = (Path(__file__).parent / "two-pages.pdf").read_bytes()
    list(iter_export_pack(sample_db, board.id, tmp_path / "p.pdf", convert=lambda n, c: two_pages))
    texts = pages(tmp_path / "p.pdf")
    assert "Item 7 – page 1 of 2" in texts[-2]
    assert "Item 7 – page 2 of 2" in texts[-1]


def test_a_cancelled_pack_writes_nothing(sample_db, tmp_path):
    board = meeting(sample_db, "Strategic Board", dt.date(2026, 6, 10))
    out = tmp_path / "out"
    out.mkdir()
    steps = iter_export_pack(sample_db, board.id, out / "pack.pdf")
    next(steps)
    steps.close()
    assert list(out.iterdir()) == []


def test_agreements_one_per_page_for_a_group_or_a_person(sample_db, tmp_path):
    maag = next(
        r.group_id for r in meeting_rows(sample_db) if r.group == "Multi-Agency Audit Group"
    )
    target = export_agreements(sample_db, tmp_path / "agreements.pdf", group_id=maag)
    assert_house_style(target)
    texts = pages(target)
    assert len(texts) == 8
    assert all("LSCB Membership Agreement" in t for t in texts)
    assert "DS Colin Nelson" in texts[0] and "Bedfordshire Police" in texts[0]
    assert "Recommending or deciding upon the necessary steps" in texts[0]
    assert "Signature:" in texts[-1]


def test_the_logo_appears_on_the_first_page(sample_db, tmp_path):
    from PySide6.QtGui import QColor, QImage

    image = QImage(60, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    image.save(str(tmp_path / "logo.png"))
    save_logo(sample_db, (tmp_path / "logo.png").read_bytes())
    row = meeting(sample_db, "Executive Group", dt.date(2026, 12, 1))
    target = export_agenda(sample_db, row.id, tmp_path / "agenda.pdf")
    assert "/XObject" in PdfReader(target).pages[0]["/Resources"]


def test_the_contact_list(sample_db, tmp_path):
    maag = next(
        r.group_id for r in meeting_rows(sample_db) if r.group == "Multi-Agency Audit Group"
    )
    text = " ".join(pages(export_contacts(sample_db, maag, tmp_path / "contacts.pdf")))
    assert "Contact list" in text
    assert "mary.emson@lutonccg.nhs.uk" in text and "01582 532044" in text


def test_a_folder_that_does_not_exist_gets_a_clear_message(sample_db, tmp_path):
    row = meeting(sample_db, "Executive Group", dt.date(2026, 12, 1))
    with pytest.raises(OutputError, match=r"the folder .* does not exist"):
        export_agenda(sample_db, row.id, tmp_path / "nowhere" / "agenda.pdf")


def test_the_agenda_doc_counts_apologies_from_recorded_attendance(sample_db):
    board = meeting(sample_db, "Strategic Board", dt.date(2026, 6, 10))
    doc = agenda_doc(sample_db, board.id)
    assert doc.apologies  # the sample records apologies for held meetings
    assert doc.head.chair == "Frances Pearson"
