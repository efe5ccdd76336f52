"""Record versions: a save over a change someone else made since the form was opened, and a
record deleted meanwhile, become plain errors instead of silent overwrites. No Qt here.

A form takes a :class:`Snapshot` of the records it shows when it opens (each record's version
and values, :func:`seen`), and saves inside ``with expecting(snapshot):``. Before each flush the
listener :func:`install` hooks in merges, field by field, every record of the snapshot that the
save changes: the form's value, the snapshot's and the database's. A field the form leaves as it
was shown (forms write every field they show) keeps the database's value, so someone else's
change to it stands; a field only this user changed is written. Only a field *both* changed
stops the save: :class:`RecordChanged` names, per record, each field they changed (from what to
what, and whether it clashes), who (the change log's user) and when. Deleting a record someone
else has changed since always stops.

A save that inserts a record the form was shown as not on file yet (a setting saved for the first
time), when someone else has just inserted it, meets a unique key: that is a same-moment change
too (:func:`expecting`), and saving again merges with theirs.

One-click changes from a list (deleting a row) carry the version the list showed instead of a
snapshot; :class:`ChangedSinceShown` refuses them in words when the record moved on since.

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
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstanceState, Mapper, RelationshipProperty, Session, sessionmaker
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


class ChangedSinceShown(DatabaseError):
    """A one-click change from a list (a delete, a paper replaced) refused, in words: the record
    changed since the list was shown, so the user never saw what it would remove."""


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
        """This snapshot with the clashing fields of the changed records as they are now:
        saving under it writes over those knowingly (and still stops at any change made after
        ``error``), while their other changes, to fields the form leaves alone, still stand."""
        accepted = []
        for change in error.records:
            was = self.records.get((change.table, change.record_id))
            values = dict(was.values) if was is not None else {}
            values.update((d.field, d.now) for d in change.differences if d.clash)
            accepted.append(Seen(change.table, change.record_id, change.version, values))
        return self.with_records(accepted)


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
    #: Fields left as the form showed them whose database value (someone else's) was kept
    #: instead: what the form showed, by record.
    kept: dict[Key, dict[str, Any]] = field(default_factory=dict)
    #: Records this save inserted that the snapshot had as not on file.
    inserted_absent: set[Key] = field(default_factory=set)

    def after(self) -> Snapshot:
        """The snapshot as it stands once this save is committed: the records it wrote as it
        wrote them (a form that stays open saves again from there), deleted ones left out. A
        field whose database value was kept stays noted as the form shows it, so that saving
        again keeps that value too."""
        kept, dropped = [], []
        for obj in self.written:
            state = inspect(obj)
            if state.deleted or state.was_deleted:
                dropped.append(key_of(obj))
            elif state.key is not None and "version" in state.dict:
                record = seen(obj)
                shown = self.kept.get(record.key, {})
                values = {**record.values, **shown}
                kept.append(Seen(record.table, record.record_id, record.version, values))
        return self.snapshot.with_records(kept, dropped)


_EXPECTED: ContextVar[Expected | None] = ContextVar("lscb_expected_versions", default=None)


@contextmanager
def expecting(snapshot: Snapshot) -> Iterator[Expected]:
    """Saves inside the block check every record of ``snapshot`` they change (see the module's
    documentation); a change that slips in at the last moment raises RecordChanged too, and so
    does a unique key met by inserting a record the snapshot had as not on file (someone else
    inserted it at the same moment)."""
    expected = Expected(snapshot)
    token = _EXPECTED.set(expected)
    try:
        yield expected
    except StaleDataError as exc:
        raise stale(exc) from exc
    except IntegrityError as exc:
        if expected.inserted_absent:
            raise stale(exc) from exc
        raise
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
        key = key_of(obj)
        was = expected.snapshot.records.get(key)
        if obj in session.new:
            if was is not None and was.version is None:
                expected.inserted_absent.add(key)
            continue
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
        moved = loaded["version"] != was.version
        if deleting:
            clashing = (set(loaded) - {"version"}) if moved else set()
            clashing = {name for name in clashing if was.values.get(name, MISSING) != loaded[name]}
        else:
            clashing = _merge(obj, state, was, loaded, moved=moved, expected=expected)
        if clashing:
            differences = tuple(
                Difference(name, was.values.get(name), now, clash=name in clashing)
                for name, now in loaded.items()
                if name != "version" and now is not MISSING and was.values.get(name, MISSING) != now
            )
            found.append(_changed(session, key, loaded, differences))
    if found:
        raise RecordChanged(tuple(found))


def _merge(
    obj: Base,
    state: InstanceState[Any],
    was: Seen,
    loaded: dict[str, Any],
    *,
    moved: bool,
    expected: Expected,
) -> set[str]:
    """The fields both this save and someone else changed. A field this save writes but the
    form left as it was shown gets the database's value back (it is not written), so that
    someone else's change to it stands."""
    clashing: set[str] = set()
    for name in sorted(_written(state)):
        base, theirs = was.values.get(name, MISSING), loaded.get(name, MISSING)
        if base is MISSING or theirs is MISSING:
            if moved:  # what the form was shown, or what they saved, is not known: ask
                clashing.add(name)
        elif base == theirs:
            continue  # they left it alone
        elif _current(state, name) == base:  # left alone here: theirs stands
            _put_back(obj, state, name, theirs)
            expected.kept.setdefault(was.key, {})[name] = base
        else:
            clashing.add(name)
    return clashing


def _is_list(state: InstanceState[Any], name: str) -> bool:
    return isinstance(state.mapper.attrs[name], RelationshipProperty)


def _current(state: InstanceState[Any], name: str) -> Any:
    """What this save writes to the field."""
    if _is_list(state, name):
        return _ids(state.dict.get(name, []))
    return state.dict.get(name, MISSING)


def _put_back(obj: Base, state: InstanceState[Any], name: str, theirs: Any) -> None:
    """The field as this session read it from the database: nothing is written to it."""
    history = state.attrs[name].history
    if _is_list(state, name):
        setattr(obj, name, [*history.unchanged, *history.deleted])
    else:
        setattr(obj, name, history.deleted[0] if history.deleted else theirs)


def latest_change(session: Session, table: str, record_id: str) -> tuple[str, dt.datetime | None]:
    """Who (the user name, "" when unknown) made the record's latest change, and when."""
    latest = session.execute(
        select(ChangeLogEntry.os_user, ChangeLogEntry.at)
        .where(ChangeLogEntry.table_name == table, ChangeLogEntry.record_id == record_id)
        .order_by(ChangeLogEntry.id.desc())
        .limit(1)
    ).first()
    return (str(latest.os_user), latest.at) if latest else ("", None)


def _changed(
    session: Session, key: Key, loaded: dict[str, Any], differences: tuple[Difference, ...]
) -> Changed:
    table, record_id = key
    by, at = latest_change(session, table, record_id)
    values = {name: value for name, value in loaded.items() if name != "version"}
    return Changed(
        table=table,
        record_id=record_id,
        version=int(loaded["version"]),
        values=values,
        differences=differences,
        by=by,
        at=at,
    )


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    with session.no_autoflush:
        expected = _EXPECTED.get()
        if expected is not None:
            _check(session, expected)
        _bump_for_collections(session)


def install(factory: sessionmaker[Session]) -> None:
    """Hooks the version checks into every session the factory makes, ahead of the other
    listeners (the change log): a field whose database value the merge keeps is then not
    described as changed."""
    event.listen(factory, "before_flush", _before_flush, insert=True)


__all__ = [
    "Changed",
    "ChangedSinceShown",
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
    "latest_change",
    "seen",
    "stale",
]
