"""Record versions: a save over a change someone else made since the form was opened, and a
record deleted meanwhile, become plain errors instead of silent overwrites. No Qt here.

A form takes a :class:`Snapshot` of the records it shows when it opens (each record's version
and values, :func:`seen`), and saves inside ``with expecting(snapshot):``. Before each flush the
listener :func:`install` hooks in compares every record of the snapshot that the save changes
with the snapshot: when someone else has saved the record since (its version moved on) *and*
this save would write over a field they changed, it raises :class:`RecordChanged` naming, per
record, each field they changed (from what to what), who (the change log's user) and when.
Their changes to fields this save leaves alone are kept: nothing is lost, so nothing is asked.

``version_id_col`` makes every UPDATE carry ``WHERE version = :read``, so a change committed
between that check and the write is caught too (SQLAlchemy's StaleDataError, which
:func:`stale` and :func:`expecting` turn into a :class:`RecordChanged` that says to save again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import InstanceState, Mapper, Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from lscb_desktop.models import Base, ChangeLogEntry
from lscb_desktop.models.base import Versioned
from lscb_desktop.store.errors import DatabaseError

#: A record by its table and its key as text (the change log's ``record_id``).
Key = tuple[str, str]


class RecordGone(DatabaseError):
    """The record was deleted (by someone else) while it was being looked at or edited."""


GONE_WORDS = (
    "This record is no longer in the database: someone else has deleted it. "
    "Refresh (F5) to see the records as they are now."
)


def gone(_error: BaseException | None = None) -> RecordGone:
    return RecordGone(GONE_WORDS)


class _Missing:
    """A value that was not loaded (never equal to anything, itself included)."""

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def key_of(obj: Base) -> Key:
    """The record's table and key, as the change log names it."""
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return str(obj.__tablename__), ",".join(str(part) for part in identity)


@dataclass(frozen=True)
class Seen:
    """A record as a form was shown it: its version (None: not on file then) and its values
    (columns by attribute name, many-to-many lists as sorted ids), the version left out."""

    table: str
    record_id: str
    version: int | None
    values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> Key:
        return self.table, self.record_id


def seen(obj: Base) -> Seen:
    """What a loaded record holds now (nothing is loaded that is not already)."""
    state = inspect(obj)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in state.dict:
            values[attr.key] = state.dict[attr.key]
    for rel in state.mapper.relationships:
        if rel.secondary is not None and rel.key in state.dict:
            values[rel.key] = _ids(state.dict[rel.key])
    version = values.pop("version", None)
    table, record_id = key_of(obj)
    return Seen(table, record_id, int(version) if version is not None else None, values)


def absent(table: str, record_id: object) -> Seen:
    """A record that was not on file when the form opened (a setting never saved, say)."""
    return Seen(table, str(record_id), None)


@dataclass(frozen=True)
class Snapshot:
    """The records a form shows, as it was shown them."""

    records: Mapping[Key, Seen] = field(default_factory=dict)

    @classmethod
    def of(cls, records: Iterable[Seen]) -> Snapshot:
        return cls({record.key: record for record in records})

    def __contains__(self, key: object) -> bool:
        return key in self.records

    def get(self, table: str, record_id: object) -> Seen | None:
        return self.records.get((table, str(record_id)))

    def with_records(self, records: Iterable[Seen], dropped: Iterable[Key] = ()) -> Snapshot:
        merged = dict(self.records)
        for key in dropped:
            merged.pop(key, None)
        merged.update((record.key, record) for record in records)
        return Snapshot(merged)

    def accepting(self, error: RecordChanged) -> Snapshot:
        """This snapshot with the changed records as they are now: saving under it writes over
        those changes knowingly (and still stops at any made after ``error``)."""
        return self.with_records(
            Seen(change.table, change.record_id, change.version, change.values)
            for change in error.records
        )


@dataclass(frozen=True)
class Difference:
    """A field someone else changed: from what the form was shown to what it holds now."""

    field: str
    seen: Any
    now: Any
    #: The save would have written over it.
    clash: bool


@dataclass(frozen=True)
class Changed:
    """A record someone else saved after the form was opened, as it is now."""

    table: str
    record_id: str
    version: int
    values: Mapping[str, Any]
    differences: tuple[Difference, ...]
    #: The latest change-log entry of the record: who (the user name) and when.
    by: str = ""
    at: dt.datetime | None = None


class RecordChanged(DatabaseError):
    """Someone else saved a record after this form was opened; nothing was saved. ``records``
    says what they changed; it is empty when their save came at the very moment of this one
    (:func:`stale`), in which case saving again shows what they changed."""

    def __init__(self, records: tuple[Changed, ...] = ()) -> None:
        if records:
            words = (
                "Someone else has changed this record since you opened it, so nothing was "
                "saved: saving would have undone their changes."
            )
        else:
            words = (
                "Someone else saved this record at the same moment, so nothing was saved. "
                "Save again to see what they changed."
            )
        super().__init__(words)
        self.records = records


def stale(_error: BaseException | None = None) -> RecordChanged:
    """SQLAlchemy's StaleDataError (an UPDATE or DELETE that found the record's version moved
    on, or the record gone) in the user's words."""
    return RecordChanged()


# -- the check before each flush --------------------------------------------------------------


@dataclass
class Expected:
    """A save under way: the snapshot it expects, and the records it has written."""

    snapshot: Snapshot
    written: list[Base] = field(default_factory=list)

    def after(self) -> Snapshot:
        """The snapshot as it stands once this save is committed: the records it wrote as it
        wrote them (a form that stays open saves again from there), deleted ones left out."""
        kept, dropped = [], []
        for obj in self.written:
            state = inspect(obj)
            if state.deleted or state.was_deleted:
                dropped.append(key_of(obj))
            elif state.key is not None and "version" in state.dict:
                kept.append(seen(obj))
        return self.snapshot.with_records(kept, dropped)


