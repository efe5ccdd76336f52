"""The log file: details of what went wrong (SQL text, tracebacks, a server's own words) go here,
never in front of the user. The window and the command line both write to it. No Qt here."""

from __future__ import annotations

import logging
from pathlib import Path

from lscb_desktop.config import log_dir
from lscb_desktop.services.privacy import create_private_file, make_private_folder


def log_file() -> Path:
    return log_dir() / "lscb-desktop.log"


def setup_logging() -> logging.Handler:
    """Sends the program's log to the log file (readable by the user alone); returns the handler,
    which :func:`stop_logging` removes again."""
    make_private_folder(log_dir())
    create_private_file(log_file())  # the log names records: the user's alone, like the rest
    handler = logging.FileHandler(log_file(), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def stop_logging(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()
