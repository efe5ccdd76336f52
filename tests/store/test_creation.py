"""Creating a database file: built aside and moved into place whole, never over another's."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lscb_desktop.models import Person
from lscb_desktop.store import DatabaseError, open_database
from lscb_desktop.store import migrating as store
from lscb_desktop.store.database import head_revision


def _people(path: Path) -> int:
    database = open_database(path)
    with database.session() as session:
        count = session.scalar(select(func.count()).select_from(Person)) or 0
    database.dispose()
    return count


def test_an_unfinished_creation_of_an_older_version_is_started_again(tmp_path):
    """Older versions committed each CREATE TABLE: a kill left tables without a version."""
    path = tmp_path / "lscb.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE agency (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)")
    connection.close()
    database = open_database(path)
    assert database.current_revision() == head_revision()
    database.dispose()


def test_a_file_with_our_tables_and_a_record_but_no_version_is_refused_untouched(tmp_path):
    path = tmp_path / "lscb.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO person (name) VALUES ('Mary Emson')")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="is not an LSCB Desktop database: it has tables"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_database_another_program_made_meanwhile_is_kept_not_replaced(tmp_path, monkeypatch):
    """Two first starts at once: the second one's new file never replaces the first's."""
    path = tmp_path / "lscb.sqlite"
    theirs = tmp_path / "other" / "lscb.sqlite"
    other = open_database(theirs)
    with other.session() as session:
        session.add(Person(name="Marie Lowe"))
    other.dispose()
    real_upgrade = store.upgrade

    def someone_else_creates_it_meanwhile(url: str) -> None:
        real_upgrade(url)
        if not path.exists():
            theirs.rename(path)

    monkeypatch.setattr(store, "upgrade", someone_else_creates_it_meanwhile)
    database = open_database(path)
    database.dispose()
    monkeypatch.undo()
    assert _people(path) == 1  # the other program's record is still there
    assert not [p for p in tmp_path.iterdir() if ".creating-" in p.name]


def test_leftovers_of_killed_creations_are_removed_but_never_a_live_one(tmp_path):
    path = tmp_path / "lscb.sqlite"
    host = store.host_tag()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    live = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        names = {
            "dead": f".lscb.sqlite.creating-{host}-{dead_pid}",
            "dead journal": f".lscb.sqlite.creating-{host}-{dead_pid}-journal",
            "live": f".lscb.sqlite.creating-{host}-{live.pid}",
            "other computer": f".lscb.sqlite.creating-otherpc-{dead_pid}",
            "another database": f".lscb2.sqlite.creating-{host}-{dead_pid}",
        }
        for name in names.values():
            (tmp_path / name).write_bytes(b"")
        store.remove_unfinished_creations(path)
        left = {what for what, name in names.items() if (tmp_path / name).exists()}
        assert left == {"live", "other computer", "another database"}
        day_old = tmp_path / names["other computer"]
        os.utime(day_old, (0, 0))
        store.remove_unfinished_creations(path)
        assert not day_old.exists()
    finally:
        live.communicate(b"")


def test_a_name_with_wildcards_does_not_match_other_files(tmp_path):
    path = tmp_path / "board[1].sqlite"
    other = tmp_path / f".board1.sqlite.creating-{store.host_tag()}-999999999"
    other.write_bytes(b"")
    store.remove_unfinished_creations(path)
    assert other.exists()
    database = open_database(path)
    assert database.current_revision() == head_revision()
    database.dispose()
