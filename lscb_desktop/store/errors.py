"""The store's errors, written for the user (no SQL text, no traceback). No Qt here."""

from __future__ import annotations


class DatabaseError(Exception):
    """A database that cannot be opened or used; the message is written for the user."""
