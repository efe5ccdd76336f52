"""The command line, as a user runs it: output on stdout, errors on stderr, honest exit codes."""

from __future__ import annotations

import json
import sqlite3

import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from lscb_desktop.cli import main
from lscb_desktop.config import sample_database_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_creates_the_sample_and_will_not_overwrite_it(capsys, tmp_path):
    db = str(tmp_path / "demo.sqlite")
    code, out, _ = run(capsys, "demo", "--db", db, "--today", "2026-11-23")
    assert code == 0
    assert "Created the sample database" in out
    code, _, err = run(capsys, "demo", "--db", db)
    assert code == 1
    assert "already holds records; use --force" in err
    assert run(capsys, "demo", "--db", db, "--force", "--today", "2026-11-23")[0] == 0


def test_demo_without_db_fills_the_sample_database_in_the_data_folder(capsys):
    assert run(capsys, "demo", "--today", "2026-11-23")[0] == 0
    assert sample_database_path().exists()


def test_list_as_json_and_as_a_table(capsys, sample_target):
    code, out, _ = run(capsys, "--db", sample_target, "list", "groups", "--json")
    assert code == 0
    groups = {g["short_name"]: g for g in json.loads(out)}
    assert groups["SAG"]["quorum_agencies"] == 3
    assert groups["SAG"]["accountable_to"] == "Executive Group"
    assert isinstance(groups["SAG"]["id"], int)

    code, out, _ = run(capsys, "list", "people", "--json", "--db", sample_target)
    mary = next(p for p in json.loads(out) if p["name"] == "Mary Emson")
    assert mary["agency"] == "Luton Clinical Commissioning Group"
    assert mary["email"] == "mary.emson@lutonccg.nhs.uk"

    code, out, _ = run(capsys, "list", "meetings", "--json", "--db", sample_target)
    meetings = json.loads(out)
    board = [m for m in meetings if m["group"] == "Strategic Board" and m["date"] == "2026-06-10"]
    assert board[0]["status"] == "held"
    assert board[0]["agenda_items"] >= 6

    code, out, _ = run(capsys, "list", "agencies", "--db", sample_target)
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["id", "name", "short_name"]
    assert "Bedfordshire Police" in out


def test_check_reports_a_sound_database_and_finds_a_broken_one(capsys, sample_path):
    code, out, _ = run(capsys, "check", "--db", str(sample_path))
    assert code == 0
    assert out.startswith("No problems found (65 people")
    with sqlite3.connect(sample_path) as connection:  # an attendance row for a non-member
        connection.execute("PRAGMA foreign_keys=OFF")
        connection.execute(
            "UPDATE attendance SET person_id = (SELECT id FROM person WHERE name = 'Glen Denham')"
            " WHERE id = (SELECT a.id FROM attendance a JOIN meeting m ON m.id = a.meeting_id"
            " JOIN board_group g ON g.id = m.group_id WHERE g.short_name = 'Board' LIMIT 1)"
        )
    code, out, _ = run(capsys, "check", "--db", str(sample_path))
    assert code == 1
    assert "attendance for Glen Denham" in out
    assert "not a member of that group then" in out


def test_backup_export_and_import(capsys, sample_target, tmp_path):
    backup = tmp_path / "backup.sqlite"
    assert run(capsys, "backup", str(backup), "--db", sample_target)[0] == 0
    assert backup.exists()
    book = tmp_path / "all.xlsx"
    code, out, _ = run(capsys, "export", "workbook", str(book), "--db", sample_target)
    assert code == 0
    assert "Exported" in out
    fresh = str(tmp_path / "fresh.sqlite")
    code, out, _ = run(capsys, "import", "workbook", str(book), "--db", fresh)
    assert code == 0
    assert "People: 65 new" in out
    code, out, _ = run(capsys, "import", "workbook", str(book), "--db", fresh)
    assert out.strip() == "Nothing to change: every record was already in the database."


def test_a_bad_import_exits_non_zero_and_names_each_row(capsys, sample_target, tmp_path):
    path = tmp_path / "bad.xlsx"
    book = Workbook()
    book.active.title = "People"
    book.active.append(["Name", "Agency"])
    book.active.append(["Ann Other", "Luton Zoo"])
    book.save(path)
    code, out, err = run(capsys, "import", "workbook", str(path), "--db", sample_target)
    assert code == 1
    assert out == ""
    assert "bad.xlsx: 1 problem(s) in the workbook; nothing was imported." in err
    assert "People, row 2, Agency: unknown agency “Luton Zoo”" in err


def test_errors_go_to_stderr(capsys, tmp_path):
    code, out, err = run(capsys, "list", "people", "--db", str(tmp_path / "missing.sqlite"))
    assert (code, out) == (1, "")
    assert "There is no database at" in err
    with pytest.raises(SystemExit) as usage:
        main(["list", "cats"])
    assert usage.value.code == 2
    assert "invalid choice: 'cats'" in capsys.readouterr().err


