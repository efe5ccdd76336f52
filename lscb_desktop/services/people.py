"""People and agencies: the pickers' lists, and saving a person from a form."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lscb_desktop import clock
from lscb_desktop.models import Agency, Person
from lscb_desktop.services.moving import move_memberships
from lscb_desktop.services.settings import read_settings
from lscb_desktop.services.validation import Collector, InvalidInput, check_email, check_uk_phone
from lscb_desktop.store import Database


@dataclass(frozen=True)
class Choice:
    """An item for a picker: the record's id and what the list shows."""

    id: int
    text: str


@dataclass(frozen=True)
class PersonInput:
    """What the person part of a form holds; ``agency_id`` None with ``new_agency`` adds one."""

    name: str
    title: str = ""
    job_title: str = ""
    agency_id: int | None = None
    new_agency: str = ""
    email: str = ""
    secure_email: str = ""
    phone: str = ""
    address: str = ""
    pa_name: str = ""
    pa_email: str = ""
    pa_phone: str = ""
    notes: str = ""
    #: When the agency changes: the day from which they represent the new one (None: today).
    #: Their memberships are continued for it from that day; before it they stay as they were.
    moved_on: dt.date | None = None


def agency_choices(database: Database) -> list[Choice]:
    with database.session() as session:
        rows = session.execute(select(Agency.id, Agency.name).order_by(Agency.name)).all()
        return [Choice(id_, name) for id_, name in rows]


def person_choices(database: Database) -> list[Choice]:
    """Everyone, as "Name (Agency)", for picking a member, a substitute or a presenter."""
    query = select(Person).options(selectinload(Person.agency)).order_by(Person.name)
    with database.session() as session:
        return [
            Choice(p.id, f"{p.display_name} ({p.agency.name})" if p.agency else p.display_name)
            for p in session.scalars(query)
        ]


def person_input(database: Database, person_id: int) -> PersonInput:
    """A person's record as a form shows it."""
    with database.session() as session:
        person = session.get_one(Person, person_id)
        values = {
            f.name: getattr(person, f.name)
            for f in dataclasses.fields(PersonInput)
            if hasattr(person, f.name)
        }
        values["email"] = person.email or ""
        return PersonInput(**values)


def clean_person(session: Session, data: PersonInput, person_id: int | None) -> PersonInput:
    """``data`` tidied and checked inside ``session``; raises InvalidInput naming each field."""
    problems = Collector()
    name = " ".join(data.name.split())
    if not name:
        problems.add("name", "Enter the person's name.")
    email = problems.run("email", check_email, data.email)
    if email and "email" not in problems.problems:
        other = session.scalar(select(Person).where(func.lower(Person.email) == email))
        if other is not None and other.id != person_id:
            problems.add("email", f"{email} is already the email of {other.display_name}.")
    cleaned = dataclasses.replace(
        data,
        name=name,
        title=data.title.strip(),
        job_title=data.job_title.strip(),
        new_agency=" ".join(data.new_agency.split()),
        email=email,
        secure_email=problems.run("secure_email", check_email, data.secure_email),
        phone=problems.run("phone", check_uk_phone, data.phone),
        pa_email=problems.run("pa_email", check_email, data.pa_email),
        pa_phone=problems.run("pa_phone", check_uk_phone, data.pa_phone),
        pa_name=data.pa_name.strip(),
        address=data.address.strip(),
    )
    if cleaned.agency_id is not None and session.get(Agency, cleaned.agency_id) is None:
        problems.add("agency", "That agency no longer exists; pick another.")
    if data.moved_on is not None:
        problems.check_date("moved_on", data.moved_on, read_settings(session).earliest_year)
    problems.raise_if_any()
    return cleaned


def apply_person(session: Session, data: PersonInput, person: Person | None = None) -> Person:
    """Writes cleaned ``data`` to ``person`` (a new one when None), adding a new agency if asked."""
    if person is None:
        person = Person(name=data.name)
        session.add(person)
    agency_id = data.agency_id
    if agency_id is None and data.new_agency:
        agency = session.scalar(
            select(Agency).where(func.lower(Agency.name) == data.new_agency.casefold())
        )
        if agency is None:
            agency = Agency(name=data.new_agency)
            session.add(agency)
            session.flush()
        agency_id = agency.id
    for f in dataclasses.fields(PersonInput):
        if f.name not in {"agency_id", "new_agency", "email", "moved_on"}:
            setattr(person, f.name, getattr(data, f.name))
    person.email = data.email or None
    old_agency_id = person.agency_id
    person.agency_id = agency_id
    if person.id is not None and old_agency_id != agency_id:
        move_memberships(session, person, old_agency_id, agency_id, data.moved_on or clock.today())
    return person


def save_person(database: Database, data: PersonInput, person_id: int | None = None) -> int:
    """Creates or updates a person; raises InvalidInput, changing nothing, when a field is wrong."""
    with database.session() as session:
        cleaned = clean_person(session, data, person_id)
        person = session.get_one(Person, person_id) if person_id is not None else None
        person = apply_person(session, cleaned, person)
        session.flush()
        return person.id


__all__ = [
    "Choice",
    "InvalidInput",
    "PersonInput",
    "agency_choices",
    "apply_person",
    "clean_person",
    "person_choices",
    "person_input",
    "save_person",
]
