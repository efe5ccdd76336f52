"""Every migration keeps every record and every link, from the oldest fixture onwards."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from lscb_desktop.store import DatabaseError, open_database
from lscb_desktop.store.migrating import alembic_config, head_revision, migration_engine
from tests.conftest import FIXTURES

Counts = dict[str, int]


def census(path: Path) -> Counts:
    """Rows in every table, non-empty values in every foreign-key column, and a digest of which
    record each link points at (so a migration that renumbers or re-points links is caught)."""
    counts: Counts = {}
    with sqlite3.connect(path) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
            )
        ]
        for table in tables:
            counts[table] = connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            found = connection.execute(f'PRAGMA foreign_key_list("{table}")')
            links = sorted({link[3] for link in found})
            for column in links:
                counts[f"{table}.{column}"] = connection.execute(
                    f'SELECT count("{column}") FROM "{table}"'
                ).fetchone()[0]
            if links:
                # One digest per link, so that a link a later migration adds is counted on its
                # own and the digests of the links that were there before must stay as they were.
                names = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
                key = ["id"] if "id" in names else list(links)
                for column in links:
                    columns = ", ".join(f'"{c}"' for c in dict.fromkeys([*key, column]))
                    rows = connection.execute(
                        f'SELECT {columns} FROM "{table}" ORDER BY {columns}'
                    ).fetchall()
                    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
                    counts[f"{table}.{column} links"] = int(digest[:12], 16)
    connection.close()
    return counts


def revisions_after(start: str) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    order = [r.revision for r in reversed(list(script.walk_revisions()))]
    return order[order.index(start) + 1 :]


def upgrade_to(path: Path, revision: str) -> None:
    engine = migration_engine(f"sqlite:///{path}")
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def test_the_oldest_fixture_has_links_worth_keeping():
    counts = census(FIXTURES / "schema-0001.sqlite")
    assert counts["action.agenda_item_id"] == 92
    assert counts["attendance"] == 963
    assert all(counts[key] for key in ("membership.substitute_id", "action.meeting_id"))


#: Files written by released versions, each at the schema it names.
OLD_FILES = {
    "0001": "schema-0001.sqlite",
    "0002": "schema-0002.sqlite",
    "0003": "schema-0003.sqlite",
    "0004": "schema-0004.sqlite",
}


@pytest.mark.parametrize(
    ("start", "revision"),
    [(start, rev) for start in OLD_FILES for rev in revisions_after(start)],
)
def test_each_migration_keeps_every_row_and_every_link(tmp_path, start, revision):
    """From each released schema's own file, one step at a time up to ``revision``: nothing lost
    or re-pointed at any step (0002 once emptied every action's link to its agenda item by
    rebuilding agenda_item with foreign keys on)."""
    path = tmp_path / "office.sqlite"
    shutil.copyfile(FIXTURES / OLD_FILES[start], path)
    for step in revisions_after(start):
        before = census(path)
        upgrade_to(path, step)
        after = census(path)
        assert {k: after.get(k) for k in before} == before, f"migration {step} lost records"
        if step == revision:
            break


def test_the_0002_fixture_keeps_its_papers_and_links_and_gains_identifiers(tmp_path):
    path = tmp_path / "office.sqlite"
    shutil.copyfile(FIXTURES / "schema-0002.sqlite", path)
    before = census(path)
    assert before["document"] > 0 and before["action.agenda_item_id"] == 92
    open_database(path).dispose()
    after = census(path)
    assert {k: after.get(k) for k in before} == before
    with sqlite3.connect(path) as connection:
        for table in ("person", "action", "document", "attendance"):
            rows, distinct = connection.execute(
                f'SELECT count(*), count(DISTINCT uuid) FROM "{table}"'
            ).fetchone()
            assert rows == distinct > 0, table
    connection.close()


def test_opening_an_old_file_keeps_every_row_and_link(tmp_path):
    path = tmp_path / "office.sqlite"
    shutil.copyfile(FIXTURES / "schema-0001.sqlite", path)
    before = census(path)
    database = open_database(path)
    assert database.current_revision() == head_revision()
    database.dispose()
    after = census(path)
    assert {k: after.get(k) for k in before} == before
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        people, distinct = connection.execute(
            "SELECT count(*), count(DISTINCT uuid) FROM person"
        ).fetchone()
    connection.close()
    assert people == distinct == 65


def test_an_upgrade_that_would_break_links_changes_nothing(tmp_path, monkeypatch):
    """A migration that leaves a dangling link is rolled back whole, the file untouched."""
    path = tmp_path / "office.sqlite"
    shutil.copyfile(FIXTURES / "schema-0001.sqlite", path)
    before = census(path)
    real_upgrade = command.upgrade

    def upgrade_that_breaks_a_link(config, revision):
        real_upgrade(config, revision)
        config.attributes["connection"].exec_driver_sql(
            "UPDATE action SET meeting_id = 999999 WHERE id = 1"
        )

    monkeypatch.setattr(command, "upgrade", upgrade_that_breaks_a_link)
    with pytest.raises(DatabaseError, match="not upgraded and nothing was changed"):
        open_database(path)
    assert census(path) == before
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    connection.close()


def test_0005_fills_what_was_true_on_the_day_from_the_memberships(tmp_path):
    """An office's attendance gets the agency, role and seat of the membership on each meeting's
    date (the program kept nothing older), and its business unit stops counting for quorum."""
    path = tmp_path / "office.sqlite"
    shutil.copyfile(FIXTURES / "schema-0004.sqlite", path)
    upgrade_to(path, "0005")
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT a.agency_id, p.agency_id, a.role, m.role, a.seat, m.position "
            "FROM attendance a JOIN person p ON p.id = a.person_id "
            "JOIN meeting g ON g.id = a.meeting_id "
            "JOIN membership m ON m.person_id = a.person_id AND m.group_id = g.group_id "
            "AND m.start_date <= date(g.starts_at) "
            "AND (m.end_date IS NULL OR m.end_date >= date(g.starts_at))"
        ).fetchall()
        total = connection.execute("SELECT count(*) FROM attendance").fetchone()[0]
        assert len(rows) == total == 963
        assert all(a == p and r == mr and s == pos for a, p, r, mr, s, pos in rows)
        assert {r[2] for r in rows} >= {"chair", "member", "business_manager"}
        assert connection.execute(
            "SELECT count(*) FROM membership m JOIN person p ON p.id = m.person_id "
            "WHERE m.agency_id IS NOT p.agency_id"
        ).fetchone() == (0,)
        counting = dict(connection.execute("SELECT name, counts_for_quorum FROM agency"))
        assert counting.pop("Luton Safeguarding Children Board Business Unit") == 0
        assert set(counting.values()) == {1}
    connection.close()
