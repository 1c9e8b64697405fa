"""Opinion shift (issue 13): a poll asked again, compared with the earlier one, in the pure core."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.core import Actor, DomainError, fold
from server.core.snapshot import build_snapshot
from server.core.visibility import SCREEN, Viewer, audience_of
from shared import events as ev
from shared.breakdown import MIN_GROUP
from tests.core.debate import CoreDebate


def code_of(debate: CoreDebate, actor: Actor, type_: str, **fields: object) -> str:
    before = debate.state.seq
    with pytest.raises(DomainError) as error:
        debate.run(actor, type_, **fields)
    assert debate.state.seq == before  # a refused command changes nothing
    return error.value.code


OPTIONS = ["Oui", "Non", "Sans avis"]


def evening(first: list[int], second: list[int | None], **repeat: Any) -> tuple[CoreDebate, ev.PollClosed]:
    """Guest i answers ``first[i]`` then ``second[i]`` (None: does not vote again);
    returns the debate and the repeat's ``poll_closed``."""
    d = CoreDebate()
    guests = [d.join(f"G{i}") for i in range(max(len(first), len(second)))]
    d.mod("create_poll", question="Pour ?", options=OPTIONS)
    d.mod("create_poll", repeat_of="p1", **repeat)
    d.mod("open_poll", poll_id="p1")
    for guest, choice in zip(guests, first, strict=False):
        d.run(guest, "cast_ballot", poll_id="p1", choices=[choice])
    d.mod("close_poll", poll_id="p1")
    d.mod("open_poll", poll_id="p2")
    for guest, again in zip(guests, second, strict=False):
        if again is not None:
            d.run(guest, "cast_ballot", poll_id="p2", choices=[again])
    closed = d.mod("close_poll", poll_id="p2").events[0]
    assert isinstance(closed, ev.PollClosed)
    return d, closed


# --- creating a repeat ------------------------------------------------------------


def test_a_repeat_copies_the_question_kind_and_options() -> None:
    d = CoreDebate()
    d.mod("create_poll", question="Pour ?", options=OPTIONS, multiple=True)
    created = d.mod("create_poll", repeat_of="p1", hide_results=True).events[0]
    assert isinstance(created, ev.PollCreated)
    assert (created.question, created.options, created.multiple, created.kind) == (
        "Pour ?",
        OPTIONS,
        True,
        "choice",
    )
    assert (created.repeat_of, created.hide_results) == ("p1", True)
    assert d.state.polls["p2"].repeat_of == "p1"


def test_a_repeat_may_restate_what_it_copies() -> None:
    d = CoreDebate()
    d.mod("create_poll", question="Note ?", kind="rating", scale_max=7, scale_labels=["bas", "haut"])
    d.mod(
        "create_poll",
        repeat_of="p1",
        question="Note ?",
        kind="rating",
        scale_max=7,
        scale_labels=["bas", "haut"],
    )
    assert (d.state.polls["p2"].scale_max, d.state.polls["p2"].scale_labels) == (7, ["bas", "haut"])


@pytest.mark.parametrize(
    "fields",
    [
        {"question": "Contre ?"},
        {"options": ["Non", "Oui", "Sans avis"]},  # the same options in another order
        {"options": ["Oui", "Non"]},
        {"multiple": True},
        {"kind": "rating"},
        {"scale_max": 5},
    ],
)
def test_a_repeat_that_differs_is_refused(fields: dict[str, object]) -> None:
    d = CoreDebate()
    d.mod("create_poll", question="Pour ?", options=OPTIONS)
    assert code_of(d, d.moderator, "create_poll", repeat_of="p1", **fields) == "repeat_mismatch"


@pytest.mark.parametrize("kind", ["words", "open"])
def test_words_and_open_polls_cannot_be_repeated(kind: str) -> None:
    d = CoreDebate()
    d.mod("create_poll", question="Un mot ?", kind=kind)
    assert code_of(d, d.moderator, "create_poll", repeat_of="p1") == "not_repeatable"


def test_a_repeat_of_no_poll_and_a_poll_without_question_are_refused() -> None:
    d = CoreDebate()
    assert code_of(d, d.moderator, "create_poll", repeat_of="p9") == "poll_not_found"
    with pytest.raises(ValueError, match="question is required"):
        d.command("create_poll", options=OPTIONS)


