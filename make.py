#!/usr/bin/env python3
"""Every build chore behind one script.

    python3 make.py run        set up .venv, make the sample database if missing, open the program
    python3 make.py test       set up .venv, lint, type-check and run the tests offscreen, on
                               SQLite files and then on a throwaway PostgreSQL server
    python3 make.py lint       ruff and mypy only
    python3 make.py installer  build the Windows folder with PyInstaller (see installer/README.md)
    python3 make.py migration "what changed"
                               write a new Alembic migration from the change to the models

Only the standard library is used here, so it runs on a fresh machine with nothing but Python 3.11+.
Setting up is skipped when pyproject.toml has not changed since the last time.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import venv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".setup-stamp"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def setup() -> Path:
    """Create .venv and install the project with its dev extras, unless already done."""
    python = venv_python()
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if python.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return python
    if not python.exists():
        print("make.py: creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    print("make.py: installing lscb-desktop and its dependencies into .venv", flush=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-e",
            f"{ROOT}[dev,postgres]",
        ],
        check=True,
    )
    STAMP.write_text(wanted)
    return python


def run(python: Path, *args: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run([str(python), *args], cwd=ROOT, env=env, check=False).returncode


def cmd_run(extra: list[str]) -> int:
    python = setup()
    code = "from lscb_desktop.config import sample_database_path; print(sample_database_path())"
    sample = subprocess.run(
        [str(python), "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()
    if not Path(sample).exists():
        print(f"make.py: creating the sample database at {sample}", flush=True)
        if run(python, "-m", "lscb_desktop", "demo", "--db", sample) != 0:
            return 1
    return run(python, "-m", "lscb_desktop", "--db", sample, *extra)


def cmd_lint(python: Path) -> int:
    paths = ["lscb_desktop", "tests", "benchmarks", "make.py"]
    if run(python, "-m", "ruff", "check", *paths) != 0:
        return 1
    if run(python, "-m", "ruff", "format", "--check", "--quiet", *paths) != 0:
        print(f"make.py: run `.venv/bin/ruff format {' '.join(paths)}`", file=sys.stderr)
        return 1
    return run(python, "-m", "mypy")


# -- a throwaway PostgreSQL server for the tests -------------------------------------------------
#
# The suite runs twice: on SQLite files, then with LSCB_TEST_DATABASE_URL naming a database on a
# PostgreSQL server started here in a temporary folder (and removed afterwards). The server comes
# from Debian's `postgresql` package, installed here when we run as root and it is missing.

PG_REQUIRED_ENV = "LSCB_REQUIRE_POSTGRES"
PG_USER = "lscb_test"


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _install_postgres() -> None:
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    print("make.py: installing PostgreSQL (Debian's postgresql package) for the tests", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "postgresql"]):
        subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL)


WRITER = Path("/usr/lib/libreoffice/program/libswlo.so")


def _libreoffice_writer() -> None:
    """A test opens the draft minutes in LibreOffice Writer: it is installed when missing
    (Debian's libreoffice-writer-nogui), and when it cannot be, the skip is said here."""
    if os.name != "posix" or WRITER.exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("make.py: installing LibreOffice Writer (libreoffice-writer-nogui)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "update", "-q"],
            ["apt-get", "install", "-y", "-q", "libreoffice-writer-nogui"],
        ):
            subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL)
    if not WRITER.exists():
        print(
            "make.py: no LibreOffice Writer here (Debian: apt-get install "
            "libreoffice-writer-nogui), so the test that opens the draft minutes in it is skipped",
            file=sys.stderr,
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def postgres_server() -> Iterator[dict[str, str] | None]:
    """A PostgreSQL server for the length of the block: the environment that points the tests at
    it, or None (having said why) when there is no server to be had on this machine."""
    bindir = _pg_bin()
    if bindir is None:
        _install_postgres()
        bindir = _pg_bin()
    if bindir is None:
        print(
            "make.py: no PostgreSQL server here (Debian: apt-get install postgresql), so the tests "
            "ran on SQLite only",
            file=sys.stderr,
        )
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="lscb-test-postgres-"))
    as_user: list[str] = []
    if os.name == "posix" and os.geteuid() == 0:  # the server refuses to run as root
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    password = secrets.token_hex(12)
    (folder / "pw").write_text(password)
    if as_user:
        shutil.chown(folder / "pw", "postgres")
    data, port = folder / "data", _free_port()
    try:
        subprocess.run(
            [
                *as_user,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                PG_USER,
                "-E",
                "UTF8",
                "--locale=C",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                f"--pwfile={folder / 'pw'}",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        pg_ctl = [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-w"]
        subprocess.run(
            [*pg_ctl, "-o", options, "-l", str(folder / "server.log"), "start"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"make.py: the PostgreSQL test server did not start: {exc}", file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
        yield None
        return
    url = f"postgresql+psycopg://{PG_USER}:{password}@127.0.0.1:{port}/postgres"
    try:
        yield {
            "LSCB_TEST_DATABASE_URL": url,
            "LSCB_TEST_PG_RESTART": json.dumps(
                [*pg_ctl, "-l", str(folder / "server.log"), "-m", "fast", "restart"]
            ),
        }
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def cmd_test(extra: list[str]) -> int:
    python = setup()
    if cmd_lint(python) != 0:
        print("make.py: lint failed", file=sys.stderr)
        return 1
    _libreoffice_writer()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("LSCB_TEST_DATABASE_URL", None)
    print("make.py: the tests on SQLite files", flush=True)
    if run(python, "-m", "pytest", *extra, env=env) != 0:
        return 1
    with postgres_server() as server_env:
        if server_env is None:
            return 1 if os.environ.get(PG_REQUIRED_ENV) else 0
        print("make.py: the same tests on a PostgreSQL server", flush=True)
        return run(python, "-m", "pytest", *extra, env={**env, **server_env})


def cmd_installer() -> int:
    python = setup()
    if run(python, "-m", "pip", "install", "--quiet", "pyinstaller>=6") != 0:
        return 1
    return run(python, "-m", "PyInstaller", "--noconfirm", "installer/lscb_desktop.spec")


MIGRATION_SCRIPT = """
import sys, tempfile
from pathlib import Path
from alembic import command
from lscb_desktop.store import open_database
from lscb_desktop.store.database import alembic_config
with tempfile.TemporaryDirectory() as folder:
    database = open_database(Path(folder) / "head.sqlite")
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=sys.argv[1], autogenerate=True)
    database.dispose()
"""


def cmd_migration(extra: list[str]) -> int:
    if len(extra) != 1:
        print('usage: python3 make.py migration "what changed"', file=sys.stderr)
        return 2
    python = setup()
    if run(python, "-c", MIGRATION_SCRIPT, extra[0]) != 0:
        return 1
    print(
        "make.py: review the new file in lscb_desktop/store/migrations/versions/, set "
        "SCHEMA_HEAD in lscb_desktop/store/database.py to its revision, "
        "and add an old-version fixture test for it"
    )
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "lint", "installer", "migration"}:
        print(__doc__)
        return 2
    command, extra = argv[0], argv[1:]
    if command == "run":
        return cmd_run(extra)
    if command == "test":
        return cmd_test(extra)
    if command == "lint":
        return cmd_lint(setup())
    if command == "migration":
        return cmd_migration(extra)
    return cmd_installer()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
