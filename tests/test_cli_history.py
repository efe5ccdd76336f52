"""``lscb-desktop history``: the change log in words, as text and JSON, and bad arguments."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lscb_desktop.cli import main
from lscb_desktop.models import Person
from lscb_desktop.services.history import WITHHELD
from lscb_desktop.services.people import person_input, save_person
from lscb_desktop.store import open_database


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def person_id(target, name: str) -> int:
    database = open_database(target)
    try:
        with database.session() as session:
            return session.scalars(select(Person.id).where(Person.name == name)).one()
    finally:
        database.dispose()


@pytest.fixture
def retitled(sample_target):
    """Mary Emson's job title changed through the program, as a user would: (id, old title)."""
    database = open_database(sample_target)
    try:
        mary = person_id(sample_target, "Mary Emson")
        data = person_input(database, mary)
        save_person(database, dataclasses.replace(data, job_title="LSCB Administrator"), mary)
    finally:
        database.dispose()
    return mary, data.job_title


def test_history_of_a_record_in_words(capsys, sample_target, retitled):
    mary, old = retitled
    code, out, err = run(capsys, "--db", sample_target, "history", "--record", f"person:{mary}")
    assert code == 0, err
    lines = out.splitlines()
    # 24/11/2026 14:05  jsmith  changed  Person 12 (Mary Emson)
    date, time, _user, what, *record = lines[0].split()
    assert len(date) == 10 and date[2] == date[5] == "/"
    assert len(time) == 5 and time[2] == ":"
    assert what == "changed"
    assert " ".join(record) == f"Person {mary} (Mary Emson)"
    assert lines[1] == f"    Job title: {old} → LSCB Administrator"
    # then her creation by the sample, newest first, and nothing else
    assert "created" in out
    assert "    Name: Mary Emson" in out
    assert "left out" not in out


def test_history_as_json(capsys, sample_target, retitled):
    mary, old = retitled
    code, out, _ = run(
        capsys, "history", "--record", f"person:{mary}", "--json", "--db", sample_target
    )
    assert code == 0
    entries = json.loads(out)
    assert [e["what"] for e in entries] == ["changed", "created"]
    newest = entries[0]
    assert newest["kind"] == "person"
    assert newest["record_id"] == str(mary)
    assert newest["record"] == f"Person {mary} (Mary Emson)"
    assert newest["changes"] == [
        {
            "field": "job_title",
            "label": "Job title",
            "old": old,
            "new": "LSCB Administrator",
            "old_text": old,
            "new_text": "LSCB Administrator",
        }
    ]


