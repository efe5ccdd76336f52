"""The integrity check: SQLite's own, foreign keys, the schema, the records' rules, and what an
upgrade may have lost (against the copy taken before it).

Every finding is a sentence for the user; nothing here ends in a traceback, whatever the file
holds (a damaged page, a missing table, a file that is not a database).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from lscb_desktop.models import Attendance, Base, Document, Meeting, Membership, Person
from lscb_desktop.services.integrity_meetings import (
    attendance_without_agency,
    declarations_on_other_meetings,
    guests_on_other_meetings,
)
from lscb_desktop.store import Database, DatabaseError
from lscb_desktop.store.backups import check_file, last_replaced, list_backups
from lscb_desktop.store.database import SCHEMA_HEAD

RESTORE_HINT = (
    "Restore the last good backup: `lscb-desktop backups` lists them, `lscb-desktop restore "
    "BACKUP` restores one (or File > Restore from backup… in the window)."
)

#: table -> (one, many), as the user calls them.
WORDS = {
    "agency": ("agency", "agencies"),
    "person": ("person", "people"),
    "board_group": ("group", "groups"),
    "membership": ("membership", "memberships"),
    "meeting": ("meeting", "meetings"),
    "document": ("paper", "papers"),
    "agenda_item": ("agenda item", "agenda items"),
    "attendance": ("attendance record", "attendance records"),
    "guest": ("guest", "guests"),
    "guest_item": ("item a guest attended for", "items guests attended for"),
    "declaration": ("declaration of interest", "declarations of interest"),
    "group_quorum_partner": (
        "partner a group's quorum requires",
        "partners groups' quorums require",
    ),
    "action": ("action", "actions"),
    "audit": ("audit", "audits"),
    "audit_agency": ("agency taking part in an audit", "agencies taking part in audits"),
    "case_review": ("case review", "case reviews"),
    "setting": ("setting", "settings"),
    "change_log": ("change log entry", "change log entries"),
}
#: Tables whose counts say nothing about lost records.
NOT_COMPARED = {"alembic_version", "change_log", "sqlite_sequence", "sqlite_stat1"}


def one(table: str) -> str:
    return WORDS.get(table, (table.replace("_", " "), ""))[0]


def many(table: str) -> str:
    return WORDS.get(table, ("", table.replace("_", " ") + "s"))[1]


def link_words(table: str, column: str, parent: str) -> str:
    """``action.agenda_item_id`` -> "links from actions to agenda items"."""
    role = column.removesuffix("_id").replace("_", " ")
    extra = "" if role == one(parent) else f" ({role})"
    return f"links from {many(table)} to {many(parent)}{extra}"


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    damaged: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        counts = ", ".join(f"{n} {kind}" for kind, n in self.checked.items())
        checked = f" ({counts} checked)" if counts else ""
        if self.ok:
            return f"No problems found{checked}."
        lines = [f"{len(self.problems)} problem(s) found{checked}:"]
        lines += [f"- {p}" for p in self.problems]
        if self.damaged:
            lines.append(RESTORE_HINT)
        return "\n".join(lines)


# -- SQLite's own checks ---------------------------------------------------------------------------


def _damage_words(findings: list[str], tables: dict[int, str]) -> str:
    """One sentence for SQLite's findings, naming the kinds of record whose pages are hit."""
    hit = []
    for finding in findings:
        for root in re.findall(r"\bTree (\d+)\b", finding):
            name = tables.get(int(root))
            if name and many(name) not in hit:
                hit.append(many(name))
    where = f", in the pages holding {', '.join(hit)}" if hit else ""
    lines = [line for f in findings for line in f.splitlines() if "***" not in line]
    first = lines[0] if lines else findings[0]
    return (
        f"The database file is damaged: SQLite found {len(lines) or 1} problem(s) in its "
        f"pages{where} (the first: {first})."
    )


def _root_pages(connection: Connection) -> dict[int, str]:
    try:
        rows = connection.exec_driver_sql("SELECT rootpage, tbl_name FROM sqlite_master").all()
    except (SQLAlchemyError, DatabaseError):
        return {}
    return {int(row[0]): str(row[1]) for row in rows if row[0]}


