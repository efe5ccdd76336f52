"""Fixtures the service tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lscb_desktop.store import Database
from lscb_desktop.store.journal import Step


@pytest.fixture
def steps(sample_db: Database) -> Iterator[list[Step]]:
    """The undo steps the sample's changes make, as the window records them."""
    recorded: list[Step] = []
    sample_db.journal.recording = True
    sample_db.journal.on_step = recorded.append
    yield recorded
    sample_db.journal.recording = False
    sample_db.journal.on_step = None
