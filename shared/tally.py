"""Poll arithmetic, one definition for every screen and every export.

A percentage is always a share of the voters: for a single-choice poll the
options add up to 100 %; for a multiple-choice poll ("several answers
possible") each option says how many of the voters ticked it, so they may add
up to more. Pure functions, standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence


def share_of_voters(count: int, voters: int) -> float:
    """The share of the voters who chose an option, 0–100 (0 when nobody voted)."""
    if voters <= 0:
        return 0.0
    return 100 * count / voters


def voters_or_ticks(counts: Sequence[int], voters: int | None) -> int:
    """The voters, or failing that the ticks (the same for a single-choice poll)."""
    return voters if voters is not None else sum(counts)


def rating_average(counts: Sequence[int]) -> float | None:
    """The mean of a rating poll whose ``counts[i]`` guests rated ``i + 1`` (None: no rating yet)."""
    total = sum(counts)
    if total <= 0:
        return None
    return sum((index + 1) * count for index, count in enumerate(counts)) / total


# --- opinion shift: one decimal, the same in every language -------------------


def share_tenths(count: int, voters: int) -> int:
    """The share of the voters in tenths of a percent, rounded half up, in integers
    (so that Python, JavaScript and every export agree to the last digit)."""
    if voters <= 0:
        return 0
    return (2000 * count + voters) // (2 * voters)


def shift_of_option(
    before_count: int, before_voters: int, after_count: int, after_voters: int
) -> tuple[float, float, float]:
    """One option before and after (percentages of each poll's voters, one decimal)
    and the shift in points: the difference of the two shares as shown, so that
    ``before + shift == after`` on every screen."""
    before = share_tenths(before_count, before_voters)
    after = share_tenths(after_count, after_voters)
    return before / 10, after / 10, (after - before) / 10


def one_decimal(value: float, lang: str, *, signed: bool = False) -> str:
    """A share or a shift as every screen and export writes it: one decimal, a
    decimal comma in French; ``signed``: + or − (U+2212), a zero unsigned."""
    text = f"{abs(value) if signed else value:.1f}"
    if lang == "fr":
        text = text.replace(".", ",")
    if signed and round(value, 1) != 0:
        text = ("+" if value > 0 else "\u2212") + text
    return text
