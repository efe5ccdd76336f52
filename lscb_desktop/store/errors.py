"""The store's errors, written for the user (no SQL text, no traceback). No Qt here.

:func:`explain` turns what a database server (or SQLite) reports into plain words that name the
server and the database, never the password and never the statement: the error dialog and the
command line show those words, and the details go to the log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.engine import URL
from sqlalchemy.exc import StatementError

#: The attribute :func:`note_where` sets on an error: which database it came from.
_WHERE = "lscb_where"

#: PostgreSQL's default port, named when a URL gives none.
DEFAULT_PORT = 5432


#: Query parameters of a URL that carry a secret (libpq takes the password there too).
SECRET_PARAMETERS = ("password", "sslpassword")


def shown_url(url: URL) -> str:
    """A URL as it may be shown or logged: a password in ``user:password@`` becomes ***, and one
    given as a parameter (``?password=…``) is left out altogether."""
    secrets = [key for key in url.query if key.lower() in SECRET_PARAMETERS]
    if secrets:
        url = url.difference_update_query(secrets)
    return url.render_as_string(hide_password=True)


class DatabaseError(Exception):
    """A database that cannot be opened or used; the message is written for the user."""


@dataclass(frozen=True)
class Where:
    """The database an error came from, as the user may be told it (no password)."""

    host: str = ""
    port: int | None = None
    database: str = ""
    user: str = ""
    file: str = ""

    @property
    def server(self) -> str:
        """``db.council.local (port 5432)``."""
        port = self.port or DEFAULT_PORT
        return f"{self.host or 'localhost'} (port {port})"

    @property
    def database_words(self) -> str:
        """``the database lscb on db.council.local (port 5432)``, or a file's name."""
        if self.file:
            return self.file
        if not (self.database or self.host):
            return "the database"
        return f"the database {self.database or '(unnamed)'} on {self.server}"


def where_of(url: URL) -> Where:
    """What may be said about a database URL: host, port, database and user, or the file."""
    if url.get_backend_name() == "sqlite":
        name = url.database or ""
        return Where(file=name.replace("\\", "/").rsplit("/", 1)[-1] or "the database in memory")
    return Where(url.host or "", url.port, url.database or "", url.username or "")


def note_where(error: BaseException | None, url: URL) -> None:
    """Records on ``error`` which database it came from (for :func:`explain`)."""
    if error is not None:
        try:
            setattr(error, _WHERE, where_of(url))
        except AttributeError:  # an exception type with __slots__: explained without it
            return


def _chain(exc: BaseException) -> list[BaseException]:
    """The error, what it wraps (SQLAlchemy's ``orig``) and what caused it, each once."""
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop(0)
        if current is None or any(current is s for s in seen) or len(seen) > 10:
            continue
        seen.append(current)
        orig = getattr(current, "orig", None)
        pending += [orig if isinstance(orig, BaseException) else None]
        pending += [current.__cause__, current.__context__]
    return seen


def _found_where(chain: list[BaseException], text: str) -> Where:
    for error in chain:
        where = getattr(error, _WHERE, None)
        if isinstance(where, Where):
            return where
    at = re.search(r'connection to server at "([^"]+)"(?:[^,]*), port (\d+)', text)
    if at:
        return Where(host=at[1], port=int(at[2]))
    on = re.search(r'connection to server on socket "([^"]+)"', text)
    return Where(host=on[1]) if on else Where()


def _sqlstate(chain: list[BaseException]) -> str:
    for error in chain:
        state = getattr(error, "sqlstate", None)
        if isinstance(state, str) and state:
            return state
    return ""


