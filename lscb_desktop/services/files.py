"""Writing output files safely: to a temporary name, renamed only when complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class OutputError(Exception):
    """A file that cannot be written; the message is written for the user."""


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``; it replaces ``target`` only if the block succeeds."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        raise OutputError(f"Cannot save {target.name}: the folder {folder} does not exist.")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=folder)
    except OSError as exc:
        raise OutputError(
            f"Cannot save {target.name}: the folder {folder} cannot be written to ({exc.strerror})."
        ) from exc
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        try:
            partial.replace(target)
        except PermissionError as exc:
            raise OutputError(
                f"Cannot save {target}: the file is open in another program or read-only. "
                "Close it and try again."
            ) from exc
    finally:
        partial.unlink(missing_ok=True)
