"""Writes a change-log row for every insert, update and delete made through the ORM."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker

from lscb_desktop.models import Base, ChangeLogEntry
from lscb_desktop.models.base import as_plain


def current_os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or password database
        return "unknown"


def _record_id(obj: Base) -> str:
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return ",".join(str(part) for part in key)


#: Longer text (an encoded logo, say) is logged by its length, to keep the log readable and small.
LONGEST_LOGGED = 2000


def loggable(value: Any) -> Any:
    """A value as the change log writes it."""
    plain = as_plain(value)
    if isinstance(plain, str) and len(plain) > LONGEST_LOGGED:
        return f"<{len(plain):,} characters>"
    return plain


_loggable = loggable


def _changes(obj: Base, operation: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    exclude = type(obj).__changelog_exclude__
    result: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in exclude or key == "version":  # the save count, not a change of substance
            continue
        if operation == "update":
            history = state.attrs[key].history
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old == new:
                continue
            result[key] = [_loggable(old), _loggable(new)]
        else:
            # After an insert every value is in the object's dict; a deleted object may have
            # expired attributes, which getattr loads (before the flush, so nothing is lost).
            value = state.dict.get(key) if operation == "insert" else getattr(obj, key)
            if value is None or value == "":
                continue
            if operation == "insert":
                result[key] = [None, _loggable(value)]
            else:
                result[key] = [_loggable(value), None]
    for rel in state.mapper.relationships:
        if rel.secondary is None or operation != "update":
            continue
        history = state.attrs[rel.key].history
        if history.has_changes():
            before = [inspect(o).identity for o in (*history.unchanged, *history.deleted)]
            after = [inspect(o).identity for o in (*history.unchanged, *history.added)]
            result[rel.key] = [
                sorted(str(i[0]) for i in before if i),
                sorted(str(i[0]) for i in after if i),
            ]
    return result


def _collect(session: Session) -> list[tuple[str, Base]]:
    found: list[tuple[str, Base]] = []
    for operation, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if isinstance(obj, Base) and not isinstance(obj, ChangeLogEntry):
                found.append((operation, obj))
    return found


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    # Updates and deletes are described before the flush, while the old values are known;
    # inserts are described after it, once their ids exist.
    pending = session.info.setdefault("changelog_pending", [])
    with session.no_autoflush:
        _describe(session, pending)


def _describe(session: Session, pending: list[Any]) -> None:
    for operation, obj in _collect(session):
        if operation == "insert":
            pending.append((operation, obj, None))
        elif operation == "delete" or session.is_modified(obj):
            pending.append((operation, obj, _changes(obj, operation)))


def _after_flush(session: Session, _context: Any) -> None:
    pending = session.info.pop("changelog_pending", [])
    if not pending:
        return
    now = dt.datetime.now().replace(microsecond=0)
    user = current_os_user()
    rows = []
    for operation, obj, described in pending:
        changes = _changes(obj, operation) if described is None else described
        if operation == "update" and not changes:
            continue
        rows.append(
            {
                "at": now,
                "os_user": user,
                "operation": operation,
                "table_name": obj.__tablename__,
                "record_id": _record_id(obj),
                "changes": json.dumps(changes, ensure_ascii=False, default=str),
            }
        )
    if rows:
        session.connection().execute(insert(ChangeLogEntry), rows)


def install(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
