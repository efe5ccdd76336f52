"""Measures every main job on the large database against its floor, measured in the same run.

    python benchmarks/run.py                      scale 1 (builds the database if missing)
    python benchmarks/run.py --scales 1 4 16      and how the jobs grow with the history
    python benchmarks/run.py --runs 5             runs per figure (the median is reported)

Prints a table and writes it to benchmarks/results.md. Each figure is the median of several runs
after a warm-up; each baseline does the same amount of work with the bare library (a bare Qt
window, openpyxl writing the same cells, pypdf merging the same pages), so the ratios hold on any
machine even when the seconds do not.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import make_large_db  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402
from pypdf import PdfReader, PdfWriter  # noqa: E402


@dataclass
class Row:
    job: str
    value: float
    unit: str
    baseline: float | None = None
    target: str = ""
    ok: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    growth: list[tuple[str, list[tuple[float, float]]]] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        ratio = f"{row.ratio:.2f}×" if row.ratio is not None else ""
        verdict = {True: "met", False: "MISSED", None: ""}[row.ok]
        print(f"  {row.job:<58} {row.value:>10.3f} {row.unit:<5} {ratio:>7} {verdict}", flush=True)


def median_time(job: Callable[[], object], runs: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        job()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# -- start-up and memory, in a process of their own -----------------------------------------------


def probe(*args: str, home: Path) -> tuple[float, str]:
    env = dict(os.environ, LSCB_DESKTOP_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(HERE / "startup_probe.py"), *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started, done.stdout.strip()


def startup(db: Path, runs: int, home: Path) -> tuple[float, float]:
    app = median_time(lambda: probe("app", str(db), home=home), runs)
    bare = median_time(lambda: probe("bare", home=home), runs)
    return app, bare


def memory(db: Path, home: Path) -> tuple[float, float]:
    app = int(probe("memory", str(db), home=home)[1].splitlines()[-1]) / 1024
    bare = int(probe("bare-memory", home=home)[1].splitlines()[-1]) / 1024
    return app, bare


# -- the window, in this process ------------------------------------------------------------------


def window_jobs(db: Path, report: Report, runs: int) -> None:
    from PySide6.QtCore import Qt  # noqa: PLC0415
    from PySide6.QtTest import QTest  # noqa: PLC0415

    from lscb_desktop.store import open_database  # noqa: PLC0415
    from lscb_desktop.ui.app import create_app  # noqa: PLC0415
    from lscb_desktop.ui.main_window import MainWindow  # noqa: PLC0415

    app = create_app()
    database = open_database(db)
    window = MainWindow(database)
    window.show()
    app.processEvents()
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    first, again = {}, {}
    for index in range(1, window.tabs.count()):
        started = time.perf_counter()
        window.tabs.setCurrentIndex(index)
        app.processEvents()
        first[index] = time.perf_counter() - started
    for index in range(1, window.tabs.count()):
        window.tabs.setCurrentIndex(0)
        app.processEvents()
        started = time.perf_counter()
        window.tabs.setCurrentIndex(index)
        app.processEvents()
        again[index] = time.perf_counter() - started
    for index, seconds in first.items():
        report.add(
            Row(
                f"open the {names[index]} tab, first time",
                seconds * 1000,
                "ms",
                target="< 150 ms",
                ok=seconds < 0.150,
            )
        )
    slowest = max(again.values())
    report.add(
        Row(
            "switch back to a tab (slowest of them)",
            slowest * 1000,
            "ms",
            target="< 150 ms",
            ok=slowest < 0.150,
        )
    )

    # One keystroke of search-as-you-type on the largest table: the action log, every status.
    window.tabs.setCurrentWidget(window.meetings_tab)
    log = window.meetings_tab.actions_page
    window.meetings_tab.inner.setCurrentIndex(1)
    log.state.setCurrentIndex(0)
    app.processEvents()
    rows = log.model.rowCount()
    log.search.setFocus()

    def keystroke() -> None:
        log.search.clear()
        app.processEvents()
        QTest.keyClick(log.search, Qt.Key.Key_R)
        app.processEvents()

    def clear_only() -> None:
        log.search.clear()
        app.processEvents()

    stroke = median_time(keystroke, runs) - median_time(clear_only, runs)
    report.add(
        Row(
            f"one search keystroke on {rows:,} actions",
            stroke * 1000,
            "ms",
            target="< 50 ms",
            ok=stroke < 0.050,
        )
    )
    window.close()
    database.dispose()


# -- documents ------------------------------------------------------------------------------------


def cells_in(path: Path) -> int:
    """Cells written (a workbook written in write-only mode records no dimensions, so count)."""
    book = load_workbook(path, read_only=True)
    return sum(len(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))


def rows_in(path: Path) -> int:
    book = load_workbook(path, read_only=True)
    return sum(sum(1 for _ in sheet.iter_rows(min_row=2)) for sheet in book.worksheets)


def bare_openpyxl(cells: int, target: Path, columns: int = 40) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    row: list[object] = list(range(columns))
    for _ in range(cells // columns):
        sheet.append(row)
    book.save(target)


def attendance_workbook(db: Path, folder: Path, runs: int, report: Report) -> float:
    from lscb_desktop.services.exports import iter_export_attendance  # noqa: PLC0415
    from lscb_desktop.services.periods import Period, parse_period  # noqa: PLC0415
    from lscb_desktop.store import open_database  # noqa: PLC0415

    database = open_database(db)
    one = parse_period("2025-26")
    target = folder / "attendance.xlsx"
    mine = median_time(lambda: list(iter_export_attendance(database, one, target)), runs)
    cells = cells_in(target)
    bare = median_time(lambda: bare_openpyxl(cells, folder / "bare.xlsx"), runs)
    report.add(
        Row(
            f"attendance workbook, one period ({cells:,} cells)",
            mine,
            "s",
            bare,
            "< 2× openpyxl",
            mine / bare < 2,
        )
    )
    from sqlalchemy import func, select  # noqa: PLC0415

    from lscb_desktop.models import Meeting  # noqa: PLC0415

    with database.session() as session:
        first, last = session.execute(
            select(func.min(Meeting.starts_at), func.max(Meeting.starts_at))
        ).one()
    everything = Period(dt.date(first.year - 1, 4, 1), dt.date(last.year + 1, 3, 31))
    whole = median_time(
        lambda: list(iter_export_attendance(database, everything, target)), max(1, runs // 2)
    )
    cells = cells_in(target)
    bare = median_time(lambda: bare_openpyxl(cells, folder / "bare.xlsx"), max(1, runs // 2))
    report.add(
        Row(
            f"attendance workbook, every period ({cells:,} cells)",
            whole,
            "s",
            bare,
            "< 2× openpyxl",
            whole / bare < 2,
        )
    )
    database.dispose()
    return whole


def agenda_pack(db: Path, folder: Path, runs: int, report: Report) -> None:
    """A pack of about 300 pages: one meeting's agenda with papers gathered until 300 pages."""
    from lscb_desktop.reports.pack import iter_pack  # noqa: PLC0415
    from lscb_desktop.services.documents import agenda_doc, pack_papers  # noqa: PLC0415
    from lscb_desktop.services.meetings import meeting_rows  # noqa: PLC0415
    from lscb_desktop.store import open_database  # noqa: PLC0415

    database = open_database(db)
    papers = []
    pages = 0
    meeting_id = None
    for meeting in meeting_rows(database):
        if not meeting.papers:
            continue
        meeting_id = meeting_id or meeting.id
        for row, name, content in pack_papers(database, meeting.id):
            count = len(PdfReader(io.BytesIO(content)).pages)
            number = len(papers) + 1
            papers.append((dataclasses.replace(row, number=number), name, content))
            pages += count
        if pages >= 300:
            break
    assert meeting_id is not None
    doc = agenda_doc(database, meeting_id)
    doc = dataclasses.replace(doc, items=[row for row, _, _ in papers])
    target = folder / "pack.pdf"
    mine = median_time(lambda: list(iter_pack(doc, papers, target)), runs)
    total = len(PdfReader(target).pages)

    def bare() -> None:
        writer = PdfWriter()
        for _, _, content in papers:
            for page in PdfReader(io.BytesIO(content)).pages:
                writer.add_page(page)
        with (folder / "bare.pdf").open("wb") as handle:
            writer.write(handle)

    floor = median_time(bare, runs)
    report.add(
        Row(f"agenda pack of {total} pages", mine, "s", floor, "< 2× pypdf", mine / floor < 2)
    )
    database.dispose()


