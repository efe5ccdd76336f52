"""The Qt binding itself: a long session emits many thousands of signals."""

from __future__ import annotations

import os
import subprocess
import sys

EMITS = """
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Source(QObject):
    progressed = Signal(int, str)
    changed = Signal()

app = QCoreApplication([])
source = Source()
seen = []
source.progressed.connect(lambda percent, text: seen.append(percent))
source.changed.connect(lambda: None)
for number in range(20_000):
    source.progressed.emit(number % 101, "step")
    source.changed.emit()
print(len(seen))
"""


def test_twenty_thousand_signals_do_not_end_the_program():
    """PySide6 6.12.0 lost a reference to True on every emit; Python 3.11 aborted after a few
    hundred ("bool_dealloc"), so a long day's work in the window would have ended in a crash."""
    done = subprocess.run(
        [sys.executable, "-c", EMITS],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "20000"
