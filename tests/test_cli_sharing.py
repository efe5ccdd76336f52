"""``copy`` and ``backup`` of a server database on the command line: counts printed, plain
words and a non-zero exit on failure, never a password."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from lscb_desktop.cli import main
from lscb_desktop.store import open_database
from tests import server
from tests.conftest import FIXTURES


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _people(path) -> int:
    with sqlite3.connect(path) as connection:
        count = connection.execute("SELECT count(*) FROM person").fetchone()[0]
    connection.close()
    return int(count)


def test_copy_prints_the_counts_and_the_copy_opens(capsys, sample_target, tmp_path):
    target = tmp_path / "office.sqlite"
    code, out, err = run(capsys, "--db", sample_target, "copy", str(target))
    assert code == 0, err
    assert "Copied 4," in out and "checked" in out
    assert "  attendance" in out and "949" in out and "change log" in out
    password = server.make_url(sample_target).password if "://" in sample_target else None
    assert not password or password not in out + err
    assert _people(target) == 65
    assert run(capsys, "--db", str(target), "check")[0] == 0


def test_copy_into_a_file_with_records_is_refused_in_words(capsys, sample_target, tmp_path):
    taken = tmp_path / "taken.sqlite"
    shutil.copyfile(FIXTURES / "schema-0003.sqlite", taken)
    before = taken.read_bytes()
    code, out, err = run(capsys, "--db", sample_target, "copy", str(taken))
    assert code == 1 and out == ""
    assert err.startswith("lscb-desktop: ") and "already holds records" in err
    assert "Traceback" not in err
    assert taken.read_bytes() == before


def test_an_unreachable_server_is_refused_in_words(capsys, tmp_path):
    url = "postgresql+psycopg://clerk:s3cret-Pa55@127.0.0.1:1/lscb"
    code, _, err = run(capsys, "--db", url, "copy", str(tmp_path / "copy.sqlite"))
    assert code == 1
    assert "Cannot reach the database server 127.0.0.1 (port 1)" in err
    assert "s3cret" not in err and "Traceback" not in err
    assert not (tmp_path / "copy.sqlite").exists()


@pytest.mark.server_only
def test_an_office_moves_onto_the_server(capsys, sample_path, server_url):
    code, out, err = run(capsys, "--db", str(sample_path), "copy", server_url)
    assert code == 0, err
    password = server.make_url(server_url).password
    assert password and password not in out + err
    url = server.make_url(server_url)
    assert f"to {url.database} on {url.host}:{url.port}" in out  # as the window's title names it
    database = open_database(server_url)
    try:
        assert database.current_revision() is not None
    finally:
        database.dispose()
    code, out, _ = run(capsys, "--db", server_url, "list", "people", "--json")
    assert code == 0 and out.count('"name"') == 65


@pytest.mark.server_only
def test_backup_of_a_server_database_writes_a_file_copy(capsys, sample_server_url, tmp_path):
    out_file = tmp_path / "server-backup.sqlite"
    code, out, err = run(capsys, "--db", sample_server_url, "backup", str(out_file))
    assert code == 0, err
    assert server.make_url(sample_server_url).password not in out + err
    assert _people(out_file) == 65
    code, _, _ = run(capsys, "--db", sample_server_url, "backup", str(out_file))
    assert code == 0  # a backup replaces the file it is told to write


@pytest.mark.server_only
def test_demo_on_a_server_does_not_print_the_password(capsys, server_url):
    code, out, err = run(capsys, "--db", server_url, "demo", "--today", "2026-11-23")
    assert code == 0, err
    assert "Created the sample database" in out
    assert server.make_url(server_url).password not in out + err


def _in_query(url: str) -> tuple[str, str]:
    """The URL with its password moved from ``user:password@`` into ``?password=``."""
    parsed = server.make_url(url)
    password = parsed.password or ""
    bare = server.URL.create(
        parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database
    )
    return f"{bare.render_as_string(hide_password=False)}?password={password}", password


def test_a_password_given_as_a_parameter_is_never_printed_or_logged(
    capsys, sample_path, server_url
):
    from lscb_desktop.logs import log_file

    url, password = _in_query(server_url)
    code, out, err = run(capsys, "--db", str(sample_path), "copy", url)
    assert code == 0, err
    assert password not in out + err
    refused = url.replace(":" + str(server.make_url(server_url).port), ":1")
    code, out, err = run(capsys, "--db", refused, "list", "people")
    assert code == 1 and password not in out + err
    demo_url, _ = _in_query(server.new_database())
    try:
        code, out, err = run(capsys, "--db", demo_url, "demo")
        assert code == 0 and password not in out + err
    finally:
        server.drop_database(demo_url.split("?")[0].replace("@", f":{password}@", 1))
    assert password not in log_file().read_text(encoding="utf-8")


def test_reading_a_new_empty_server_database_creates_nothing(capsys, server_url):
    from sqlalchemy import create_engine, inspect

    code, _, err = run(capsys, "--db", server_url, "list", "people")
    assert code == 1
    assert "holds no LSCB Desktop records yet" in err and "Traceback" not in err
    engine = create_engine(server_url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
