"""The tests' PostgreSQL server: ``LSCB_TEST_DATABASE_URL`` names it (``make.py test`` starts a
throwaway one and sets it). Every test that asks for a database gets its own, made on that
server from a template in a fraction of a second and dropped afterwards."""

from __future__ import annotations

import itertools
import os

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

__all__ = ["make_url"]

URL_ENV = "LSCB_TEST_DATABASE_URL"
#: A command (JSON list) that restarts the test server, for the restart tests.
RESTART_ENV = "LSCB_TEST_PG_RESTART"

_counter = itertools.count(1)
_admin: Engine | None = None


def server_url() -> URL | None:
    value = os.environ.get(URL_ENV)
    return make_url(value) if value else None


def on_server() -> bool:
    return server_url() is not None


def _admin_engine() -> Engine:
    global _admin  # noqa: PLW0603 - one maintenance connection pool for the whole run
    if _admin is None:
        url = server_url()
        assert url is not None
        _admin = create_engine(url, isolation_level="AUTOCOMMIT", pool_size=1)
    return _admin


def url_of(name: str) -> str:
    url = server_url()
    assert url is not None
    return url.set(database=name).render_as_string(hide_password=False)


def new_database(template: str | None = None, prefix: str = "t") -> str:
    """A new, empty (or ``template``-copied) database on the test server: its URL."""
    name = f"lscb_{prefix}_{os.getpid()}_{next(_counter)}"
    clause = f' TEMPLATE "{template}"' if template else ""
    with _admin_engine().connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    return url_of(name)


def drop_database(url: str) -> None:
    name = make_url(url).database
    with _admin_engine().connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
