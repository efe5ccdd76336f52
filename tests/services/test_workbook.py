"""The workbook: out, in, and out again gives the same records; bad rows change nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, text

from lscb_desktop.models import (
    Agency,
    Attendance,
    AttendanceStatus,
    Base,
    Declaration,
    DeclarationAction,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    Role,
)
from lscb_desktop.services.attendance import meeting_sheet
from lscb_desktop.services.attendance_recording import (
    confirm_attendance,
    record_attendance,
    record_details,
)
from lscb_desktop.services.declarations import DeclarationInput, add_declaration
from lscb_desktop.services.files import OutputError
from lscb_desktop.services.guests import add_guest
from lscb_desktop.services.people import person_input, save_person
from lscb_desktop.services.workbook import ImportFailed, export_workbook, import_workbook
from lscb_desktop.store import Database


def sheets(path: Path) -> dict[str, list[list[Any]]]:
    book = load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}


def make_book(path: Path, data: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in data.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def fingerprint(database: Database) -> dict[str, int]:
    """How many rows each table holds (the change log included)."""
    with database.engine.connect() as connection:
        return {
            name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()
            for name in Base.metadata.tables
        }


def count(database: Database, model: type) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@dataclasses.dataclass(frozen=True)
class Added:
    """What add_new_kinds added to the sample, to find in the workbook."""

    mover: str
    old_agency: str
    new_agency: str
    confirmed: dt.date
    guest: str
    declared: str


def add_new_kinds(database: Database) -> Added:
    """A record of each kind issue 12 brought, found in the sample by what it is: a member who
    moves agency (after meetings they attended), an agency that does not count for quorum, a
    quorum partner, a reason, a late arrival, a guest for two items, a declaration for an item
    and one for the whole meeting, and a meeting's attendance confirmed with the minutes."""
    with database.session() as session:
        held = session.scalars(
            select(Meeting)
            .where(Meeting.status == MeetingStatus.HELD)
            .where(Meeting.attendance_confirmed_on.is_(None))
            .order_by(Meeting.starts_at)
        ).all()
        meeting = next(
            m for m in held if len(m.agenda_items) >= 3 and meeting_sheet(database, m.id).complete
        )
        items = [i.id for i in meeting.agenda_items[1:3]]
        records = sorted(meeting.attendance, key=lambda a: a.person.name)
        present = next(a for a in records if a.status is AttendanceStatus.PRESENT)
        mover = next(
            a.person
            for a in records
            if a.person.email and a.person.agency is not None and a is not present
        )
        old_agency = mover.agency.name if mover.agency else ""
        new_agency = session.scalars(
            select(Agency).where(Agency.id != mover.agency_id).order_by(Agency.name)
        ).first()
        assert new_agency is not None
        new_agency.counts_for_quorum = False
        meeting.group.quorum_partners = [new_agency]
        ids = (meeting.id, present.person_id, mover.id, new_agency.id, new_agency.name)
        names = (mover.name, present.person.name)
        day = meeting.starts_at.date()
        arrived = (meeting.starts_at + dt.timedelta(minutes=25)).time()
    meeting_id, present_id, mover_id, agency_id, agency_name = ids
    record_details(database, meeting_id, present_id, arrived_at=arrived, notes="Late train")
    record_attendance(database, meeting_id, mover_id, AttendanceStatus.APOLOGIES)
    record_details(database, meeting_id, mover_id, reason="Caring responsibilities")
    add_guest(
        database,
        meeting_id,
        "Priya Shah",
        "Barnfield College",
        job_title="Head of Safeguarding",
        item_ids=items,
    )
    add_declaration(
        database,
        meeting_id,
        DeclarationInput(present_id, "A governor of the college", agenda_item_id=items[1]),
    )
    add_declaration(
        database,
        meeting_id,
        DeclarationInput(mover_id, "Employed by a bidder", DeclarationAction.LEFT_ROOM),
    )
    confirmed = day + dt.timedelta(days=30)
    confirm_attendance(database, meeting_id, confirmed)
    person = person_input(database, mover_id)
    save_person(
        database,
        dataclasses.replace(person, agency_id=agency_id, moved_on=day + dt.timedelta(days=1)),
        mover_id,
    )
    return Added(names[0], old_agency, agency_name, confirmed, "Priya Shah", names[1])


