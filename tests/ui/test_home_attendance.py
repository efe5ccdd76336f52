"""The Home tab names the meetings whose attendance is still to record, and opens them."""

from __future__ import annotations

from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.attendance_recording import mark_all_present


def test_a_partly_recorded_meeting_is_on_home_and_opens_on_the_attendance_tab(window, qtbot):
    window.tabs.setCurrentWidget(window.home_tab)
    home = window.home_tab
    lines = home.lines("attendance_to_record")
    assert len(lines) == 1  # the sample's latest meeting, recorded only in part
    assert "recorded: the figures count the rest as not attended" in lines[0]
    meeting_id = home.models["attendance_to_record"].lines[0].record_id
    sheet = meeting_sheet(window.database, meeting_id)
    assert f"{sheet.recorded} of {sheet.expected} recorded" in lines[0]
    home.open_line("attendance_to_record", 0)
    tab = window.attendance_tab
    assert window.tabs.currentWidget() is tab
    assert tab.inner.currentWidget() is tab.record
    assert tab.record.meeting.currentData() == meeting_id
    mark_all_present(window.database, meeting_id)
    window.tabs.setCurrentWidget(home)
    home.refresh()
    assert home.lines("attendance_to_record") == []
