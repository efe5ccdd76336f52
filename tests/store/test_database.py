"""Opening databases: new ones, old ones, newer ones, and files that are not ours."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from lscb_desktop.models import Attendance, ChangeLogEntry, Group, Membership, Person
from lscb_desktop.store import DatabaseError, open_database
from lscb_desktop.store import database as store_database
from lscb_desktop.store.changelog import current_os_user
from lscb_desktop.store.database import head_revision
from tests.conftest import FIXTURES


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_database_is_at_the_newest_schema_with_foreign_keys_and_wal(tmp_path):
    database = open_database(tmp_path / "new.sqlite")
    assert database.current_revision() == head_revision()
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    database.dispose()


def test_a_database_made_by_the_first_schema_opens_with_its_data(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "schema-0001.sqlite", path)
    database = open_database(path)
    assert database.current_revision() == head_revision()
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 65
        assert session.scalar(select(func.count()).select_from(Membership)) == 114
        assert session.scalar(select(func.count()).select_from(Attendance)) == 963
        assert (
            session.scalars(
                select(Person.name).where(Person.email == "mary.emson@lutonccg.nhs.uk")
            ).one()
            == "Mary Emson"
        )
    database.dispose()


def test_a_copy_is_taken_before_a_migration_runs(tmp_path):
    """Opening a 0001 database upgrades it (0002 added standard agenda items), copying it first."""
    path = tmp_path / "office.sqlite"
    shutil.copyfile(FIXTURES / "schema-0001.sqlite", path)
    before = _digest(path)
    database = open_database(path)
    assert database.current_revision() == head_revision()
    with database.session() as session:
        assert session.scalar(select(Group.standard_opening).limit(1)) == ""
    database.dispose()
    copies = list(tmp_path.glob("office.before-upgrade-*.sqlite"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT count(*) FROM person").fetchone() == (65,)
    assert _digest(path) != before


def test_a_database_from_a_newer_version_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "newer.sqlite"
    shutil.copyfile(FIXTURES / "schema-0001.sqlite", path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = _digest(path)
    with pytest.raises(DatabaseError, match="newer version of LSCB Desktop"):
        open_database(path)
    assert _digest(path) == before
    assert not list(tmp_path.glob("*.before-upgrade-*"))


def test_files_that_are_not_ours_are_refused_with_a_message(tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(DatabaseError, match="is not an LSCB Desktop database: it has tables"):
        open_database(other)
    text_file = tmp_path / "notes.sqlite"
    text_file.write_text("meeting notes, not a database\n" * 100)
    with pytest.raises(DatabaseError, match=r"Cannot open notes\.sqlite"):
        open_database(text_file)
    with pytest.raises(DatabaseError, match="no database"):
        open_database(tmp_path / "missing.sqlite", create=False)


def test_every_insert_update_and_delete_is_in_the_change_log(empty_db):
    with empty_db.session() as session:
        person = Person(name="Marie Lowe", job_title="Administrator", email="marie@example.org")
        session.add(person)
    with empty_db.session() as session:
        session.get(Person, person.id).job_title = "LSCB Administrator"
    with empty_db.session() as session:
        session.delete(session.get(Person, person.id))
    with empty_db.session() as session:
        entries = session.scalars(
            select(ChangeLogEntry)
            .where(ChangeLogEntry.table_name == "person")
            .order_by(ChangeLogEntry.id)
        ).all()
    assert [e.operation for e in entries] == ["insert", "update", "delete"]
    assert {e.record_id for e in entries} == {str(person.id)}
    assert {e.os_user for e in entries} == {current_os_user()}
    assert json.loads(entries[0].changes)["name"] == [None, "Marie Lowe"]
    assert json.loads(entries[1].changes) == {"job_title": ["Administrator", "LSCB Administrator"]}
    assert json.loads(entries[2].changes)["email"] == ["marie@example.org", None]


@pytest.mark.sqlite_only
def test_a_backup_is_a_consistent_copy(sample_db, tmp_path):
    target = sample_db.backup_to(tmp_path / "copy.sqlite")
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM attendance").fetchone() == (949,)


def test_the_migrations_build_exactly_the_schema_the_models_describe(empty_db):
    """A model changed without a migration (`python3 make.py migration`) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from lscb_desktop.models import Base

    with empty_db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_schema_head_constant_is_the_newest_migration():
    """Opening a database at SCHEMA_HEAD skips Alembic; a new migration must move it."""
    assert head_revision() == store_database.SCHEMA_HEAD
