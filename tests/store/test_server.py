"""A shared PostgreSQL database: two copies of a new version upgrading it at once, a server
restart mid-session, and plain words (never a password, never SQL) when something goes wrong."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import threading
import time
import uuid

import pytest
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from lscb_desktop.config import data_dir
from lscb_desktop.models import Attendance, Person
from lscb_desktop.store import Database, DatabaseError, open_database
from lscb_desktop.store.copying import copy_database
from lscb_desktop.store.database import display_target, head_revision
from lscb_desktop.store.errors import explain
from lscb_desktop.store.server import MIGRATION_LOCK, server_backup_folder
from tests import server
from tests.conftest import FIXTURES

#: The schema-0003 fixture's people (the sample of a released version).
OLD_PEOPLE = 65


def _count(url: str, table: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return int(connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def old_server_url(server_url, tmp_path) -> str:
    """A server database at schema 0003 holding a released version's records."""
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "schema-0003.sqlite", path)
    source = open_database(path, migrate=False)
    try:
        assert copy_database(source, server_url).revision == "0003"
    finally:
        source.dispose()
    return server_url


def _waiting_for_the_lock(engine, threads: list[threading.Thread]) -> None:
    """Returns once every thread waits for the migration lock, or has ended without it (a
    build that takes no lock); no sleep: each query takes a moment, and the deadline only stops
    a broken build hanging the run."""
    deadline = time.monotonic() + 60
    query = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    with engine.connect() as connection:
        while connection.execute(query).scalar_one() < len(threads):
            if not any(thread.is_alive() for thread in threads):
                return
            assert time.monotonic() < deadline, "the upgraders never reached the lock"


@pytest.mark.server_only
def test_two_upgraders_at_once_upgrade_the_server_once_after_a_copy(old_server_url):
    """Both copies of the program open the database; one upgrades it (after taking a copy),
    the other waits for it, then finds nothing to do: no 'column already exists'."""
    engine = create_engine(old_server_url, poolclass=NullPool)
    opened: list[Database] = []
    failed: list[BaseException] = []

    def upgrader() -> None:
        try:
            opened.append(open_database(old_server_url))
        except BaseException as exc:  # reported by the test below
            failed.append(exc)

    threads = [threading.Thread(target=upgrader) for _ in range(2)]
    try:
        with engine.connect() as holder, holder.begin():  # both start while the lock is held
            holder.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            for thread in threads:
                thread.start()
            _waiting_for_the_lock(engine, threads)
        for thread in threads:
            thread.join()
    finally:
        engine.dispose()
        for database in opened:
            database.dispose()
    assert failed == []
    assert [d.current_revision() for d in opened] == [head_revision()] * 2
    copies = list(server_backup_folder(server.make_url(old_server_url)).iterdir())
    assert len(copies) == 1  # the upgrade ran once
    assert copies[0].name.startswith(f"{server.make_url(old_server_url).database}.before-upgrade-")
    assert copies[0].is_relative_to(data_dir() / "backups")
    assert copies[0].stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(copies[0]) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
        assert copy.execute("SELECT count(*) FROM person").fetchone() == (OLD_PEOPLE,)
    copy.close()
    assert _count(old_server_url, "person") == OLD_PEOPLE


@pytest.mark.server_only
def test_the_copy_before_an_upgrade_names_no_password(old_server_url, caplog):
    password = server.make_url(old_server_url).password
    with caplog.at_level(logging.DEBUG):
        open_database(old_server_url).dispose()
    folder = server_backup_folder(server.make_url(old_server_url))
    names = [p.name for p in folder.iterdir()] + [folder.name]
    assert password and not any(password in name for name in names)
    assert not any(password in record.getMessage() for record in caplog.records)


