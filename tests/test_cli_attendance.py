"""``list attendance --meeting ID`` says it all, ``list declarations`` is the register of
interests, and ``export attendance --confirmed-only``: as a user runs them, on the sample."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lscb_desktop.cli import main
from lscb_desktop.models import (
    Agency,
    AttendanceStatus,
    DeclarationAction,
    Group,
    Meeting,
    MeetingStatus,
    Person,
)
from lscb_desktop.services.agenda import agenda_rows
from lscb_desktop.services.attendance import item_quorums, meeting_sheet
from lscb_desktop.services.attendance_recording import record_attendance, record_details
from lscb_desktop.services.declarations import DeclarationInput, add_declaration
from lscb_desktop.services.guests import add_guest
from lscb_desktop.store import open_database
from tests.test_cli import run

BID = "My agency bids for the contract"


def held_lig(db) -> int:
    """A held Learning and Improvement Group meeting whose attendance is fully recorded."""
    with db.session() as session:
        ids = session.scalars(
            select(Meeting.id)
            .join(Group, Group.id == Meeting.group_id)
            .where(Group.short_name == "LIG", Meeting.status == MeetingStatus.HELD)
            .order_by(Meeting.starts_at)
        ).all()
    return next(i for i in ids if meeting_sheet(db, i).complete)


def set_the_scene(target: str) -> dict[str, object]:
    """At one meeting: apologies with a reason, a late arrival, a substitute from another agency,
    an officer for an item and a declaration; what was set, to look for."""
    db = open_database(target)
    try:
        meeting_id = held_lig(db)
        sheet = meeting_sheet(db, meeting_id)
        members = [r for r in sheet.attendees if r.expected and r.counts]
        sorry, late, sent, declared = members[:4]
        item = agenda_rows(db, meeting_id)[2]
        with db.session() as session:
            other = next(
                p
                for p in session.scalars(select(Person).order_by(Person.name))
                if p.agency_id not in (None, sent.agency_id)
                and p.id not in {r.person_id for r in sheet.attendees}
            )
            other_id, other_agency = other.id, session.get_one(Agency, other.agency_id).name
        yes = {"after_confirmation": True}
        record_attendance(db, meeting_id, sorry.person_id, AttendanceStatus.APOLOGIES, **yes)
        record_details(db, meeting_id, sorry.person_id, reason="Bereavement", **yes)
        record_attendance(db, meeting_id, late.person_id, AttendanceStatus.PRESENT, **yes)
        record_details(
            db, meeting_id, late.person_id, arrived_at=dt.time(10, 40), notes="Train late", **yes
        )
        record_attendance(
            db,
            meeting_id,
            sent.person_id,
            AttendanceStatus.SUBSTITUTE,
            substitute_id=other_id,
            other_agency_ok=True,
            **yes,
        )
        record_attendance(db, meeting_id, declared.person_id, AttendanceStatus.PRESENT, **yes)
        add_guest(
            db,
            meeting_id,
            "Dean Kirby",
            "Luton Borough Council",
            job_title="Head of Service",
            item_ids=[item.id],
            **yes,
        )
        add_declaration(
            db,
            meeting_id,
            DeclarationInput(
                declared.person_id,
                BID,
                DeclarationAction.TOOK_NO_PART,
                agenda_item_id=item.id,
            ),
            **yes,
        )
        return {
            "meeting": meeting_id,
            "sorry": sorry,
            "late": late,
            "sent": sent,
            "declared": declared,
            "other_agency": other_agency,
            "item": item,
        }
    finally:
        db.dispose()


def test_list_attendance_as_json_says_it_all(capsys, sample_target):
    scene = set_the_scene(sample_target)
    meeting = str(scene["meeting"])
    code, out, err = run(capsys, "--db", sample_target, "list", "attendance", "--meeting", meeting)
    assert (code, err) == (0, "")
    code, out, _ = run(
        capsys, "--db", sample_target, "list", "attendance", "--meeting", meeting, "--json"
    )
    assert code == 0
    record = json.loads(out)
    people = {a["person_id"]: a for a in record["attendees"]}
    sorry = people[scene["sorry"].person_id]
    assert (sorry["status"], sorry["reason"]) == ("apologies", "Bereavement")
    assert sorry["agency"] == scene["sorry"].agency and sorry["seat"] == (
        scene["sorry"].seat or None
    )
    assert sorry["role"] == scene["sorry"].role
    assert sorry["counts_for_quorum"] is True
    late = people[scene["late"].person_id]
    assert (late["arrived_at"], late["left_at"], late["notes"]) == ("10:40", None, "Train late")
    sent = people[scene["sent"].person_id]
    assert sent["status"] == "substitute"
    assert sent["substitute_agency"] == scene["other_agency"]  # not the member's own agency
    assert sent["substitute"]
    assert (record["recorded"], record["expected"]) == (
        sum(1 for a in record["attendees"] if a["member_then"] and a["status"]),
        sum(1 for a in record["attendees"] if a["member_then"]),
    )
    assert record["confirmed"] is None or dt.date.fromisoformat(record["confirmed"])
    assert "confirmed_by" in record

    quorum = record["quorum"]
    counted = {
        a["agency"]
        for a in record["attendees"]
        if a["status"] in ("present", "substitute") and a["counts_for_quorum"]
    }
    assert set(quorum["agencies"]) == counted
    assert quorum["agencies_represented"] == len(counted)
    assert quorum["rule"] == "at least 3 agencies represented"
    assert quorum["missing_partners"] == [] and quorum["required_partners"] == []
    assert quorum["quorate"] is (len(counted) >= 3)

    (guest,) = [g for g in record["guests"] if g["name"] == "Dean Kirby"]
    item = scene["item"]
    assert guest["job_title"] == "Head of Service"
    assert guest["items"] == [{"item_id": item.id, "number": item.number, "title": item.title}]
    (declaration,) = [d for d in record["declarations"] if d["interest"] == BID]
    assert declaration["name"] == scene["declared"].name
    assert (declaration["item_number"], declaration["action"]) == (item.number, "took_no_part")
    assert declaration["excluded_from_quorum"] is True

    per_item = {i["item_id"]: i for i in record["items"]}
    assert per_item[item.id]["left_out"] == [scene["declared"].name]
    assert {i["number"] for i in record["items"]} == set(range(1, len(record["items"]) + 1))
    db = open_database(sample_target)
    try:  # the late arrival is left out of the items that began before 10:40
        expected = item_quorums(db, scene["meeting"])
    finally:
        db.dispose()
    assert [(i["agencies"], i["quorate"], i["text"]) for i in record["items"]] == [
        (q.quorum.agencies, q.quorum.quorate, q.quorum.text) for q in expected
    ]


def test_list_attendance_as_a_table_gives_the_same_facts(capsys, sample_target):
    scene = set_the_scene(sample_target)
    code, out, _ = run(
        capsys, "--db", sample_target, "list", "attendance", "--meeting", str(scene["meeting"])
    )
    assert code == 0
    lines = out.splitlines()
    assert "recorded;" in lines[1] and "confirmed with the minutes" in lines[1]
    header = lines[3].split()
    assert header == [
        "name",
        "agency",
        "seat",
        "role",
        "quorum",
        "status",
        "reason",
        "times",
        "substitute",
    ]
    sorry = next(line for line in lines if line.startswith(scene["sorry"].name))
    assert "apologies" in sorry and "Bereavement" in sorry and "counts" in sorry
    late = next(line for line in lines if line.startswith(scene["late"].name))
    assert "arrived 10:40" in late
    sent = next(line for line in lines if line.startswith(scene["sent"].name))
    assert f"({scene['other_agency']})" in sent
    assert f"Note on {scene['late'].name}: Train late" in out
    item = scene["item"]
    assert f"Guest: Dean Kirby, Head of Service, Luton Borough Council — item {item.number}" in out
    assert f"Declaration: {scene['declared'].name}, Item {item.number}: {item.title}" in out
    assert "Quorum rule: at least 3 agencies represented" in out
    assert "Counted: " in out
    assert f"left out: {scene['declared'].name}" in out
    assert "not counted" in out  # the business unit's line


def test_list_declarations_is_the_register_of_interests(capsys, sample_target):
    scene = set_the_scene(sample_target)
    declared = scene["declared"]
    code, out, _ = run(capsys, "--db", sample_target, "list", "declarations", "--json")
    assert code == 0
    everyone = json.loads(out)
    assert any(d["interest"] == BID for d in everyone)
    assert [d["starts_at"] for d in everyone] == sorted(
        (d["starts_at"] for d in everyone), reverse=True
    )
    code, out, _ = run(
        capsys,
        "--db",
        sample_target,
        "list",
        "declarations",
        "--person",
        str(declared.person_id),
        "--json",
    )
    theirs = json.loads(out)
    assert theirs and {d["person_id"] for d in theirs} == {declared.person_id}
    code, out, _ = run(
        capsys,
        "--db",
        sample_target,
        "list",
        "declarations",
        "--meeting",
        str(scene["meeting"]),
    )
    assert code == 0
    assert out.splitlines()[0].split() == [
        "id",
        "date",
        "group",
        "item",
        "name",
        "action",
        "interest",
    ]
    assert BID in out and "Took no part" in out
    for flag, words in (
        ("--meeting", "meeting 9999 (see `list meetings`)"),
        ("--person", "person 9999 (see `list people`)"),
    ):
        code, out, err = run(capsys, "--db", sample_target, "list", "declarations", flag, "9999")
        assert (code, out, err) == (1, "", f"lscb-desktop: there is no {words}\n")


def test_export_attendance_confirmed_only(capsys, sample_target, tmp_path):
    target = tmp_path / "confirmed.xlsx"
    code, out, err = run(
        capsys,
        "--db",
        sample_target,
        "export",
        "attendance",
        "--period",
        "2026-27",
        "--confirmed-only",
        str(target),
    )
    assert (code, err, out.strip()) == (0, "", f"Wrote {target}")
    book = load_workbook(target)
    for sheet in book.worksheets:
        text = " ".join(str(c.value) for row in sheet.iter_rows(max_row=5) for c in row if c.value)
        assert "Only attendance confirmed with the minutes is counted" in text, sheet.title


def test_the_help_says_what_each_option_does(capsys):
    for argv, wanted in (
        (["list", "--help"], "declarations (the register of interests"),
        (["export", "attendance", "--help"], "confirmed with the minutes"),
    ):
        with pytest.raises(SystemExit):
            main(argv)
        assert wanted in " ".join(capsys.readouterr().out.split())


def test_a_quorum_that_names_partners_says_which_are_missing(capsys, sample_target):
    db = open_database(sample_target)
    try:
        meeting_id = held_lig(db)
        sheet = meeting_sheet(db, meeting_id)
        there = sorted(sheet.quorum.agencies)[0]
        with db.session() as session:
            absent = next(
                a
                for a in session.scalars(select(Agency).order_by(Agency.name))
                if a.counts_for_quorum and a.name not in sheet.quorum.agencies
            ).name
            group = session.get_one(Group, sheet.group_id)
            group.quorum_partners = list(
                session.scalars(select(Agency).where(Agency.name.in_([there, absent])))
            )
    finally:
        db.dispose()
    code, out, _ = run(
        capsys, "--db", sample_target, "list", "attendance", "--meeting", str(meeting_id), "--json"
    )
    assert code == 0
    quorum = json.loads(out)["quorum"]
    assert quorum["required_partners"] == sorted([there, absent], key=str.casefold)
    assert quorum["missing_partners"] == [absent]
    assert quorum["quorate"] is False
    assert quorum["rule"].startswith("at least 3 agencies represented, including ")
    assert quorum["text"].endswith(f"; {absent} not represented")
