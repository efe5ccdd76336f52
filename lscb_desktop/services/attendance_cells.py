"""Attendance written cell by cell: each (meeting, person) cell is one upsert, so two people
recording the same meeting at once never meet a database error, and the last to record a cell
decides what it holds, with every change in the change log.

How it stays exact under concurrency:

- the writers of one meeting's cells take turns: on PostgreSQL they lock the meeting's row
  (``FOR NO KEY UPDATE``, which an attendance insert's foreign-key check does not wait for); on
  SQLite the transaction starts with ``BEGIN IMMEDIATE`` (the file's one write lock). The meeting
  and the people named are looked up there too, so one deleted meanwhile is a plain
  :class:`RecordGone`, never a foreign-key error;
- the cell itself is ``INSERT … ON CONFLICT (meeting_id, person_id) DO UPDATE`` (``DO NOTHING``
  for "mark the rest present"), which also holds against writers that take no turn (an import,
  an older version), raising the record's ``version`` like any ORM save;
- the ORM's change-log listener (``store/changelog.py``) sees only what a session flushes, so
  each statement here writes its own ``change_log`` row, in the same shape: operation, table,
  record id, and each field's ``[old, new]`` (the save count ``version`` left out).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, insert, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lscb_desktop.models import Attendance, AttendanceStatus, ChangeLogEntry, Meeting, Person
from lscb_desktop.models.base import as_plain, new_uuid
from lscb_desktop.models.meetings import seat_on_the_day
from lscb_desktop.store.changelog import current_os_user
from lscb_desktop.store.journal import touching
from lscb_desktop.store.versions import RecordGone

TABLE: Table = inspect(Attendance).local_table  # type: ignore[assignment]
#: The columns the change log describes (as the ORM listener does: all but the save count).
LOGGED = sorted(
    attr.key
    for attr in inspect(Attendance).column_attrs
    if attr.key != "version" and attr.key not in Attendance.__changelog_exclude__
)
_COLUMNS = [TABLE.c[key] for key in (*LOGGED, "version")]
_CELL = ("meeting_id", "person_id")
MEETING_GONE = (
    "This meeting is no longer in the database: someone else has deleted it. "
    "Refresh (F5) to see the meetings as they are now."
)
#: A row as the statements return it (or as far as it is known).
Values = Mapping[Any, Any]


class _Keep(enum.Enum):
    KEEP = "keep what is recorded"


#: A :class:`Cell` detail left as it is recorded.
KEEP = _Keep.KEEP
#: Statuses whose attendee was in the room (they may have come late or left early).
THERE = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE})
#: Statuses that may carry a reason.
AWAY = frozenset({AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT})


@dataclass(frozen=True)
class Cell:
    """What one cell records: a status, the substitute who attended (on file or typed), and the
    details (each KEEP to leave it as recorded). A reason belongs to apologies or an absence
    and arrival and departure times to someone who was there: a new status clears the others."""

    status: AttendanceStatus
    substitute_id: int | None = None
    substitute_name: str = ""
    reason: str | _Keep = KEEP
    notes: str | _Keep = KEEP
    arrived_at: dt.time | _Keep | None = KEEP
    left_at: dt.time | _Keep | None = KEEP

    def values(self, old: Values | None) -> dict[str, Any]:
        def detail(key: str, given: object, blank: object) -> object:
            if given is not KEEP:
                return given
            return old[key] if old is not None and old[key] is not None else blank

        there = self.status in THERE
        return {
            "status": self.status,
            "substitute_id": self.substitute_id,
            "substitute_name": self.substitute_name,
            "reason": detail("reason", self.reason, "") if self.status in AWAY else "",
            "notes": detail("notes", self.notes, ""),
            "arrived_at": detail("arrived_at", self.arrived_at, None) if there else None,
            "left_at": detail("left_at", self.left_at, None) if there else None,
        }


def write_cell(session: Session, meeting_id: int, person_id: int, cell: Cell | None) -> bool:
    """Records one cell (None clears it); True when that changed what was recorded. A new row
    takes the agency and seat of the person's membership on the meeting's date; a recorded one
    keeps those it has."""
    people = (
        [person_id]
        if cell is None or cell.substitute_id is None
        else [person_id, cell.substitute_id]
    )
    take_turn(session, meeting_id, people)
    where = (TABLE.c.meeting_id == meeting_id) & (TABLE.c.person_id == person_id)
    with touching(session, TABLE, where):  # for undo: the one row this changes
        return _write_cell(session, meeting_id, person_id, cell)


def _write_cell(session: Session, meeting_id: int, person_id: int, cell: Cell | None) -> bool:
    old = _current(session, meeting_id, person_id)
    if cell is None:
        if old is None:
            return False
        gone = (
            session.execute(delete(TABLE).where(TABLE.c.id == old["id"]).returning(*_COLUMNS))
            .mappings()
            .first()
        )
        if gone is not None:
            _log(session, [("delete", gone, None)])
        return gone is not None
    wanted = cell.values(old)
    if old is not None and all(old[key] == value for key, value in wanted.items()):
        return False  # as it was: no new version, nothing to log
    statement = _insert(session, [_new_row(session, meeting_id, person_id, wanted)])
    upsert = statement.on_conflict_do_update(
        index_elements=list(_CELL),
        set_={
            **{key: statement.excluded[key] for key in wanted},
            "version": TABLE.c.version + 1,
        },
    ).returning(*_COLUMNS)
    row = session.execute(upsert).mappings().one()
    if old is None and row["version"] == 1:
        _log(session, [("insert", None, row)])
    else:  # changed, or made meanwhile by a writer that took no turn (then its values are unknown)
        _log(session, [("update", old or {}, row)])
    return True


def fill_cells(
    session: Session, meeting_id: int, person_ids: Iterable[int], status: AttendanceStatus
) -> int:
    """Records ``status`` for each person whose cell is still empty (one already recorded, by
    anyone, is left alone); returns how many were recorded."""
    people = sorted(set(person_ids))
    if not people:
        return 0
    take_turn(session, meeting_id, people)
    where = (TABLE.c.meeting_id == meeting_id) & TABLE.c.person_id.in_(people)
    with touching(session, TABLE, where):
        return _fill(session, meeting_id, people, status)


def _fill(session: Session, meeting_id: int, people: list[int], status: AttendanceStatus) -> int:
    wanted = Cell(status).values(None)
    statement = _insert(
        session, [_new_row(session, meeting_id, person, wanted) for person in people]
    )
    rows = (
        session.execute(
            statement.on_conflict_do_nothing(index_elements=list(_CELL)).returning(*_COLUMNS)
        )
        .mappings()
        .all()
    )
    _log(session, [("insert", None, row) for row in rows])
    return len(rows)


def take_turn(session: Session, meeting_id: int, person_ids: Iterable[int]) -> None:
    """Waits for any other writer of this meeting's attendance to finish, then holds the meeting
    (and the people named) until this transaction ends. A meeting or person deleted by someone
    else meanwhile raises :class:`RecordGone`."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        # pysqlite begins a transaction only at the first write, and a read followed by a write
        # in WAL mode can be refused outright; taking the write lock first avoids both.
        if not getattr(raw, "in_transaction", True):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    meeting = session.scalar(
        select(Meeting.id).where(Meeting.id == meeting_id).with_for_update(key_share=True)
    )
    if meeting is None:
        raise RecordGone(MEETING_GONE)
    wanted = set(person_ids)
    found = set(
        session.scalars(
            select(Person.id)
            .where(Person.id.in_(wanted))
            .with_for_update(read=True, key_share=True)
        )
    )
    if wanted - found:
        raise RecordGone(
            "A person on this meeting's list is no longer in the database: someone else has "
            "deleted them. Refresh (F5) to see the list as it is now."
        )


