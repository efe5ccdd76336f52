"""What issue 12 put on the attendance register, the agenda and the pack, read back from the PDF
as a clerk would check it: the quorum rule in words and who does not count, seats, a place for
arrival and departure, officers in attendance for items, declarations of interest, reasons for
apologies."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pypdf import PdfReader
from sqlalchemy import select

from lscb_desktop.models import Agency, AttendanceStatus, DeclarationAction, Group
from lscb_desktop.services.agenda import ItemInput, agenda_rows, save_item
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.attendance_recording import record_attendance, record_details
from lscb_desktop.services.declarations import DeclarationInput, add_declaration
from lscb_desktop.services.exports import export_agenda, export_register, iter_export_pack
from lscb_desktop.services.guests import add_guest
from lscb_desktop.services.settings import load_settings, save_settings
from tests.reports.test_pdfs import assert_house_style, meeting, pages

LONG_ORGANISATION = (
    "Bedfordshire, Luton and Milton Keynes Integrated Care Board Safeguarding Children Service"
)


def words(texts: list[str]) -> str:
    return " ".join(" ".join(texts).split())


def test_the_register_gives_the_rule_in_words_and_who_does_not_count(sample_db, tmp_path):
    lig = meeting(sample_db, "Learning and Improvement Group", dt.date(2026, 11, 20))
    with sample_db.session() as session:
        group = session.get_one(Group, lig.group_id)
        partners = ["Bedfordshire Police", "Luton Clinical Commissioning Group"]
        group.quorum_partners = list(
            session.scalars(select(Agency).where(Agency.name.in_(partners)))
        )
        uncounted = {a.name for a in session.scalars(select(Agency)) if not a.counts_for_quorum}
    target = export_register(sample_db, lig.id, tmp_path / "register.pdf")
    assert_house_style(target)
    text = words(pages(target))
    assert (
        "Quorum: at least 3 agencies represented, including Bedfordshire Police and Luton "
        "Clinical Commissioning Group, by a member or a named substitute." in text
    )
    sheet = meeting_sheet(sample_db, lig.id)
    not_counting = [r for r in sheet.attendees if r.expected and not r.counts]
    assert not_counting  # the business unit's business manager sits on every group
    for row in not_counting:
        if row.agency in uncounted:
            assert f"Members from {row.agency}" in text
    assert "do not count towards the quorum (marked “Not counted”)" in text
    assert text.count("Not counted") == len(not_counting) + 1  # each line, and the sentence
    with_seat = next(r for r in sheet.attendees if r.expected and r.seat)
    assert f"{with_seat.name} {with_seat.seat}" in text


def test_the_register_has_room_for_times_officers_and_declarations(sample_db, tmp_path):
    lig = meeting(sample_db, "Learning and Improvement Group", dt.date(2026, 11, 20))
    items = agenda_rows(sample_db, lig.id)
    item = items[3]
    add_guest(
        sample_db,
        lig.id,
        "Dr Ruth Amadi",
        LONG_ORGANISATION,
        job_title="Designated Nurse",
        item_ids=[item.id],
        after_confirmation=True,
    )
    member = next(r for r in meeting_sheet(sample_db, lig.id).attendees if r.expected)
    add_declaration(
        sample_db,
        lig.id,
        DeclarationInput(
            member.person_id,
            "My partner manages the service under review",
            DeclarationAction.LEFT_ROOM,
            agenda_item_id=item.id,
        ),
        after_confirmation=True,
    )
    target = export_register(sample_db, lig.id, tmp_path / "register.pdf")
    texts = pages(target)
    for page in texts[:-1]:  # the header on every page the members' table runs onto
        assert "Arrived / left" in " ".join(page.split())
    text = words(texts)
    assert "Guests and officers in attendance" in text
    assert "Dr Ruth Amadi" in text
    assert f"Designated Nurse, {LONG_ORGANISATION}" in text  # a long name wraps, whole
    assert f"Item {item.number}: {item.title}" in text
    declarations = text[text.index("Declarations of interest") :]
    assert "Item Name Interest Action taken" in declarations
    assert member.name in declarations
    assert "My partner manages the service under review" in declarations
    assert "Left the room" in declarations
    reader = PdfReader(target)
    assert all(
        float(p.mediabox.width) < 596 and float(p.mediabox.height) < 842 for p in reader.pages
    )


def held_board(db):
    return meeting(db, "Strategic Board", dt.date(2026, 6, 10))


def test_the_agenda_asks_for_declarations_and_lists_those_recorded(sample_db, tmp_path):
    board = held_board(sample_db)
    target = export_agenda(sample_db, board.id, tmp_path / "agenda.pdf")
    text = words(pages(target))
    ask = text.index("Declarations of interest Members are asked to declare any interest")
    assert ask < text.index("Welcome, introductions and apologies")  # near the top

    item = agenda_rows(sample_db, board.id)[4]
    member = next(r for r in meeting_sheet(sample_db, board.id).attendees if r.expected)
    add_declaration(
        sample_db,
        board.id,
        DeclarationInput(
            member.person_id,
            "I chair the provider's board",
            DeclarationAction.TOOK_NO_PART,
            agenda_item_id=item.id,
        ),
        after_confirmation=True,
    )
    text = words(pages(export_agenda(sample_db, board.id, tmp_path / "again.pdf")))
    recorded = text[text.index("Declarations of interest recorded") :]
    assert f"Item {item.number}: {item.title} {member.name} I chair the provider's board" in (
        recorded
    )
    assert "Took no part" in recorded


def test_an_agenda_with_its_own_declarations_item_does_not_ask_twice(sample_db, tmp_path):
    board = held_board(sample_db)
    save_item(sample_db, board.id, ItemInput("Declarations of interest", minutes=5))
    text = words(pages(export_agenda(sample_db, board.id, tmp_path / "agenda.pdf")))
    assert "Members are asked to declare" not in text
    assert "Declarations of interest" in text


def test_the_apologies_give_their_reasons(sample_db, tmp_path):
    board = held_board(sample_db)
    sheet = meeting_sheet(sample_db, board.id)
    first, second = [r for r in sheet.attendees if r.expected][:2]
    for row, reason in ((first, "Illness"), (second, "Ofsted inspection visit")):
        record_attendance(
            sample_db, board.id, row.person_id, AttendanceStatus.APOLOGIES, after_confirmation=True
        )
        record_details(sample_db, board.id, row.person_id, reason=reason, after_confirmation=True)
    text = words(pages(export_agenda(sample_db, board.id, tmp_path / "agenda.pdf")))
    apologies = text[text.index("Apologies:") :]
    assert f"{first.name} (illness)" in apologies  # a reason from the list, as a phrase
    assert f"{second.name} (Ofsted inspection visit)" in apologies  # typed, as typed


def test_officers_in_attendance_appear_beside_their_items(sample_db, tmp_path):
    board = held_board(sample_db)
    items = agenda_rows(sample_db, board.id)
    add_guest(
        sample_db,
        board.id,
        "Mark Oduya",
        "Luton Borough Council",
        job_title="Principal Social Worker",
        item_ids=[items[3].id],
        after_confirmation=True,
    )
    add_guest(sample_db, board.id, "Helen Marsh", "Barnfield College", after_confirmation=True)
    text = words(pages(export_agenda(sample_db, board.id, tmp_path / "agenda.pdf")))
    beside = text.index("In attendance for this item: Mark Oduya, Principal Social Worker")
    assert text.index(items[3].title) < beside < text.index(items[4].title)
    assert "In attendance Helen Marsh, Barnfield College" in text  # the whole meeting, at the top


def test_the_pack_carries_the_declarations_and_officers(sample_db, tmp_path):
    board = held_board(sample_db)
    items = agenda_rows(sample_db, board.id)
    add_guest(
        sample_db,
        board.id,
        "Mark Oduya",
        "Luton Borough Council",
        item_ids=[items[3].id],
        after_confirmation=True,
    )
    member = next(r for r in meeting_sheet(sample_db, board.id).attendees if r.expected)
    add_declaration(
        sample_db,
        board.id,
        DeclarationInput(member.person_id, "A relative works for the provider"),
        after_confirmation=True,
    )
    target = tmp_path / "pack.pdf"
    list(iter_export_pack(sample_db, board.id, target, convert=lambda n, c: None))
    texts = pages(target)
    assert "Declarations of interest: 1 recorded, listed after the agenda" in words(texts[:1])
    front = words(texts[1:3])
    assert "A relative works for the provider" in front and "Whole meeting" in front
    assert "In attendance for this item: Mark Oduya" in front
    for number, page in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in page


def test_lay_members_count_on_the_register_as_the_settings_say(sample_db, tmp_path):
    exec_group = meeting(sample_db, "Executive Group", dt.date(2025, 11, 25))
    lay = [r for r in meeting_sheet(sample_db, exec_group.id).attendees if r.role == "Lay member"]
    assert lay  # the Executive Group has a lay member
    text = words(pages(export_register(sample_db, exec_group.id, tmp_path / "a.pdf")))
    assert "lay members do not count towards the quorum" in text
    assert f"{lay[0].name}" in text and "Lay member Not counted" in text
    settings = load_settings(sample_db)
    save_settings(sample_db, dataclasses.replace(settings, lay_members_count_for_quorum=True))
    text = words(pages(export_register(sample_db, exec_group.id, tmp_path / "b.pdf")))
    assert "lay members" not in text
    assert "Lay member Not counted" not in text
