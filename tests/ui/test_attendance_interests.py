"""The register of interests (a third page of the Attendance tab), and which tabs show the new
tables when someone else changes them."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from lscb_desktop.models import DeclarationAction, MeetingStatus
from lscb_desktop.services.declarations import (
    DeclarationInput,
    add_declaration,
    register_of_interests,
)
from lscb_desktop.services.meetings import MeetingInput, save_meeting
from lscb_desktop.store.watch import Changes
from lscb_desktop.ui.live_refresh import tabs_showing
from lscb_desktop.ui.tables import select_where
from tests.ui.attendance_scene import Scene, build_scene
from tests.ui.test_attendance_figures import double_click


@pytest.fixture
def scene(sample_db) -> Scene:
    scene = build_scene(sample_db)
    earlier = save_meeting(
        sample_db,
        MeetingInput(scene.group, dt.datetime(2026, 9, 9, 10), status=MeetingStatus.HELD),
    )
    for meeting, who, interest, item in (
        (scene.meeting, "bob", "Trustee of the provider", scene.items[1]),
        (scene.meeting, "ann", "Partner works for the council", None),
        (earlier, "bob", "Owns shares in the supplier", None),
    ):
        data = DeclarationInput(
            scene.people[who], interest, DeclarationAction.LEFT_ROOM, agenda_item_id=item
        )
        add_declaration(sample_db, meeting, data)
    scene.earlier = earlier  # type: ignore[attr-defined]
    return scene


def register_page(window):
    window.tabs.setCurrentWidget(window.attendance_tab)
    window.attendance_tab.inner.setCurrentWidget(window.attendance_tab.interests)
    return window.attendance_tab.interests


def shown(page, column: int) -> list[str]:
    proxy = page.proxy
    return [proxy.index(i, column).data() for i in range(proxy.rowCount())]


def test_the_register_lists_every_declaration_and_searches_as_you_type(window, qtbot, scene):
    page = register_page(window)
    everything = register_of_interests(scene.db)
    assert page.model.rows == everything
    assert {"Trustee of the provider", "Owns shares in the supplier"} <= set(shown(page, 5))
    qtbot.keyClicks(page.search, "shares")
    assert shown(page, 5) == ["Owns shares in the supplier"]
    assert shown(page, 0) == ["09/09/2026"]
    assert page.count.text() == f"1 of {len(everything)} declarations"
    page.search.clear()
    page.person.setCurrentIndex(page.person.findText("Bob Baker"))
    assert sorted(shown(page, 5)) == ["Owns shares in the supplier", "Trustee of the provider"]
    assert set(shown(page, 6)) == {"Left the room"}
    assert shown(page, 2)[0] in ("Item 2: Neglect strategy", "Whole meeting")
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert shown(page, 0) == ["09/09/2026", "18/11/2026"]


def test_a_declaration_opens_its_meeting(window, qtbot, scene):
    page = register_page(window)
    page.person.setCurrentIndex(page.person.findText("Ann Able"))
    index = page.proxy.index(0, 3)
    double_click(qtbot, page.table, index)
    tab = window.attendance_tab
    assert tab.inner.currentWidget() is tab.record
    assert tab.record.meeting.currentData() == scene.meeting
    assert tab.record.lists.tabText(1) == "Declarations of interest (2)"


def test_the_history_of_a_declaration_from_the_register(window, scene):
    page = register_page(window)
    assert select_where(page.table, lambda r: r.interest == "Trustee of the provider")
    chosen = window.attendance_tab.selected_record()
    assert [r.table for r in chosen.records] == ["declaration"]
    assert chosen.title == "Declaration of interest: Bob Baker, Item 2: Neglect strategy"


@pytest.mark.parametrize(
    ("table", "tabs"),
    [
        ("declaration", {"home", "attendance"}),
        ("guest_item", {"home", "attendance"}),
        ("group_quorum_partner", {"home", "subgroups", "attendance"}),
    ],
)
def test_the_new_tables_refresh_the_tabs_that_show_them(table, tabs):
    """Not every tab (as a table the window does not know would), only those that show it."""
    assert tabs_showing(Changes(frozenset({table}))) == tabs
