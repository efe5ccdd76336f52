"""Re-exported from :mod:`lscb_desktop.periods`, which the reports share with the services."""

from __future__ import annotations

from lscb_desktop.periods import (
    Period,
    parse_period,
    period_containing,
    period_starting,
)

__all__ = [
    "Period",
    "parse_period",
    "period_containing",
    "period_starting",
]
