"""File > Recent databases: the files and shared databases opened lately. A shared database is
remembered by its URL without the password (which only the credential store keeps)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

from lscb_desktop.services.connections import ServerConnection, is_server_url
from lscb_desktop.store import Database

RECENT_KEY = "recent/databases"
RECENT_MAX = 8


def recent_databases() -> list[str]:
    """The files' paths and the shared databases' URLs (no password), latest first."""
    value = QSettings().value(RECENT_KEY, [])
    if isinstance(value, str):  # an .ini file gives back a list of one as a plain string
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def recent_entry(database: Database) -> str | None:
    """What Recent keeps for a database: its file's path, or its URL without the password."""
    if database.path is not None:
        return str(database.path.resolve())
    if database.engine.url.get_backend_name() == "postgresql":
        return ServerConnection.from_url(database.engine.url).url()
    return None  # a database in memory


def remember_recent(database: Database) -> None:
    entry = recent_entry(database)
    if entry is None:
        return
    entries = [entry, *(e for e in recent_databases() if e != entry)][:RECENT_MAX]
    QSettings().setValue(RECENT_KEY, entries)


def label_of(entry: str) -> str:
    """How an entry is shown: a file's path, or "lscb on db.council.local (shared)"."""
    return ServerConnection.from_url(entry).label if is_server_url(entry) else entry


def fill_recent_menu(menu: QMenu, open_entry: Callable[[str], object]) -> None:
    """Fills File > Recent databases; choosing an entry calls ``open_entry`` with it. A file
    that is no longer there is shown greyed out."""
    menu.clear()
    entries = recent_databases()
    for entry in entries:
        action = menu.addAction(label_of(entry))
        action.setData(entry)
        action.triggered.connect(lambda _checked=False, e=entry: open_entry(e))
        action.setEnabled(is_server_url(entry) or Path(entry).exists())
    if not entries:
        menu.addAction("(none yet)").setEnabled(False)


def last_folder() -> str:
    """The folder a file was last opened from or saved to, where file dialogs start."""
    return str(QSettings().value("paths/last_folder", str(Path.home())))


def remember_folder(path: str) -> None:
    QSettings().setValue("paths/last_folder", str(Path(path).parent))
