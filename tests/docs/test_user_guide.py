"""The user guide states the attendance arithmetic the program uses (issue: written down)."""

from __future__ import annotations

from lscb_desktop.ui.guide import guide_text


def test_the_guide_writes_down_the_rate_arithmetic() -> None:
    text = " ".join(guide_text().split())
    assert (
        "a **member's rate** = meetings the member attended in person ÷ meetings of that group "
        "held while they were a member" in text
    )
    assert (
        "an **agency's rate** = meetings at which the agency was represented by a member or a "
        "substitute ÷ meetings held at which it had a member" in text
    )
    assert "**cancelled** meetings (and those still planned) count for neither" in text
    assert "a **substitute** counts for the agency, not for the member" in text
    assert "**apologies** are shown but are not attendance" in text


def test_the_guide_names_the_keys_for_recording_attendance() -> None:
    text = guide_text()
    for key in ("**P** (present)", "**A** (apologies)", "**S** (substitute", "**X** (absent)"):
        assert key in text


def test_the_guide_says_what_was_true_on_the_day_and_who_counts_for_quorum() -> None:
    text = " ".join(guide_text().split())
    assert "the one **recorded with the attendance**: what was true on the day" in text
    assert "no figure before the move changes" in text
    assert "the Board's own business unit supports meetings and does not make them quorate" in text
    assert "**advisers**, the **business manager** and **administrators** never do" in text
    assert "a member with **nothing recorded** counts as not attended" in text