def test_history_since_a_date_and_the_limit(capsys, sample_target):
    code, out, _ = run(capsys, "--db", sample_target, "history", "--since", "01/01/2100")
    assert code == 0
    assert out.strip() == "No changes recorded since that date."

    code, out, _ = run(capsys, "--db", sample_target, "history", "--limit", "3")
    assert code == 0
    assert sum(1 for line in out.splitlines() if line and not line.startswith(" ")) == 4
    assert "older entries left out (of 2," in out
    assert "--limit 0 for all" in out

    code, out, err = run(capsys, "--db", sample_target, "history", "--limit", "2", "--json")
    assert len(json.loads(out)) == 2  # stdout stays pure JSON; the note goes to stderr
    assert "left out" in err

    code, out, _ = run(
        capsys,
        "--db",
        sample_target,
        "history",
        "--record",
        "person:99999",
        "--since",
        "2026-11-23",
    )
    assert out.strip() == "No changes recorded for Person 99999 since that date."


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--record", "child:3"], "“child” is not a kind of record; choose one of: person,"),
        (["--record", "person:abc"], "“abc” is not a record number"),
        (["--record", "person"], "write the record as KIND:ID"),
        (["--since", "31/02/2026"], "“31/02/2026” is not a date; write it like 23/11/2026"),
        (["--since", "last week"], "is not a date"),
        (["--limit", "lots"], "give a whole number of entries"),
        (["--limit", "-5"], "give a whole number of entries"),
    ],
)
def test_bad_arguments_are_explained_with_exit_2(capsys, sample_target, argv, message):
    code, out, err = run(capsys, "--db", sample_target, "history", *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert out == ""


def test_an_import_is_logged_like_any_other_change(capsys, sample_target, tmp_path):
    """A workbook's update of a person shows in the history with the old and new values."""
    db = sample_target
    path = tmp_path / "records.xlsx"
    assert run(capsys, "--db", db, "export", "workbook", str(path))[0] == 0
    book = load_workbook(path)
    people = book["People"]
    header = [cell.value for cell in people[1]]
    name_col, title_col = header.index("Name") + 1, header.index("Job title") + 1
    row = next(
        r for r in range(2, people.max_row + 1) if people.cell(r, name_col).value == "Liz Mead"
    )
    old = people.cell(row, title_col).value
    people.cell(row, title_col).value = "Detective Inspector, Public Protection Unit"
    book.save(path)
    code, out, err = run(capsys, "--db", db, "import", "workbook", str(path))
    assert code == 0, err

    liz = person_id(sample_target, "Liz Mead")
    code, out, _ = run(capsys, "--db", db, "history", "--record", f"person:{liz}", "--json")
    newest = json.loads(out)[0]
    assert newest["what"] == "changed"
    assert newest["record"] == f"Person {liz} (Liz Mead)"
    changes = {c["label"]: (c["old"], c["new"]) for c in newest["changes"]}
    assert changes["Job title"] == (old, "Detective Inspector, Public Protection Unit")

    code, out, _ = run(capsys, "--db", db, "history", "--record", f"person:{liz}")
    assert f"    Job title: {old} → Detective Inspector, Public Protection Unit" in out


def test_what_could_identify_a_child_is_withheld_in_text_and_json(capsys, sample_path):
    """A case review an older version saved with a child's name as its reference and "aged 3" in
    its notes, then corrected: the log still holds both, and neither is printed."""
    with sqlite3.connect(sample_path) as connection:
        review = connection.execute("SELECT min(id) FROM case_review").fetchone()[0]
        now = dt.datetime.now().replace(microsecond=0).isoformat(" ")
        rows = [
            ("insert", 9001, {"reference": [None, "Jayden Smith"], "notes": [None, "aged 3"]}),
            ("delete", 9001, {"reference": ["Jayden Smith", None], "notes": ["aged 3", None]}),
            (
                "update",
                review,
                {
                    "reference": ["Jayden Smith", "CSPR 2026-09"],
                    "notes": ["aged 3", ""],
                    "methodology": ["Rapid review", "Local review"],
                },
            ),
        ]
        connection.executemany(
            "INSERT INTO change_log (at, os_user, operation, table_name, record_id, changes)"
            " VALUES (?, 'olduser', ?, 'case_review', ?, ?)",
            [(now, op, str(ident), json.dumps(changes)) for op, ident, changes in rows],
        )
    db = str(sample_path)
    code, text, err = run(capsys, "--db", db, "history", "--limit", "3")
    assert code == 0, err
    assert f"    Reference: {WITHHELD} → CSPR 2026-09" in text
    assert f"    Notes: {WITHHELD} → (blank)" in text
    assert "    Methodology: Rapid review → Local review" in text  # a normal change still shows
    assert f"deleted  Case review 9001 {WITHHELD}, deleted" in text
    assert f"    Reference: {WITHHELD}" in text.split("deleted  Case review 9001")[1]

    code, out, _ = run(capsys, "--db", db, "history", "--record", "case-review:9001", "--json")
    assert code == 0
    deleted, created = json.loads(out)
    assert deleted["record"] == created["record"] == f"Case review 9001 {WITHHELD}, deleted"
    assert {c["field"]: c["old"] for c in deleted["changes"]} == {
        "reference": WITHHELD,
        "notes": WITHHELD,
    }
    code, plain, _ = run(capsys, "--db", db, "history", "--limit", "3", "--json")
    newest = json.loads(plain)[0]
    assert {c["field"]: (c["old"], c["new_text"]) for c in newest["changes"]} == {
        "reference": (WITHHELD, "CSPR 2026-09"),
        "notes": (WITHHELD, "(blank)"),
        "methodology": ("Rapid review", "Local review"),
    }
    for shown in (text, out, plain):
        assert "Jayden" not in shown
        assert "aged 3" not in shown


def test_no_database_is_made_by_reading_history(capsys, tmp_path):
    missing = tmp_path / "missing.sqlite"
    code, _, err = run(capsys, "--db", str(missing), "history")
    assert code == 1
    assert "There is no database at" in err
    assert not missing.exists()
