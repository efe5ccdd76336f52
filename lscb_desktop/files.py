"""Writing output files safely: to a temporary name, renamed only when complete."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from pathlib import Path

from lscb_desktop.privacy import FILE_MODE, POSIX, create_private_file, record_partial


class OutputError(Exception):
    """A file that cannot be written; the message is written for the user."""


def _new_partial(folder: Path, target: Path) -> Path:
    """A new, empty, private file beside ``target``, recorded before it exists so that a kill
    at any point leaves nothing the next start does not know about."""
    while True:
        partial = folder / f".{target.stem}-{secrets.token_hex(4)}{target.suffix}"
        record_partial(partial)
        try:
            return create_private_file(partial, exclusive=True)
        except FileExistsError:
            continue


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``; it replaces ``target`` only if the block succeeds.

    The file is the user's alone (0600 on POSIX), and so is ``target`` after the rename.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        raise OutputError(f"Cannot save {target.name}: the folder {folder} does not exist.")
    if target.is_dir():
        raise OutputError(f"Cannot save {target}: it is a folder. Choose a file name.")
    try:
        partial = _new_partial(folder, target)
    except OSError as exc:
        raise OutputError(
            f"Cannot save {target.name}: the folder {folder} cannot be written to ({exc.strerror})."
        ) from exc
    try:
        yield partial
        if POSIX:  # a writer that made the file afresh did so under our umask; be sure anyway
            partial.chmod(FILE_MODE)
        try:
            partial.replace(target)
        except PermissionError as exc:
            raise OutputError(
                f"Cannot save {target}: the file is open in another program or read-only. "
                "Close it and try again."
            ) from exc
        except OSError as exc:  # a folder of that name, a full disk: in words, without our names
            raise OutputError(f"Cannot save {target}: {exc.strerror or exc}.") from exc
    finally:
        partial.unlink(missing_ok=True)
