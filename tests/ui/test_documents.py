"""Documents from the window: saved where the user says (the folder remembered), opened after
saving when asked, printed through a preview; long ones built off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox

from lscb_desktop.ui.documents import paint_pdf
from tests.ui.test_main_window import trigger


def save_to(monkeypatch, target: Path) -> list[str]:
    """Answers the save dialog with ``target``; returns the paths the dialog suggested."""
    suggested: list[str] = []

    def dialog(_parent, _title, start, _filters):
        suggested.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    return suggested


def test_the_agenda_is_saved_from_the_meetings_tab_and_the_folder_remembered(
    window, monkeypatch, tmp_path
):
    window.tabs.setCurrentWidget(window.meetings_tab)
    folder = tmp_path / "agendas"
    folder.mkdir()
    suggested = save_to(monkeypatch, folder / "agenda.pdf")
    window.meetings_tab.document("agenda")
    text = PdfReader(folder / "agenda.pdf").pages[0].extract_text()
    assert "Executive Group — Meeting" in text
    assert Path(suggested[0]).name == "Agenda Executive Group 2026-12-01.pdf"
    window.meetings_tab.document("agenda")
    assert Path(suggested[1]).parent == folder  # the next save starts where the last one went


def test_the_pack_is_built_from_the_documents_menu(window, monkeypatch, tmp_path):
    window.tabs.setCurrentWidget(window.meetings_tab)
    tab = window.meetings_tab
    tab.group_filter.setCurrentIndex(tab.group_filter.findText("Strategic Board"))
    tab.period_filter.setCurrentIndex(tab.period_filter.findText("2026-27"))
    assert tab.select_meeting(next(r.id for r in tab.model.rows if r.papers == 3))
    save_to(monkeypatch, tmp_path / "pack.pdf")
    trigger(window, "Agenda pack…")
    reader = PdfReader(tmp_path / "pack.pdf")
    assert len(reader.pages) == 5
    assert [o.title for o in reader.outline][:2] == ["Cover", "Agenda"]


def test_open_after_saving_opens_the_file(window, monkeypatch, tmp_path):
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    window.open_after_action.setChecked(True)
    save_to(monkeypatch, tmp_path / "register.pdf")
    window.tabs.setCurrentWidget(window.meetings_tab)
    trigger(window, "Attendance register…")
    assert opened == [str(tmp_path / "register.pdf")]
    window.open_after_action.setChecked(False)
    save_to(monkeypatch, tmp_path / "agenda.pdf")
    trigger(window, "Agenda…")
    assert len(opened) == 1


def test_print_shows_a_preview_of_the_generated_pdf(window, monkeypatch):
    shown: list[QPrintPreviewDialog] = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda dialog: shown.append(dialog) or 1)
    window.tabs.setCurrentWidget(window.meetings_tab)
    trigger(window, "Print agenda…")
    assert shown[0].windowTitle() == "Print — Agenda — Executive Group"


def test_the_preview_paints_every_page_of_the_pdf(window, tmp_path, monkeypatch):
    save_to(monkeypatch, tmp_path / "agreements.pdf")
    window.board_tab.members.agreements_for_group()
    source = QPdfDocument(window)
    source.load(str(tmp_path / "agreements.pdf"))
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert paint_pdf(source, printer) == 20  # one agreement per Board member
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 20


def test_member_documents_from_the_board_tab(window, monkeypatch, tmp_path):
    members = window.board_tab.members
    members.table.selectRow(0)
    name = members.current_row().name
    save_to(monkeypatch, tmp_path / "agreement.pdf")
    members.agreement_for_member()
    assert name in PdfReader(tmp_path / "agreement.pdf").pages[0].extract_text()
    save_to(monkeypatch, tmp_path / "contacts.xlsx")
    members.contacts(workbook=True)
    sheet = load_workbook(tmp_path / "contacts.xlsx")["Contacts"]
    assert sheet.max_row == 2 + 20


def test_the_annual_workbook_from_the_attendance_figures(window, monkeypatch, tmp_path):
    window.tabs.setCurrentWidget(window.attendance_tab)
    figures = window.attendance_tab.figures
    figures.period.setCurrentIndex(figures.period.findText("2025-26"))
    save_to(monkeypatch, tmp_path / "attendance.xlsx")
    figures.workbook_button.click()
    book = load_workbook(tmp_path / "attendance.xlsx")
    assert book.sheetnames[0] == "Summary"
    assert "Board" in book.sheetnames


def test_a_folder_that_cannot_be_written_gets_a_clear_message(window, monkeypatch, tmp_path):
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    save_to(monkeypatch, tmp_path / "missing folder" / "agenda.pdf")
    window.meetings_tab.document("agenda")
    assert "the folder" in warnings[0] and "does not exist" in warnings[0]
