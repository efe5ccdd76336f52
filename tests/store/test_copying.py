"""Copying a whole database: a file to a server and back with nothing lost, never into a database
that holds records, never a half-made copy left behind."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.pool import NullPool

from lscb_desktop.models import Group, Person
from lscb_desktop.services.integrity import check_database
from lscb_desktop.store import DatabaseError, open_database
from lscb_desktop.store.copying import Progress, copy_database, copying
from lscb_desktop.store.database import head_revision
from tests import server
from tests.conftest import FIXTURES


def census(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of every row's values, read through SQLAlchemy
    (so that a file and a server database can be compared), Alembic's table included."""
    engine = create_engine(url, poolclass=NullPool)
    found: dict[str, tuple[int, str]] = {}
    try:
        metadata = MetaData()
        with engine.connect() as connection:
            metadata.reflect(bind=connection)
            for name, table in metadata.tables.items():
                rows = connection.execute(select(table)).all()
                plain = sorted(
                    repr(
                        tuple(
                            (c.name, bytes(v) if isinstance(v, memoryview) else v)
                            for c, v in zip(table.columns, row, strict=True)
                        )
                    )
                    for row in rows
                )
                digest = hashlib.sha256("\n".join(plain).encode()).hexdigest()
                found[name] = (len(rows), digest)
    finally:
        engine.dispose()
    return found


def file_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of a SQLite file, as SQLite stores it (text, numbers, bytes)."""
    with sqlite3.connect(path) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        found = {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
    connection.close()
    return found


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def middle(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the round trip stops on the way: an empty server database on a server run, else a
    new file."""
    if server.on_server():
        return str(request.getfixturevalue("server_url"))
    return str(tmp_path / "middle.sqlite")


def test_a_file_goes_to_the_server_and_back_with_nothing_lost(sample_path, middle, tmp_path):
    # A link to a group made later (and a cycle: 1 -> 8 -> 2 -> 1) must survive the copy, which
    # inserts rows in id order with foreign keys checked.
    with sqlite3.connect(sample_path) as connection:
        connection.execute("UPDATE board_group SET accountable_to_id = 8 WHERE id = 1")
    connection.close()
    source = open_database(sample_path)
    steps: list[Progress] = []
    try:
        there = copy_database(source, middle, progress=steps.append)
    finally:
        source.dispose()
    assert there.counts["attendance"] == 949 and there.counts["change_log"] > 0
    assert there.revision == head_revision()
    assert steps[-1].stage == "checking" and steps[-1].done == steps[-1].total == there.total
    assert [s.done for s in steps] == sorted(s.done for s in steps)
    url = middle if "://" in middle else f"sqlite:///{middle}"
    assert census(url) == census(f"sqlite:///{sample_path}")

    on_the_way = open_database(middle)
    try:
        assert check_database(on_the_way).ok
        back = tmp_path / "back.sqlite"
        copy_database(on_the_way, back)
        with on_the_way.session() as session:  # new records get new ids (sequences were reset)
            added = Person(name="Zoë New", agency_id=1)
            session.add(added)
        assert added.id == 66
    finally:
        on_the_way.dispose()

    assert file_rows(back) == file_rows(sample_path)  # byte for byte, papers included
    with sqlite3.connect(back) as connection:
        papers = connection.execute("SELECT id, content FROM document ORDER BY id").fetchall()
    connection.close()
    with sqlite3.connect(sample_path) as connection:
        originals = connection.execute("SELECT id, content FROM document ORDER BY id").fetchall()
    connection.close()
    assert papers == originals and sum(len(p[1] or b"") for p in papers) > 0
    if __import__("os").name == "posix":
        assert back.stat().st_mode & 0o077 == 0
    reopened = open_database(back)
    try:
        assert check_database(reopened).ok
        with reopened.session() as session:
            assert session.get(Group, 1).accountable_to_id == 8
    finally:
        reopened.dispose()


