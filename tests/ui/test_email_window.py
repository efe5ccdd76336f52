"""Documents > E-mail the pack… and Remind presenters…: the draft e-mail opens in the mail
program, addressed, with the pack attached; everything stays in the private folder."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from pathlib import Path

from PySide6.QtGui import QDesktopServices

from lscb_desktop.services.agenda import ItemInput, save_item
from lscb_desktop.services.groups import group_choices
from lscb_desktop.services.people import person_choices
from lscb_desktop.services.schedule import create_meetings
from lscb_desktop.ui.tables import select_where
from tests.ui.test_meetings_tab import open_meetings
from tests.ui.test_minutes_window import _menu_action, _select_board_meeting


def _opened(monkeypatch) -> list[Path]:
    opened: list[Path] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile())) or True
    )
    return opened


def test_the_pack_is_emailed_as_a_draft_the_mail_program_opens(window, monkeypatch):
    opened = _opened(monkeypatch)
    tab = _select_board_meeting(window, dt.date(2026, 6, 10))
    _menu_action(tab, "E-mail the pac&k…").trigger()
    (draft,) = opened
    assert draft.suffix == ".eml" and draft.stat().st_mode & 0o077 == 0
    message = message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert message["X-Unsent"] == "1"
    assert message["Subject"].endswith("Strategic Board: agenda and papers for 10/06/2026")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "Agenda pack Strategic Board 2026-06-10.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    assert window.statusBar().currentMessage().startswith("Drafted the e-mail of the pack: to ")


def test_presenters_are_reminded_and_a_complete_agenda_says_so(window, monkeypatch, message_boxes):
    opened = _opened(monkeypatch)
    group = next(c.id for c in group_choices(window.database) if c.text == "Executive Group")
    create_meetings(window.database, group, [dt.datetime(2027, 3, 9, 10)])
    tab = open_meetings(window)
    tab.refresh()
    assert select_where(tab.table, lambda row: row.date == dt.date(2027, 3, 9))
    meeting = tab.current_meeting()
    remind = _menu_action(tab, "Remind &presenters of missing papers…")
    remind.trigger()
    assert message_boxes == [("information", "Every paper this agenda waits for has come in.")]
    message_boxes.clear()
    save_item(
        window.database,
        meeting.id,
        ItemInput("Neglect strategy", presenter_text="Head of Service", paper_expected=True),
    )
    remind.trigger()
    assert opened == []
    assert message_boxes == [
        (
            "information",
            "No presenter of a missing paper has an email address on file (Head of Service).",
        )
    ]
    mary = next(c.id for c in person_choices(window.database) if c.text.startswith("Mary Emson"))
    save_item(
        window.database,
        meeting.id,
        ItemInput("Designated professionals' report", presenter_id=mary, paper_expected=True),
    )
    remind.trigger()
    (draft,) = opened
    message = message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert "mary.emson@lutonccg.nhs.uk" in message["To"]
    assert "Neglect strategy (Head of Service)" in message.get_body().get_content()
    assert window.statusBar().currentMessage().startswith("Drafted the reminder: to 1 presenter")
