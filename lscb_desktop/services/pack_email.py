"""The e-mail that sends a meeting's agenda pack: a draft that Outlook (or the desktop's mail
program) opens as a new message, addressed and written, ready to check and send.

It goes to the group's members on the day of the meeting, with their PAs in copy where one is
recorded; it names the meeting, date, time and venue and lists the papers; the pack is attached
unless it is larger than the settings allow for e-mail, when the message says to send it
separately instead. ``X-Unsent: 1`` makes Outlook open the file as a message to send, not one
received.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lscb_desktop.models import AgendaItem, Meeting, Membership
from lscb_desktop.reports.inputs import MeetingHead, SupplementLine
from lscb_desktop.services.agenda import agenda_rows
from lscb_desktop.services.documents import meeting_head
from lscb_desktop.services.settings import Settings, load_settings
from lscb_desktop.services.workdays import papers_deadline
from lscb_desktop.store import Database
from lscb_desktop.words import and_list

__all__ = ["PackEmail", "pack_email", "reminder_email", "supplement_email"]

MB = 1024 * 1024
#: How the .eml file is written: lines ending CRLF as RFC 5322 has them (Outlook, Thunderbird),
#: and headers left unfolded up to the standard's 998 characters.
EML = policy.SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class PackEmail:
    message: EmailMessage
    to: list[str]
    cc: list[str]
    #: Members with no email address on file: they need the pack another way.
    no_email: list[str] = field(default_factory=list)
    attached: bool = True
    #: Why the pack is not attached ("" when it is).
    warning: str = ""
    #: Who it is to: members (the pack) or presenters (a reminder).
    who: str = "member"

    def in_words(self) -> str:
        """ "To 18 members, 5 PAs in copy; no email for Sally Rowe." for the status bar."""
        parts = [f"To {len(self.to)} {self.who}{'' if len(self.to) == 1 else 's'}"]
        if self.cc:
            parts.append(f"{len(self.cc)} PA{'' if len(self.cc) == 1 else 's'} in copy")
        words = ", ".join(parts)
        if self.no_email:
            words += f"; no email for {and_list(self.no_email)}"
        return words + (f". {self.warning}" if self.warning else ".")

    def after(self, lead: str) -> str:
        """``lead`` then the summary in the same sentence: "Wrote x.eml: to 18 members, …"."""
        words = self.in_words()
        return f"{lead}: {words[0].lower()}{words[1:]}"


def _draft(subject: str, to: list[str], cc: list[str], lines: list[str]) -> EmailMessage:
    """A message to send, as Outlook opens it: addressed, written, signed by the settings."""
    message = EmailMessage(policy=EML)
    message["Subject"] = subject
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["X-Unsent"] = "1"
    message.set_content("\n".join(lines).rstrip() + "\n")
    return message


def _signature(settings: Settings) -> list[str]:
    return [
        "",
        settings.administrator_name or settings.organisation_name,
        settings.organisation_name if settings.administrator_name else "",
    ]


def _recipients(database: Database, meeting_id: int) -> tuple[list[str], list[str], list[str]]:
    with database.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        day = meeting.starts_at.date()
        memberships = session.scalars(
            select(Membership)
            .where(Membership.group_id == meeting.group_id, Membership.on_day(day))
            .options(selectinload(Membership.person))
        ).all()
        to: list[str] = []
        cc: list[str] = []
        missing: list[str] = []
        seen: set[str] = set()
        for membership in sorted(memberships, key=lambda m: m.person.name.casefold()):
            person = membership.person
            if person.email and person.email.casefold() not in seen:
                seen.add(person.email.casefold())
                to.append(formataddr((person.display_name, person.email)))
            elif not person.email:
                missing.append(person.display_name)
            if person.pa_email and person.pa_email.casefold() not in seen:
                seen.add(person.pa_email.casefold())
                pa = person.pa_name or f"PA to {person.display_name}"
                cc.append(formataddr((pa, person.pa_email)))
        return to, cc, missing


def _attachment(settings: Settings, pack: Path, lines: list[str], what: str) -> tuple[bool, str]:
    """Whether ``pack`` goes with the message, and the warning when it is too large (the
    message then says it follows separately)."""
    size = Path(pack).stat().st_size
    if size <= settings.email_attachment_limit_mb * MB:
        return True, ""
    lines += ["", f"The {what} is too large to send by e-mail and will be sent separately."]
    return False, (
        f"The {what} ({size / MB:.1f} MB) is larger than the {settings.email_attachment_limit_mb}"
        f" MB the settings allow for e-mail, so it is not attached: send the {what} separately."
    )


def _finish(
    database: Database,
    meeting_id: int,
    subject: str,
    lines: list[str],
    pack: Path,
    attached: bool,
    warning: str,
) -> PackEmail:
    settings = load_settings(database)
    _head, marking = meeting_head(database, meeting_id)
    marking = marking or settings.protective_marking
    to, cc, missing = _recipients(database, meeting_id)
    lines += [
        "",
        f"This message and its attachment are {marking}: do not forward them outside the "
        f"{settings.term_board} and your own organisation.",
        *_signature(settings),
    ]
    message = _draft(f"[{marking}] {subject}", to, cc, lines)
    if attached:
        message.add_attachment(
            Path(pack).read_bytes(), maintype="application", subtype="pdf", filename=Path(pack).name
        )
    return PackEmail(message, to, cc, missing, attached, warning)


def _when(head: MeetingHead) -> str:
    where = f", {head.venue}" if head.venue else ""
    return (
        f"the {head.group} meeting on {head.starts_at:%A %d/%m/%Y} at {head.starts_at:%H:%M}{where}"
    )


def pack_email(database: Database, meeting_id: int, pack: Path) -> PackEmail:
    """The draft e-mail of the pack at ``pack`` (a PDF already made) for the meeting."""
    head, _marking = meeting_head(database, meeting_id)
    settings = load_settings(database)
    items = agenda_rows(database, meeting_id)
    body: list[str] = []
    attached, warning = _attachment(settings, pack, body, "pack")
    lines = [
        "Dear members,",
        "",
        f"The agenda and papers for {_when(head)} are "
        + ("attached." if attached else "to follow separately."),
        "",
        "Agenda:",
    ]
    for item in items:
        paper = f" (paper: {item.paper})" if item.paper else ""
        lines.append(f"  {item.number}. {item.title}{paper}")
    subject = f"{head.group}: agenda and papers for {head.starts_at:%d/%m/%Y}"
    return _finish(database, meeting_id, subject, lines + body, pack, attached, warning)


def supplement_email(
    database: Database, meeting_id: int, supplement: Path, number: int, papers: list[SupplementLine]
) -> PackEmail:
    """The draft e-mail of Supplement ``number`` (the PDF at ``supplement``, holding
    ``papers``) to the members who had the pack."""
    head, _marking = meeting_head(database, meeting_id)
    settings = load_settings(database)
    body: list[str] = []
    attached, warning = _attachment(settings, supplement, body, "supplement")
    sent = [line for line in papers if not line.withdrawn]
    count = len(sent)
    holds = (
        f" It holds {'this paper' if count == 1 else f'these {count} papers'}, new or changed "
        "since the papers were last sent:"
        if sent
        else " It holds no papers: it names the papers withdrawn."
    )
    lines = [
        "Dear members,",
        "",
        f"Supplement {number} to the papers for {_when(head)} is "
        + ("attached." if attached else "to follow separately.")
        + holds,
    ]
    if sent:
        lines.append("")
    for line in sent:
        lines.append(f"  {line.number}. {line.title} (paper: {line.paper}): {line.why}")
    withdrawn = [line for line in papers if line.withdrawn]
    if withdrawn:
        lines += ["", "Withdrawn:"]
        lines += [
            f"  {line.number}. {line.title}: {line.why.removeprefix('Withdrawn: ')}"
            for line in withdrawn
        ]
    if sent:
        lines += [
            "",
            f"Its pages are numbered “Supplement {number} – Item N – page x of y”; the page "
            "numbers of the pack are unchanged.",
        ]
    subject = f"{head.group}: Supplement {number} to the papers for {head.starts_at:%d/%m/%Y}"
    return _finish(database, meeting_id, subject, lines + body, supplement, attached, warning)


def reminder_email(database: Database, meeting_id: int) -> PackEmail | None:
    """The reminder to presenters whose paper has not come in: to each presenter on file with
    an email address, listing their items and the papers deadline; None when no paper is
    awaited. Presenters with no address on file are named in ``no_email``."""
    head, marking = meeting_head(database, meeting_id)
    settings = load_settings(database)
    marking = marking or settings.protective_marking
    due = papers_deadline(head.starts_at.date(), settings.papers_deadline_days)
    with database.session() as session:
        items = session.scalars(
            select(AgendaItem)
            .where(
                AgendaItem.meeting_id == meeting_id,
                AgendaItem.paper_expected.is_(True),
                AgendaItem.document_id.is_(None),
            )
            .options(selectinload(AgendaItem.presenter))
            .order_by(AgendaItem.position)
        ).all()
        if not items:
            return None
        numbers = {row.id: row.number for row in agenda_rows(database, meeting_id)}
        to: list[str] = []
        missing: list[str] = []
        lines = [
            "Dear colleague,",
            "",
            f"The papers for the {head.group} meeting on {head.starts_at:%A %d/%m/%Y} are due "
            f"by {due:%A %d/%m/%Y}. These are still to come:",
            "",
        ]
        for item in items:
            person = item.presenter
            who = person.display_name if person is not None else (item.presenter_text or "")
            lines.append(
                f"  {numbers.get(item.id, '?')}. {item.title}" + (f" ({who})" if who else "")
            )
            if person is not None and person.email:
                address = formataddr((person.display_name, person.email))
                if address not in to:
                    to.append(address)
            elif who and who not in missing:
                missing.append(who)
    lines += [
        "",
        "Please send your paper to the business unit by then, marked as it should be printed.",
        *_signature(settings),
    ]
    subject = f"[{marking}] {head.group} {head.starts_at:%d/%m/%Y}: papers due {due:%d/%m/%Y}"
    message = _draft(subject, to, [], lines)
    return PackEmail(message, to, [], missing, attached=False, who="presenter")
