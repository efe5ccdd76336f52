"""Attendance as it was on the day, beside the release before it, on the same records.

    python benchmarks/attendance.py                       scales 0.25 and 1, 5 pairs each
    python benchmarks/attendance.py --scales 1 --runs 9

For each scale, the release before attendance kept the agency of the day (schema 0004, commit
``BASELINE``, checked out into a temporary worktree) builds the large database with its own
``make_large_db.py``; this version upgrades a copy to its schema (timed, once). Then the same
jobs run through each version's command line in turn, pair after pair (the release before, then
this one), each in a process of its own: the annual attendance workbook for the last full
period, and one meeting's attendance as JSON. Each line gives the median seconds either side,
the median of the pair ratios (this ÷ before) and the median peak memory of the processes.
Appends its table to benchmarks/results.md unless --out says otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lscb_desktop.store.migrating import SCHEMA_HEAD

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASELINE = "48a9bf0"
TODAY = "2026-11-23"
PERIOD = "2025-26"
HEADING = "## Attendance as it was on the day, beside the release before it"
#: Runs the program's command line and writes its peak memory (kB) to the file it is given.
PEAK = """
import resource, runpy, sys
out = sys.argv.pop(1)
sys.argv[0] = "lscb-desktop"
try:
    runpy.run_module("lscb_desktop", run_name="__main__", alter_sys=True)
except SystemExit as stop:
    code = stop.code
else:
    code = 0
with open(out, "w") as f:
    f.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
sys.exit(code)
"""


@dataclass
class Side:
    name: str
    source: Path  # the folder whose lscb_desktop package runs
    database: Path


@dataclass
class Line:
    job: str
    scale: float
    before: float
    after: float
    ratio: float
    before_mb: float
    after_mb: float


def run_cli(side: Side, home: Path, *args: str) -> tuple[float, float, str]:
    """(seconds, peak MB, standard output) of one command of one version."""
    env = {
        **os.environ,
        "PYTHONPATH": str(side.source),
        "LSCB_DESKTOP_HOME": str(home),
        "LSCB_DESKTOP_TODAY": TODAY,
        "QT_QPA_PLATFORM": "offscreen",
    }
    peak = home / "peak.txt"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, str(peak), "--db", str(side.database), *args],
        cwd=side.source,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{side.name}: {' '.join(args)} failed: {done.stderr[-2000:]}")
    return elapsed, int(peak.read_text()) / 1024, done.stdout


def pairs(job: str, sides: tuple[Side, Side], home: Path, runs: int, *args: str) -> Line:
    for side in sides:  # a warm-up of each
        run_cli(side, home, *args)
    times: list[list[float]] = [[], []]
    peaks: list[list[float]] = [[], []]
    ratios = []
    for _ in range(runs):
        for index, side in enumerate(sides):
            seconds, megabytes, _ = run_cli(side, home, *args)
            times[index].append(seconds)
            peaks[index].append(megabytes)
        ratios.append(times[1][-1] / times[0][-1])
    return Line(
        job,
        0,
        statistics.median(times[0]),
        statistics.median(times[1]),
        statistics.median(ratios),
        statistics.median(peaks[0]),
        statistics.median(peaks[1]),
    )


def a_held_meeting(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        row = connection.execute(
            "SELECT m.id FROM meeting m JOIN attendance a ON a.meeting_id = m.id "
            "WHERE m.status = 'held' GROUP BY m.id ORDER BY m.starts_at DESC, count(*) DESC "
            "LIMIT 1"
        ).fetchone()
    connection.close()
    return int(row[0])


def measure(scale: float, runs: int, work: Path, baseline: Path) -> list[Line]:
    home = work / f"home-{scale:g}"
    home.mkdir()
    old_db = work / f"before-{scale:g}.sqlite"
    print(f"Building the scale {scale:g} database with {BASELINE}…", flush=True)
    subprocess.run(
        [sys.executable, "benchmarks/make_large_db.py", "--scale", str(scale), "--out", old_db],
        cwd=baseline,
        env={**os.environ, "PYTHONPATH": str(baseline), "LSCB_DESKTOP_HOME": str(home)},
        check=True,
        capture_output=True,
    )
    new_db = work / f"after-{scale:g}.sqlite"
    shutil.copyfile(old_db, new_db)
    before, after = Side("before", baseline, old_db), Side("this version", ROOT, new_db)
    started = time.perf_counter()
    run_cli(after, home, "check")  # opening upgrades the copy to this version's schema
    upgrade = time.perf_counter() - started
    meeting = str(a_held_meeting(new_db))
    head = SCHEMA_HEAD
    lines = [
        Line(f"upgrade to schema {head} (the `check` that opens it)", scale, 0, upgrade, 0, 0, 0)
    ]
    sides = (before, after)
    jobs: tuple[tuple[str, tuple[str, ...]], ...] = (
        (
            f"the annual attendance workbook, {PERIOD}",
            ("export", "attendance", str(work / "out.xlsx"), "--period", PERIOD),
        ),
        (
            "the attendance workbook of the whole history",
            ("export", "attendance", str(work / "all.xlsx"), "--from", "1990-04-01", "--to", TODAY),
        ),
        ("a meeting's attendance as JSON", ("list", "attendance", "--meeting", meeting, "--json")),
    )
    for job, args in jobs:
        line = pairs(job, sides, home, runs, *args)
        line.scale = scale
        lines.append(line)
        print(
            f"  {job:<50} {line.before * 1000:8.0f} ms {line.after * 1000:8.0f} ms "
            f"{line.ratio:5.2f}× {line.before_mb:6.0f} MB {line.after_mb:6.0f} MB",
            flush=True,
        )
    with sqlite3.connect(new_db) as connection:
        rows = connection.execute("SELECT count(*) FROM attendance").fetchone()[0]
    connection.close()
    print(f"  ({rows:,} attendance rows)", flush=True)
    return lines


def table(lines: list[Line], runs: int) -> str:
    out = [
        HEADING,
        "",
        f"Made by `python benchmarks/attendance.py --runs {runs}` on "
        f"{dt.date.today():%d/%m/%Y}: Python {platform.python_version()}, {os.cpu_count()} "
        f"CPUs. The release before is {BASELINE} (schema 0004); each job is a process of its own "
        "through the command line, the two versions in turn; the ratio is the median of the pair "
        "ratios (this ÷ before).",
        "",
        "| Job | Scale | Before | This version | This ÷ before | Peak memory before | Now |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for line in lines:
        if not line.before:
            out.append(f"| {line.job} | {line.scale:g} | | {line.after:.2f} s | | | |")
            continue
        out.append(
            f"| {line.job} | {line.scale:g} | {line.before * 1000:.0f} ms | "
            f"{line.after * 1000:.0f} ms | {line.ratio:.2f}× | {line.before_mb:.0f} MB | "
            f"{line.after_mb:.0f} MB |"
        )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.25, 1.0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lscb-attendance-bench-") as folder:
        work = Path(folder)
        baseline = work / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(baseline), BASELINE],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            lines = []
            for scale in args.scales:
                lines += measure(scale, args.runs, work, baseline)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, check=False
            )
    text = table(lines, args.runs)
    print(text)
    if args.out:
        existing = args.out.read_text("utf-8") if args.out.exists() else ""
        if HEADING in existing:  # replace the section, keep any after it
            start = existing.index(HEADING)
            after = existing.find("\n## ", start + len(HEADING))
            rest = existing[after + 1 :] if after >= 0 else ""
            existing = existing[:start].rstrip() + "\n\n" + rest
        args.out.write_text(existing.rstrip() + "\n\n" + text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
