"""Importing the directory sheets: Settings, Agencies, People, Groups and Memberships."""

from __future__ import annotations

import dataclasses
from typing import Any

from lscb_desktop.models import Agency, Group, GroupKind, Membership, Person
from lscb_desktop.services.settings import FIELD_TYPES, Settings, parse_setting, write_settings
from lscb_desktop.services.workbook.cells import CellError, check_text, is_blank
from lscb_desktop.services.workbook.identity import Claims, key, pick
from lscb_desktop.services.workbook.reader import Row, SheetData
from lscb_desktop.services.workbook.references import ImporterBase, assign, taken, uuid_of

_PERSON_DEFAULTS: dict[str, Any] = dict.fromkeys(
    (
        "title",
        "job_title",
        "secure_email",
        "phone",
        "address",
        "pa_name",
        "pa_email",
        "pa_phone",
        "notes",
    ),
    "",
)
_GROUP_DEFAULTS: dict[str, Any] = dict.fromkeys(
    ("short_name", "purpose", "aims", "reporting", "notes"), ""
)


class DirectorySheets(ImporterBase):
    settings_now: Settings

    def settings(self, data: SheetData) -> None:
        current = dataclasses.asdict(self.settings_now)
        changed: dict[str, Any] = {}
        rows: dict[str, Row] = {}
        claims = Claims()
        for row in data.rows:
            key_text = str(row.value("Setting") or "").strip()
            raw = row.raw("Value") if row.has("Value") and "Value" not in row.bad else ""
            if row.failed or not claims.key(row, "Setting", key_text, f"the setting {key_text}"):
                continue
            if isinstance(raw, bool) and FIELD_TYPES.get(key_text) is bool:
                raw = "yes" if raw else "no"  # a yes/no setting typed as Excel's TRUE or FALSE
            try:
                check_text(raw)
                changed[key_text] = parse_setting(key_text, "" if is_blank(raw) else raw)
                rows[key_text] = row
            except CellError as exc:
                row.fail("Value", str(exc))
            except ValueError as exc:
                row.fail("Setting" if key_text not in current else "Value", str(exc))
        merged = {**current, **changed}
        try:
            settings = Settings(**merged).validated()
        except ValueError as exc:
            setting = str(exc).split(":")[0]
            bad = rows.get(setting) or (data.rows[0] if data.rows else None)
            if bad is not None:
                bad.fail("Value", str(exc))
            return
        self.settings_now = settings
        self.problems.limits.earliest_year = settings.earliest_year
        if not self.problems.items:
            write_settings(self.session, settings)
        for name, value in changed.items():
            if value != current.get(name):
                self.result.updated[data.sheet.name] += 1

    def agencies(self, data: SheetData) -> None:
        claims = Claims()
        for row in data.rows:
            values = row.plain_values()
            uuid = uuid_of(values)
            name = values.get("name")
            if not name or not claims.key(row, "Name", key(name), f"the agency “{name}”"):
                continue
            same = self.index.agencies.get(key(name))
            agency = self.identify(row, Agency, uuid, same, "Name", f"an agency called “{name}”")
            if not self.claim(row, claims, uuid, agency) or row.failed:
                continue
            if agency is None:
                agency = Agency(
                    **{"short_name": "", "sector": "", "notes": "", **values},
                )
                if agency.statutory_partner is None:
                    agency.statutory_partner = False
                if agency.counts_for_quorum is None:
                    agency.counts_for_quorum = True
                self.session.add(agency)
                self.index.add_agency(agency)
                self.count(data.sheet, created=True)
            else:
                for attr in ("statutory_partner", "counts_for_quorum"):
                    if values.get(attr) is None:
                        values.pop(attr, None)
                if self.index.agencies.get(key(agency.name)) is agency:
                    del self.index.agencies[key(agency.name)]
                self.count(data.sheet, created=False, changed=assign(agency, values))
                self.index.add_agency(agency)

    def people(self, data: SheetData) -> None:
        claims = Claims()
        for row in data.rows:
            values = row.plain_values()
            uuid = uuid_of(values)
            has_agency, agency = self.agency(row, "Agency")
            if has_agency:
                values["agency"] = agency
            email = values.get("email")
            name = values.get("name")
            if email:
                claims.key(row, "Email", ("email", email), f"the email {email}")
            elif name and not uuid:
                where = f" of {agency.name}" if agency is not None else ""
                claims.key(
                    row,
                    "Name",
                    ("name", key(name), agency if has_agency else None),
                    f"“{name}”{where} with no email",
                    unique=False,
                )
            if row.failed or not name:
                continue
            person = self._find_person(row, uuid, name, email, has_agency, agency)
            if row.failed or not self.claim(row, claims, uuid, person):
                continue
            if person is None:
                person = Person(**{**_PERSON_DEFAULTS, **values})
                self.session.add(person)
                self.index.add_person(person)
                self.count(data.sheet, created=True)
            else:
                self.index.forget_person(person)
                self.count(data.sheet, created=False, changed=assign(person, values))
                self.index.add_person(person)

    def _find_person(
        self,
        row: Row,
        uuid: str | None,
        name: str,
        email: str | None,
        has_agency: bool,
        agency: Agency | None,
    ) -> Person | None:
        by_email = self.index.by_email.get(email) if email else None
        if uuid:
            person = self.index.by_uuid(Person, uuid)
            if by_email is not None and by_email is not person:
                taken(row, "Email", f"a person with the email {email}")
            return person
        if by_email is not None:
            return by_email
        same = [
            p
            for p in self.index.by_name.get(key(name), [])
            if (not has_agency or p.agency is agency) and (not email or p.email is None)
        ]
        return pick(row, "Name", same, f"people called “{name}”")[1]

    def groups(self, data: SheetData) -> None:
        claims = Claims()
        pending: list[tuple[Row, Group]] = []
        for row in data.rows:
            values = row.plain_values()
            uuid = uuid_of(values)
            name = values.get("name")
            partners = self.agency_list(row, "Quorum partners")
            if not name or not claims.key(row, "Name", key(name), f"the group “{name}”"):
                continue
            same = self.index.groups.get(key(name))
            group = self.identify(row, Group, uuid, same, "Name", f"a group called “{name}”")
            if not self.claim(row, claims, uuid, group) or row.failed:
                continue
            if group is None:
                values["kind"] = values.get("kind") or GroupKind.SUBGROUP
                group = Group(**{**_GROUP_DEFAULTS, **values})
                group.quorum_partners = partners or []
                self.session.add(group)
                self.count(data.sheet, created=True)
            else:
                if values.get("kind") is None:
                    values.pop("kind", None)
                if self.index.groups.get(key(group.name)) is group:
                    del self.index.groups[key(group.name)]
                changed = assign(group, values)
                if partners is not None and set(partners) != set(group.quorum_partners):
                    group.quorum_partners = partners
                    changed = True
                self.count(data.sheet, created=False, changed=changed)
            self.index.add_group(group)
            pending.append((row, group))
        for row, group in pending:  # every group exists now, so any may be named
            if row.has("Accountable to"):
                parent = self.group(row, "Accountable to")
                if parent is group:
                    row.fail("Accountable to", "a group cannot be accountable to itself")
                elif not row.failed and group.accountable_to is not parent:
                    group.accountable_to = parent

    def memberships(self, data: SheetData) -> None:
        claims = Claims()
        for row in data.rows:
            values = row.plain_values()
            uuid = uuid_of(values)
            group = self.group(row)
            person = self.person(row, "Name", "Email", agency_header="Agency")
            substitute = self.person(row, "Substitute", "Substitute email")
            if row.has("Agency"):
                self.agency(row, "Agency")
            # The agency the seat represents; blank: the person's own (for a new membership) or
            # as it was (an existing one, which may be a spell for the agency before a move).
            represents = self.agency(row, "Represents")[1]
            start, end = values.get("start_date"), values.get("end_date")
            if start and end and end < start:
                row.fail("End date", "the membership ends before it starts")
            if isinstance(substitute, Person) and substitute is person:
                row.fail("Substitute", "a member cannot be their own substitute")
            if person is None and not row.failed:
                row.fail("Name", "say who the member is: a name or an email")
            if row.failed or not isinstance(person, Person) or group is None:
                continue
            if not uuid and not claims.key(
                row,
                "Start date",
                (person, group, start),
                f"{person.name}'s membership of {group.name} from {start:%d/%m/%Y}",
                unique=False,
            ):
                continue
            if row.has("Substitute") or row.has("Substitute email"):
                values["substitute"] = substitute
            if values.get("role") is None:
                values.pop("role", None)
            if uuid:
                existing = self.index.by_uuid(Membership, uuid)
            else:
                same = [
                    m
                    for m in self.index.memberships[group]
                    if m.person is person and m.start_date == start
                ]
                existing = pick(row, "Start date", same, "memberships like this")[1]
            if row.failed or not self.claim(row, claims, uuid, existing):
                continue
            if represents is not None:
                values["agency"] = represents
            if existing is None:
                values.setdefault("agency", person.agency)
                membership = Membership(
                    person=person, group=group, **{"position": "", "notes": "", **values}
                )
                self.session.add(membership)
                self.index.add_membership(membership)
                self.count(data.sheet, created=True)
            else:
                moved = existing.group is not group or existing.person is not person
                if existing.group is not group:
                    self.index.memberships[existing.group].remove(existing)
                values.update(person=person, group=group)
                changed = assign(existing, values)
                self.index.add_membership(existing)
                self.count(data.sheet, created=False, changed=changed or moved)
