"""The main window: the tabs over the open database, its menus, and what it remembers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QWidget,
)

from lscb_desktop import APP_NAME, __version__
from lscb_desktop.services.connections import ServerConnection, is_server_url
from lscb_desktop.services.settings import Settings, load_settings
from lscb_desktop.store import Database, DatabaseError
from lscb_desktop.ui import lock_dialog
from lscb_desktop.ui.connect_dialog import ConnectDialog, ServerLogin, open_server
from lscb_desktop.ui.documents import open_after_saving, set_open_after_saving
from lscb_desktop.ui.guide import show_user_guide
from lscb_desktop.ui.live_refresh import LiveRefresh, tabs_showing
from lscb_desktop.ui.recent import (
    fill_recent_menu,
    recent_databases,
    remember_recent,
)
from lscb_desktop.ui.recent import last_folder as _folder
from lscb_desktop.ui.recent import remember_folder as _remember_folder
from lscb_desktop.ui.restore_dialog import RestoreDialog, backup_on_open, confirm_and_restore
from lscb_desktop.ui.undo import UndoController

if TYPE_CHECKING:
    # The tabs' modules (and what they load: charts, reports, phone numbers) are imported when
    # a tab is first shown, not at start-up.
    from lscb_desktop.services.history import Subject
    from lscb_desktop.store.watch import Changes
    from lscb_desktop.ui.attendance_tab import AttendanceTab
    from lscb_desktop.ui.board_tab import BoardTab
    from lscb_desktop.ui.home_tab import HomeTab
    from lscb_desktop.ui.meetings_tab import MeetingsTab
    from lscb_desktop.ui.members_panel import MembersPanel
    from lscb_desktop.ui.reviews_tab import AuditsTab, CaseReviewsTab
    from lscb_desktop.ui.subgroups_tab import SubgroupsTab

__all__ = ["MainWindow", "recent_databases", "remember_recent"]


class RecordTab(Protocol):
    """What the main window asks of a tab (the Edit menu acts on the current tab)."""

    def refresh(self) -> None: ...
    def focus_search(self) -> None: ...
    def new_record(self) -> None: ...
    def edit_record(self) -> None: ...
    def remove_record(self) -> None: ...
    def delete_record(self) -> None: ...
    def tables(self) -> list[QTableView]: ...
    def selected_record(self) -> Subject | None: ...


class MainWindow(QMainWindow):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The day's backup first: it reads every page, so a damaged file is found (and its
        # last good backup offered) before any tab reads from it.
        self.database = database = backup_on_open(self, database)
        self.settings = load_settings(database)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self._build_tabs()
        self.undo = UndoController(self, database, self.show_status)
        self.undo.changed.connect(self._after_undo)
        self._build_menus()
        self.apply_terms()
        self._restore_state()
        remember_recent(database)
        self.live_refresh = LiveRefresh(self, self.show_changes)
        self.live_refresh.watch(database)

    # -- tabs ---------------------------------------------------------------------------------
    #
    # A tab is built the first time it is shown (or asked for), so start-up loads only what the
    # first tab shows. When a tab changes records, the other built tabs are marked stale and are
    # brought up to date when they are next shown.

    TAB_KEYS = ("home", "board", "subgroups", "meetings", "attendance", "audits", "reviews")

    def _build_tabs(self) -> None:
        self._built: dict[str, QWidget] = {}
        self._stale: set[str] = set()
        self.tabs.blockSignals(True)
        for name in self.tab_names():
            self.tabs.addTab(QWidget(self.tabs), name)
        self.tabs.blockSignals(False)
        self.tabs.currentChanged.connect(self._tab_shown)

    def _make_tab(self, key: str) -> QWidget:
        """Builds a tab; its module is imported here, when the tab is first wanted."""
        database = self.database
        tab: QWidget
        if key == "home":
            from lscb_desktop.ui.home_tab import HomeTab  # noqa: PLC0415

            tab = HomeTab(database, self)
            tab.open_record.connect(self.open_record)
        elif key == "board":
            from lscb_desktop.ui.board_tab import BoardTab  # noqa: PLC0415

            tab = BoardTab(database, self.settings.term_board, self)
            tab.members.changed.connect(lambda: self._changed("board"))
            tab.agencies.changed.connect(lambda: self._changed("board"))
        elif key == "subgroups":
            from lscb_desktop.ui.subgroups_tab import SubgroupsTab  # noqa: PLC0415

            tab = SubgroupsTab(database, self)
        elif key == "meetings":
            from lscb_desktop.ui.meetings_tab import MeetingsTab  # noqa: PLC0415

            tab = MeetingsTab(database, self)
        elif key == "attendance":
            from lscb_desktop.ui.attendance_tab import AttendanceTab  # noqa: PLC0415

            tab = AttendanceTab(database, self)
        else:
            from lscb_desktop.ui.reviews_tab import AuditsTab, CaseReviewsTab  # noqa: PLC0415

            tab = AuditsTab(database, self) if key == "audits" else CaseReviewsTab(database, self)
            if isinstance(tab, CaseReviewsTab):
                tab.set_terms(self.settings.term_review)
        changed = getattr(tab, "changed", None)
        if changed is not None:
            changed.connect(lambda: self._changed(key))
        return tab

    def _tab(self, key: str) -> Any:
        """The tab, built (in its place in the tab bar) if this is the first time it is wanted."""
        tab = self._built.get(key)
        if tab is None:
            tab = self._make_tab(key)
            tab.status.connect(self.show_status)  # type: ignore[attr-defined]
            index = self.TAB_KEYS.index(key)
            current = self.tabs.currentIndex()
            self.tabs.blockSignals(True)
            placeholder = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, self.tab_names()[index])
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            if placeholder is not None:
                placeholder.deleteLater()
            self._built[key] = tab
            self._restore_tab_state(tab)  # type: ignore[arg-type]
        return tab

    def _changed(self, source: str) -> None:
        """Records changed in one tab: the others show them when they are next shown."""
        self._stale.update(key for key in self._built if key != source)
        self._stale.discard(self.TAB_KEYS[self.tabs.currentIndex()])

    @property
    def home_tab(self) -> HomeTab:
        return self._tab("home")  # type: ignore[no-any-return]

    @property
    def board_tab(self) -> BoardTab:
        return self._tab("board")  # type: ignore[no-any-return]

    @property
    def subgroups_tab(self) -> SubgroupsTab:
        return self._tab("subgroups")  # type: ignore[no-any-return]

    @property
    def meetings_tab(self) -> MeetingsTab:
        return self._tab("meetings")  # type: ignore[no-any-return]

    @property
    def attendance_tab(self) -> AttendanceTab:
        return self._tab("attendance")  # type: ignore[no-any-return]

    @property
    def audits_tab(self) -> AuditsTab:
        return self._tab("audits")  # type: ignore[no-any-return]

    @property
    def reviews_tab(self) -> CaseReviewsTab:
        return self._tab("reviews")  # type: ignore[no-any-return]

    def record_tabs(self) -> list[RecordTab]:
        """The tabs built so far."""
        return [self._built[key] for key in self.TAB_KEYS if key in self._built]  # type: ignore[misc]

    def tab_names(self) -> list[str]:
        return [
            "Home",
            self.settings.term_board,
            "Sub-groups",
            "Meetings",
            "Attendance",
            "Audits",
            "Case reviews",
        ]

    def _tab_shown(self, index: int) -> None:
        key = self.TAB_KEYS[index]
        built = key in self._built
        tab = self._tab(key)
        # Home is a summary of the others: it is brought up to date whenever it is shown.
        if built and (key == "home" or key in self._stale):
            tab.refresh()
        self._stale.discard(key)

    def open_record(self, kind: str, record_id: int) -> None:
        """Shows the record a Home line is about, in its own tab."""
        if kind in ("meeting", "action"):
            tab = self.meetings_tab
            tab.clear_filters()
            self.tabs.setCurrentWidget(tab)
            if kind == "meeting":
                tab.inner.setCurrentIndex(0)
                tab.select_meeting(record_id)
            else:
                tab.inner.setCurrentIndex(1)
                tab.actions_page.show_action(record_id)
        elif kind == "attendance":
            attendance = self.attendance_tab
            self.tabs.setCurrentWidget(attendance)
            attendance.inner.setCurrentWidget(attendance.record)
            attendance.record.select_meeting(record_id)
        elif kind == "audit":
            self.tabs.setCurrentWidget(self.audits_tab)
            from lscb_desktop.services.audits import audit_input  # noqa: PLC0415

            year = audit_input(self.database, record_id).period_start_year
            self.audits_tab.show_audit(record_id, year)
        elif kind == "case_review":
            self.tabs.setCurrentWidget(self.reviews_tab)
            self.reviews_tab.type_filter.setCurrentIndex(0)
            self.reviews_tab.state_filter.setCurrentIndex(0)
            self.reviews_tab.select_review(record_id)

    def current_tab(self) -> RecordTab:
        return self._tab(self.TAB_KEYS[self.tabs.currentIndex()])  # type: ignore[no-any-return]

    def refresh_all(self) -> None:
        for tab in self.record_tabs():
            tab.refresh()
        self._stale.clear()

    def _after_undo(self, tables: frozenset[str]) -> None:
        """Undo or redo changed ``tables``: the tab in view shows it now, the others when next
        shown."""
        if "setting" in tables:
            self.settings = load_settings(self.database)
            self.apply_terms()
        from lscb_desktop.store.watch import Changes  # noqa: PLC0415 - typing import above

        keys = tabs_showing(Changes(tables=frozenset(tables))) & set(self._built)
        current = self.TAB_KEYS[self.tabs.currentIndex()]
        self._stale.update(keys - {current})
        if current in keys:
            self._built[current].refresh()  # type: ignore[attr-defined]

    def show_changes(self, changes: Changes) -> None:
        """Someone else changed records: the tab in view shows them now (keeping the selection,
        sort and search), the other tabs that show them when they are next shown; a step
        their change has made impossible to undo is cleared from Undo (with a note)."""
        if changes.touches({"setting"}):
            self.settings = load_settings(self.database)
            self.apply_terms()
        keys = tabs_showing(changes) & set(self._built)
        current = self.TAB_KEYS[self.tabs.currentIndex()]
        self._stale.update(keys - {current})
        if current in keys:
            self._built[current].refresh()  # type: ignore[attr-defined]
            self.show_status("Brought up to date with changes made by someone else")
        self.undo.check(None if changes.everything else set(changes.tables))

    def apply_terms(self) -> None:
        """The title, tab names and labels follow the organisation's name and chosen terms."""
        title = f"{self.settings.organisation_name} — {self.database.display_name}"
        if self.database.read_only:
            title += " (read-only)"
        self.setWindowTitle(title)
        writing = (self.new_action, self.end_action, self.delete_action, self.import_action)
        for action in (*writing, self.settings_action, self.restore_action):
            action.setEnabled(not self.database.read_only)  # refused up front, not after a form
        self.tabs.setTabText(self.TAB_KEYS.index("board"), self.settings.term_board)
        if "board" in self._built:
            self.board_tab.set_terms(self.settings.term_board)
        if "reviews" in self._built:
            self.reviews_tab.set_terms(self.settings.term_review)
        self.view_actions[1].setText(f"&{self.settings.term_board}")
        self.statusBar().showMessage(f"Database: {self.where()}")
        if not hasattr(self, "read_only_label"):  # kept in view, unlike the passing messages
            self.read_only_label = QLabel("Read-only: nothing can be saved", self)
            self.read_only_label.setStyleSheet("color:#8a1c14; font-weight:bold")
            self.statusBar().addPermanentWidget(self.read_only_label)
        self.read_only_label.setVisible(self.database.read_only)

    def where(self) -> str:
        """The open database as the user may be told it: its file, or the shared database."""
        if self.database.path is not None:
            return str(self.database.path)
        if self.database.on_server:
            return ServerConnection.from_url(self.database.engine.url).label
        return self.database.display_name

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

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

    def _members(self) -> MembersPanel:
        """The members list the user is looking at: the Sub-groups tab's, else the Board's."""
        if self.TAB_KEYS[self.tabs.currentIndex()] == "subgroups":
            return self.subgroups_tab.members
        return self.board_tab.members

    # -- databases ----------------------------------------------------------------------------

    def _fill_recent_menu(self) -> None:
        fill_recent_menu(self.recent_menu, self.open_recent)

    def open_recent(self, entry: str) -> bool:
        """Opens a Recent entry: a file, or a shared database (its password from the credential
        store, or asked for)."""
        if is_server_url(entry):
            return self.switch_to(ServerLogin(ServerConnection.from_url(entry)))
        return self.switch_to(Path(entry))

    def connect_to_server(self) -> None:
        """File > Connect to a shared database…"""
        login = ConnectDialog.ask(self)
        if login is not None:
            self.switch_to(login)

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New database", _folder(), "Databases (*.sqlite)"
        )
        if not path:
            return
        target = Path(path)
        if target.suffix == "":
            target = target.with_suffix(".sqlite")
        if target.exists():
            QMessageBox.warning(
                self,
                "New database",
                f"{target.name} already exists and was left as it is. "
                "Use Open database… to open it, or choose another name.",
            )
            return
        _remember_folder(str(target))
        if self.switch_to(target):
            self.edit_settings()

    def open_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open database", _folder(), "Databases (*.sqlite *.db);;All files (*)"
        )
        if path:
            _remember_folder(path)
            self.switch_to(Path(path))

    def switch_to(self, target: Path | ServerLogin, *, reopen: bool = False) -> bool:
        """Opens another database in this window: a file, or a shared database (``reopen``: the
        same one again, after a restore); the current one stays open if that fails."""
        if self._is_open(target) and not reopen:
            return True
        try:
            if isinstance(target, ServerLogin):
                opened = open_server(self, target)
            else:
                opened = lock_dialog.open_for_window(self, target)
            if opened is None:  # the user cancelled
                return False
            try:
                database = backup_on_open(self, opened)
            except BaseException:  # give the file's lock back: others must not see it held
                lock_dialog.release(opened)
                opened.dispose()
                raise
        except DatabaseError as exc:
            QMessageBox.warning(self, "Open database", str(exc))
            return False
        self._save_state()
        self.live_refresh.stop()
        old = self.database
        self.database = database
        self.undo.watch(database)
        self.settings = load_settings(database)
        index = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if widget is not None:
                widget.deleteLater()
        self.tabs.blockSignals(False)
        self.tabs.currentChanged.disconnect(self._tab_shown)
        self._build_tabs()
        self.tabs.setCurrentIndex(index)
        self._tab(self.TAB_KEYS[index])
        self.apply_terms()
        lock_dialog.release(old)
        old.dispose()
        remember_recent(database)
        self.live_refresh.watch(database)
        self.show_status(f"Opened {database.display_name}")
        return True

    def _is_open(self, target: Path | ServerLogin) -> bool:
        if isinstance(target, ServerLogin):
            return (
                self.database.on_server
                and ServerConnection.from_url(self.database.engine.url) == target.connection
            )
        return self.database.path is not None and target.resolve() == self.database.path.resolve()

    def backup_now(self) -> None:
        if self.database.on_server:
            from lscb_desktop.ui.copy_dialog import backup_server  # noqa: PLC0415

            backup_server(self)
            return
        if self.database.path is None:
            QMessageBox.information(self, "Backup", "Only a database file can be backed up here.")
            return
        stem = self.database.path.stem
        suggested = str(Path(_folder()) / f"{stem} backup {dt.datetime.now():%Y-%m-%d %H%M}.sqlite")
        path, _ = QFileDialog.getSaveFileName(self, "Backup now", suggested, "Databases (*.sqlite)")
        if not path:
            return
        _remember_folder(path)
        try:
            self.database.backup_to(Path(path))
        except (DatabaseError, OSError) as exc:
            QMessageBox.warning(self, "Backup", f"The backup was not made: {exc}")
            return
        self.show_status(f"Backed up to {path}")

    def restore_from_backup(self) -> None:
        """File > Restore from backup…: choose a backup, confirm, restore, reopen."""
        path = self.database.path
        if path is None:
            QMessageBox.information(
                self,
                "Restore",
                "Restore from backup is for database files only. A shared database is restored "
                "on its server by your IT team; or open a backup file here and copy it to an "
                "empty database on the server with File > Copy database to….",
            )
            return
        backup = RestoreDialog.choose(self, path)
        if backup is None:
            return
        self.live_refresh.stop()  # its connection to the file too must let go of it
        if confirm_and_restore(self, self.database, backup):
            self.switch_to(path, reopen=True)
        else:
            self.live_refresh.watch(self.database)

    def copy_database(self) -> None:
        """File > Copy database to…: a new file or a (new, empty) shared database."""
        from lscb_desktop.ui.copy_dialog import copy_from_window  # noqa: PLC0415

        copy_from_window(self)

    # -- workbook -----------------------------------------------------------------------------

    def import_workbook(self) -> None:
        from lscb_desktop.ui.workbook_actions import import_into  # noqa: PLC0415

        import_into(self)

    def export_workbook(self) -> None:
        from lscb_desktop.ui.workbook_actions import export_from  # noqa: PLC0415

        export_from(self)

    # -- settings and help ---------------------------------------------------------------------

    def edit_settings(self) -> None:
        from lscb_desktop.ui.settings_dialog import SettingsDialog  # noqa: PLC0415

        saved: Settings | None = SettingsDialog.edit(self, self.database)
        if saved is not None:
            self.settings = saved
            self.apply_terms()
            self.refresh_all()
            self.show_status("Settings saved")

    def about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Records, meetings and attendance for "
            f"{self.settings.organisation_name}.<br><br>"
            f"Database: {self.where()}",
        )

    # -- window state ----------------------------------------------------------------------------

    def _restore_tab_state(self, tab: RecordTab) -> None:
        """A tab's splitters, column widths and sort order, as they were left."""
        store = QSettings()
        for splitter in _splitters(tab):
            state = store.value(f"splitters/{splitter.objectName()}")
            if state is not None:
                splitter.restoreState(state)
        for table in tab.tables():
            state = store.value(f"tables/{table.objectName()}")
            if state is not None:
                table.horizontalHeader().restoreState(state)

    def _restore_state(self) -> None:
        store = QSettings()
        geometry = store.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)
        index = int(str(store.value("window/tab", 0) or 0))
        if not 0 <= index < len(self.TAB_KEYS):
            index = 0
        self.tabs.setCurrentIndex(index)
        self._tab(self.TAB_KEYS[index])  # the first tab shown is the only one built

    def _save_state(self) -> None:
        store = QSettings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/tab", self.tabs.currentIndex())
        for tab in self.record_tabs():
            for splitter in _splitters(tab):
                store.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
            for table in tab.tables():
                store.setValue(f"tables/{table.objectName()}", table.horizontalHeader().saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_state()
        self.live_refresh.stop()
        self.undo.stop()
        super().closeEvent(event)


def _splitters(tab: RecordTab) -> list[QSplitter]:
    """The tab's named splitters, whose positions are remembered."""
    assert isinstance(tab, QWidget)
    return [s for s in tab.findChildren(QSplitter) if s.objectName()]
