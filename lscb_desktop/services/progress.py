"""Re-exported from :mod:`lscb_desktop.progress`, which the reports share with the services."""

from __future__ import annotations

from lscb_desktop.progress import (
    Progress,
)

__all__ = [
    "Progress",
]
