"""The k ≥ 3 rule: which groups of a breakdown may be shown on their own.

A breakdown splits an aggregate by group: a poll's results by table, the
guests who changed their answer by (before, after) pair. A group of fewer than
``MIN_GROUP`` guests would tell how individuals voted, so it is merged into the
rest ("other tables", "other changes"). The rest must not be recoverable
either: whoever knows the total and the shown groups knows the rest's size, so
a rest made of a *single* group would give that group back, and a rest of
fewer than ``MIN_GROUP`` guests is itself a small group. When that happens the
smallest shown group joins the rest. Only when no group can be shown is the rest
everything, which is the total anybody sees anyway.

Pure, standard library only: the core uses it for opinion shifts, and per-table
poll results reuse it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

MIN_GROUP = 3  # the fewest guests a group shown on its own may count

Group = TypeVar("Group", bound=Hashable)


@dataclass(frozen=True)
class Breakdown(Generic[Group]):
    """The groups shown on their own, and those merged into the rest (both in the given order)."""

    shown: list[Group]
    merged: list[Group]
    merged_guests: int  # how many guests the rest counts (0: no rest)


def breakdown(sizes: Mapping[Group, int], minimum: int = MIN_GROUP) -> Breakdown[Group]:
    """Split ``sizes`` (group → how many guests) into groups shown and groups merged.

    Groups of no guest are neither shown nor merged. Guarantees, whatever the sizes:
    every shown group counts at least ``minimum`` guests; the rest is empty, or
    holds at least two groups and at least ``minimum`` guests, or holds every
    group (nothing shown, so the rest is the total). When a shown group must join
    the rest, it is the smallest, the first in the mapping's order among equals.
    """
    present = [group for group, size in sizes.items() if size > 0]
    shown = [group for group in present if sizes[group] >= minimum]
    merged = [group for group in present if sizes[group] < minimum]

    def rest_is_recoverable() -> bool:
        return bool(merged) and (len(merged) < 2 or sum(sizes[g] for g in merged) < minimum)

    while shown and rest_is_recoverable():
        smallest = min(shown, key=lambda group: sizes[group])  # min keeps the first of equals
        shown.remove(smallest)
        merged.append(smallest)
    merged.sort(key=present.index)
    return Breakdown(shown, merged, sum(sizes[g] for g in merged))
