"""Any sequence of commands, valid or not, keeps the debate's invariants."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.core import DomainError, fold
from server.core.snapshot import build_snapshot
from server.core.visibility import SCREEN, Viewer
from tests.core.debate import CoreDebate

ROUND_IDS = st.sampled_from(["r1", "r2", "r3", "r4"])
QUESTION_IDS = st.sampled_from(["q1", "q2", "q3", "q4"])
POLL_IDS = st.sampled_from(["p1", "p2", "p3"])
ACTORS = st.sampled_from(["mod", "alice", "bob", "carol"])

COMMANDS = st.one_of(
    st.tuples(
        st.just("add_round"),
        st.fixed_dictionaries({"title": st.just("R"), "theme": st.just("t"), "minutes": st.integers(1, 90)}),
    ),
    st.tuples(
        st.sampled_from(["start_round", "reopen_round"]), st.fixed_dictionaries({"round_id": ROUND_IDS})
    ),
    st.tuples(st.just("end_round"), st.just({})),
    st.tuples(
        st.just("move_round"), st.fixed_dictionaries({"round_id": ROUND_IDS, "position": st.integers(0, 5)})
    ),
    st.tuples(st.just("remove_round"), st.fixed_dictionaries({"round_id": ROUND_IDS})),
    st.tuples(st.just("post_message"), st.fixed_dictionaries({"text": st.just("msg")})),
    st.tuples(
        st.just("submit_question"), st.fixed_dictionaries({"text": st.just("q"), "anonymous": st.booleans()})
    ),
    st.tuples(
        st.sampled_from(
            [
                "approve_question",
                "reject_question",
                "restore_question",
                "mark_answered",
                "pin_question",
                "unpin_question",
                "upvote_question",
                "withdraw_upvote",
            ]
        ),
        st.fixed_dictionaries({"question_id": QUESTION_IDS}),
    ),
    st.tuples(st.just("set_moderation"), st.fixed_dictionaries({"enabled": st.booleans()})),
    st.tuples(
        st.just("create_poll"),
        st.fixed_dictionaries(
            {"question": st.just("P"), "options": st.just(["a", "b", "c"]), "multiple": st.booleans()}
        ),
    ),
    st.tuples(st.sampled_from(["open_poll", "close_poll"]), st.fixed_dictionaries({"poll_id": POLL_IDS})),
    # the word filter (set in every generated debate) and the moderators' notes
    st.tuples(
        st.sampled_from(["post_message", "submit_question"]),
        st.fixed_dictionaries({"text": st.sampled_from(["m3rde", "Quel c.o.n", "bonsoir"])}),
    ),
    st.tuples(
        st.sampled_from(["release_message", "hide_message"]),
        st.fixed_dictionaries({"message_id": st.sampled_from(["m1", "m2"])}),
    ),
    st.tuples(st.just("post_note"), st.fixed_dictionaries({"text": st.just("note")})),
    st.tuples(
        st.just("cast_ballot"),
        st.fixed_dictionaries(
            {"poll_id": POLL_IDS, "choices": st.lists(st.integers(0, 3), min_size=1, max_size=3)}
        ),
    ),
)


def check_invariants(d: CoreDebate) -> None:
    state = d.state
    live = [r for r in state.rounds.values() if r.status == "live"]
    assert len(live) <= 1
    assert state.live_round_id == (live[0].round_id if live else None)
    assert sorted(state.agenda) == sorted(state.rounds)
    if state.pinned_question_id is not None:
        assert state.questions[state.pinned_question_id].status == "approved"
    open_polls = [p for p in state.polls.values() if p.status == "open"]
    assert len(open_polls) <= 1
    for poll in state.polls.values():
        # One ballot per participant: ballots are keyed by participant.
        assert set(poll.ballots) <= set(state.participants)
        for choices in poll.ballots.values():
            assert choices and len(set(choices)) == len(choices)
            assert poll.multiple or len(choices) == 1
            assert all(0 <= i < len(poll.options) for i in choices)
        counts = poll.counts()
        assert sum(counts) == sum(len(c) for c in poll.ballots.values())
    for question in state.questions.values():
        assert question.voters <= set(state.participants)
        if question.anonymous:
            assert question.author_id is None and question.author_name is None
    # Issue 12: a held message, a note: never in a guest's or the projector's view.
    for viewer in (SCREEN, Viewer("u2", False)):
        seen = build_snapshot(state, viewer)
        held = {
            m.message_id for m in state.messages.values() if m.held and m.author_id != viewer.participant_id
        }
        assert not held & {m.message_id for m in seen.messages}
        assert seen.notes is None and seen.word_filter is None
    for message in state.messages.values():
        held_by_the_filter = state.word_filter is not None and message.author_id != d.moderator.participant_id
        assert not message.held or held_by_the_filter
    seqs = [e.seq for e in d.log]
    assert seqs == list(range(1, len(seqs) + 1))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(ACTORS, COMMANDS), max_size=40))
def test_any_command_sequence_keeps_the_invariants(
    steps: list[tuple[str, tuple[str, dict[str, object]]]],
) -> None:
    d = CoreDebate()
    d.set_filter(action="hold")
    actors = {"mod": d.moderator, "alice": d.join("Alice"), "bob": d.join("Bob"), "carol": d.join("Carol")}
    for actor_name, (command, fields) in steps:
        before = d.state.seq
        try:
            d.run(actors[actor_name], command, **fields)
        except DomainError:
            assert d.state.seq == before  # a refused command changes nothing
        check_invariants(d)
    assert fold(d.log) == d.state
