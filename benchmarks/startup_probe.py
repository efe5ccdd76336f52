"""Started as a separate process by ``run.py``: shows a window, then quits.

    python benchmarks/startup_probe.py app DB      the program's window, first tab filled
    python benchmarks/startup_probe.py bare        a bare PySide6 window with an empty tab widget
    python benchmarks/startup_probe.py bare-memory the same; prints its peak RSS
    python benchmarks/startup_probe.py memory DB   the program, every tab opened; prints peak RSS

The parent measures the wall-clock time from starting this process to its exit.
"""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def peak_kilobytes() -> int:
    """This process's peak resident memory. On Linux, VmHWM: ru_maxrss would include the memory
    of the parent this process was forked from (the benchmark runner), which is not ours."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def bare(memory: bool) -> int:
    from PySide6.QtCore import QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget  # noqa: PLC0415

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTabWidget())
    window.resize(1280, 760)
    window.show()
    if memory:
        app.processEvents()
        print(peak_kilobytes())
    QTimer.singleShot(0, app.quit)
    return app.exec()


def program(db: str, every_tab: bool) -> int:
    from PySide6.QtCore import QTimer  # noqa: PLC0415

    from lscb_desktop.store import open_database  # noqa: PLC0415
    from lscb_desktop.ui.app import create_app  # noqa: PLC0415
    from lscb_desktop.ui.main_window import MainWindow  # noqa: PLC0415

    app = create_app()
    window = MainWindow(open_database(db))
    window.show()
    if every_tab:
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            app.processEvents()
        print(peak_kilobytes())  # kilobytes
    QTimer.singleShot(0, app.quit)
    return app.exec()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode.startswith("bare"):
        sys.exit(bare(memory=mode == "bare-memory"))
    sys.exit(program(sys.argv[2], every_tab=mode == "memory"))