def _sqlite_checks(database: Database, report: CheckReport) -> None:
    with database.engine.connect() as connection:
        try:
            findings = [
                str(row[0])
                for row in connection.exec_driver_sql("PRAGMA integrity_check(100)").all()
            ]
        except (SQLAlchemyError, DatabaseError) as exc:
            findings = [str(exc.__cause__ or getattr(exc, "orig", None) or exc)]
        # A value breaking a CHECK or NOT NULL rule is a wrong record, not a damaged page.
        broken = [f for f in findings if f.startswith(("CHECK constraint", "NULL value in"))]
        findings = [f for f in findings if f not in broken]
        for finding in broken:
            table = finding.split()[-1]
            report.problems.append(
                f"a record in {many(table)} breaks a rule of the database: {finding}"
            )
        if findings not in (["ok"], []):
            report.damaged = True
            report.problems.append(_damage_words(findings, _root_pages(connection)))
            return
        for row in connection.exec_driver_sql("PRAGMA foreign_key_check").all():
            report.problems.append(
                f"{one(row[0])} {row[1]} refers to a missing {one(row[2])} (table {row[0]})"
            )


def check_unopenable(path: Path, reason: str) -> CheckReport:
    """The report for a file that could not even be opened as a database."""
    report = CheckReport(damaged=True)
    findings = check_file(path, "integrity_check")
    detail = findings[0] if findings else reason
    if "not a database" in detail:
        report.problems.append(
            f"{path.name} is not a database, or its first page is damaged ({detail})."
        )
    else:
        report.problems.append(_damage_words(findings or [reason], {}))
    return report


# -- the records' own rules -----------------------------------------------------------------------


def _attendance_of_non_members(database: Database, report: CheckReport) -> None:
    with database.session() as session:
        memberships: dict[tuple[int, int], list[Membership]] = {}
        for membership in session.scalars(select(Membership)):
            key = (membership.group_id, membership.person_id)
            memberships.setdefault(key, []).append(membership)
        query = select(Attendance).options(
            selectinload(Attendance.meeting), selectinload(Attendance.person)
        )
        for record in session.scalars(query):
            if record.meeting is None or record.person is None:
                continue  # a broken link, which the foreign-key check names
            day = record.meeting.starts_at.date()
            spells = memberships.get((record.meeting.group_id, record.person_id), [])
            if not any(m.is_current(day) for m in spells):
                report.problems.append(
                    f"attendance for {record.person.name} at meeting {record.meeting_id} "
                    f"({day:%d/%m/%Y}), but they were not a member of that group then"
                )


def _papers(database: Database, report: CheckReport) -> None:
    with database.session() as session:
        for document in session.scalars(select(Document)):
            content = document.content
            digest = hashlib.sha256(content).hexdigest()
            if len(content) != document.size or digest != document.sha256:
                report.problems.append(
                    f"paper {document.id} ({document.filename}) does not match "
                    "its recorded size and checksum"
                )


def _links(database: Database, report: CheckReport) -> None:
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT a.id, a.description, a.meeting_id, i.meeting_id FROM action a "
            "JOIN agenda_item i ON i.id = a.agenda_item_id "
            "WHERE a.meeting_id IS NOT NULL AND a.meeting_id <> i.meeting_id"
        ).all()
        for action_id, description, meeting_id, item_meeting in rows:
            report.problems.append(
                f"action {action_id} ({_short(description)}) is for meeting {meeting_id} but "
                f"points at an agenda item of meeting {item_meeting}"
            )
        rows = connection.exec_driver_sql(
            "SELECT m.id, p.name FROM membership m JOIN person p ON p.id = m.person_id "
            "WHERE m.substitute_id = m.person_id"
        ).all()
        for membership_id, name in rows:
            report.problems.append(
                f"membership {membership_id}: {name} is named as their own substitute"
            )


