"""File > Backup now… never replaces a database another program has open, a file or a shared
database alike (on a server run the window's database is the server's, copied to a file)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from tests.test_backup_targets import HELD, hold, untouched
from tests.ui.test_sharing import trigger


def test_backup_now_never_replaces_a_database_open_elsewhere(
    window, message_boxes, monkeypatch: pytest.MonkeyPatch, sample_path: Path, tmp_path: Path
) -> None:
    theirs = tmp_path / "other" / "theirs.sqlite"
    theirs.parent.mkdir()
    shutil.copyfile(sample_path, theirs)
    hold(theirs)
    before = untouched(theirs)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(theirs), ""))
    trigger(window, "Backup now…")
    ((kind, words),) = message_boxes
    assert kind == "warning"
    assert f"Cannot replace {theirs}: theirs.sqlite {HELD}" in words
    assert "Traceback" not in words
    assert untouched(theirs) == before
