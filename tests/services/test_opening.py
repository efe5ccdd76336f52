"""Whether this computer has a program for a file: asked of the desktop on Linux, where opening
a file no program takes fails without a word."""

from __future__ import annotations

import subprocess
from pathlib import Path

from lscb_desktop.services import opening


def test_no_program_is_found_without_a_desktop_opener(monkeypatch):
    monkeypatch.setattr(opening.sys, "platform", "linux")
    monkeypatch.setattr(opening.shutil, "which", lambda _name: None)
    assert opening.program_for(Path("paper.pdf")) is None


def test_the_desktop_default_for_the_file_type_is_asked(monkeypatch):
    monkeypatch.setattr(opening.sys, "platform", "linux")
    monkeypatch.setattr(opening.shutil, "which", lambda name: f"/usr/bin/{name}")
    asked: list[list[str]] = []

    def run(command, **_kwargs):
        asked.append(command)
        return subprocess.CompletedProcess(command, 0, stdout="", stderr="")

    monkeypatch.setattr(opening.subprocess, "run", run)
    assert opening.program_for(Path("paper.pdf")) is None
    assert asked == [["/usr/bin/xdg-mime", "query", "default", "application/pdf"]]
    monkeypatch.setattr(
        opening.subprocess,
        "run",
        lambda command, **_k: subprocess.CompletedProcess(command, 0, "evince.desktop\n", ""),
    )
    assert opening.program_for(Path("paper.pdf")) == "evince.desktop"
