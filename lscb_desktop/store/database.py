"""Opening a database: the URL, SQLite's pragmas, migrations (after a copy), short sessions."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from lscb_desktop.config import default_database_path
from lscb_desktop.store import changelog

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")

#: The newest migration. Opening a database already at it skips loading Alembic (a third of a
#: second at start-up); a test checks it against the migrations, so a new one must update it.
SCHEMA_HEAD = "0002"


class DatabaseError(Exception):
    """A database that cannot be opened; the message is written for the user."""


def database_url(target: str | Path | None) -> str:
    """A SQLAlchemy URL for a path, a URL, or the default database when None."""
    if target is None:
        target = default_database_path()
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def alembic_config() -> Config:
    from alembic.config import Config  # noqa: PLC0415 - Alembic loads only to migrate

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


class Database:
    """An open database: the engine and a factory of short sessions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)
        changelog.install(self._factory)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def path(self) -> Path | None:
        """The file behind a SQLite database; None for a server database or :memory:."""
        if self.engine.url.get_backend_name() != "sqlite":
            return None
        name = self.engine.url.database
        if not name or name == ":memory:":
            return None
        return Path(name)

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else self.url

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed when the block ends normally and rolled back otherwise."""
        session = self._factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def current_revision(self) -> str | None:
        return _stored_revision(self)[0]

    def backup_to(self, target: Path) -> Path:
        """A consistent copy of a SQLite database (safe while it is open, WAL included)."""
        source = self.path
        if source is None:
            raise DatabaseError(
                "Backup copies SQLite files only; back up a server database with its own tools."
            )
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
        partial.replace(target)
        return target

    def dispose(self) -> None:
        self.engine.dispose()


def _stored_revision(database: Database) -> tuple[str | None, set[str]]:
    with database.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" not in tables:
            return None, tables
        rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    return (str(rows[0][0]) if len(rows) == 1 else None), tables


def _migrate(database: Database) -> None:
    current, tables = _stored_revision(database)
    if current == SCHEMA_HEAD:
        return
    from alembic import command  # noqa: PLC0415 - only when there is something to do
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    if current == head:
        return
    if current is None and tables - {"alembic_version"}:
        raise DatabaseError(
            "This file holds a database, but not one written by LSCB Desktop "
            f"(it has tables such as {', '.join(sorted(tables)[:3])}). Nothing was changed."
        )
    if current is not None:
        try:
            script.get_revision(current)
        except Exception as exc:
            raise DatabaseError(
                f"This database was written by a newer version of LSCB Desktop (schema {current}); "
                "this version cannot open it safely. Install the newer version. "
                "The file has not been changed."
            ) from exc
        if database.path is not None:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            copy = database.path.with_name(f"{database.path.stem}.before-upgrade-{stamp}.sqlite")
            database.backup_to(copy)
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_database(
    target: str | Path | None = None, *, create: bool = True, migrate: bool = True
) -> Database:
    """Open (and, for a new file, create) a database, bringing its schema up to date."""
    url = make_url(database_url(target))
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(url.database or "")
        if not path.exists():
            if not create:
                raise DatabaseError(f"There is no database at {path}.")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"Cannot create the folder {path.parent}: {exc}") from exc
        elif path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file.")
    engine = create_engine(url)
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    database = Database(engine)
    try:
        if migrate:
            _migrate(database)
        if url.get_backend_name() == "sqlite":
            # WAL is a property of the file: set it once the file is known to be ours, so that
            # a database we refuse is left byte for byte as it was.
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    except SADatabaseError as exc:
        engine.dispose()
        reason = str(exc.orig) if exc.orig else str(exc)
        raise DatabaseError(f"Cannot open {database.display_name}: {reason}.") from exc
    except Exception:
        engine.dispose()
        raise
    return database