def test_a_repeat_opens_only_once_the_earlier_poll_closed() -> None:
    d = CoreDebate()
    d.mod("create_poll", question="Pour ?", options=OPTIONS)
    d.mod("create_poll", repeat_of="p1")
    assert code_of(d, d.moderator, "open_poll", poll_id="p2") == "original_not_closed"
    d.mod("open_poll", poll_id="p1")
    d.mod("close_poll", poll_id="p1")
    d.mod("open_poll", poll_id="p2")
    assert d.state.open_poll_id == "p2"


def test_a_guest_cannot_create_a_repeat() -> None:
    d = CoreDebate()
    d.mod("create_poll", question="Pour ?", options=OPTIONS)
    guest = d.join("Alice")
    assert code_of(d, guest, "create_poll", repeat_of="p1") == "forbidden"


# --- the shift ---------------------------------------------------------------------


def test_shares_before_and_after_and_the_shift_in_points() -> None:
    # 3 voters then 4: Oui 2/3 -> 1/4, Non 1/3 -> 3/4.
    _, closed = evening([0, 0, 1], [1, 1, 1, 0])
    shift = closed.shift
    assert shift is not None and shift.before_poll_id == "p1"
    assert [(o.before, o.after, o.points) for o in shift.options] == [
        (66.7, 25.0, -41.7),
        (33.3, 75.0, 41.7),
        (0.0, 0.0, 0.0),
    ]


def test_changes_of_three_guests_or_more_are_shown_the_others_merged() -> None:
    # Three went Oui -> Non, two Oui -> Sans avis, one Non -> Oui, two kept Oui.
    _, closed = evening([0, 0, 0, 0, 0, 1, 0, 0], [1, 1, 1, 2, 2, 0, 0, 0])
    shift = closed.shift
    assert shift is not None
    assert (shift.both, shift.changed) == (8, 6)
    assert [(t.before, t.after, t.guests) for t in shift.transitions] == [([0], [1], 3)]
    assert shift.other_changes == 3


def test_a_rest_of_fewer_than_three_guests_takes_a_shown_change_with_it() -> None:
    # Three went Oui -> Non, one Oui -> Sans avis, one Non -> Oui: a rest of 2.
    _, closed = evening([0, 0, 0, 0, 1, 0], [1, 1, 1, 2, 0, 0])
    shift = closed.shift
    assert shift is not None and shift.changed == 5
    assert (shift.transitions, shift.other_changes) == ([], 5)


def test_a_single_small_change_is_never_left_alone_in_the_rest() -> None:
    # 4 went Oui -> Non, 1 Non -> Oui: "other changes: 1" would be that one guest.
    _, closed = evening([0, 0, 0, 0, 1], [1, 1, 1, 1, 0])
    shift = closed.shift
    assert shift is not None and shift.changed == 5
    assert shift.transitions == []
    assert shift.other_changes == 5


def test_fewer_than_three_guests_who_voted_twice_say_nothing_of_changes() -> None:
    _, closed = evening([0, 1], [1, 0, 0])
    shift = closed.shift
    assert shift is not None
    assert (shift.both, shift.changed, shift.transitions, shift.other_changes) == (2, None, [], 0)


def test_a_rating_poll_shifts_by_point() -> None:
    d = CoreDebate()
    guests = [d.join(f"G{i}") for i in range(4)]
    d.mod("create_poll", question="Note ?", kind="rating", scale_max=3)
    d.mod("create_poll", repeat_of="p1")
    for poll_id, ratings in (("p1", [1, 1, 1, 2]), ("p2", [3, 3, 3, 2])):
        d.mod("open_poll", poll_id=poll_id)
        for guest, rating in zip(guests, ratings, strict=True):
            d.run(guest, "cast_ballot", poll_id=poll_id, rating=rating)
        closed = d.mod("close_poll", poll_id=poll_id).events[0]
    assert isinstance(closed, ev.PollClosed) and closed.shift is not None
    assert [o.points for o in closed.shift.options] == [-75.0, 0.0, 75.0]
    assert [(t.before, t.after, t.guests) for t in closed.shift.transitions] == [([0], [2], 3)]


def test_the_first_poll_closes_without_a_shift_and_views_carry_it_after() -> None:
    d, closed = evening([0, 0, 1], [1, 1, 1])
    first = next(e for e in d.log if isinstance(e, ev.PollClosed) and e.poll_id == "p1")
    assert first.shift is None
    for viewer in (SCREEN, Viewer("u2", False), Viewer("u1", True)):
        polls = {poll.poll_id: poll for poll in build_snapshot(d.state, viewer).polls}
        assert polls["p2"].repeat_of == "p1"
        assert polls["p2"].shift == closed.shift
    assert audience_of(d.state, closed).everyone


# --- erasure: unlinked, and the shift never moves ------------------------------