def test_export_import_export_gives_the_same_records(sample_db, empty_db, tmp_path):
    added = add_new_kinds(sample_db)
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    export_workbook(sample_db, first)
    result = import_workbook(empty_db, first)
    export_workbook(empty_db, second)
    for model, sheet in (
        (Person, "People"),
        (Attendance, "Attendance"),
        (Declaration, "Declarations"),
    ):
        assert result.created[sheet] == count(sample_db, model) == count(empty_db, model), sheet
    one, two = sheets(first), sheets(second)
    assert list(one) == [
        "Settings",
        "Agencies",
        "People",
        "Groups",
        "Memberships",
        "Meetings",
        "Agenda items",
        "Attendance",
        "Guests",
        "Declarations",
        "Audits",
        "Case reviews",
        "Actions",
    ]
    for name in one:
        assert one[name] == two[name], name
    # The new kinds are in it, and came back.
    members = one["Memberships"]
    spells = {
        row[members[0].index("Represents")]
        for row in members[1:]
        if row[members[0].index("Name")] == added.mover
    }
    assert {added.old_agency, added.new_agency} <= spells
    attendance = one["Attendance"]
    header = attendance[0]
    mover = [r for r in attendance[1:] if r[header.index("Name")] == added.mover]
    assert {r[header.index("Agency on the day")] for r in mover} >= {added.old_agency}
    assert "Caring responsibilities" in {r[header.index("Reason")] for r in mover}
    assert any(r[header.index("Notes")] == "Late train" for r in attendance[1:])
    assert any(r[header.index("Arrived")] is not None for r in attendance[1:])
    guests = one["Guests"]
    guest = next(r for r in guests[1:] if r[guests[0].index("Name")] == added.guest)
    assert guest[guests[0].index("Job title")] == "Head of Safeguarding"
    assert guest[guests[0].index("For items")] == "2; 3"
    declarations = one["Declarations"]
    actions = {
        (r[declarations[0].index("Name")], r[declarations[0].index("Item")]): r[
            declarations[0].index("Action")
        ]
        for r in declarations[1:]
    }
    assert actions[(added.mover, None)] == "Left the room"
    assert actions[(added.declared, 3)] == "Stayed and took part"
    meetings = one["Meetings"]
    confirmed = [r[meetings[0].index("Attendance confirmed")] for r in meetings[1:]]
    assert dt.datetime.combine(added.confirmed, dt.time()) in confirmed
    agencies = one["Agencies"]
    counts = {r[0]: r[agencies[0].index("Counts for quorum")] for r in agencies[1:]}
    assert counts[added.new_agency] == "No"
    groups = one["Groups"]
    assert added.new_agency in {r[groups[0].index("Quorum partners")] for r in groups[1:]}