def test_list_meetings_and_a_meetings_attendance_with_its_quorum(capsys, sample_target):
    code, out, _ = run(capsys, "--db", sample_target, "list", "meetings", "--json")
    meetings = json.loads(out)
    nxt = next(m for m in meetings if m["date"] == "2026-12-01")
    assert (nxt["group"], nxt["status"], nxt["agenda_items"], nxt["papers"]) == (
        "Executive Group",
        "planned",
        8,
        2,
    )
    sag = next(
        m
        for m in meetings
        if m["group"] == "Scrutiny and Assurance Group" and m["status"] == "held"
    )
    code, out, _ = run(
        capsys,
        "--db",
        sample_target,
        "list",
        "attendance",
        "--meeting",
        str(sag["id"]),
        "--json",
    )
    assert code == 0
    record = json.loads(out)
    assert record["meeting"]["group"] == "Scrutiny and Assurance Group"
    assert {a["status"] for a in record["attendees"]} <= {
        "present",
        "apologies",
        "substitute",
        "absent",
    }
    # Only attendees whose agency and role count towards the quorum make it (the business unit,
    # advisers and administrators do not), each agency once, as it was on the day.
    represented = {
        a["agency"]
        for a in record["attendees"]
        if a["status"] in ("present", "substitute") and a["counts_for_quorum"]
    }
    not_counted = {
        a["agency"]
        for a in record["attendees"]
        if a["status"] in ("present", "substitute") and not a["counts_for_quorum"]
    }
    assert "Luton Safeguarding Children Board Business Unit" in not_counted - represented
    quorum = record["quorum"]
    assert sorted(quorum["agencies"], key=str.casefold) == quorum["agencies"]
    assert set(quorum["agencies"]) == represented
    assert quorum["agencies_represented"] == len(represented)
    assert quorum["needed"] == 3
    assert quorum["rule"] == "at least 3 agencies represented"
    assert quorum["quorate"] == (len(represented) >= 3)
    verdict = "Quorate" if quorum["quorate"] else "Not quorate"
    assert quorum["text"].startswith(f"{verdict}: {len(represented)} agencies (needs 3)")
    code, out, _ = run(
        capsys, "--db", sample_target, "list", "attendance", "--meeting", str(sag["id"])
    )
    assert quorum["text"] in out
    assert f"Counted: {', '.join(quorum['agencies'])}." in out


def test_list_attendance_needs_a_meeting_that_exists(capsys, sample_target):
    code, _, err = run(capsys, "--db", sample_target, "list", "attendance")
    assert (code, err.strip()) == (2, "lscb-desktop: list attendance needs --meeting ID")
    code, _, err = run(capsys, "--db", sample_target, "list", "attendance", "--meeting", "999")
    assert code == 1
    assert "there is no meeting 999" in err


def test_export_documents_from_the_command_line(capsys, sample_target, tmp_path):
    db = sample_target
    meetings = json.loads(run(capsys, "--db", db, "list", "meetings", "--json")[1])
    board = next(m for m in meetings if m["group"] == "Strategic Board" and m["papers"] == 3)
    groups = {
        g["short_name"]: g["id"]
        for g in json.loads(run(capsys, "--db", db, "list", "groups", "--json")[1])
    }
    for what, args, name in (
        ("agenda", [str(board["id"])], "agenda.pdf"),
        ("pack", [str(board["id"])], "pack.pdf"),
        ("register", [str(board["id"])], "register.pdf"),
        ("agreement", ["--group", str(groups["MAAG"])], "agreements.pdf"),
        ("contacts", [str(groups["MAAG"])], "contacts.xlsx"),
        ("attendance", ["--period", "2025-26"], "attendance.xlsx"),
        (
            "attendance",
            ["--from", "01/04/2026", "--to", "30/09/2026", "--group", str(groups["Board"])],
            "half-year.xlsx",
        ),
        ("calendar", ["--group", str(groups["Board"])], "board.ics"),
    ):
        target = tmp_path / name
        code, out, err = run(capsys, "--db", db, "export", what, *args, str(target))
        assert (code, err) == (0, ""), what
        assert out.strip() == f"Wrote {target}"
        assert target.stat().st_size > 0
    assert len(PdfReader(tmp_path / "pack.pdf").pages) == 5
    assert len(PdfReader(tmp_path / "agreements.pdf").pages) == 8


def test_export_errors_say_what_is_wrong(capsys, sample_target, tmp_path):
    db = sample_target
    code, _, err = run(capsys, "--db", db, "export", "agenda", "999", str(tmp_path / "a.pdf"))
    assert code == 1 and "there is no such record" in err
    code, _, err = run(capsys, "--db", db, "export", "agenda", "1", str(tmp_path / "no" / "a.pdf"))
    assert code == 1 and "does not exist" in err
    code, _, err = run(
        capsys, "--db", db, "export", "attendance", "--from", "01/04/2026", str(tmp_path / "x.xlsx")
    )
    assert (code, err.strip()) == (1, "lscb-desktop: give both --from and --to")
    assert not (tmp_path / "x.xlsx").exists()
    assert not (tmp_path / "a.pdf").exists()


def test_a_server_that_cannot_be_reached_is_told_in_words_and_the_details_go_to_the_log(capsys):
    from lscb_desktop.logs import log_file

    url = "postgresql+psycopg://clerk:S3cret-pw@127.0.0.1:1/lscb"
    code, out, err = run(capsys, "--db", url, "list", "people")
    assert code == 1 and out == ""
    assert err.startswith("lscb-desktop: ") and err.count("\n") == 1, err  # one line, words only
    assert "127.0.0.1" in err
    for technical in ("Traceback", "connection failed", "psycopg", "S3cret-pw", "FATAL"):
        assert technical not in err, technical
    assert "S3cret-pw" not in log_file().read_text(encoding="utf-8")


@pytest.mark.parametrize("url", ["mysql://a:b@localhost/lscb", "postgresql+psycopg2://a@h/lscb"])
def test_a_kind_of_database_the_program_cannot_use_is_named_without_a_traceback(capsys, url):
    code, _, err = run(capsys, "--db", url, "list", "people")
    assert code == 1
    assert "Traceback" not in err and "ModuleNotFoundError" not in err
    assert "PostgreSQL server" in err
