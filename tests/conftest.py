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
from tests import server

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


#: Tests about SQLite files themselves (backups of files, kills mid-write, file permissions, the
#: released files' migrations): on a server run they are skipped, the rest run on the server.
SQLITE_FILE_MODULES = (
    "tests/store/test_backups.py",
    "tests/store/test_creation.py",
    "tests/store/test_kills.py",
    "tests/store/test_migrations.py",
    "tests/test_cli_safety.py",
    "tests/test_privacy.py",
    "tests/ui/test_restore.py",
    "tests/ui/test_private_files.py",
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: about SQLite files themselves; skipped when run on a server"
    )
    config.addinivalue_line("markers", "server_only: needs the PostgreSQL test server")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_server = server.on_server()
    for item in items:
        path = item.nodeid.split("::")[0]
        if on_server and (path in SQLITE_FILE_MODULES or item.get_closest_marker("sqlite_only")):
            item.add_marker(pytest.mark.skip(reason="about SQLite files; this run is on a server"))
        if not on_server and item.get_closest_marker("server_only"):
            item.add_marker(pytest.mark.skip(reason=f"needs a PostgreSQL server: {server.URL_ENV}"))


@pytest.fixture(scope="session")
def server_template() -> Iterator[str]:
    """On a server run, the sample as a template database (its name) that tests copy."""
    url = server.new_database(prefix="template")
    database = open_database(url)
    create_sample(database, SAMPLE_TODAY)
    database.dispose()
    yield str(server.make_url(url).database)
    server.drop_database(url)


@pytest.fixture
def server_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A new, empty database on the test server (its URL, password included)."""
    if not server.on_server():
        pytest.skip(f"needs a PostgreSQL server: {server.URL_ENV}")
    url = server.new_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def sample_server_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A copy of the sample on the test server (its URL)."""
    if not server.on_server():
        pytest.skip(f"needs a PostgreSQL server: {server.URL_ENV}")
    template = request.getfixturevalue("server_template")
    url = server.new_database(template)
    yield url
    server.drop_database(url)


@pytest.fixture
def sample_target(request: pytest.FixtureRequest) -> str:
    """The sample as ``--db`` takes it: a file path, or on a server run a server database's URL."""
    if server.on_server():
        return str(request.getfixturevalue("sample_server_url"))
    return str(request.getfixturevalue("sample_path"))


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
def sample_db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """The sample, open: a copy of the file, or on a server run a copy on the server."""
    target = (
        request.getfixturevalue("sample_server_url")
        if server.on_server()
        else request.getfixturevalue("sample_path")
    )
    database = open_database(target)
    yield database
    database.dispose()


@pytest.fixture
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A new database with no records: a file, or on a server run a new server database."""
    target = (
        request.getfixturevalue("server_url") if server.on_server() else tmp_path / "empty.sqlite"
    )
    database = open_database(target)
    yield database
    database.dispose()