def test_the_workbook_holds_dates_as_dates_and_readable_values(sample_db, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(sample_db, path)
    book = load_workbook(path)
    memberships = book["Memberships"]
    header = [c.value for c in memberships[1]]
    assert header[:7] == ["Group", "Name", "Email", "Agency", "Represents", "Role", "Position"]
    start = memberships.cell(row=2, column=header.index("Start date") + 1)
    assert isinstance(start.value, dt.datetime)
    assert start.number_format == "DD/MM/YYYY"
    roles = {
        row[header.index("Role")] for row in memberships.iter_rows(min_row=2, values_only=True)
    }
    assert "Business manager" in roles
    assert memberships.freeze_panes == "A2"


def test_importing_the_same_workbook_twice_creates_nothing_twice(sample_db, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(sample_db, path)
    before = fingerprint(sample_db)
    result = import_workbook(sample_db, path)
    assert sum(result.created.values()) == 0
    assert sum(result.updated.values()) == 0
    assert fingerprint(sample_db) == before


def test_a_workbook_with_only_people_and_memberships(sample_db, tmp_path):
    path = make_book(
        tmp_path / "new members.xlsx",
        {
            " people ": [
                ["  NAME ", "job title", "Agency", "EMAIL", "Phone"],
                [
                    "Priya Shah",
                    "Head of Safeguarding",
                    "Barnfield College",
                    "P.Shah@barnfield.ac.uk",
                    "01582 569500",
                ],
            ],
            "Agencies": [
                ["Name", "Short name", "Sector", "Statutory partner"],
                ["Barnfield College", "Barnfield", "Education", "Yes"],
            ],
            "Memberships": [
                ["Group", "Name", "Email", "Role", "Start date", "Agreement signed"],
                [
                    "Strategic Board",
                    "Priya Shah",
                    "",
                    "Member",
                    "01/12/2026",
                    dt.datetime(2026, 12, 3),
                ],
                [
                    "Learning and Improvement Group",
                    "",
                    "p.shah@barnfield.ac.uk",
                    "member",
                    dt.datetime(2026, 12, 1),
                    "",
                ],
            ],
        },
    )
    result = import_workbook(sample_db, path)
    assert result.created == {"Agencies": 1, "People": 1, "Memberships": 2}
    with sample_db.session() as session:
        person = session.scalars(select(Person).where(Person.name == "Priya Shah")).one()
        assert person.email == "p.shah@barnfield.ac.uk"
        assert person.agency.short_name == "Barnfield"
        spells = session.scalars(select(Membership).where(Membership.person_id == person.id)).all()
        assert {m.group.short_name for m in spells} == {"Board", "LIG"}
        board = next(m for m in spells if m.group.short_name == "Board")
        assert board.start_date == dt.date(2026, 12, 1)
        assert board.agreement_signed_on == dt.date(2026, 12, 3)
        assert board.role is Role.MEMBER


def test_columns_left_out_of_a_sheet_are_left_alone(sample_db, tmp_path):
    path = make_book(
        tmp_path / "phones.xlsx",
        {
            "People": [
                ["Email", "Name", "Phone"],
                ["mary.emson@lutonccg.nhs.uk", "Mary Emson", "01582 532000"],
            ],
        },
    )
    result = import_workbook(sample_db, path)
    assert result.updated == {"People": 1}
    with sample_db.session() as session:
        mary = session.scalars(select(Person).where(Person.name == "Mary Emson")).one()
        assert mary.phone == "01582 532000"
        assert mary.job_title == "Designated Nurse"
        assert mary.agency.short_name == "Luton CCG"


BAD_INPUTS = [
    pytest.param(
        {"People": [["Name", "Email"], ["", "nobody@example.org"]]},
        ("People", 2, "Name", "is required"),
        id="missing name",
    ),
    pytest.param(
        {"People": [["Name", "Agency"], ["Ann Other", "Luton Zoo"]]},
        ("People", 2, "Agency", "unknown agency “Luton Zoo”"),
        id="unknown agency",
    ),
    pytest.param(
        {
            "Memberships": [
                ["Group", "Name", "Start date"],
                ["Strategic Board", "Mary Emson", "next Tuesday"],
            ]
        },
        ("Memberships", 2, "Start date", "is not a date"),
        id="date that is not a date",
    ),
    pytest.param(
        {
            "Memberships": [
                ["Group", "Name", "Start date"],
                ["Strategic Board", "Mary Emson", "31/02/2026"],
            ]
        },
        ("Memberships", 2, "Start date", "is not a date"),
        id="impossible date",
    ),
    pytest.param(
        {
            "People": [
                ["Name", "Email"],
                ["Ann Other", "ann@example.org"],
                ["Ann Other Two", "Ann@Example.org"],
            ]
        },
        ("People", 3, "Email", "the email ann@example.org is also on row 2"),
        id="duplicate email in the sheet",
    ),
    pytest.param(
        {"People": [["Name", "Email"], ["Ann Other", "ann at example.org"]]},
        ("People", 2, "Email", "is not an email address"),
        id="email that is not one",
    ),
    pytest.param(
        {
            "Attendance": [
                ["Group", "Meeting date", "Name", "Status"],
                ["Strategic Board", "10/06/2026", "Glen Denham", "Present"],
            ]
        },
        ("Attendance", 2, "Name", "Glen Denham was not a member of Strategic Board on 10/06/2026"),
        id="attendance for a person not in the group",
    ),
    pytest.param(
        {
            "Attendance": [
                ["Group", "Meeting date", "Name", "Status"],
                ["Strategic Board", "11/06/2026", "Mary Emson", "Present"],
            ]
        },
        ("Attendance", 2, "Meeting date", "Strategic Board has no meeting on 11/06/2026"),
        id="attendance at a meeting that does not exist",
    ),
    pytest.param(
        {
            "Attendance": [
                ["Group", "Meeting date", "Name", "Status"],
                ["Strategic Board", "10/06/2026", "Mary Emson", "Late"],
            ]
        },
        ("Attendance", 2, "Status", "“Late” is not one of: Present, Apologies"),
        id="status that is not one",
    ),
    pytest.param(
        {
            "Memberships": [
                ["Group", "Name", "Start date"],
                ["Finance Committee", "Mary Emson", "01/04/2026"],
            ]
        },
        ("Memberships", 2, "Group", "unknown group “Finance Committee”"),
        id="unknown group",
    ),
    pytest.param(
        {
            "Memberships": [
                ["Group", "Name", "Start date"],
                ["Strategic Board", "Jane Nobody", "01/04/2026"],
            ]
        },
        ("Memberships", 2, "Name", "unknown person “Jane Nobody”"),
        id="unknown person",
    ),
    pytest.param(
        {
            "Memberships": [
                ["Group", "Name", "Start date", "End date"],
                ["Strategic Board", "Mary Emson", "01/04/2026", "01/03/2026"],
            ]
        },
        ("Memberships", 2, "End date", "ends before it starts"),
        id="ends before it starts",
    ),
    pytest.param(
        {"Memberships": [["Group", "Name"], ["Strategic Board", "Mary Emson"]]},
        ("Memberships", 1, "Start date", "required column is missing"),
        id="missing required column",
    ),
    pytest.param(
        {
            "Meetings": [
                ["Group", "Date"],
                ["Strategic Board", "10/06/2026"],
                ["strategic board", "10/06/2026"],
            ]
        },
        ("Meetings", 3, "Date", "a meeting of Strategic Board on 10/06/2026 is also on row 2"),
        id="duplicate meeting",
    ),
    pytest.param(
        {"Settings": [["Setting", "Value"], ["papers_deadline_days", "a week"]]},
        ("Settings", 2, "Value", "is not a whole number"),
        id="setting of the wrong type",
    ),
]


@pytest.mark.parametrize(("data", "expected"), BAD_INPUTS)
def test_bad_rows_are_reported_and_change_nothing(sample_db, tmp_path, data, expected):
    # A good row comes first on its own sheet, to show it is not half-imported.
    data = {"Agencies": [["Name"], ["Luton Airport"]], **data}
    path = make_book(tmp_path / "bad.xlsx", data)
    before = fingerprint(sample_db)
    with pytest.raises(ImportFailed) as failed:
        import_workbook(sample_db, path)
    sheet, row, column, message = expected
    problems = [(p.sheet, p.row, p.column) for p in failed.value.problems]
    assert (sheet, row, column) in problems, failed.value.problems
    problem = failed.value.problems[problems.index((sheet, row, column))]
    assert message in problem.message
    assert fingerprint(sample_db) == before


def test_every_bad_row_is_reported_at_once(sample_db, tmp_path):
    path = make_book(
        tmp_path / "bad.xlsx",
        {
            "People": [
                ["Name", "Agency", "Email"],
                ["", "", "a@example.org"],
                ["Ann Other", "Luton Zoo", ""],
                ["Bob Other", "", "not-an-email"],
            ]
        },
    )
    with pytest.raises(ImportFailed) as failed:
        import_workbook(sample_db, path)
    assert [str(p) for p in failed.value.problems] == [
        "People, row 2, Name: is required",
        "People, row 3, Agency: unknown agency “Luton Zoo” (add it on the Agencies sheet)",
        "People, row 4, Email: “not-an-email” is not an email address (An email address must "
        "have an @-sign.)",
    ]


def test_a_file_that_is_not_a_workbook(empty_db, tmp_path):
    path = tmp_path / "minutes.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(ImportFailed, match="1 problem"):
        import_workbook(empty_db, path)


def test_export_to_a_folder_that_does_not_exist_says_so(sample_db, tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        export_workbook(sample_db, tmp_path / "no such folder" / "out.xlsx")


def test_an_export_that_fails_leaves_no_half_written_file(sample_db, tmp_path, monkeypatch):
    target = tmp_path / "records.xlsx"
    target.write_bytes(b"the previous export")

    real_save = Workbook.save

    def broken_save(self, filename):
        real_save(self, filename)
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        export_workbook(sample_db, target)
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("sample.")) == [
        "records.xlsx"
    ]
    with sample_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 65


def test_a_sheet_past_excels_row_limit_is_refused_and_nothing_written(
    sample_db, tmp_path, monkeypatch
):
    from lscb_desktop.services.workbook import exporter

    monkeypatch.setattr(exporter, "MAX_SHEET_ROWS", 700)  # 632 agenda items, 963 attendance
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OutputError, match="The Attendance sheet would need more than 699 rows"):
        export_workbook(sample_db, out / "records.xlsx")
    assert list(out.iterdir()) == []