def _short(value: object, limit: int = 40) -> str:
    words = " ".join(str(value or "").split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def _case_references(database: Database, report: CheckReport) -> None:
    from lscb_desktop.services.anonymity import reference_problem  # noqa: PLC0415
    from lscb_desktop.services.settings import load_settings  # noqa: PLC0415

    settings = load_settings(database)
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT id, reference FROM case_review").all()
    for review_id, reference in rows:
        problem = reference_problem(str(reference or ""), settings)
        if problem:
            report.problems.append(f"case review {review_id}: {problem}")


def _uuids(database: Database, report: CheckReport) -> None:
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if "uuid" not in table.c:
                continue
            name = table.name
            rows = connection.exec_driver_sql(
                f'SELECT uuid, count(*) FROM "{name}" GROUP BY uuid HAVING count(*) > 1 '
                "OR uuid IS NULL OR uuid = ''"
            ).all()
            for uuid, count in rows:
                if not uuid:
                    report.problems.append(f"{count} {many(name)} have no identifier (uuid)")
                else:
                    report.problems.append(
                        f"{count} {many(name)} share the identifier {uuid}; an import could "
                        "not tell them apart"
                    )


# -- what an upgrade lost ------------------------------------------------------------------------


@dataclass
class Counts:
    """Rows per table and non-null values per foreign-key column (table, column, parent)."""

    rows: dict[str, int] = field(default_factory=dict)
    links: dict[tuple[str, str, str], int] = field(default_factory=dict)
    cascades: dict[str, set[str]] = field(default_factory=dict)  # parent -> children deleted


def count_records(connection: sqlite3.Connection) -> Counts:
    counts = Counts()
    tables = [
        str(row[0])
        for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    for table in tables:
        if table in NOT_COMPARED or table.startswith("sqlite_"):
            continue
        counts.rows[table] = int(
            connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        )
        for fk in connection.execute(f'PRAGMA foreign_key_list("{table}")'):
            parent, column, on_delete = str(fk[2]), str(fk[3]), str(fk[6]).upper()
            counts.links[(table, column, parent)] = int(
                connection.execute(f'SELECT count("{column}") FROM "{table}"').fetchone()[0]
            )
            if on_delete == "CASCADE":
                counts.cascades.setdefault(parent, set()).add(table)
    return counts


@dataclass
class Logged:
    """What the change log explains since a moment: +/- rows and links, tables deleted from."""

    rows: dict[str, int] = field(default_factory=dict)
    links: dict[tuple[str, str], int] = field(default_factory=dict)
    deleted_from: set[str] = field(default_factory=set)


def _logged_since(connection: sqlite3.Connection, since: dt.datetime) -> Logged:
    logged = Logged()
    try:
        rows = connection.execute(
            "SELECT table_name, operation, changes FROM change_log WHERE at >= ?",
            (since.isoformat(sep=" "),),
        ).fetchall()
    except sqlite3.Error:
        return logged
    for table, operation, changes in rows:
        step = {"insert": 1, "delete": -1}.get(operation, 0)
        logged.rows[table] = logged.rows.get(table, 0) + step
        if operation == "delete":
            logged.deleted_from.add(table)
        try:
            fields: dict[str, Any] = json.loads(changes or "{}")
        except ValueError:
            continue
        for column, values in fields.items():
            if not isinstance(values, list) or len(values) != 2:
                continue
            old, new = values
            delta = (new is not None) - (old is not None)
            if delta and not isinstance(new if new is not None else old, list):
                logged.links[(table, column)] = logged.links.get((table, column), 0) + delta
    return logged


def newest_upgrade_copy(path: Path) -> tuple[Path, dt.datetime] | None:
    copies = [b for b in list_backups(path) if b.note == "before-upgrade"]
    if not copies:
        return None
    newest = max(copies, key=lambda b: b.taken)
    return newest.path, newest.taken


def upgrade_losses(path: Path) -> list[str]:
    """Records and links that the database has fewer of than the newest pre-upgrade copy beside
    it, beyond what the change log explains (deletions, links cleared, and what a logged delete
    of a parent record cascades to). Only while that copy is newer than the last time the
    database was replaced wholesale (a restore, ``demo --force``): the records of a backup or of
    the sample are not the upgrade's to lose."""
    found = newest_upgrade_copy(path)
    if found is None:
        return []
    copy, taken = found
    replaced = last_replaced(path)
    if replaced is not None and replaced >= taken:
        return []
    try:
        with closing(sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)) as old:
            before = count_records(old)
        with closing(sqlite3.connect(path)) as current:
            now = count_records(current)
            logged = _logged_since(current, taken)
    except sqlite3.Error as exc:
        return [f"the copy taken before the upgrade ({copy.name}) could not be compared: {exc}"]
    when = f"{taken:%d/%m/%Y}"
    losses = []
    for table, count in before.rows.items():
        if table not in now.rows:
            continue
        explained = any(table in before.cascades.get(p, ()) for p in logged.deleted_from)
        lost = count + logged.rows.get(table, 0) - now.rows[table]
        if lost > 0 and not explained:
            losses.append(f"the upgrade of {when} lost {min(lost, count)} of {count} {many(table)}")
    for (table, column, parent), count in before.links.items():
        if (table, column, parent) not in now.links or count == 0:
            continue
        explained = parent in logged.deleted_from or table in logged.deleted_from
        lost = count + logged.links.get((table, column), 0) - now.links[(table, column, parent)]
        if lost > 0 and not explained:
            losses.append(
                f"the upgrade of {when} lost {min(lost, count)} of {count} "
                f"{link_words(table, column, parent)}"
            )
    if losses:
        losses.append(
            f"(compared with {copy.name}, the copy taken before the upgrade; restoring it and "
            "upgrading again with this version brings the lost records back)"
        )
    return losses


# -- the whole check ----------------------------------------------------------------------------


def _guarded(report: CheckReport, what: str, check: Callable[[], None]) -> None:
    """Runs one check; a failure becomes a finding, never a traceback."""
    try:
        check()
    except DatabaseError as exc:
        report.damaged = True
        report.problems.append(f"{what} could not be checked: {exc}")
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        missing = re.search(r"no such (table|column): (\S+)", reason)
        if missing:
            reason = f"the {missing[1]} {missing[2]} is missing"
        report.problems.append(f"{what} could not be checked: {reason}")
    except (LookupError, TypeError, ValueError, AttributeError):  # records past repair
        logging.getLogger(__name__).exception("%s could not be checked", what)
        report.problems.append(
            f"{what} could not be checked: some records hold values this version cannot read"
        )


def _extend(
    report: CheckReport, check: Callable[[Database], list[str]], database: Database
) -> None:
    report.problems.extend(check(database))


def check_database(database: Database) -> CheckReport:
    report = CheckReport()
    if database.engine.dialect.name == "sqlite":
        _guarded(report, "The file", lambda: _sqlite_checks(database, report))
    if report.damaged:
        report.problems.append(
            "The records' own rules were not checked, since the file itself is damaged."
        )
        return report

    def schema() -> None:
        current = database.current_revision()
        if current != SCHEMA_HEAD:
            report.problems.append(f"schema is at {current}, this version expects {SCHEMA_HEAD}")
        with database.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
        for name in sorted(set(Base.metadata.tables) - tables):
            report.problems.append(f"the table of {many(name)} ({name}) is missing")

    def counts() -> None:
        with database.session() as session:
            for kind, model in (
                ("people", Person),
                ("memberships", Membership),
                ("meetings", Meeting),
                ("attendance records", Attendance),
                ("papers", Document),
            ):
                report.checked[kind] = session.scalar(select(func.count()).select_from(model)) or 0

    _guarded(report, "The schema", schema)
    _guarded(report, "The number of records", counts)
    _guarded(report, "Papers", lambda: _papers(database, report))
    _guarded(report, "Attendance", lambda: _attendance_of_non_members(database, report))
    _guarded(report, "Links between records", lambda: _links(database, report))
    for what, check in (
        ("The agency of attendance on the day", attendance_without_agency),
        ("Declarations of interest", declarations_on_other_meetings),
        ("Guests' agenda items", guests_on_other_meetings),
    ):
        _guarded(report, what, partial(_extend, report, check, database))
    _guarded(report, "Case review references", lambda: _case_references(database, report))
    _guarded(report, "Record identifiers", lambda: _uuids(database, report))
    if database.path is not None:
        path = database.path
        _guarded(report, "The last upgrade", lambda: report.problems.extend(upgrade_losses(path)))
    return report


def quick_check(database: Database) -> None:
    """SQLite's quick check of the whole file (it reads every page: about 0.1–0.4 s for 60 MB);
    raises :class:`DamagedDatabase` with the user's words when the file is damaged."""
    from lscb_desktop.store.database import damaged  # noqa: PLC0415

    if database.engine.dialect.name != "sqlite" or database.path is None:
        return
    with database.engine.connect() as connection:
        try:
            rows = connection.exec_driver_sql("PRAGMA quick_check(5)").all()
        except SQLAlchemyError as exc:  # pragma: no cover - translated to DamagedDatabase first
            raise damaged(database.display_name, exc) from exc
    findings = [line for row in rows for line in str(row[0]).splitlines() if "***" not in line]
    if findings != ["ok"]:
        raise damaged(database.display_name, findings[0] if findings else "")
