"""Guests at a meeting, and officers in attendance for named items, who are not members."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from lscb_desktop.models import AgendaItem, Guest
from lscb_desktop.services.concurrency import changed_since_shown
from lscb_desktop.services.confirmation import locked_meeting, log_after_confirmation
from lscb_desktop.services.validation import Collector, InvalidInput
from lscb_desktop.store import Database


def _guest_items(session: Session, meeting_id: int, item_ids: Iterable[int]) -> list[AgendaItem]:
    wanted = set(item_ids)
    items = session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id, AgendaItem.id.in_(wanted))
    ).all()
    if len(items) != len(wanted):
        raise InvalidInput({"items": "An item chosen is not on this meeting's agenda any more."})
    return sorted(items, key=lambda i: i.position)


def _clean_guest(name: str, organisation: str, job_title: str) -> tuple[str, str, str]:
    name = " ".join(name.split())
    problems = Collector()
    if not name:
        problems.add("guest", "Enter the guest's name.")
    for field, value in (("guest", name), ("organisation", organisation), ("job_title", job_title)):
        if len(value.strip()) > 200:
            problems.add(field, "This is over 200 characters.")
    problems.raise_if_any()
    return name, organisation.strip(), job_title.strip()


def add_guest(
    database: Database,
    meeting_id: int,
    name: str,
    organisation: str = "",
    *,
    job_title: str = "",
    item_ids: Iterable[int] = (),
    after_confirmation: bool = False,
) -> int:
    """Adds a guest, or an officer in attendance for the items ``item_ids`` (none: the whole
    meeting)."""
    name, organisation, job_title = _clean_guest(name, organisation, job_title)
    with database.session() as session:
        meeting = locked_meeting(session, meeting_id, after_confirmation)
        guest = Guest(
            meeting_id=meeting_id, name=name, organisation=organisation, job_title=job_title
        )
        guest.items = _guest_items(session, meeting_id, item_ids)
        session.add(guest)
        session.flush()
        log_after_confirmation(session, meeting, f"guest {name} added")
        return guest.id


def update_guest(
    database: Database,
    guest_id: int,
    name: str,
    organisation: str = "",
    *,
    job_title: str = "",
    item_ids: Iterable[int] = (),
    version: int | None,
    after_confirmation: bool = False,
) -> None:
    """Changes a guest; ``version`` is the one shown (a guest changed since raises
    ChangedSinceShown, changing nothing)."""
    name, organisation, job_title = _clean_guest(name, organisation, job_title)
    with database.session() as session:
        guest = session.get_one(Guest, guest_id)
        meeting = locked_meeting(session, guest.meeting_id, after_confirmation)
        if version is not None and guest.version != version:
            what = f"The guest “{guest.name}” was changed"
            raise changed_since_shown(session, "guest", guest.id, what, "nothing was saved")
        guest.name, guest.organisation, guest.job_title = name, organisation, job_title
        guest.items = _guest_items(session, guest.meeting_id, item_ids)
        log_after_confirmation(session, meeting, f"guest {name} changed")


def remove_guest(
    database: Database, guest_id: int, *, version: int | None, after_confirmation: bool = False
) -> None:
    """Removes a guest; ``version`` is the one the list showed (None: no list, not checked): a
    guest someone else changed since raises ChangedSinceShown, removing nothing."""
    with database.session() as session:
        guest = session.get_one(Guest, guest_id)
        meeting = locked_meeting(session, guest.meeting_id, after_confirmation)
        if version is not None and guest.version != version:
            what = f"The guest “{guest.name}” was changed"
            raise changed_since_shown(session, "guest", guest.id, what, "nothing was removed")
        log_after_confirmation(session, meeting, f"guest {guest.name} removed")
        session.delete(guest)
