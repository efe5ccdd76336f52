"""Today's date, as the program sees it.

Normally the computer's date. Setting ``LSCB_DESKTOP_TODAY=2026-11-23`` fixes it, so that the
tests, the screenshots and a demonstration of the sample database see the same day whenever they
run (the sample is laid out around the day it is made).
"""

from __future__ import annotations

import datetime as dt
import os

TODAY_ENV = "LSCB_DESKTOP_TODAY"


def today() -> dt.date:
    fixed = os.environ.get(TODAY_ENV)
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            pass  # a mistyped date is ignored rather than stopping the program
    return dt.date.today()
