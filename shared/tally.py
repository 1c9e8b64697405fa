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
