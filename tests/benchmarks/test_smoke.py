"""The benchmarks, run at a tiny scale so that they never rot. No timing is asserted here: the
figures are in benchmarks/results.md, measured by `python benchmarks/run.py`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lscb_desktop.models import Attendance, Document, Meeting
from lscb_desktop.store import open_database
from lscb_desktop.store.migrating import SCHEMA_HEAD

BENCHMARKS = Path(__file__).parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import make_large_db
import run


def test_the_generator_builds_a_realistic_database_through_the_store(tmp_path):
    target = tmp_path / "tiny.sqlite"
    counts = make_large_db.build(target, 0.05, quiet=True)
    assert counts["meetings"] == 150  # one period: 15 groups, 150 meetings
    database = open_database(target)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == 150
        assert session.scalar(select(func.count()).select_from(Attendance)) == counts["attendance"]
        assert session.scalar(select(func.count()).select_from(Document)) == counts["papers"] == 25
    database.dispose()


def test_the_benchmark_runs_and_writes_its_table(tmp_path, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    out = tmp_path / "results.md"
    assert (
        run.main(["--scales", "0.05", "--runs", "1", "--out", str(out), "--data", str(tmp_path)])
        == 0
    )
    text = out.read_text()
    assert "| Job | Time | Baseline | Ratio | Target | Met |" in text
    for job in (
        "start-up to the first tab filled",
        "open the Meetings tab, first time",
        "one search keystroke",
        "peak memory",
        "agenda pack of",
        "attendance workbook, every period",
        "export the whole database",
        "import it into an empty database",
    ):
        assert job in text, job


@pytest.mark.server_only
def test_the_server_benchmark_runs_both_sides_and_writes_its_section(tmp_path, monkeypatch):
    import server as server_bench

    from tests import server

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    out = tmp_path / "results.md"
    out.write_text("# Benchmarks\n\n## Earlier\n\nkept\n", encoding="utf-8")
    admin = str(server.server_url().render_as_string(hide_password=False))
    argv = ["--server", admin, "--scales", "0.05", "--runs", "1", "--out", str(out)]
    assert server_bench.main([*argv, "--data", str(tmp_path)]) == 0
    text = out.read_text()
    assert "## Earlier\n\nkept" in text
    assert "| Job | Scale | SQLite file | PostgreSQL server | Server ÷ file |" in text
    for job in (
        "start-up to the first tab filled",
        "open the Meetings tab",
        "one search keystroke",
        "the agenda pack",
        "the annual attendance workbook",
        "peak memory",
    ):
        assert f"| {job}" in text, job


def test_the_attendance_benchmark_runs_both_versions_and_writes_its_section(tmp_path):
    import subprocess

    import attendance as attendance_bench

    known = subprocess.run(
        ["git", "cat-file", "-e", f"{attendance_bench.BASELINE}^{{commit}}"],
        cwd=BENCHMARKS.parent,
        capture_output=True,
        check=False,
    )
    if known.returncode != 0:
        pytest.skip(f"this clone lacks the baseline commit {attendance_bench.BASELINE}")
    out = tmp_path / "results.md"
    out.write_text("# Results\n\n## Another section\n\nKept.\n")
    assert attendance_bench.main(["--scales", "0.02", "--runs", "1", "--out", str(out)]) == 0
    text = out.read_text()
    assert "Kept." in text and attendance_bench.HEADING in text
    for job in (f"upgrade to schema {SCHEMA_HEAD}", "the annual attendance workbook", "as JSON"):
        assert job in text, job
