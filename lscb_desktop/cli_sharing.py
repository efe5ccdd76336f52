"""The command line's sharing commands: ``copy`` (a file to a server and back), and ``backup``
of a server database (written as a file copy)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    copy = commands.add_parser(
        "copy", parents=[common], help="copy every record from --db to TARGET (a file or a server)"
    )
    copy.add_argument("target", metavar="TARGET")


def cmd_copy(args: argparse.Namespace) -> int:
    raise NotImplementedError