@pytest.mark.server_only
def test_a_server_restart_mid_session_costs_the_user_nothing(sample_server_url):
    restart = os.environ.get(server.RESTART_ENV)
    if not restart:
        pytest.skip(f"{server.RESTART_ENV} says how to restart the test server")
    database = open_database(sample_server_url)
    try:
        with database.session() as session:
            before = len(session.scalars(select(Person.id)).all())
        # The restarted server inherits the command's output: never a pipe left open on us.
        quiet = subprocess.DEVNULL
        subprocess.run(json.loads(restart), check=True, stdin=quiet, stdout=quiet, stderr=quiet)
        with database.session() as session:  # the pooled connection died with the server
            assert len(session.scalars(select(Person.id)).all()) == before
    finally:
        database.dispose()
        if server._admin is not None:  # the fixtures' own connection died too
            server._admin.dispose()


def test_an_unreachable_server_is_named_in_words_without_the_password(caplog):
    url = "postgresql+psycopg://clerk:s3cret-Pa55@127.0.0.1:1/lscb"
    with caplog.at_level(logging.DEBUG), pytest.raises(DatabaseError) as refused:
        open_database(url)
    words = str(refused.value)
    assert "127.0.0.1 (port 1)" in words and "refused" in words
    assert "s3cret" not in words and "psycopg" not in words
    assert not any("s3cret" in record.getMessage() for record in caplog.records)


@pytest.mark.server_only
def test_a_wrong_password_and_a_missing_database_are_said_plainly(server_url):
    url = server.make_url(server_url)
    wrong = url.set(password="not-the-password").render_as_string(hide_password=False)
    with pytest.raises(DatabaseError) as refused:
        open_database(wrong)
    words = str(refused.value)
    assert f"{url.host} (port {url.port})" in words and url.username in words
    assert "did not accept the user name" in words and "not-the-password" not in words
    missing = url.set(database="no_such_lscb").render_as_string(hide_password=False)
    with pytest.raises(DatabaseError, match="There is no database called no_such_lscb on"):
        open_database(missing)


@pytest.mark.server_only
def test_a_connection_the_server_closes_is_explained(sample_server_url):
    database = open_database(sample_server_url)
    admin = create_engine(sample_server_url, poolclass=NullPool)
    try:
        with database.engine.connect() as connection:
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with admin.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            with pytest.raises(DBAPIError) as lost:
                connection.execute(select(Person.id)).all()
        words = explain(lost.value)
        assert words and "was lost" in words
        assert server.make_url(sample_server_url).database in words
        assert "SELECT" not in words
        with database.session() as session:  # and the next action reconnects
            assert session.scalars(select(Person.id)).first() is not None
    finally:
        admin.dispose()
        database.dispose()


@pytest.mark.server_only
def test_a_user_without_rights_is_told_so(sample_server_url):
    role = f"lscb_reader_{os.getpid()}"
    admin = create_engine(sample_server_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'reader-pw'"))
    url = server.make_url(sample_server_url).set(username=role, password="reader-pw")
    try:
        with pytest.raises(DatabaseError) as denied:
            open_database(url.render_as_string(hide_password=False))
        words = str(denied.value)
        assert f"The user {role} is not allowed to do this in the database {url.database}" in words
        assert "reader-pw" not in words and "SELECT" not in words
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP OWNED BY {role}"))
            connection.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


def test_a_duplicate_is_explained_without_sql(sample_db):
    with sample_db.session() as session:
        first = session.scalars(select(Attendance).limit(1)).one()
        taken = {"meeting_id": first.meeting_id, "person_id": first.person_id}
        taken["status"] = first.status
    with pytest.raises(DBAPIError) as clash, sample_db.engine.begin() as connection:
        connection.execute(insert(Attendance.__table__).values(**taken, uuid=str(uuid.uuid4())))
    words = explain(clash.value)
    assert words and "saved a moment ago" in words, clash.value
    assert "INSERT" not in words and "attendance" not in words


def test_an_unknown_error_is_left_to_the_caller_and_ours_keep_their_words():
    assert explain(ValueError("something else")) is None
    assert explain(DatabaseError("Already in words.")) == "Already in words."


def test_a_target_is_shown_without_its_password():
    shown = display_target("postgresql+psycopg://clerk:s3cret@db.council.local:5433/lscb")
    assert shown == "postgresql+psycopg://clerk:***@db.council.local:5433/lscb"
    assert display_target("/home/clerk/lscb.sqlite") == "/home/clerk/lscb.sqlite"
