"""LSCB Desktop: records, meetings and reports for a Safeguarding Children Board."""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "LSCB Desktop"
