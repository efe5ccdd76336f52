"""A team on one database, in the window: connecting to a shared database (its password in the
credential store only), Recent, seeing each other's work, copying, and the lock's words."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QFileDialog
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import URL, make_url

from lscb_desktop.models import Person
from lscb_desktop.services.connections import KEYRING_SERVICE, ServerConnection
from lscb_desktop.store import Database, open_database
from lscb_desktop.ui import lock_dialog
from lscb_desktop.ui.connect_dialog import ConnectDialog, PasswordDialog, ServerLogin
from lscb_desktop.ui.copy_dialog import CopyDialog
from lscb_desktop.ui.main_window import MainWindow, recent_databases
from lscb_desktop.ui.tables import select_where
from tests import server
from tests.memory_keyring import MemoryKeyring, installed
from tests.store.test_watch import hooked, second
from tests.ui.test_main_window import trigger

NEW_TITLE = "Interim Director of Children's Services"
SERVER = ServerConnection(host="db.council.local", database="lscb", user="clerk")


@pytest.fixture
def store(monkeypatch, tmp_path):
    # Only the store may supply a password: not libpq's environment or password file.
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    with installed(MemoryKeyring()) as memory:
        yield memory


@pytest.fixture
def another_server_url(request):
    """A second copy of the sample on the test server (the window has the first open)."""
    url = server.new_database(request.getfixturevalue("server_template"))
    yield url
    server.drop_database(url)


def connection_of(url: URL) -> ServerConnection:
    return ServerConnection.from_url(url)


def fill(dialog: ConnectDialog, url: URL, password: str) -> None:
    dialog.host.setText(url.host or "")
    dialog.port.setValue(url.port or 5432)
    dialog.database.setText(url.database or "")
    dialog.user.setText(url.username or "")
    dialog.password.setText(password)


def recent_action(window: MainWindow, label: str):
    window.recent_menu.aboutToShow.emit()
    for action in window.recent_menu.actions():
        if action.text() == label:
            return action
    raise AssertionError(f"{label} is not in Recent: {recent_databases()}")


# -- connecting ----------------------------------------------------------------------------------


def test_without_a_credential_store_the_dialogs_say_the_password_is_asked_each_time(qtbot):
    with installed(fail.Keyring()):
        dialog = ConnectDialog()
        qtbot.addWidget(dialog)
        asked = PasswordDialog(SERVER, "The server db.council.local asks for a password.", None)
        qtbot.addWidget(asked)
    assert not dialog.remember.isEnabled()
    assert not dialog.remember.isChecked()
    assert not dialog.store_note.isHidden()
    assert dialog.store_note.text().endswith("it is asked for each time.")
    assert not asked.remember.isEnabled()
    dialog.host.setText("db.council.local")
    dialog.database.setText("lscb")
    dialog.user.setText("clerk")
    dialog.password.setText("s3cret")
    dialog.connect_button.click()
    assert dialog.login == ServerLogin(SERVER, "s3cret", None)  # nothing to remember it in


def test_the_connect_dialog_asks_for_what_is_missing(qtbot, store):
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    dialog.user.clear()
    dialog.connect_button.click()
    assert dialog.login is None
    assert dialog.form.message("host") == "Enter the server's name (or its address)."
    assert dialog.form.message("database") == "Enter the database's name."
    assert dialog.form.message("user") == "Enter your user name on the server."


@pytest.mark.server_only
def test_the_test_button_says_in_words_whether_it_connected(qtbot, store, server_url):
    url = make_url(server_url)
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    fill(dialog, url, url.password or "")
    dialog.test_button.click()
    assert dialog.outcome.text() == (
        f"Connected to {url.database} on {url.host} as {url.username}: it is empty, "
        "and LSCB Desktop will set it up when you connect."
    )
    dialog.password.setText("not the password")
    dialog.test_button.click()
    assert dialog.outcome.text().startswith(
        f"The database server {url.host} (port {url.port}) did not accept the user name "
        f"{url.username} and password."
    )
    dialog.password.clear()
    dialog.test_button.click()
    assert "asks for a password and none was given" in dialog.outcome.text()


@pytest.mark.server_only
def test_connecting_keeps_the_password_in_the_store_and_nowhere_else(
    window, answer, message_boxes, store, another_server_url, caplog
):
    caplog.set_level(logging.DEBUG)
    url = make_url(another_server_url)
    password = url.password or ""

    def user(dialog: ConnectDialog) -> None:
        fill(dialog, url, password)
        assert dialog.remember.isChecked()  # offered, as there is a store
        dialog.connect_button.click()

    answer(ConnectDialog, user)
    trigger(window, "Connect to a shared database…")
    label = f"{url.database} on {url.host}:{url.port} (shared)"
    assert window.where() == label
    assert window.board_tab.members.model.rowCount() == 20
    key = f"{url.username}@{url.host}:{url.port}/{url.database}"
    assert store.passwords == {(KEYRING_SERVICE, key): password}
    assert recent_databases()[0] == connection_of(url).url()
    window.close()  # the window's state is written to the settings file
    settings = QSettings()
    settings.sync()
    written = Path(settings.fileName()).read_text(encoding="utf-8")
    assert connection_of(url).url() in written
    assert password not in written
    assert password not in caplog.text
    assert all(password not in text for _kind, text in message_boxes)
    assert password not in window.windowTitle() + window.statusBar().currentMessage()


@pytest.mark.server_only
def test_recent_reopens_a_shared_database_with_the_remembered_password(
    window, store, another_server_url, sample_path
):
    url = make_url(another_server_url)
    connection = connection_of(url)
    store.set_password(KEYRING_SERVICE, connection.keyring_user, url.password)
    QSettings().setValue("recent/databases", [connection.url()])
    recent_action(window, connection.label).trigger()
    assert window.where() == connection.label
    assert window.switch_to(sample_path)  # away to a file, and back from Recent
    assert window.database.path == sample_path
    assert recent_databases()[1] == connection.url()
    recent_action(window, connection.label).trigger()
    assert window.where() == connection.label
    assert window.board_tab.members.model.rowCount() == 20


@pytest.mark.server_only
def test_recent_asks_for_the_password_when_the_remembered_one_is_refused(
    window, answer, store, another_server_url
):
    url = make_url(another_server_url)
    connection = connection_of(url)
    store.set_password(KEYRING_SERVICE, connection.keyring_user, "an old password")
    QSettings().setValue("recent/databases", [connection.url()])
    texts: list[str] = []

    def user(dialog: PasswordDialog) -> None:
        texts.append(dialog.message.text())
        dialog.password.setText(url.password or "")
        dialog.remember.setChecked(True)
        dialog.accept()

    asked = answer(PasswordDialog, user)
    recent_action(window, connection.label).trigger()
    assert len(asked) == 1
    assert f"The server {url.host} did not accept the password." in texts[0]
    assert window.where() == connection.label
    assert store.passwords == {(KEYRING_SERVICE, connection.keyring_user): url.password}


def test_a_switch_goes_through_the_lock_and_a_read_only_database_says_so(
    window, monkeypatch, sample_path, tmp_path
):
    released: list[Database] = []
    opened: list[object] = []

    def open_read_only(_parent, target):
        opened.append(target)
        database = open_database(target)
        database.read_only = True
        return database

    monkeypatch.setattr(lock_dialog, "open_for_window", lambda _parent, _target: None)
    monkeypatch.setattr(lock_dialog, "release", released.append)
    first = window.database
    other = tmp_path / "other.sqlite"
    shutil.copyfile(sample_path, other)
    assert not window.switch_to(other)  # the user cancelled in the lock's dialog
    assert window.database is first
    assert released == []
    monkeypatch.setattr(lock_dialog, "open_for_window", open_read_only)
    assert window.switch_to(other)
    assert opened == [other]
    assert released == [first]
    assert window.windowTitle() == "Luton Safeguarding Children Board — other.sqlite (read-only)"
    assert window.read_only_label.isVisible()
    assert window.read_only_label.text() == "Read-only: nothing can be saved"
    # What would write is refused up front, not after the user has filled a form or chosen a file.
    writes = ("New…", "End membership / Remove…", "Delete…", "Import workbook…", "Settings…")
    for text in (*writes, "Restore from backup…"):
        assert not find_action(window, text).isEnabled(), text
    for text in ("Edit…", "History…", "Export workbook…", "Backup now…", "Copy database to…"):
        assert find_action(window, text).isEnabled(), text
    monkeypatch.setattr(
        lock_dialog, "open_for_window", lambda _parent, target: open_database(target)
    )
    assert window.switch_to(sample_path)
    assert all(find_action(window, text).isEnabled() for text in writes)
    assert not window.read_only_label.isVisible()


def find_action(window: MainWindow, text: str):
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.text().replace("&", "") == text:
                return action
    raise AssertionError(f"no menu item {text}")


# -- seeing each other's work --------------------------------------------------------------------


def change_job_title(database: Database, person_id: int, title: str) -> None:
    other = second(database)
    try:
        with other.session() as session:
            person = session.get(Person, person_id)
            assert person is not None
            person.job_title = title
    finally:
        other.dispose()


def test_a_change_made_elsewhere_shows_in_the_tab_keeping_selection_sort_and_search(window, qtbot):
    hooked(window.database)
    members = window.board_tab.members
    members.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # by job title
    members.search.setText("e")
    assert select_where(members.table, lambda row: row.name == "Frances Pearson")
    chosen = members.current_row()
    assert chosen is not None and chosen.job_title != NEW_TITLE
    shown = members.proxy.rowCount()
    change_job_title(window.database, chosen.person_id, NEW_TITLE)

    def brought_up_to_date() -> None:
        window.live_refresh.poll()
        row = members.current_row()
        assert row is not None
        assert row.job_title == NEW_TITLE

    qtbot.waitUntil(brought_up_to_date, timeout=10_000)
    assert members.current_row().membership_id == chosen.membership_id
    assert members.table.selectionModel().selectedRows()[0].data() == "Frances Pearson"
    assert members.search.text() == "e"
    assert members.proxy.rowCount() == shown
    header = members.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        4,
        Qt.SortOrder.DescendingOrder,
    )
    # The other tabs that show people are brought up to date when next shown.
    assert "subgroups" not in window._built or "subgroups" in window._stale


def test_nothing_is_refreshed_under_an_open_dialog_until_it_closes(window, qtbot):
    hooked(window.database)
    members = window.board_tab.members
    assert select_where(members.table, lambda row: row.name == "Frances Pearson")
    chosen = members.current_row()
    form = QDialog(window)  # a form the user is filling in
    form.show()
    change_job_title(window.database, chosen.person_id, NEW_TITLE)
    assert not window.live_refresh.poll()
    assert members.current_row().job_title == chosen.job_title
    form.close()

    def brought_up_to_date() -> None:
        window.live_refresh.poll()
        assert members.current_row().job_title == NEW_TITLE

    qtbot.waitUntil(brought_up_to_date, timeout=10_000)


# -- copying, and backups of a shared database ---------------------------------------------------


def record_counts(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        tables = [t for t in inspect(connection).get_table_names() if t != "alembic_version"]
        return {
            table: connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one()
            for table in tables
        }


def test_copy_database_to_a_file_through_the_window(window, answer, message_boxes, tmp_path):
    source = record_counts(window.database)
    with window.database.session() as session:
        names = set(session.scalars(select(Person.name)))
    target = tmp_path / "office copy"

    def user(dialog: CopyDialog) -> None:
        assert dialog.to_file.isChecked()
        dialog.path.setText(str(target))
        dialog.copy()

    answer(CopyDialog, user)
    trigger(window, "Copy database to…")
    kind, text = message_boxes[-1]
    assert kind == "question"
    assert text.startswith(f"Copied {sum(source.values()):,} records to {target}.sqlite")
    assert window.database.path == target.with_suffix(".sqlite")  # opened, as answered
    assert record_counts(window.database) == source
    with window.database.session() as session:
        assert set(session.scalars(select(Person.name))) == names
        assert session.scalar(select(func.count()).select_from(Person)) == len(names)


@pytest.mark.server_only
def test_backup_now_of_a_shared_database_writes_a_file_copy(window, monkeypatch, tmp_path):
    target = tmp_path / "server backup.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    trigger(window, "Backup now…")
    copy = open_database(target, create=False)
    try:
        assert record_counts(copy) == record_counts(window.database)
    finally:
        copy.dispose()
    assert window.statusBar().currentMessage() == f"Backed up to {target}"


@pytest.mark.server_only
def test_restore_says_plainly_it_is_for_files(window, message_boxes):
    trigger(window, "Restore from backup…")
    ((kind, text),) = message_boxes
    assert kind == "information"
    assert text.startswith("Restore from backup is for database files only.")


def test_run_window_on_a_server_url_uses_the_remembered_password_or_asks(
    whole_program, answer, monkeypatch, tmp_path, sample_server_url
) -> None:
    """``lscb-desktop --db postgresql+psycopg://user@host/db`` (no password in it, as a shortcut
    would hold): the password comes from the credential store; with none there, it is asked."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from lscb_desktop.services.connections import save_password
    from lscb_desktop.ui.app import run_window

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    url = make_url(sample_server_url)
    bare = URL.create(
        url.drivername, url.username, None, url.host, url.port, url.database
    ).render_as_string(hide_password=False)
    assert ":" not in bare.split("@")[0].split("//")[1]  # no password in it
    opened: list[str] = []

    def exec_(_app: QApplication) -> int:
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    monkeypatch.setattr(MainWindow, "show", lambda window: opened.append(window.database.url))
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: errors.append(text))
    with installed(MemoryKeyring()):
        asked = answer(PasswordDialog, lambda dialog: dialog.reject())
        assert run_window(bare) == 0  # no password anywhere: asked, and the user cancelled
        assert len(asked) == 1 and opened == []
        save_password(ServerConnection.from_url(url), url.password or "")
        assert run_window(bare) == 0
    assert len(asked) == 1  # not asked again: the remembered password was used
    assert len(opened) == 1 and (url.password or "") not in opened[0]
    assert errors == []
