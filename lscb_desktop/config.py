"""Where the program keeps its files.

Every directory comes from platformdirs; setting ``LSCB_DESKTOP_HOME`` puts them all under one
folder instead (the tests do this so that no test touches the real user folders).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_DIR_NAME = "LSCB Desktop"
APP_AUTHOR = "LSCB"
HOME_ENV = "LSCB_DESKTOP_HOME"


def _base(kind: str) -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override) / kind
    if kind == "data":
        return Path(platformdirs.user_data_dir(APP_DIR_NAME, APP_AUTHOR))
    if kind == "config":
        return Path(platformdirs.user_config_dir(APP_DIR_NAME, APP_AUTHOR))
    return Path(platformdirs.user_log_dir(APP_DIR_NAME, APP_AUTHOR))


def data_dir() -> Path:
    return _base("data")


def config_dir() -> Path:
    return _base("config")


def log_dir() -> Path:
    return _base("logs")


def temp_root() -> Path:
    """Where the program's private temporary folders live, one per running program."""
    return data_dir() / "tmp"


def program_dirs() -> list[Path]:
    """The folders that are the program's own (kept private to the user on POSIX)."""
    return [data_dir(), config_dir(), log_dir()]


def default_database_path() -> Path:
    """The database opened when no ``--db`` is given."""
    return data_dir() / "lscb.sqlite"


def sample_database_path() -> Path:
    """The sample (Luton) database the quick start opens."""
    return data_dir() / "sample.sqlite"


def resources_dir() -> Path:
    """The ``resources/`` folder shipped beside the package (fonts, icons).

    In a checkout (and an editable install) it is the repository's own folder; in the program
    built by PyInstaller it is unpacked beside the executable's files.
    """
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled:
        return Path(bundled) / "resources"
    return Path(__file__).resolve().parents[1] / "resources"
