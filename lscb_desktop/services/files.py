"""Re-exported from :mod:`lscb_desktop.files`, which the reports share with the services."""

from __future__ import annotations

from lscb_desktop.files import (
    OutputError,
    atomic_path,
)

__all__ = [
    "OutputError",
    "atomic_path",
]
