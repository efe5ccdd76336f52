"""Importing the assurance sheets: Audits, Case reviews and Actions."""

from __future__ import annotations

from lscb_desktop.models import Action, Audit, CaseReview, Person
from lscb_desktop.services.anonymity import case_review_problems
from lscb_desktop.services.periods import parse_period
from lscb_desktop.services.settings import Settings
from lscb_desktop.services.workbook import spec
from lscb_desktop.services.workbook.identity import Claims, key, pick
from lscb_desktop.services.workbook.reader import Row, SheetData
from lscb_desktop.services.workbook.references import ImporterBase, assign, uuid_of

_HEADERS = {column.attr: column.header for column in spec.CASE_REVIEWS.columns}


class ReviewSheets(ImporterBase):
    settings_now: Settings

    def _period(self, row: Row, header: str) -> int | None:
        text = row.value(header) if row.has(header) else None
        if not text:
            return None
        try:
            return parse_period(text, self.settings_now.annual_period_start_month).start.year
        except ValueError as exc:
            row.fail(header, str(exc))
            return None

    def audits(self, data: SheetData) -> None:
        claims = Claims()
        for row in data.rows:
            values = row.plain_values()
            uuid = uuid_of(values)
            year = self._period(row, "Period")
            lead = self.person(row, "Lead", "Lead email")
            agencies = self.agency_list(row, "Agencies")
            title = values.get("title")
            if row.failed or year is None or not title:
                continue
            what = f"the audit “{title}” in {row.value('Period')}"
            if not claims.key(row, "Title", (key(title), year), what):
                continue
            same = self.index.audits.get((key(title), year))
            audit = self.identify(row, Audit, uuid, same, "Title", what)
            if not self.claim(row, claims, uuid, audit) or row.failed:
                continue
            if row.has("Lead") or row.has("Lead email"):
                values["lead"] = lead if isinstance(lead, Person) else None
            if agencies is not None:
                values["agencies"] = agencies
            for attr in ("status", "core"):
                if values.get(attr) is None:
                    values.pop(attr, None)
            values["period_start_year"] = year
            if audit is None:
                audit = Audit(
                    **{
                        "theme": "",
                        "priority": "",
                        "findings": "",
                        "compliance": "",
                        "notes": "",
                        **values,
                    },
                )
                self.session.add(audit)
                self.count(data.sheet, created=True)
            else:
                old = (key(audit.title), audit.period_start_year)
                if self.index.audits.get(old) is audit:
                    del self.index.audits[old]
                self.count(data.sheet, created=False, changed=assign(audit, values))
            self.index.add_audit(audit)

    def case_reviews(self, data: SheetData) -> None:
        claims = Claims()
        for row in data.rows:
            values = row.plain_values()
            uuid = uuid_of(values)
            has_agency, agency = self.agency(row, "Referring agency")
            if has_agency:
                values["referring_agency"] = agency
            for attr, message in case_review_problems(values, self.settings_now).items():
                row.fail(_HEADERS[attr], message)
            reference = values.get("reference")
            if row.failed or not reference:
                continue
            what = f"the case review {reference}"
            if not claims.key(row, "Reference", key(reference), what):
                continue
            same = self.index.reviews.get(key(reference))
            review = self.identify(row, CaseReview, uuid, same, "Reference", what)
            if not self.claim(row, claims, uuid, review) or row.failed:
                continue
            if review is None:
                review = CaseReview(**{"reviewer": "", "methodology": "", "notes": "", **values})
                self.session.add(review)
                self.count(data.sheet, created=True)
            else:
                if self.index.reviews.get(key(review.reference)) is review:
                    del self.index.reviews[key(review.reference)]
                self.count(data.sheet, created=False, changed=assign(review, values))
            self.index.add_review(review)

    def actions(self, data: SheetData) -> None:
        claims = Claims()
        for row in data.rows:
            values = row.plain_values()
            uuid = uuid_of(values)
            has_meeting = bool(row.raw("Group") or row.raw("Meeting date"))
            meeting = self.meeting(row) if has_meeting else None
            item = None
            position = row.value("Agenda item") if row.has("Agenda item") else None
            if meeting is not None and position is not None:
                item = next((i for i in meeting.agenda_items if i.position == position), None)
                if item is None:
                    row.fail("Agenda item", f"the meeting has no item {position}")
            audit = self._action_audit(row)
            review = None
            reference = row.value("Case review") if row.has("Case review") else None
            if reference:
                review = self.index.reviews.get(key(reference))
                if review is None:
                    row.fail("Case review", f"unknown case review “{reference}”")
            owner = self.person(row, "Owner", "Owner email", free_text=True)
            description = values.get("description")
            if row.failed or not description:
                continue
            natural = (key(description), meeting, audit, review)
            if uuid:
                action = self.index.by_uuid(Action, uuid)
            else:
                if not claims.key(row, "Description", natural, "the same action", unique=False):
                    continue
                same = self.index.actions.get(natural, [])
                action = pick(row, "Description", same, "actions like this")[1]
            if row.failed or not self.claim(row, claims, uuid, action):
                continue
            values.update(meeting=meeting, agenda_item=item, audit=audit, case_review=review)
            if row.has("Owner") or row.has("Owner email"):
                values["owner"] = owner if isinstance(owner, Person) else None
                values["owner_text"] = owner if isinstance(owner, str) else ""
            if values.get("status") is None:
                values.pop("status", None)
            if action is None:
                action = Action(**{"notes": "", "owner_text": "", **values})
                self.session.add(action)
                self.count(data.sheet, created=True)
            else:
                old = self.index.actions.get(self.index.action_key(action), [])
                if action in old:
                    old.remove(action)
                self.count(data.sheet, created=False, changed=assign(action, values))
            self.index.add_action(action)

    def _action_audit(self, row: Row) -> Audit | None:
        title = row.value("Audit") if row.has("Audit") else None
        if not title:
            return None
        if not (row.has("Audit period") and row.raw("Audit period")):
            row.fail("Audit period", "needed to say which year's audit")
            return None
        year = self._period(row, "Audit period")
        if year is None:
            return None
        audit = self.index.audits.get((key(title), year))
        if audit is None:
            row.fail("Audit", f"unknown audit “{title}” in {row.value('Audit period')}")
        return audit
