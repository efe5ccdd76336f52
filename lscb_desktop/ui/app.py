"""Starting the window: the application object, logging, and a dialog for unexpected errors."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from lscb_desktop import APP_NAME
from lscb_desktop.config import config_dir
from lscb_desktop.logs import log_file, setup_logging
from lscb_desktop.services.privacy import (
    end_private_session,
    start_private_session,
    tighten_database,
)
from lscb_desktop.store import Database, DatabaseError
from lscb_desktop.store.readonly import ReadOnlyDatabase
from lscb_desktop.ui import lock_dialog

log = logging.getLogger("lscb_desktop")


def show_unexpected_error(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    """The excepthook: log the error, tell the user, and keep the program running."""
    if isinstance(value, ReadOnlyDatabase):  # expected in a read-only window: no traceback
        log.info("Refused in a read-only window: %s", value)
    else:
        log.error("Unexpected error", exc_info=(kind, value, tb))
    if QApplication.instance() is None:
        sys.__excepthook__(kind, value, tb)
        return
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, user_message(value))
    box.exec()


def user_message(value: BaseException) -> str:
    """Words for an unexpected error: never a traceback or SQL text (those go to the log)."""
    import sqlite3  # noqa: PLC0415

    from sqlalchemy.exc import SQLAlchemyError  # noqa: PLC0415

    from lscb_desktop.store.errors import explain  # noqa: PLC0415

    if isinstance(value, ReadOnlyDatabase):  # says itself that nothing was saved
        return str(value)
    if isinstance(value, DatabaseError):  # ours: written for the user (a damaged file, say)
        what = str(value)
    elif isinstance(value, SQLAlchemyError | sqlite3.Error):  # their text holds SQL
        what = explain(value) or "The database could not do what was asked."
    else:
        what = f"Something went wrong: {value}"
    return (
        f"{what}\n\nWhat you were doing may not have been saved. "
        f"The details are in the log file:\n{log_file()}"
    )


def use_config_folder() -> None:
    """Window state lives in an .ini file in our config folder, redirectable like the rest."""
    QCoreApplication.setOrganizationName("LSCB Desktop")
    QCoreApplication.setApplicationName(APP_NAME)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(config_dir()))


def create_app(argv: list[str] | None = None) -> QApplication:
    use_config_folder()  # again for an existing app: each test has its own folder
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName(APP_NAME)
    return app


def _open_at_start(db: str | None) -> Database | None:
    from lscb_desktop.services.connections import ServerConnection, is_server_url  # noqa: PLC0415

    if db is None or not is_server_url(db):
        return lock_dialog.open_for_window(None, db)
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    from lscb_desktop.ui.connect_dialog import ServerLogin, open_server  # noqa: PLC0415

    return open_server(None, ServerLogin(ServerConnection.from_url(db), make_url(db).password))


def run_window(db: str | None) -> int:
    # Before anything is written: private files and folders, and the private temporary folder
    # that papers opened or printed go to; it is removed when the window closes.
    start_private_session()
    try:
        setup_logging()
        app = create_app()
        sys.excepthook = show_unexpected_error
        try:
            # The lock beside a file is taken here (or the user chooses read-only or cancel); a
            # server database without a password uses the remembered one, or asks for it.
            database = _open_at_start(db)
        except DatabaseError as exc:
            QMessageBox.critical(None, APP_NAME, str(exc))
            return 1
        if database is None:  # cancelled: someone else has it open
            return 0
        try:
            if database.path is not None and not database.read_only:
                tighten_database(database.path)  # one made by an older version, elsewhere
            from lscb_desktop.ui.main_window import MainWindow  # noqa: PLC0415 - heavy, late

            window = MainWindow(database)
            window.show()
            code = app.exec()
            database = window.database  # the one open at the end (File > Open switches)
        finally:
            lock_dialog.release(database)
            database.dispose()
        return int(code)
    finally:
        end_private_session()