def meeting_documents(db: Path, folder: Path, runs: int, report: Report) -> None:
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415
    from reportlab.platypus import SimpleDocTemplate, Table  # noqa: PLC0415

    from lscb_desktop.services.exports import export_agenda, export_register  # noqa: PLC0415
    from lscb_desktop.services.meetings import meeting_rows  # noqa: PLC0415
    from lscb_desktop.store import open_database  # noqa: PLC0415

    database = open_database(db)
    meeting = next(m for m in meeting_rows(database) if m.status.value == "held")
    register = median_time(lambda: export_register(database, meeting.id, folder / "r.pdf"), runs)
    agenda = median_time(lambda: export_agenda(database, meeting.id, folder / "a.pdf"), runs)

    def bare(rows: int) -> None:
        document = SimpleDocTemplate(str(folder / "bare.pdf"), pagesize=A4)
        document.build([Table([["name", "agency", "role", "", ""]] * rows)])

    floor = median_time(lambda: bare(40), runs)
    report.add(
        Row(
            "attendance register",
            register,
            "s",
            floor,
            "",
            None,
            "baseline: a bare ReportLab table of 40 rows",
        )
    )
    report.add(Row("agenda", agenda, "s", floor, "", None, "same baseline"))
    database.dispose()


def database_workbook(
    db: Path, folder: Path, runs: int, report: Report, *, with_import: bool = True
) -> float:
    from lscb_desktop.services.workbook import export_workbook, import_workbook  # noqa: PLC0415
    from lscb_desktop.store import open_database  # noqa: PLC0415

    database = open_database(db)
    target = folder / "everything.xlsx"
    seconds = median_time(lambda: export_workbook(database, target), max(1, runs // 2))
    rows = rows_in(target)
    cells = cells_in(target)

    def bare() -> None:
        out = Workbook(write_only=True)
        sheet = out.create_sheet()
        line: list[object] = list(range(20))
        for _ in range(cells // 20):
            sheet.append(line)
        out.save(folder / "bare.xlsx")

    floor = median_time(bare, max(1, runs // 2))
    report.add(
        Row(
            f"export the whole database ({rows:,} rows)",
            rows / seconds,
            "rows/s",
            None,
            "",
            None,
            f"{seconds:.1f} s; bare openpyxl writes the cells in "
            f"{floor:.1f} s ({seconds / floor:.2f}×)",
        )
    )
    if not with_import:
        database.dispose()
        return seconds
    empty = folder / "empty.sqlite"

    def import_once() -> None:
        empty.unlink(missing_ok=True)
        fresh = open_database(empty)
        import_workbook(fresh, target)
        fresh.dispose()

    started = time.perf_counter()
    import_once()
    took = time.perf_counter() - started
    report.add(
        Row(
            f"import it into an empty database ({rows:,} rows)",
            rows / took,
            "rows/s",
            None,
            "",
            None,
            f"{took:.1f} s, one run",
        )
    )
    database.dispose()
    return seconds


# -- the whole run --------------------------------------------------------------------------


def database_for(scale: float, folder: Path) -> Path:
    target = folder / f"large-{scale:g}.sqlite"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        print(f"Building the scale {scale:g} database…", flush=True)
        make_large_db.build(target, scale)
    return target


def write_results(report: Report, scales: list[float], runs: int, path: Path) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Made by `python benchmarks/run.py --scales {' '.join(f'{s:g}' for s in scales)} "
        f"--runs {runs}` on {dt.date.today():%d/%m/%Y}: Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs. Each figure is the "
        "median of the runs after a warm-up; each baseline was measured in the same run.",
        "",
        "| Job | Time | Baseline | Ratio | Target | Met |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for row in report.rows:
        value = (
            f"{row.value:,.0f} {row.unit}"
            if row.unit in {"rows/s", "MB"}
            else (
                f"{row.value:.3f} {row.unit}" if row.unit == "s" else f"{row.value:.1f} {row.unit}"
            )
        )
        base = (
            ""
            if row.baseline is None
            else (
                f"{row.baseline:.3f} {row.unit}"
                if row.unit == "s"
                else f"{row.baseline:.1f} {row.unit}"
            )
        )
        ratio = f"{row.ratio:.2f}×" if row.ratio is not None else ""
        met = {True: "yes", False: "**no**", None: ""}[row.ok]
        note = f" ({row.note})" if row.note else ""
        lines.append(f"| {row.job}{note} | {value} | {base} | {ratio} | {row.target} | {met} |")
    if report.growth:
        lines += [
            "",
            "## Growth with the history",
            "",
            "| Job | " + " | ".join(f"scale {s:g}" for s in scales) + " |",
            "| --- |" + " ---: |" * len(scales),
        ]
        for job, points in report.growth:
            lines.append(f"| {job} | " + " | ".join(f"{v:.2f} s" for _, v in points) + " |")
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").rstrip()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def only_growth(args: argparse.Namespace) -> int:
    """Start-up, the one-period attendance workbook and the whole export at each scale."""
    from sqlalchemy import func, select  # noqa: PLC0415

    from lscb_desktop.models import Attendance  # noqa: PLC0415
    from lscb_desktop.services.exports import iter_export_attendance  # noqa: PLC0415
    from lscb_desktop.services.periods import parse_period  # noqa: PLC0415
    from lscb_desktop.services.workbook import export_workbook  # noqa: PLC0415
    from lscb_desktop.services.workbook.exporter import MAX_SHEET_ROWS  # noqa: PLC0415
    from lscb_desktop.store import open_database  # noqa: PLC0415

    lines = ["| Job | " + " | ".join(f"scale {s:g}" for s in args.scales) + " |"]
    lines.append("| --- |" + " ---: |" * len(args.scales))
    cells: dict[str, list[str]] = {
        "start-up": [],
        "attendance workbook, one period": [],
        "export the whole database": [],
    }
    with tempfile.TemporaryDirectory(prefix="lscb-growth-") as scratch:
        folder = Path(scratch)
        for scale in args.scales:
            db = database_for(scale, args.data)
            app, _ = startup(db, args.runs, folder / "home")
            cells["start-up"].append(f"{app:.2f} s")
            database = open_database(db)
            period = parse_period("2025-26")
            target = folder / "attendance.xlsx"
            seconds = median_time(
                lambda d=database, p=period, t=target: list(iter_export_attendance(d, p, t)),
                args.runs,
            )
            cells["attendance workbook, one period"].append(f"{seconds:.2f} s")
            with database.session() as session:
                attendance = session.scalar(select(func.count()).select_from(Attendance)) or 0
            if attendance >= MAX_SHEET_ROWS:
                cells["export the whole database"].append(
                    f"refused ({attendance:,} attendance rows: past Excel's sheet limit)"
                )
            else:
                took = median_time(
                    lambda d=database: export_workbook(d, folder / "all.xlsx"), 1, warmup=0
                )
                cells["export the whole database"].append(f"{took:.1f} s")
            database.dispose()
            print(f"  scale {scale:g}: " + ", ".join(v[-1] for v in cells.values()), flush=True)
    for job, values in cells.items():
        lines.append(f"| {job} | " + " | ".join(values) + " |")
    text = args.out.read_text(encoding="utf-8") if args.out.exists() else "# Benchmark results\n"
    section = (
        "## Growth with the history\n\n"
        f"Made by `python benchmarks/run.py --only-growth --scales "
        f"{' '.join(f'{s:g}' for s in args.scales)} --runs {args.runs}`.\n\n"
        + "\n".join(lines)
        + "\n"
    )
    start = text.find("## Growth with the history")
    if start < 0:
        end_marker = text.find("## Notes on the targets")
        text = (
            (text[:end_marker] + section + "\n" + text[end_marker:])
            if end_marker >= 0
            else (text.rstrip() + "\n\n" + section)
        )
    else:
        end = text.find("\n## ", start + 3)
        text = text[:start] + section + ("\n" + text[end + 1 :] if end >= 0 else "")
    args.out.write_text(text, encoding="utf-8")
    print(f"Wrote the growth section of {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument(
        "--data", type=Path, default=HERE / "data", help="where the large databases are kept"
    )
    parser.add_argument(
        "--only-growth",
        action="store_true",
        help="measure only how start-up, the annual workbook and the export grow, and replace "
        "that section of the results",
    )
    args = parser.parse_args(argv)
    if args.only_growth:
        return only_growth(args)
    report = Report()
    growth: dict[str, list[tuple[float, float]]] = {
        "start-up": [],
        "attendance workbook, every period": [],
        "export the whole database": [],
    }
    with tempfile.TemporaryDirectory(prefix="lscb-bench-") as scratch:
        folder = Path(scratch)
        home = folder / "home"
        for number, scale in enumerate(args.scales):
            db = database_for(scale, args.data)
            print(f"Scale {scale:g}: {db.name} ({db.stat().st_size / 1e6:.0f} MB)", flush=True)
            app, bare = startup(db, args.runs, home)
            growth["start-up"].append((scale, app))
            if number == 0:
                report.add(
                    Row(
                        "start-up to the first tab filled",
                        app,
                        "s",
                        bare,
                        "< 1.5× a bare Qt window",
                        app / bare < 1.5,
                    )
                )
                window_jobs(db, report, args.runs)
                used, floor = memory(db, home)
                report.add(
                    Row("peak memory, every tab opened", used, "MB", floor, "< 300 MB", used < 300)
                )
                meeting_documents(db, folder, args.runs, report)
                agenda_pack(db, folder, args.runs, report)
            growth["attendance workbook, every period"].append(
                (
                    scale,
                    attendance_workbook(
                        db,
                        folder,
                        max(1, args.runs // (1 + number)),
                        report if number == 0 else Report(),
                    ),
                )
            )
            growth["export the whole database"].append(
                (
                    scale,
                    database_workbook(
                        db,
                        folder,
                        max(1, args.runs // (1 + number)),
                        report if number == 0 else Report(),
                        with_import=number == 0,  # the import is measured once, at the first scale
                    ),
                )
            )
            shutil.rmtree(home, ignore_errors=True)
    if len(args.scales) > 1:
        report.growth = list(growth.items())
        for job, points in report.growth:
            print(f"  growth of {job}: " + ", ".join(f"{s:g}× → {v:.2f} s" for s, v in points))
    write_results(report, args.scales, args.runs, args.out)
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