def test_an_old_database_is_copied_at_its_own_revision(tmp_path):
    """A copy is built at the source's schema revision, not the newest."""
    old = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "schema-0003.sqlite", old)
    source = open_database(old, migrate=False)
    try:
        result = copy_database(source, tmp_path / "copy.sqlite")
    finally:
        source.dispose()
    assert result.revision == "0003"
    assert file_rows(tmp_path / "copy.sqlite") == file_rows(old)


def test_a_copy_into_a_file_with_records_is_refused_and_changes_nothing(sample_db, tmp_path):
    taken = tmp_path / "taken.sqlite"
    shutil.copyfile(FIXTURES / "schema-0003.sqlite", taken)
    before = _digest(taken)
    with pytest.raises(DatabaseError, match="already holds records") as refused:
        copy_database(sample_db, taken)
    assert "Nothing was changed" in str(refused.value)
    assert _digest(taken) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "taken" in p.name) == ["taken.sqlite"]


def test_a_copy_into_the_database_itself_is_refused(sample_path):
    database = open_database(sample_path)
    try:
        with pytest.raises(DatabaseError, match="the database itself"):
            copy_database(database, sample_path)
    finally:
        database.dispose()


def test_a_new_empty_database_may_be_the_target(sample_db, tmp_path):
    empty = open_database(tmp_path / "empty.sqlite")
    empty.dispose()
    result = copy_database(sample_db, tmp_path / "empty.sqlite")
    assert result.counts["person"] == 65


def test_an_abandoned_copy_to_a_file_leaves_nothing(sample_db, tmp_path):
    def cancel(step: Progress) -> None:
        if step.table == "attendance":
            raise KeyboardInterrupt  # the window's Cancel button, or Ctrl+C

    with pytest.raises(KeyboardInterrupt):
        copy_database(sample_db, tmp_path / "copy.sqlite", progress=cancel)
    assert [p.name for p in tmp_path.iterdir() if "copy" in p.name] == []

    steps = copying(sample_db, tmp_path / "copy.sqlite")
    next(steps)
    steps.close()  # the generator abandoned part-way
    assert [p.name for p in tmp_path.iterdir() if "copy" in p.name] == []


def test_a_copy_that_does_not_match_is_not_kept(sample_db, tmp_path, monkeypatch):
    """The check after copying compares every table's rows; a mismatch keeps nothing."""
    from lscb_desktop.store import copy_rows as module

    real = module.digest_of

    def one_row_short(connection, table):
        count, digest = real(connection, table)
        return (count - 1, digest) if table.name == "person" else (count, digest)

    monkeypatch.setattr(module, "digest_of", one_row_short)
    with pytest.raises(DatabaseError, match="person does not match"):
        copy_database(sample_db, tmp_path / "copy.sqlite")
    assert not (tmp_path / "copy.sqlite").exists()


@pytest.mark.server_only
def test_a_copy_into_a_server_database_with_records_is_refused_and_changes_nothing(
    sample_path, sample_server_url
):
    before = census(sample_server_url)
    source = open_database(sample_path)
    try:
        with pytest.raises(DatabaseError, match="already holds records") as refused:
            copy_database(source, sample_server_url)
    finally:
        source.dispose()
    assert "password" not in str(refused.value).lower()
    assert server.make_url(sample_server_url).password not in str(refused.value)
    assert census(sample_server_url) == before


@pytest.mark.server_only
def test_a_failed_copy_to_a_server_leaves_it_empty(sample_path, server_url):
    source = open_database(sample_path)

    def fail(step: Progress) -> None:
        if step.table == "meeting":
            raise KeyboardInterrupt

    try:
        with pytest.raises(KeyboardInterrupt):
            copy_database(source, server_url, progress=fail)
    finally:
        source.dispose()
    engine = create_engine(server_url, poolclass=NullPool)
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        ).scalar()
    engine.dispose()
    assert tables == 0  # the tables it built went with the transaction
