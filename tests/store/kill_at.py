"""Runs the command line and kills itself (SIGKILL) just before its Nth SQL statement.

    python kill_at.py N ARGS...     N = 0 runs to the end and prints the number of statements

The tests use it to stop the program at chosen points as a power cut or Task Manager would,
deterministically and without timing.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def main() -> int:
    kill_at = int(sys.argv[1])
    seen = 0

    @event.listens_for(Engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        nonlocal seen
        seen += 1
        if seen == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    from lscb_desktop.cli import main as cli_main

    code = cli_main(sys.argv[2:])
    if kill_at == 0:
        print(f"statements: {seen}")
    return code


if __name__ == "__main__":
    sys.exit(main())
