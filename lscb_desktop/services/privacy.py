"""Re-exported from :mod:`lscb_desktop.privacy`, which the reports share with the services."""

from __future__ import annotations

from lscb_desktop.privacy import (
    FILE_MODE,
    FOLDER_MODE,
    PARTIALS,
    POSIX,
    UMASK,
    active_temp_dir,
    create_private_file,
    end_private_session,
    make_private_folder,
    private_folder,
    private_temp_dir,
    record_partial,
    remove_leftovers,
    restrict_umask,
    start_private_session,
    tighten_database,
    tighten_tree,
    write_private_bytes,
)

__all__ = [
    "FILE_MODE",
    "FOLDER_MODE",
    "PARTIALS",
    "POSIX",
    "UMASK",
    "active_temp_dir",
    "create_private_file",
    "end_private_session",
    "make_private_folder",
    "private_folder",
    "private_temp_dir",
    "record_partial",
    "remove_leftovers",
    "restrict_umask",
    "start_private_session",
    "tighten_database",
    "tighten_tree",
    "write_private_bytes",
]
