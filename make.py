#!/usr/bin/env python3
"""Every build chore behind one script.

    python3 make.py run        set up .venv, make the sample database if missing, open the program
    python3 make.py test       set up .venv, lint, type-check and run the tests offscreen
    python3 make.py lint       ruff and mypy only
    python3 make.py installer  build the Windows folder with PyInstaller (see installer/README.md)
    python3 make.py migration "what changed"
                               write a new Alembic migration from the change to the models

Only the standard library is used here, so it runs on a fresh machine with nothing but Python 3.11+.
Setting up is skipped when pyproject.toml has not changed since the last time.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
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
            f"{ROOT}[dev]",
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


def cmd_test(extra: list[str]) -> int:
    python = setup()
    if cmd_lint(python) != 0:
        print("make.py: lint failed", file=sys.stderr)
        return 1
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return run(python, "-m", "pytest", *extra, env=env)


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