_EXPECTED: ContextVar[Expected | None] = ContextVar("lscb_expected_versions", default=None)


@contextmanager
def expecting(snapshot: Snapshot) -> Iterator[Expected]:
    """Saves inside the block check every record of ``snapshot`` they change (see the module's
    documentation); a change that slips in at the last moment raises RecordChanged too."""
    expected = Expected(snapshot)
    token = _EXPECTED.set(expected)
    try:
        yield expected
    except StaleDataError as exc:
        raise stale(exc) from exc
    finally:
        _EXPECTED.reset(token)


def _ids(collection: Iterable[Any]) -> list[Any]:
    idents = [inspect(item).identity for item in collection]
    return sorted(ident[0] for ident in idents if ident)


def _loaded(state: InstanceState[Any]) -> dict[str, Any]:
    """What the database held when the record was loaded into this session (before this save
    changed it); MISSING for what was never loaded."""
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if history.deleted:
            values[attr.key] = history.deleted[0]
        elif history.unchanged:
            values[attr.key] = history.unchanged[0]
        else:
            values[attr.key] = MISSING
    for rel in state.mapper.relationships:
        if rel.secondary is None:
            continue
        if rel.key in state.dict or rel.key in state.committed_state:
            history = state.attrs[rel.key].history
            values[rel.key] = _ids([*history.unchanged, *history.deleted])
        else:
            values[rel.key] = MISSING
    return values


def _written(state: InstanceState[Any]) -> set[str]:
    """The fields this flush writes (the version aside)."""
    fields = {
        attr.key
        for attr in state.mapper.column_attrs
        if attr.key != "version" and state.attrs[attr.key].history.has_changes()
    }
    fields |= {
        rel.key
        for rel in state.mapper.relationships
        if rel.secondary is not None and state.attrs[rel.key].history.has_changes()
    }
    return fields


def _has_lists(mapper: Mapper[Any]) -> bool:
    return any(rel.secondary is not None for rel in mapper.relationships)


def _bump_for_collections(session: Session) -> None:
    """SQLAlchemy raises a version only when a column changes; a change to a many-to-many list
    alone (an audit's agencies) raises it here, so that it is seen like any other change."""
    for obj in session.dirty:
        if not isinstance(obj, Versioned) or not isinstance(obj, Base):
            continue
        state = inspect(obj)
        if not _has_lists(state.mapper):
            continue
        fields = _written(state)
        columns = {attr.key for attr in state.mapper.column_attrs}
        if fields and not fields & columns and "version" not in state.committed_state:
            version = _loaded(state)["version"]
            if isinstance(version, int):
                obj.version = version + 1


def _check(session: Session, expected: Expected) -> None:
    checked: dict[Key, dict[str, Any]] = session.info.setdefault("versions_loaded", {})
    found: list[Changed] = []
    noted = {id(obj) for obj in expected.written}
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, Versioned) or not isinstance(obj, Base):
            continue
        if id(obj) not in noted:
            expected.written.append(obj)
            noted.add(id(obj))
        if obj in session.new:
            continue
        key = key_of(obj)
        was = expected.snapshot.records.get(key)
        deleting = obj in session.deleted
        if was is None or not (deleting or session.is_modified(obj)):
            continue
        state = inspect(obj)
        # The first flush of a record in this session holds what the database held; a later
        # one holds what an earlier flush wrote, but may have loaded more (a list).
        fresh = _loaded(state)
        loaded = checked.setdefault(key, fresh)
        for name, value in fresh.items():
            if loaded.get(name, MISSING) is MISSING:
                loaded[name] = value
        if loaded["version"] == was.version:
            continue
        writing = _written(state) if not deleting else set(loaded) - {"version"}
        differences = tuple(
            Difference(name, was.values.get(name), now, clash=name in writing)
            for name, now in loaded.items()
            if name != "version" and now is not MISSING and was.values.get(name, MISSING) != now
        )
        clashes = any(was.values.get(name, MISSING) != loaded.get(name) for name in writing)
        if clashes:
            found.append(_changed(session, key, loaded, differences))
    if found:
        raise RecordChanged(tuple(found))


def _changed(
    session: Session, key: Key, loaded: dict[str, Any], differences: tuple[Difference, ...]
) -> Changed:
    table, record_id = key
    latest = session.execute(
        select(ChangeLogEntry.os_user, ChangeLogEntry.at)
        .where(ChangeLogEntry.table_name == table, ChangeLogEntry.record_id == record_id)
        .order_by(ChangeLogEntry.id.desc())
        .limit(1)
    ).first()
    values = {name: value for name, value in loaded.items() if name != "version"}
    return Changed(
        table=table,
        record_id=record_id,
        version=int(loaded["version"]),
        values=values,
        differences=differences,
        by=str(latest.os_user) if latest else "",
        at=latest.at if latest else None,
    )


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    with session.no_autoflush:
        expected = _EXPECTED.get()
        if expected is not None:
            _check(session, expected)
        _bump_for_collections(session)


def install(factory: sessionmaker[Session]) -> None:
    """Hooks the version checks into every session the factory makes."""
    event.listen(factory, "before_flush", _before_flush)


__all__ = [
    "Changed",
    "Difference",
    "Expected",
    "RecordChanged",
    "RecordGone",
    "Seen",
    "Snapshot",
    "absent",
    "expecting",
    "gone",
    "install",
    "key_of",
    "seen",
    "stale",
]
