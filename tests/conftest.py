"""Every test gets its own data and settings folder; the sample is built once and copied."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from lscb_desktop.clock import TODAY_ENV
from lscb_desktop.config import HOME_ENV
from lscb_desktop.services.sample import create_sample
from lscb_desktop.store import Database, open_database

#: The sample is laid out around this day, so the tests see the same meetings every run.
SAMPLE_TODAY = dt.date(2026, 11, 23)
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv(HOME_ENV, str(home))
    # The program's today is the sample's, whatever the date the tests run on.
    monkeypatch.setenv(TODAY_ENV, SAMPLE_TODAY.isoformat())
    return home


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "sample.sqlite"
    database = open_database(path)
    create_sample(database, SAMPLE_TODAY)
    database.dispose()
    return path


@pytest.fixture
def sample_path(sample_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "sample.sqlite"
    shutil.copyfile(sample_template, path)
    return path


@pytest.fixture
def sample_db(sample_path: Path) -> Iterator[Database]:
    database = open_database(sample_path)
    yield database
    database.dispose()


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "empty.sqlite")
    yield database
    database.dispose()
