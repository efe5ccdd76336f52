"""The main window: the tabs over the open database, its menus, and what it remembers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QWidget,
)

from lscb_desktop import APP_NAME, __version__
from lscb_desktop.services.connections import ServerConnection
from lscb_desktop.services.settings import Settings, load_settings
from lscb_desktop.store import Database
from lscb_desktop.ui.live_refresh import LiveRefresh, tabs_showing
from lscb_desktop.ui.recent import (
    recent_databases,
    remember_recent,
)
from lscb_desktop.ui.record_tab import RecordTab
from lscb_desktop.ui.restore_dialog import backup_on_open
from lscb_desktop.ui.undo import UndoController
from lscb_desktop.ui.window_databases import WindowDatabases
from lscb_desktop.ui.window_menus import WindowMenus

if TYPE_CHECKING:
    # The tabs' modules (and what they load: charts, reports, phone numbers) are imported when
    # a tab is first shown, not at start-up.
    from lscb_desktop.store.watch import Changes
    from lscb_desktop.ui.attendance_tab import AttendanceTab
    from lscb_desktop.ui.board_tab import BoardTab
    from lscb_desktop.ui.home_tab import HomeTab
    from lscb_desktop.ui.meetings_tab import MeetingsTab
    from lscb_desktop.ui.reviews_tab import AuditsTab, CaseReviewsTab
    from lscb_desktop.ui.subgroups_tab import SubgroupsTab

__all__ = ["MainWindow", "recent_databases", "remember_recent"]


class MainWindow(WindowMenus, WindowDatabases, QMainWindow):
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
