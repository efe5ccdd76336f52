"""The main jobs on a PostgreSQL server beside the same records in a SQLite file, in one run.

    python benchmarks/server.py --server postgresql+psycopg://user:pw@host:5432/postgres
    python benchmarks/server.py --server URL --scales 0.25 1 --runs 5

For each scale the large database (made by make_large_db.py, kept in --data) is copied to a new
database on the server with ``lscb-desktop copy``'s own function, then every job runs on the file
and on the server in turn, pair after pair, through the program's real entry points (the start-up
in a process of its own, the tabs and the search keystroke in a real window, the pack and the
annual workbook through the services the window calls). Each line reports the median time on
either side and the median of the pair ratios (server / file), and the peak memory of a window
with every tab opened. The server database is dropped afterwards. Appends its table to
benchmarks/results.md under "Shared database (PostgreSQL) beside SQLite" unless --out says
otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import run as bench  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

HEADING = "## Shared database (PostgreSQL) beside SQLite"


@dataclass
class Pair:
    job: str
    scale: float
    file: float
    server: float
    ratio: float
    unit: str = "ms"


def pairs(job: Callable[[str], object], targets: tuple[str, str], runs: int) -> tuple:
    """Runs ``job`` on the file then the server, ``runs`` times after a warm-up of each:
    (median file seconds, median server seconds, median of the pair ratios)."""
    for target in targets:
        job(target)
    file_times, server_times, ratios = [], [], []
    for _ in range(runs):
        timed = []
        for target in targets:
            started = time.perf_counter()
            job(target)
            timed.append(time.perf_counter() - started)
        file_times.append(timed[0])
        server_times.append(timed[1])
        ratios.append(timed[1] / timed[0])
    return statistics.median(file_times), statistics.median(server_times), statistics.median(ratios)


def on_server(admin_url: str, name: str, source: Path) -> str:
    """A copy of ``source`` in a new database ``name`` on the server: its URL."""
    from lscb_desktop.store import open_database  # noqa: PLC0415
    from lscb_desktop.store.copying import copy_database  # noqa: PLC0415

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    database = open_database(source)
    try:
        copy_database(database, url)
    finally:
        database.dispose()
    return url


def drop(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def window_pairs(targets: tuple[str, str], runs: int, scale: float) -> list[Pair]:
    """Opening each tab the first time, and one search keystroke, in a real window."""
    from PySide6.QtCore import Qt  # noqa: PLC0415
    from PySide6.QtTest import QTest  # noqa: PLC0415

    from lscb_desktop.store import open_database  # noqa: PLC0415
    from lscb_desktop.ui.app import create_app  # noqa: PLC0415
    from lscb_desktop.ui.main_window import MainWindow  # noqa: PLC0415

    app = create_app()
    timings: dict[str, list[list[float]]] = {}
    for _ in range(runs + 1):  # the first round warms up both sides
        for side, target in enumerate(targets):
            database = open_database(target)
            window = MainWindow(database)
            window.show()
            app.processEvents()
            for index in range(1, window.tabs.count()):
                name = window.tabs.tabText(index)
                started = time.perf_counter()
                window.tabs.setCurrentIndex(index)
                app.processEvents()
                elapsed = time.perf_counter() - started
                timings.setdefault(f"open the {name} tab", [[], []])[side].append(elapsed)
            window.tabs.setCurrentWidget(window.meetings_tab)
            log = window.meetings_tab.actions_page
            window.meetings_tab.inner.setCurrentIndex(1)
            log.state.setCurrentIndex(0)
            app.processEvents()
            log.search.clear()
            app.processEvents()
            started = time.perf_counter()
            QTest.keyClick(log.search, Qt.Key.Key_R)
            app.processEvents()
            stroke = time.perf_counter() - started
            timings.setdefault("one search keystroke (action log)", [[], []])[side].append(stroke)
            window.close()
            database.dispose()
    result = []
    for job, (all_file, all_server) in timings.items():
        file_times, server_times = all_file[1:], all_server[1:]
        ratios = [s / f for f, s in zip(file_times, server_times, strict=True)]
        result.append(
            Pair(
                job,
                scale,
                statistics.median(file_times) * 1000,
                statistics.median(server_times) * 1000,
                statistics.median(ratios),
            )
        )
    return result


def pack_job(target: str) -> None:
    """The agenda pack of the meeting with the most papers, read from the database and built."""
    from lscb_desktop.reports.pack import iter_pack  # noqa: PLC0415
    from lscb_desktop.services.documents import agenda_doc, pack_papers  # noqa: PLC0415
    from lscb_desktop.services.meetings import meeting_rows  # noqa: PLC0415
    from lscb_desktop.store import open_database  # noqa: PLC0415

    database = open_database(target)
    try:
        meeting = max(meeting_rows(database), key=lambda row: (row.papers, row.id))
        with tempfile.TemporaryDirectory() as folder:
            list(
                iter_pack(
                    agenda_doc(database, meeting.id),
                    pack_papers(database, meeting.id),
                    Path(folder) / "pack.pdf",
                )
            )
    finally:
        database.dispose()


def workbook_job(target: str) -> None:
    """The annual attendance workbook (2025-26), as File > Export attendance makes it."""
    from lscb_desktop.services.exports import iter_export_attendance  # noqa: PLC0415
    from lscb_desktop.services.periods import parse_period  # noqa: PLC0415
    from lscb_desktop.store import open_database  # noqa: PLC0415

    database = open_database(target)
    try:
        with tempfile.TemporaryDirectory() as folder:
            list(
                iter_export_attendance(
                    database, parse_period("2025-26"), Path(folder) / "attendance.xlsx"
                )
            )
    finally:
        database.dispose()


def measure(scale: float, source: Path, admin_url: str, runs: int, home: Path) -> list[Pair]:
    name = f"lscb_bench_{str(scale).replace('.', '_')}"
    print(f"Scale {scale:g}: copying {source.name} to the server…", flush=True)
    url = on_server(admin_url, name, source)
    targets = (str(source), url)
    found: list[Pair] = []
    try:
        up = pairs(lambda t: bench.probe("app", t, home=home), targets, runs)
        found.append(
            Pair("start-up to the first tab filled", scale, *(up[0] * 1000, up[1] * 1000, up[2]))
        )
        found.extend(window_pairs(targets, runs, scale))
        for job, fn in (
            ("the agenda pack (most papers)", pack_job),
            ("the annual attendance workbook", workbook_job),
        ):
            file_s, server_s, ratio = pairs(fn, targets, runs)
            found.append(Pair(job, scale, file_s * 1000, server_s * 1000, ratio))
        memory = [
            int(bench.probe("memory", t, home=home)[1].splitlines()[-1]) / 1024 for t in targets
        ]
        found.append(
            Pair(
                "peak memory, every tab opened",
                scale,
                memory[0],
                memory[1],
                memory[1] / memory[0],
                "MB",
            )
        )
    finally:
        drop(admin_url, name)
    for pair in found:
        print(
            f"  {pair.job:<46} {pair.file:>9.1f} {pair.server:>9.1f} {pair.unit:<3} "
            f"{pair.ratio:>5.2f}×",
            flush=True,
        )
    return found


def write(found: list[Pair], args: argparse.Namespace) -> None:
    scales = " ".join(f"{s:g}" for s in args.scales)
    lines = [
        HEADING,
        "",
        f"Made by `python benchmarks/server.py --server URL --scales {scales} --runs {args.runs}` "
        f"on {dt.date.today():%d/%m/%Y}: Python {platform.python_version()}, the PostgreSQL "
        "server on the same machine (loopback), the file on local disk. Each figure is the median "
        f"of {args.runs} pairs run one after the other (file, then server); the ratio is the "
        "median of the pair ratios (server ÷ file).",
        "",
        "| Job | Scale | SQLite file | PostgreSQL server | Server ÷ file |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for pair in found:
        lines.append(
            f"| {pair.job} | {pair.scale:g} | {pair.file:,.1f} {pair.unit} | "
            f"{pair.server:,.1f} {pair.unit} | {pair.ratio:.2f}× |"
        )
    section = "\n".join(lines) + "\n"
    existing = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    if HEADING in existing:
        before, _, after = existing.partition(HEADING)
        rest = after.split("\n## ", 1)
        existing = before + (("## " + rest[1]) if len(rest) > 1 else "")
    args.out.write_text(existing.rstrip() + "\n\n" + section, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server",
        default=os.environ.get("LSCB_TEST_DATABASE_URL"),
        help="a URL to a database on the server, with a user that may create databases",
    )
    parser.add_argument("--scales", type=float, nargs="+", default=[0.25, 1.0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    args = parser.parse_args(argv)
    if not args.server:
        parser.error("--server URL is needed (or LSCB_TEST_DATABASE_URL)")
    found: list[Pair] = []
    with tempfile.TemporaryDirectory(prefix="lscb-bench-server-") as scratch:
        home = Path(scratch) / "home"
        os.environ["LSCB_DESKTOP_HOME"] = str(home)
        for scale in args.scales:
            found.extend(
                measure(scale, bench.database_for(scale, args.data), args.server, args.runs, home)
            )
    write(found, args)
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