def _current(session: Session, meeting_id: int, person_id: int) -> Values | None:
    return (
        session.execute(
            select(*_COLUMNS).where(
                TABLE.c.meeting_id == meeting_id, TABLE.c.person_id == person_id
            )
        )
        .mappings()
        .first()
    )


def _new_row(
    session: Session, meeting_id: int, person_id: int, values: dict[str, Any]
) -> dict[str, Any]:
    """A new row: what was true on the day, then ``values`` (an upsert that finds the row made
    meanwhile sets only ``values``, so the row keeps the agency and seat it was made with)."""
    agency_id, role, seat = seat_on_the_day(session.connection(), meeting_id, person_id)
    return {
        "uuid": new_uuid(),
        "meeting_id": meeting_id,
        "person_id": person_id,
        "notes": "",
        "version": 1,
        "agency_id": agency_id,
        "role": role,
        "seat": seat,
        **values,
    }


def _insert(session: Session, rows: list[dict[str, Any]]) -> Any:
    """The dialect's INSERT (the one with ``ON CONFLICT``) of ``rows``."""
    name = session.connection().dialect.name
    if name == "postgresql":
        return postgresql.insert(TABLE).values(rows)
    if name == "sqlite":
        return sqlite.insert(TABLE).values(rows)
    raise NotImplementedError(f"attendance upserts need SQLite or PostgreSQL, not {name}")


def _changes(operation: str, old: Values | None, new: Values | None) -> dict[str, list[Any]]:
    """Each field's ``[old, new]`` as the ORM listener writes them: every value that is set for
    an insert or a delete, and only the fields that changed for an update."""
    result: dict[str, list[Any]] = {}
    for key in LOGGED:
        before = None if old is None else old.get(key)
        after = None if new is None else new.get(key)
        if operation == "update":
            if key in _CELL or key in ("id", "uuid") or before == after:
                continue
        elif (after if operation == "insert" else before) in (None, ""):
            continue
        result[key] = [as_plain(before), as_plain(after)]
    return result


def _log(
    session: Session,
    entries: list[tuple[str, Values | None, Values | None]],
) -> None:
    now = dt.datetime.now().replace(microsecond=0)
    user = current_os_user()
    rows = []
    for operation, old, new in entries:
        changes = _changes(operation, old, new)
        if operation == "update" and not changes:
            continue
        record = new if new is not None else old
        assert record is not None
        rows.append(
            {
                "at": now,
                "os_user": user,
                "operation": operation,
                "table_name": TABLE.name,
                "record_id": str(record["id"]),
                "changes": json.dumps(changes, ensure_ascii=False, default=str),
            }
        )
    if rows:
        session.execute(insert(ChangeLogEntry), rows)
