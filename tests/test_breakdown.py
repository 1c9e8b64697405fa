"""The k ≥ 3 rule of breakdowns (shared/breakdown.py): examples, then properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shared.breakdown import MIN_GROUP, breakdown

sizes_by_group = st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 12), max_size=8)


def test_groups_of_three_or_more_are_shown_the_small_ones_merged() -> None:
    result = breakdown({"A": 5, "B": 1, "C": 2, "D": 3})
    assert result.shown == ["A", "D"]
    assert result.merged == ["B", "C"]
    assert result.merged_guests == 3


def test_a_single_small_group_takes_the_smallest_shown_one_with_it() -> None:
    # Alone in the rest, B's size would be the total minus the shown groups.
    result = breakdown({"A": 5, "B": 1, "C": 4, "D": 4})
    assert result.shown == ["A", "D"]
    assert result.merged == ["B", "C"]
    assert result.merged_guests == 5


def test_a_rest_of_fewer_than_three_guests_grows() -> None:
    result = breakdown({"A": 6, "B": 1, "C": 1})
    assert result.shown == []
    assert result.merged == ["A", "B", "C"]


def test_groups_of_no_guest_are_neither_shown_nor_merged() -> None:
    result = breakdown({"A": 0, "B": 3, "C": 4})
    assert (result.shown, result.merged, result.merged_guests) == (["B", "C"], [], 0)


def test_everything_small_is_one_rest_the_total() -> None:
    result = breakdown({"A": 2})
    assert (result.shown, result.merged, result.merged_guests) == ([], ["A"], 2)
    assert breakdown({}).merged == []


@given(sizes_by_group)
def test_no_shown_group_counts_fewer_than_three_guests(sizes: dict[str, int]) -> None:
    assert all(sizes[group] >= MIN_GROUP for group in breakdown(sizes).shown)


@given(sizes_by_group)
def test_every_group_with_guests_is_shown_or_merged_once_in_order(sizes: dict[str, int]) -> None:
    result = breakdown(sizes)
    present = [group for group, size in sizes.items() if size > 0]
    assert sorted(result.shown + result.merged, key=present.index) == present
    assert not set(result.shown) & set(result.merged)
    assert result.shown == [g for g in present if g in result.shown]
    assert result.merged == [g for g in present if g in result.merged]
    assert result.merged_guests == sum(sizes[group] for group in result.merged)


@given(sizes_by_group)
def test_the_rest_cannot_be_subtracted_back_to_one_group(sizes: dict[str, int]) -> None:
    """Whoever knows the total and the shown groups knows the rest; it must not be one
    group's size, nor a group of fewer than three, unless it is the whole total."""
    result = breakdown(sizes)
    total = sum(sizes.values())
    rest = total - sum(sizes[group] for group in result.shown)
    assert rest == result.merged_guests
    if result.merged and result.shown:
        assert len(result.merged) >= 2
        assert rest >= MIN_GROUP


@given(sizes_by_group)
def test_no_more_is_merged_than_needed(sizes: dict[str, int]) -> None:
    result = breakdown(sizes)
    big_ones_merged = [group for group in result.merged if sizes[group] >= MIN_GROUP]
    assert len(big_ones_merged) <= 1
