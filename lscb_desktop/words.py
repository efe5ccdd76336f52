"""Lists in words, as every document and message writes them."""

from __future__ import annotations

from collections.abc import Sequence


def and_list(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