def test_a_guest_who_erased_before_the_close_is_not_among_those_who_voted_twice() -> None:
    d = CoreDebate()
    guests = [d.join(f"G{i}") for i in range(4)]
    d.mod("create_poll", question="Pour ?", options=OPTIONS)
    d.mod("create_poll", repeat_of="p1")
    for poll_id, choices in (("p1", [0, 0, 0, 0]), ("p2", [1, 1, 1, 1])):
        d.mod("open_poll", poll_id=poll_id)
        for guest, choice in zip(guests, choices, strict=True):
            d.run(guest, "cast_ballot", poll_id=poll_id, choices=[choice])
        if poll_id == "p2":
            d.run(guests[0], "erase_my_contributions")
        closed = d.mod("close_poll", poll_id=poll_id).events[0]
    assert isinstance(closed, ev.PollClosed) and closed.shift is not None
    # Still counted in each poll's shares (unlinked), but linked to neither.
    assert [o.after for o in closed.shift.options] == [0.0, 100.0, 0.0]
    assert (closed.shift.both, closed.shift.changed) == (3, 3)


def test_an_erasure_after_the_close_changes_nothing_anyone_sees() -> None:
    d, closed = evening([0, 0, 0, 1], [1, 1, 1, 1])
    before = {viewer: build_snapshot(d.state, viewer) for viewer in (SCREEN, Viewer("u1", True))}
    erased = d.run(Actor("u2", "participant", "G0"), "erase_my_contributions")
    assert not any(isinstance(e, ev.PollClosed) for e in erased.events)
    for viewer, snapshot in before.items():
        assert build_snapshot(d.state, viewer).polls == snapshot.polls
    # The log replays to the same fixed shift.
    assert fold(d.log).polls["p2"].shift == closed.shift


# --- properties ---------------------------------------------------------------------

answers = st.lists(
    st.tuples(st.integers(0, 2), st.one_of(st.none(), st.integers(0, 2))), min_size=0, max_size=14
)


@settings(max_examples=60, deadline=None)
@given(answers)
def test_no_transition_cell_ever_counts_fewer_than_three_guests(pairs: list[tuple[int, int | None]]) -> None:
    first = [a for a, _ in pairs]
    _, closed = evening(first, [b for _, b in pairs])
    shift = closed.shift
    assert shift is not None
    both = [(a, b) for a, b in pairs if b is not None]
    assert shift.both == len(both)
    assert all(t.guests >= MIN_GROUP for t in shift.transitions)
    assert all(t.before != t.after for t in shift.transitions)
    if shift.changed is None:
        assert shift.both < MIN_GROUP and not shift.transitions and shift.other_changes == 0
        return
    assert shift.changed == sum(1 for a, b in both if a != b)
    shown = sum(t.guests for t in shift.transitions)
    assert shown + shift.other_changes == shift.changed
    # The rest is never one small change that subtracting would give back.
    if shift.transitions and shift.other_changes:
        assert shift.other_changes >= MIN_GROUP
        real_cells = {(a, b) for a, b in both if a != b} - {
            (t.before[0], t.after[0]) for t in shift.transitions
        }
        assert len(real_cells) >= 2
    for index, option in enumerate(shift.options):
        before = sum(a == index for a in first)
        after = sum(b == index for _, b in both)
        assert abs(option.before - 100 * before / max(1, len(first))) <= 0.05 + 1e-9
        assert abs(option.after - 100 * after / max(1, len(both))) <= 0.05 + 1e-9
        assert option.points == pytest.approx(option.after - option.before, abs=1e-9)


def test_a_multiple_choice_poll_compares_whole_answers() -> None:
    """Several answers possible: an answer is the set ticked; shares are of voters."""
    d = CoreDebate()
    guests = [d.join(f"G{i}") for i in range(3)]
    d.mod("create_poll", question="Priorités ?", options=OPTIONS, multiple=True)
    d.mod("create_poll", repeat_of="p1")
    for poll_id, choices in (("p1", [0]), ("p2", [0, 1])):
        d.mod("open_poll", poll_id=poll_id)
        for guest in guests:
            d.run(guest, "cast_ballot", poll_id=poll_id, choices=choices)
        closed = d.mod("close_poll", poll_id=poll_id).events[0]
    assert isinstance(closed, ev.PollClosed) and closed.shift is not None
    assert [(o.before, o.after) for o in closed.shift.options] == [(100.0, 100.0), (0.0, 100.0), (0.0, 0.0)]
    assert [(t.before, t.after, t.guests) for t in closed.shift.transitions] == [([0], [0, 1], 3)]
