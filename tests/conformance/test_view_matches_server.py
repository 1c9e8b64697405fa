"""The shared view reducer, proven against the server.

For every role and every cut point k of a generated debate, the snapshot the
server builds at k, plus the frames that role is sent from k to n, folded by
the view reducer, equals the snapshot the server builds for that role at n.
This one property catches an audience bug (a role sent too much or too
little), a reducer bug and a snapshot bug alike.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conformance.harness import VIEWERS, RecordedDebate, fold_frames, held_part, view_from
from tests.core.test_invariants import COMMANDS

ACTORS = st.sampled_from(["mod", "mod", "alice", "alice", "bob", "carol"])
QUESTION_IDS = st.sampled_from(["q1", "q2", "q3", "q4"])

EXTRA_COMMANDS: st.SearchStrategy[tuple[str, dict[str, Any]]] = st.one_of(
    st.tuples(
        st.sampled_from(["hide_message", "unhide_message"]),
        st.fixed_dictionaries({"message_id": st.sampled_from(["m1", "m2"])}),
    ),
    st.tuples(st.just("withdraw_question"), st.fixed_dictionaries({"question_id": QUESTION_IDS})),
    st.tuples(st.just("restore_question"), st.fixed_dictionaries({"question_id": QUESTION_IDS})),
    st.tuples(
        st.just("set_spotlight"),
        st.one_of(
            st.fixed_dictionaries({"kind": st.sampled_from(["round", "welcome", "end", "blank"])}),
            st.fixed_dictionaries({"kind": st.just("question"), "item_id": QUESTION_IDS}),
            st.fixed_dictionaries({"kind": st.just("poll"), "item_id": st.sampled_from(["p1", "p2"])}),
            st.fixed_dictionaries({"kind": st.just("round"), "item_id": st.sampled_from(["r1", "r2"])}),
        ),
    ),
    st.tuples(st.just("announce"), st.fixed_dictionaries({"text": st.sampled_from(["Pause", "Dessert"])})),
    st.tuples(st.just("reopen_round"), st.fixed_dictionaries({"round_id": st.sampled_from(["r1", "r2"])})),
    st.tuples(st.just("erase_my_contributions"), st.just({})),
    # the word filter (set in every generated debate) and the back-channel
    st.tuples(st.just("post_message"), st.fixed_dictionaries({"text": st.just("merde")})),
    st.tuples(
        st.just("submit_question"),
        st.fixed_dictionaries({"text": st.just("Quelle m3rde ?"), "anonymous": st.booleans()}),
    ),
    st.tuples(
        st.just("release_message"), st.fixed_dictionaries({"message_id": st.sampled_from(["m1", "m2"])})
    ),
    st.tuples(st.just("post_note"), st.fixed_dictionaries({"text": st.just("Pause dans 5 min")})),
    st.tuples(
        st.just("post_message"), st.fixed_dictionaries({"text": st.sampled_from(["Encore", "Et ensuite ?"])})
    ),
    st.tuples(
        st.just("update_round"),
        st.fixed_dictionaries({"round_id": st.sampled_from(["r1", "r2"]), "title": st.just("Nouveau titre")}),
    ),
    st.tuples(
        st.just("create_poll"),
        st.fixed_dictionaries(
            {
                "question": st.just("Cachés ?"),
                "options": st.just(["oui", "non"]),
                "multiple": st.booleans(),
                "hide_results": st.just(True),
            }
        ),
    ),
)

SCRIPTS = st.lists(st.tuples(ACTORS, st.one_of(COMMANDS, EXTRA_COMMANDS)), min_size=1, max_size=40)


def record(script: list[tuple[str, tuple[str, dict[str, Any]]]]) -> RecordedDebate:
    debate = RecordedDebate()
    debate.run("plan", "word_filter", words=[], builtin=True, action="hold")
    for who, (type_, fields) in script:
        debate.run(who, type_, **fields)
    return debate


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SCRIPTS)
def test_every_cut_point_folds_to_the_servers_snapshot(script: list[Any]) -> None:
    debate = record(script)
    last = len(debate.steps) - 1
    for name in VIEWERS:
        expected = debate.snapshot_at(last, name).model_dump(mode="json")
        for cut in range(last + 1):
            view = fold_frames(view_from(debate, cut, name), debate.frames_between(cut, last, name))
            assert view.snapshot().model_dump(mode="json") == expected, (name, cut)
            assert view.seq <= debate.steps[last].state.seq


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SCRIPTS)
def test_a_view_folded_from_the_start_matches_at_every_step(script: list[Any]) -> None:
    """Not only at the end: after each command, the live view is the server's."""
    debate = record(script)
    for name in VIEWERS:
        view = view_from(debate, 0, name)
        for step in range(1, len(debate.steps)):
            fold_frames(view, debate.frames_between(step - 1, step, name))
            expected = debate.snapshot_at(step, name).model_dump(mode="json")
            assert view.snapshot().model_dump(mode="json") == expected, (name, step)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SCRIPTS)
def test_a_bounded_welcome_folds_to_the_held_part_of_the_servers_snapshot(script: list[Any]) -> None:
    """The welcome's snapshot holds the recent part of the chat and questions.

    Folded from any cut point k, the view is the server's snapshot at n as far
    as it goes: every item it holds is the server's, and it holds every item
    from where its lists start (``held_part``); then fetching the pages before
    that brings exactly the server's whole snapshot, nothing more or less."""
    debate = record(script)
    last = len(debate.steps) - 1
    for name in VIEWERS:
        full = debate.snapshot_at(last, name)
        for cut in range(last + 1):
            bounded = view_from(debate, cut, name, windowed=True)
            view = fold_frames(bounded, debate.frames_between(cut, last, name))
            assert view.snapshot() == held_part(full, view), (name, cut)
            if name == "screen":
                continue  # a projector shows no chat and holds every question
            debate.history_pages(last, name, view)
            assert view.snapshot().model_dump(mode="json") == full.model_dump(mode="json"), (name, cut)
