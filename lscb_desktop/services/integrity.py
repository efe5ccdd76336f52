"""The integrity check: SQLite's own, foreign keys, the schema version, and the records' rules."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from lscb_desktop.models import Attendance, Document, Meeting, Membership, Person
from lscb_desktop.store import Database
from lscb_desktop.store.database import head_revision


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        counts = ", ".join(f"{n} {kind}" for kind, n in self.checked.items())
        if self.ok:
            return f"No problems found ({counts} checked)."
        lines = [f"{len(self.problems)} problem(s) found ({counts} checked):"]
        lines += [f"- {p}" for p in self.problems]
        return "\n".join(lines)


def check_database(database: Database) -> CheckReport:
    report = CheckReport()
    with database.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            for (row,) in connection.execute(text("PRAGMA integrity_check")):
                if row != "ok":
                    report.problems.append(f"SQLite integrity: {row}")
            for row in connection.execute(text("PRAGMA foreign_key_check")):
                report.problems.append(f"{row[0]} row {row[1]} refers to a missing {row[2]} record")
    current, head = database.current_revision(), head_revision()
    if current != head:
        report.problems.append(f"schema is at {current}, this version expects {head}")
    with database.session() as session:
        for kind, model in (
            ("people", Person),
            ("memberships", Membership),
            ("meetings", Meeting),
            ("attendance records", Attendance),
            ("papers", Document),
        ):
            report.checked[kind] = session.scalar(select(func.count()).select_from(model)) or 0
        for document in session.scalars(select(Document)):
            content = document.content
            digest = hashlib.sha256(content).hexdigest()
            if len(content) != document.size or digest != document.sha256:
                report.problems.append(
                    f"paper {document.id} ({document.filename}) does not match "
                    "its recorded size and checksum"
                )
        memberships: dict[tuple[int, int], list[Membership]] = {}
        for membership in session.scalars(select(Membership)):
            memberships.setdefault((membership.group_id, membership.person_id), []).append(
                membership
            )
        query = select(Attendance).options(
            selectinload(Attendance.meeting), selectinload(Attendance.person)
        )
        for record in session.scalars(query):
            day = record.meeting.starts_at.date()
            spells = memberships.get((record.meeting.group_id, record.person_id), [])
            if not any(m.is_current(day) for m in spells):
                report.problems.append(
                    f"attendance for {record.person.name} at meeting {record.meeting_id} "
                    f"({day:%d/%m/%Y}), but they were not a member of that group then"
                )
    return report
