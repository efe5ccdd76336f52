"""A shared database's connection settings, and its password kept in the credential store only."""

from __future__ import annotations

import pytest
from keyring.backends import fail
from sqlalchemy.engine import make_url

from lscb_desktop.services import connections
from lscb_desktop.services.connections import KEYRING_SERVICE, ServerConnection
from tests import server
from tests.memory_keyring import MemoryKeyring, installed

SERVER = ServerConnection(host="db.council.local", database="lscb", user="clerk")


@pytest.fixture
def store():
    with installed(MemoryKeyring()) as memory:
        yield memory


@pytest.fixture
def no_store():
    with installed(fail.Keyring()):
        yield


def test_the_url_and_the_label_leave_the_password_out():
    assert SERVER.url() == "postgresql+psycopg://clerk@db.council.local:5432/lscb?sslmode=prefer"
    assert SERVER.label == "lscb on db.council.local (shared)"
    with_password = make_url(SERVER.url("s3cret/:@"))
    assert with_password.password == "s3cret/:@"
    assert ServerConnection.from_url(with_password) == SERVER  # the password is dropped
    other_port = ServerConnection("db", "lscb", "clerk", port=6543, sslmode="require")
    assert other_port.label == "lscb on db:6543 (shared)"
    assert ServerConnection.from_url(other_port.url()) == other_port


def test_a_password_is_kept_in_the_store_under_the_connection_and_used_to_connect(store):
    assert connections.password_store_available()
    assert connections.stored_password(SERVER) is None
    assert make_url(connections.connection_url(SERVER)).password is None  # libpq's own apply
    assert connections.save_password(SERVER, "s3cret")
    assert store.passwords == {(KEYRING_SERVICE, "clerk@db.council.local:5432/lscb"): "s3cret"}
    assert make_url(connections.connection_url(SERVER)).password == "s3cret"
    assert make_url(connections.connection_url(SERVER, "typed")).password == "typed"
    connections.forget_password(SERVER)
    connections.forget_password(SERVER)  # nothing to forget: no error
    assert store.passwords == {}


def test_without_a_credential_store_nothing_is_remembered_and_nothing_fails(no_store, caplog):
    assert not connections.password_store_available()
    assert not connections.save_password(SERVER, "s3cret")
    assert connections.stored_password(SERVER) is None
    connections.forget_password(SERVER)
    assert make_url(connections.connection_url(SERVER)).password is None
    assert "s3cret" not in caplog.text


@pytest.mark.server_only
def test_checking_a_connection_says_in_words_what_happened(store):
    url = server.server_url()
    assert url is not None
    reachable = ServerConnection(
        host=url.host or "", port=url.port or 5432, database=url.database or "", user=url.username
    )
    check = connections.check_connection(reachable, url.password)
    assert check.ok
    assert check.message.startswith(f"Connected to {url.database} on {url.host}")
    wrong = connections.check_connection(reachable, "not the password")
    assert not wrong.ok
    assert wrong.password_problem
    assert "did not accept the user name" in wrong.message
    assert "not the password" not in wrong.message
    missing = connections.check_connection(
        ServerConnection(reachable.host, "no_such_database", reachable.user, reachable.port),
        url.password,
    )
    assert not missing.ok
    assert "There is no database called no_such_database" in missing.message
