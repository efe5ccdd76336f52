"""Two people editing the same records: what a form was shown (a snapshot it saves under, see
:mod:`lscb_desktop.store.versions`) and, when someone else saved over it meanwhile, what they
changed, in words; and the words that refuse a one-click change from a list whose record moved
on since the list was shown (:func:`changed_since_shown`). No Qt here."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, inspect, select
from sqlalchemy.orm import Session

from lscb_desktop.models import Base, Membership, Setting
from lscb_desktop.models.base import as_plain
from lscb_desktop.services.history_labels import (
    HIDDEN_FIELDS,
    KIND_WORDS,
    WITHHELD,
    case_review_name,
    column_of,
    current_names,
    field_label,
    humanise,
    is_withheld,
    summarise,
    target_table,
    typed_text,
)
from lscb_desktop.services.settings import FIELD_TYPES, LOGO_KEY, Settings, read_settings
from lscb_desktop.store import Database
from lscb_desktop.store.changelog import current_os_user
from lscb_desktop.store.versions import (
    Changed,
    ChangedSinceShown,
    RecordChanged,
    RecordGone,
    Seen,
    Snapshot,
    absent,
    expecting,
    latest_change,
    seen,
)

__all__ = [
    "ChangeInWords",
    "ChangedSinceShown",
    "RecordChanged",
    "RecordGone",
    "Snapshot",
    "changed_since_shown",
    "conflict_words",
    "describe",
    "expecting",
    "membership_snapshot",
    "settings_snapshot",
    "snapshot",
]

_MODELS: dict[str, type[Base]] = {
    str(mapper.class_.__tablename__): mapper.class_ for mapper in Base.registry.mappers
}


def _ident(model: type[Base], record_id: object) -> object:
    key = inspect(model).primary_key[0]
    return int(str(record_id)) if isinstance(key.type, Integer) else str(record_id)


def _seen(session: Session, table: str, record_id: object) -> Seen:
    model = _MODELS[table]
    obj = session.get(model, _ident(model, record_id))
    if obj is None:
        return absent(table, record_id)
    for rel in inspect(model).relationships:
        if rel.secondary is not None:
            getattr(obj, rel.key)  # a list the form shows (an audit's agencies) is noted too
    return seen(obj)


def snapshot(database: Database, *records: tuple[str, object]) -> Snapshot:
    """The records a form is about to show, by table and key (``("meeting", 12)``), as they are
    now; take it before loading the form, so that nothing saved in between goes unnoticed."""
    with database.session() as session:
        return Snapshot.of(_seen(session, table, ident) for table, ident in records)


def membership_snapshot(database: Database, membership_id: int) -> Snapshot:
    """A member's form: the membership and the person's record."""
    with database.session() as session:
        membership = session.get(Membership, membership_id)
        if membership is None:
            return Snapshot.of([absent("membership", membership_id)])
        return Snapshot.of([seen(membership), _seen(session, "person", membership.person_id)])


def settings_snapshot(database: Database) -> Snapshot:
    """The Settings dialog: every setting's row; one not saved yet as absent, holding its
    default (a save by someone else that only writes the defaults down changes nothing)."""
    with database.session() as session:
        rows = {row.key: seen(row) for row in session.scalars(select(Setting))}
    defaults = {key: str(value) for key, value in dataclasses.asdict(Settings()).items()}
    return Snapshot.of(
        rows.get(key) or Seen("setting", key, None, {"key": key, "value": defaults[key]})
        for key in FIELD_TYPES
    ).with_records([rows.get(LOGO_KEY) or absent("setting", LOGO_KEY)])


# -- a conflict in words ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeInWords:
    """What someone else changed in a record: who, when, and each field from what to what."""

    #: "the person “Mary Emson”", "the settings".
    record: str
    #: Their user name, as the change log has it ("someone else" when it has none).
    who: str
    at: dt.datetime | None
    #: (label, from, to), as shown: the fields this user changed too.
    fields: tuple[tuple[str, str, str], ...]
    #: Their changes to fields this user left alone, which stand whatever the user chooses.
    kept: tuple[tuple[str, str, str], ...] = ()

    @property
    def when(self) -> str:
        return f" at {self.at:%H:%M} on {self.at:%d/%m/%Y}" if self.at else ""

    @property
    def text(self) -> str:
        lines = [f"{self.who} changed {self.record}{self.when}:"]
        lines += [f"• {label}: from {old} to {new}" for label, old, new in self.fields]
        if not self.fields:
            lines[0] = f"{self.who} changed {self.record}{self.when}."
        if self.kept:
            lines.append("Their other changes stay, whatever you choose:")
            lines += [f"• {label}: from {old} to {new}" for label, old, new in self.kept]
        return "\n".join(lines)


def describe(database: Database, error: RecordChanged) -> list[ChangeInWords]:
    """Each record of ``error`` in words (the settings as one)."""
    with database.session() as session:
        settings = read_settings(session)
        words = _Words(session, settings)
        described = [words.record(change) for change in error.records if change.table != "setting"]
        settings_changes = [change for change in error.records if change.table == "setting"]
        if settings_changes:
            described.append(words.setting_changes(settings_changes))
    return described


def conflict_words(database: Database, error: RecordChanged) -> str:
    """The whole account, one paragraph per record."""
    described = describe(database, error)
    if not described:
        return str(error)
    return "\n\n".join(change.text for change in described)


def _who(user: str) -> str:
    if not user:
        return "Someone else"
    if user == current_os_user():
        return f"{user} (your own user name: another window, or the command line)"
    return user


def changed_since_shown(
    session: Session, table: str, record_id: object, what: str, outcome: str
) -> ChangedSinceShown:
    """The refusal of a one-click change from a list: ``what`` (“The paper on item 4 was
    replaced”) by whom and when (the record's latest change), and ``outcome`` (“nothing was
    removed”): “… by jsmith at 10:42 since this list was shown; nothing was removed. Refresh
    (F5) to see it.”"""
    by, at = latest_change(session, table, str(record_id))
    who = f" by {_who(by)}" if by else ""
    when = ""
    if at is not None:
        when = f" at {at:%H:%M}" + ("" if at.date() == dt.date.today() else f" on {at:%d/%m/%Y}")
    return ChangedSinceShown(
        f"{what}{who}{when} since this list was shown; {outcome}. Refresh (F5) to see it."
    )


class _Words:
    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    def record(self, change: Changed) -> ChangeInWords:
        fields: dict[bool, list[tuple[str, str, str]]] = {True: [], False: []}
        for difference in change.differences:
            if difference.field in HIDDEN_FIELDS:
                continue
            fields[difference.clash].append(
                (
                    field_label(change.table, difference.field),
                    self.value(change.table, difference.field, difference.seen),
                    self.value(change.table, difference.field, difference.now),
                )
            )
        return ChangeInWords(
            self.name(change), _who(change.by), change.at, tuple(fields[True]), tuple(fields[False])
        )

    def setting_changes(self, changes: Iterable[Changed]) -> ChangeInWords:
        changes = list(changes)
        fields: dict[bool, list[tuple[str, str, str]]] = {True: [], False: []}
        for change in changes:
            for difference in change.differences:
                if difference.field != "value":
                    continue
                fields[difference.clash].append(
                    (
                        humanise(change.record_id),
                        self.setting(change.record_id, difference.seen, first=True),
                        self.setting(change.record_id, difference.now),
                    )
                )
        latest = max(changes, key=lambda c: c.at or dt.datetime.min)
        return ChangeInWords(
            "the settings", _who(latest.by), latest.at, tuple(fields[True]), tuple(fields[False])
        )

    def name(self, change: Changed) -> str:
        kind = KIND_WORDS.get(change.table, change.table).lower()
        name = ""
        if change.record_id.isdigit():
            found = current_names(self.session, change.table, [int(change.record_id)])
            name = found.get(change.record_id, "")
        if change.table == "case_review" and name:
            name = case_review_name(name, self.settings)
        return f"the {kind} “{name}”" if name else f"{kind} {change.record_id}"

    def setting(self, key: str, value: Any, *, first: bool = False) -> str:
        if value is None and first:
            return "(the default)"
        if key == LOGO_KEY:
            return "an image" if value else "(no logo)"
        return self.value("setting", "value", value)

    def value(self, table: str, field: str, value: Any) -> str:
        if value is None or value in ("", []):
            return "(blank)"
        plain = as_plain(value)
        if is_withheld(table, field, plain, self.settings):
            return WITHHELD
        target = target_table(table, field)
        if target is not None:
            idents = [int(i) for i in (plain if isinstance(plain, list) else [plain])]
            names = current_names(self.session, target, idents)
            words = KIND_WORDS.get(target, target)
            return "; ".join(names.get(str(i)) or f"{words} {i}" for i in idents)
        if field == "period_start_year" and isinstance(plain, int):
            return f"{plain}-{(plain + 1) % 100:02d}"
        column = column_of(table, field)
        text = typed_text(column.type, plain) if column is not None else summarise(str(plain))
        return f"“{text}”"
