"""Seeing each other's work in the window: every few seconds the open database's watcher is asked
what others have changed, and the tabs that show those tables are brought up to date (the tab in
view at once, the others when next shown), keeping the user's selection, sort and search.

Nothing is refreshed under an open dialog (a form being filled in, a message, a long job's
progress): the changes wait, and are shown once it has closed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from lscb_desktop.store import Database
from lscb_desktop.store.watch import NOTHING, Changes, Watcher, watcher_for

log = logging.getLogger(__name__)

#: How often the window looks for others' changes (milliseconds): a query of a few microseconds
#: on a file, a look at the socket (no query) on a server.
INTERVAL = 2000

#: Which tables each tab shows. Home sums up the rest, so any change is Home's.
TAB_TABLES: dict[str, frozenset[str]] = {
    "board": frozenset({"person", "membership", "agency", "board_group", "setting"}),
    "subgroups": frozenset(
        {"person", "membership", "agency", "board_group", "group_quorum_partner", "setting"}
    ),
    "meetings": frozenset(
        {
            "meeting",
            "document",
            "agenda_item",
            "pack_issue",
            "pack_issue_paper",
            "action",
            "attendance",
            "guest",
            "board_group",
            "person",
            "agency",
            "setting",
        }
    ),
    "attendance": frozenset(
        {
            "attendance",
            "guest",
            "guest_item",
            "declaration",
            "agenda_item",
            "group_quorum_partner",
            "meeting",
            "membership",
            "person",
            "agency",
            "board_group",
            "setting",
        }
    ),
    "audits": frozenset({"audit", "action", "agency", "person", "setting"}),
    "reviews": frozenset({"case_review", "action", "agency", "person", "setting"}),
}
KNOWN_TABLES = frozenset().union(*TAB_TABLES.values())


def tabs_showing(changes: Changes) -> set[str]:
    """The tabs (their keys) that show what changed; every tab for a table not listed here."""
    if not changes:
        return set()
    if changes.everything or not changes.tables <= KNOWN_TABLES | {"change_log"}:
        return {"home", *TAB_TABLES}
    return {"home"} | {key for key, tables in TAB_TABLES.items() if changes.touches(tables)}


class LiveRefresh(QObject):
    """Asks the watcher every ``INTERVAL`` and hands what others changed to ``show``."""

    def __init__(self, window: QWidget, show: Callable[[Changes], None]) -> None:
        super().__init__(window)
        self.window = window
        self.show = show
        self.watcher: Watcher | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL)
        self.timer.timeout.connect(self.poll)

    def watch(self, database: Database) -> None:
        """Watches ``database`` from now on (the one the window has just opened)."""
        self.stop()
        try:
            self.watcher = watcher_for(database)
        except Exception:  # seeing others' work is a convenience: the window works without it
            log.exception("Cannot watch %s for changes", database.display_name)
            return
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None

    def busy(self) -> bool:
        """True while the user is in a dialog or menu, or a long job runs: no refresh then."""
        if QApplication.activeModalWidget() is not None:
            return True
        if QApplication.activePopupWidget() is not None:
            return True
        if any(isinstance(w, QDialog) and w.isVisible() for w in QApplication.topLevelWidgets()):
            return True
        return any(thread.isRunning() for thread in self.window.findChildren(QThread))

    def poll(self) -> Changes:
        """Looks once; shows and returns what others changed (nothing while busy)."""
        if self.watcher is None or self.busy():
            return NOTHING
        changes = self.watcher.changes()
        if changes:
            self.show(changes)
        return changes
