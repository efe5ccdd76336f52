"""Connections to a shared (PostgreSQL) database: the settings, their URL, the password kept in
the operating system's credential store (``keyring``), and a test of the connection in words.

The password is never part of a :class:`ServerConnection`, of what Recent remembers, of the
settings or of the log: it lives in the credential store, or is typed each time when there is
none (then libpq's own ``PGPASSWORD`` and ``PGPASSFILE`` still apply). No Qt here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from lscb_desktop.store.errors import explain, note_where

log = logging.getLogger(__name__)

#: The name the passwords are kept under in the credential store.
KEYRING_SERVICE = "LSCB Desktop"
DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
#: libpq's sslmode choices offered, weakest first; "prefer" encrypts when the server can.
SSL_MODES = ("disable", "prefer", "require", "verify-full")
DEFAULT_SSLMODE = "prefer"
#: Seconds a connection test (or an open) waits for a server that does not answer.
CONNECT_TIMEOUT = 10

NO_STORE = (
    "This computer has no password store that LSCB Desktop can use, so the password is not "
    "remembered: it is asked for each time."
)


@dataclass(frozen=True)
class ServerConnection:
    """Where a shared database is and who connects to it; never the password."""

    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    sslmode: str = DEFAULT_SSLMODE

    def url(self, password: str | None = None, *, timeout: bool = False) -> str:
        """The SQLAlchemy URL; without a password unless one is given. ``timeout``: one that
        gives up on a server that does not answer (what the window opens), rather than the
        plain one Recent keeps."""
        query = {"sslmode": self.sslmode}
        if timeout:
            query["connect_timeout"] = str(CONNECT_TIMEOUT)
        return URL.create(
            DRIVER,
            username=self.user,
            password=password or None,
            host=self.host,
            port=self.port,
            database=self.database,
            query=query,
        ).render_as_string(hide_password=False)

    @property
    def label(self) -> str:
        """How Recent and the window name it: "lscb on db.council.local (shared)"."""
        where = self.host if self.port == DEFAULT_PORT else f"{self.host}:{self.port}"
        return f"{self.database} on {where} (shared)"

    @property
    def keyring_user(self) -> str:
        """The name its password is kept under in the credential store."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    @classmethod
    def from_url(cls, url: str | URL) -> ServerConnection:
        """The connection a (PostgreSQL) URL names; a password in it is left out."""
        parsed = make_url(url) if isinstance(url, str) else url
        query = dict(parsed.query)
        sslmode = query.get("sslmode", DEFAULT_SSLMODE)
        if not isinstance(sslmode, str):
            sslmode = sslmode[0] if sslmode else DEFAULT_SSLMODE
        return cls(
            host=parsed.host or "localhost",
            database=parsed.database or "",
            user=parsed.username or "",
            port=parsed.port or DEFAULT_PORT,
            sslmode=sslmode,
        )


def is_server_url(text: str) -> bool:
    """True for a PostgreSQL URL (what Recent keeps for a shared database)."""
    return text.startswith("postgresql")


# -- the credential store ----------------------------------------------------------------------


def _keyring_errors() -> tuple[type[BaseException], ...]:
    from keyring.errors import KeyringError  # noqa: PLC0415 - only when a password is wanted

    # A backend may fail with its own errors (a locked store, D-Bus gone): never fatal here.
    return (KeyringError, RuntimeError, OSError)


def password_store_available() -> bool:
    """True when the operating system has a credential store that keyring can use."""
    import keyring  # noqa: PLC0415

    try:
        backend = keyring.get_keyring()
    except _keyring_errors():
        return False
    priority = getattr(backend, "priority", 1)
    return not (isinstance(priority, int | float) and priority <= 0)


def stored_password(connection: ServerConnection) -> str | None:
    """The password remembered for the connection; None when none is (or there is no store)."""
    import keyring  # noqa: PLC0415

    try:
        found = keyring.get_password(KEYRING_SERVICE, connection.keyring_user)
    except _keyring_errors() as exc:
        log.info("No password from the credential store for %s: %s", connection.label, exc)
        return None
    return str(found) if found else None


def save_password(connection: ServerConnection, password: str) -> bool:
    """Keeps the password in the credential store; False when there is no store to keep it in."""
    import keyring  # noqa: PLC0415

    try:
        keyring.set_password(KEYRING_SERVICE, connection.keyring_user, password)
    except _keyring_errors() as exc:
        log.warning("The password for %s was not remembered: %s", connection.label, exc)
        return False
    return True


def forget_password(connection: ServerConnection) -> None:
    """Removes a remembered password (nothing happens when there is none)."""
    import keyring  # noqa: PLC0415

    try:
        if keyring.get_password(KEYRING_SERVICE, connection.keyring_user) is not None:
            keyring.delete_password(KEYRING_SERVICE, connection.keyring_user)
    except _keyring_errors() as exc:
        log.info("No password removed for %s: %s", connection.label, exc)


def connection_url(connection: ServerConnection, password: str | None = None) -> str:
    """The URL to open: with the password given, else the remembered one, else none (libpq's
    PGPASSWORD and PGPASSFILE then apply)."""
    return connection.url(password or stored_password(connection), timeout=True)


# -- trying a connection -----------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectionCheck:
    """What a test of the connection found, in words."""

    ok: bool
    message: str
    #: The server asked for a password and had none, or refused the one given.
    password_problem: bool = False


def _driver_text(error: BaseException) -> str:
    """The driver's own message behind an error (SQLAlchemy's wrapper and ours peeled off)."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return " ".join(str(e) for e in seen)


def needs_password(error: BaseException) -> bool:
    """True when a connection failed for want of the right password."""
    text = _driver_text(error)
    return "no password supplied" in text or "password authentication failed" in text


def explain_failure(error: BaseException, connection: ServerConnection) -> str:
    """What went wrong connecting, in the user's words (the driver's text goes to the log)."""
    log.info("Connecting to %s failed: %s", connection.label, _driver_text(error))
    note_where(error, make_url(connection.url()))
    return explain(error) or (
        f"Could not connect to the database {connection.database} on {connection.host}. "
        "The details are in the log file; your IT team will know what they mean."
    )


def check_connection(connection: ServerConnection, password: str | None = None) -> ConnectionCheck:
    """Tries to connect (with the password given, else the remembered one, else libpq's own) and
    says what it found: reached and what the database holds, or what went wrong."""
    engine = create_engine(connection_url(connection, password), poolclass=NullPool)
    try:
        with engine.connect() as db:
            tables = set(inspect(db).get_table_names())
    except SQLAlchemyError as exc:
        return ConnectionCheck(False, explain_failure(exc, connection), needs_password(exc))
    finally:
        engine.dispose()
    reached = f"Connected to {connection.database} on {connection.host} as {connection.user}"
    if "alembic_version" in tables:
        return ConnectionCheck(True, f"{reached}: it holds LSCB Desktop records.")
    if not tables:
        return ConnectionCheck(
            True, f"{reached}: it is empty, and LSCB Desktop will set it up when you connect."
        )
    return ConnectionCheck(
        False,
        f"{reached}, but it holds other tables, not LSCB Desktop records: "
        "choose another database (or ask for an empty one).",
    )
