"""Who may stand in for a member at a meeting: not the member, not anyone on the meeting's list
in their own right, not someone else's substitute there already; and from the member's agency
on the day, or the user is asked (the window) or the row refused (an import).

The rule is written on plain keys (ids in the window, records held in memory in an import, which
checks rows before anything is written), so both call this one rule: no Database, no Session.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import TypeVar

K = TypeVar("K")
A = TypeVar("A")


def substitute_problem(
    member: K,
    substitute: K,
    *,
    on_list: Collection[K],
    substitutes: Mapping[K, K],
    name: Callable[[K], str],
) -> str | None:
    """Why ``substitute`` cannot stand in for ``member`` at a meeting, or None.

    ``on_list`` holds everyone on the meeting's list in their own right (its members on the day
    and anyone recorded); ``substitutes`` maps each other member recorded at the meeting to the
    substitute on file who stood in for them.
    """
    if substitute == member:
        return "A member cannot substitute for themselves."
    if substitute in on_list:
        return (
            f"{name(substitute)} is on this meeting's list in their own right, so they cannot "
            "also attend as someone's substitute."
        )
    for other, theirs in substitutes.items():
        if theirs == substitute and other != member:
            return (
                f"{name(substitute)} is already recorded as the substitute for {name(other)} at "
                "this meeting."
            )
    return None


def other_agency(member_agency: A | None, substitute_agency: A | None) -> bool:
    """Whether a substitute on file is from another agency than the one the member represents
    on the day (which the window asks about, and an import refuses)."""
    return (
        member_agency is not None
        and substitute_agency is not None
        and substitute_agency != member_agency
    )
