"""The main window's menus: File, Edit (with Undo and Redo), Documents, View and Help."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QMenu,
    QMessageBox,
)

from lscb_desktop import APP_NAME
from lscb_desktop.ui.documents import open_after_saving, set_open_after_saving
from lscb_desktop.ui.guide import show_user_guide
from lscb_desktop.ui.window_parts import WindowParts

if TYPE_CHECKING:  # imported with its tab, not at start-up
    from lscb_desktop.ui.members_panel import MembersPanel


class WindowMenus(WindowParts):
    """The menus of :class:`lscb_desktop.ui.main_window.MainWindow` (a mixin)."""

    # -- menus --------------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence.StandardKey | str | None = None,
        menu: QMenu | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        if menu is not None:
            menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action("New &database…", self.new_database, "Ctrl+Shift+N", file_menu)
        self._action(
            "&Open database…", self.open_database, QKeySequence.StandardKey.Open, file_menu
        )
        self.connect_action = self._action(
            "Connect to a &shared database…", self.connect_to_server, None, file_menu
        )
        self.recent_menu = file_menu.addMenu("&Recent databases")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self.backup_action = self._action("&Backup now…", self.backup_now, None, file_menu)
        self.restore_action = self._action(
            "&Restore from backup…", self.restore_from_backup, None, file_menu
        )
        self.copy_action = self._action("&Copy database to…", self.copy_database, None, file_menu)
        file_menu.addSeparator()
        self.import_action = self._action(
            "&Import workbook…", self.import_workbook, None, file_menu
        )
        self.export_action = self._action(
            "&Export workbook…", self.export_workbook, None, file_menu
        )
        file_menu.addSeparator()
        self.settings_action = self._action("&Settings…", self.edit_settings, "Ctrl+,", file_menu)
        file_menu.addSeparator()
        self._action("&Quit", self.close, "Ctrl+Q", file_menu)

        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo.undo_action)
        edit_menu.addAction(self.undo.redo_action)
        edit_menu.addSeparator()
        self.new_action = self._action(
            "&New…",
            lambda: self.current_tab().new_record(),
            QKeySequence.StandardKey.New,
            edit_menu,
        )
        self.edit_action = self._action(
            "&Edit…", lambda: self.current_tab().edit_record(), "Ctrl+E", edit_menu
        )
        self.end_action = self._action(
            "End membership / &Remove…",
            lambda: self.current_tab().remove_record(),
            "Ctrl+D",
            edit_menu,
        )
        self.delete_action = self._action(
            "&Delete…",
            lambda: self.current_tab().delete_record(),
            QKeySequence.StandardKey.Delete,
            edit_menu,
        )
        edit_menu.addSeparator()
        self.history_action = self._action("&History…", self.show_history, "Ctrl+H", edit_menu)
        self._action(
            "&Find",
            lambda: self.current_tab().focus_search(),
            QKeySequence.StandardKey.Find,
            edit_menu,
        )

        self._build_documents_menu(bar.addMenu("&Documents"))

        view_menu = bar.addMenu("&View")
        self.view_actions: list[QAction] = []
        for index, name in enumerate(self.tab_names()):
            self.view_actions.append(
                self._action(
                    f"&{name}",
                    partial(self.tabs.setCurrentIndex, index),
                    f"Ctrl+{index + 1}",
                    view_menu,
                )
            )
        view_menu.addSeparator()
        self._action("&Refresh", self.refresh_all, QKeySequence.StandardKey.Refresh, view_menu)

        help_menu = bar.addMenu("&Help")
        self._action(
            "&User guide",
            lambda: show_user_guide(self),
            QKeySequence.StandardKey.HelpContents,
            help_menu,
        )
        self._action(f"&About {APP_NAME}", self.about, None, help_menu)

    def _build_documents_menu(self, menu: QMenu) -> None:
        """Every document, acting on what is selected in the tab it belongs to."""
        for text, what in (
            ("&Agenda…", "agenda"),
            ("Agenda &pack…", "pack"),
            ("Attendance &register…", "register"),
        ):
            self._action(text, partial(self._meeting_document, what), None, menu)
        self.print_action = self._action(
            "&Print agenda…",
            lambda: self.meetings_tab.document("agenda", to_printer=True),
            QKeySequence.StandardKey.Print,
            menu,
        )
        self._action(
            "Print agenda pack…",
            lambda: self.meetings_tab.document("pack", to_printer=True),
            None,
            menu,
        )
        self._action(
            "Print attendance register…",
            lambda: self.meetings_tab.document("register", to_printer=True),
            None,
            menu,
        )
        menu.addSeparator()
        for text, name in (
            ("&Issue the pack…", "issue_pack"),
            ("Issue a &supplement…", "issue_supplement"),
            ("E-mail the pac&k…", "email_pack"),
            ("E-mail the suppl&ement…", "email_supplement"),
            ("Save the draft &minutes…", "draft_minutes"),
        ):
            self._action(text, partial(self._meeting_job, name), None, menu)
        menu.addSeparator()
        self._action(
            "Membership a&greement…", lambda: self._members().agreement_for_member(), None, menu
        )
        self._action(
            "Membership agreements for the &group…",
            lambda: self._members().agreements_for_group(),
            None,
            menu,
        )
        self._action("&Contact list…", lambda: self._members().contacts(workbook=False), None, menu)
        menu.addSeparator()
        self._action(
            "Annual attendance &workbook…",
            lambda: self.attendance_tab.figures.save_workbook(),  # noqa: PLW0108 - the tab of now
            None,
            menu,
        )
        self._action(
            "Meetings &calendar (.ics)…",
            lambda: self.meetings_tab.save_calendar(),  # noqa: PLW0108 - the tab of now
            None,
            menu,
        )
        menu.addSeparator()
        self.open_after_action = QAction("&Open documents after saving", self)
        self.open_after_action.setCheckable(True)
        self.open_after_action.setChecked(open_after_saving())
        self.open_after_action.toggled.connect(set_open_after_saving)  # the documents' setting
        menu.addAction(self.open_after_action)

    def show_history(self) -> None:
        """The change log of the record selected in the current tab."""
        chosen = self.current_tab().selected_record()
        if chosen is None:
            QMessageBox.information(
                self,
                "History",
                "Select a record first (a member, group, meeting, action, audit or case review),"
                " then choose Edit > History… to see who changed it, when, and from what to what.",
            )
            return
        from lscb_desktop.ui.history_dialog import HistoryDialog  # noqa: PLC0415

        HistoryDialog.show_for(self.database, chosen, self)

    def _meeting_document(self, what: str) -> None:
        # Looked up when chosen: the tabs are rebuilt when another database is opened.
        self.meetings_tab.document(what)

    def _meeting_job(self, name: str) -> None:
        """One of the Meetings tab's Documents jobs, on the meeting selected there."""
        getattr(self.meetings_tab, name)()

    def _members(self) -> MembersPanel:
        """The members list the user is looking at: the Sub-groups tab's, else the Board's."""
        if self.TAB_KEYS[self.tabs.currentIndex()] == "subgroups":
            return self.subgroups_tab.members
        return self.board_tab.members
