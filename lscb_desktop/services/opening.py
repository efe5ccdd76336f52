"""Whether this computer has a program to open a file, asked before opening it: on Linux the
desktop's own "open" (``xdg-open``) starts in the background and reports success whether or not
any program takes the file, so the window would otherwise say nothing at all.

Windows and macOS report a file no program opens themselves (the window's open fails), so this
answers "the system's" there.
"""

from __future__ import annotations

import mimetypes
import shutil
import subprocess
import sys
from pathlib import Path

#: What the system's open is asked, per platform.
_SYSTEM = "the system's"


def program_for(path: Path) -> str | None:
    """The program (its desktop entry, or "the system's") that opens ``path``; None: none."""
    if sys.platform in ("win32", "darwin"):
        return _SYSTEM
    if shutil.which("xdg-open") is None:
        return None
    kind = mimetypes.guess_type(path.name)[0]
    query = shutil.which("xdg-mime")
    if kind is None or query is None:
        return None
    try:
        found = subprocess.run(
            [query, "query", "default", kind],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    name = found.stdout.strip()
    return name or None
