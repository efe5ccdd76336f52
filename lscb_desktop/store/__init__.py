"""The database file: opening, migrations, backups and the change log. No Qt here."""

from __future__ import annotations

from lscb_desktop.store.database import Database, DatabaseError, open_database

__all__ = ["Database", "DatabaseError", "open_database"]