def _quoted(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    return found[1] if found else ""


def explain(exc: BaseException) -> str | None:
    """Plain words for a database error, naming the server and database (never the password,
    never SQL); None for an error this does not recognise (the caller says something general).
    Our own :class:`DatabaseError` is already in words and is returned as it is."""
    if isinstance(exc, DatabaseError):
        return str(exc)
    chain = _chain(exc)
    # SQLAlchemy's own errors quote the statement: only the driver's words are read.
    text = "\n".join(str(error) for error in chain if not isinstance(error, StatementError))
    lowered = text.lower()
    state = _sqlstate(chain)
    for states, pattern, words in RULES:
        if state in states or re.search(pattern, lowered):
            where = _found_where(chain, text)
            user = where.user or _quoted(r'for user "([^"]+)"', text)
            database = where.database or _quoted(r'database "([^"]+)" does not exist', text)
            place = where.database_words
            return words.format(
                server=where.server,
                host=where.host or _quoted(r"resolve host '([^']+)'", text) or where.server,
                user=user or "(unknown)",
                as_user=f" {user}" if user else "",
                database=database or "(unnamed)",
                where=place,
                Where=place[:1].upper() + place[1:],
                file=where.file or "the database file",
                File=where.file or "The database file",
            )
    return None


_CHECK = "Check the host name and port, or ask your IT team."

#: (SQLSTATEs, a pattern in the driver's lower-cased message, the words), the first that fits.
RULES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    # -- reaching the server and logging in
    (
        (),
        r"connection refused",
        "Cannot reach the database server {server}: it refused the connection. The server may "
        f"be stopped, or the host name or port may be wrong. {_CHECK}",
    ),
    (
        (),
        r"failed to resolve host|could not translate host name",
        "Cannot find the database server {host}: this computer does not know that name. " + _CHECK,
    ),
    (
        (),
        r"timeout expired|timed out|no route to host|network is unreachable",
        "The database server {server} did not answer. The network (or the VPN) may be down, or "
        f"a firewall may be in the way. {_CHECK}",
    ),
    (
        ("28P01",),
        r"password authentication failed",
        "The database server {server} did not accept the user name{as_user} and password. Check "
        "them, or ask your IT team to reset the password.",
    ),
    (
        (),
        r"no password supplied",
        "The database server {server} asks for a password and none was given. Enter it when "
        "connecting, or set it up as your IT team advises (a PGPASSFILE).",
    ),
    (
        ("28000",),
        r"pg_hba\.conf",
        "The database server {server} does not let this computer or the user {user} into the "
        "database {database}. Ask your IT team to allow it (the server's access rules, "
        "pg_hba.conf).",
    ),
    (
        ("3D000",),
        r'database "[^"]*" does not exist',
        "There is no database called {database} on the server {server}. Check its name, or ask "
        "your IT team to create it.",
    ),
    (
        (),
        r"does not support ssl|ssl was required|ssl is not enabled|sslmode",
        "The database server {server} and this program do not agree on an encrypted (SSL) "
        "connection. Check the SSL setting, or ask your IT team which one to use.",
    ),
    (
        ("53300",),
        r"too many (connections|clients)",
        "The database server {server} has no room for another connection just now. Try again in "
        "a few minutes, or ask your IT team to raise its limit.",
    ),
    (
        ("57P03",),
        r"the database system is (starting up|shutting down)",
        "The database server {server} is starting up or shutting down. Try again in a moment.",
    ),
    # -- once connected
    (
        ("57P01", "57P02"),
        r"terminating connection|server closed the connection|the connection is (closed|lost)"
        r"|connection already closed|consuming input failed|ssl syscall error"
        r"|connection reset by peer",
        "The connection to {where} was lost (the server may have been restarted, or the "
        "network dropped). What you were doing may not have been saved: check, and try again; "
        "the program reconnects by itself once the server is back.",
    ),
    (
        ("42501",),
        r"permission denied|must be owner of",
        "The user{as_user} is not allowed to do this in {where} (permission denied). Ask your "
        "IT team to give the user the rights listed in the guide's page Sharing the database.",
    ),
    (
        ("23505",),
        r"duplicate key value|unique constraint",
        "This could not be saved: the same record was saved a moment ago, perhaps by someone "
        "else. Refresh (F5) to see it, then try again if need be.",
    ),
    (
        ("40001", "40P01"),
        r"could not serialize|deadlock",
        "Someone else was saving the same records at the same moment, so nothing was saved. "
        "Try again.",
    ),
    (
        ("53100",),
        r"no space left on device|could not extend file",
        "The server of {where} has run out of disk space; nothing was saved. Tell your IT team.",
    ),
    (
        ("22001",),
        r"value too long",
        "A value is longer than {where} can hold; nothing was saved.",
    ),
    (
        (),
        r"cannot contain nul|nul \(0x00\)",
        "A text holds a character (NUL, code 0) that {where} cannot store; nothing was saved.",
    ),
    (
        ("25006",),
        r"read-only transaction",
        "{Where} is read-only just now; nothing was saved.",
    ),
    # -- a database file (damage has its own words: database.damaged)
    (
        (),
        r"database (table )?is locked",
        "Another program was writing to {file} and did not finish in time, so nothing was "
        "saved. Try again.",
    ),
    (
        (),
        r"read-?only database",
        "{File} cannot be written to (the file or its folder is read-only).",
    ),
    (
        (),
        r"unable to open database file",
        "{File} cannot be opened: the file or its folder cannot be reached.",
    ),
    (
        (),
        r"disk i/o error|database or disk is full",
        "{File} cannot be written: the disk is full or cannot be reached.",
    ),
)
