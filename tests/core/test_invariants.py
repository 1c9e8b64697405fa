"""Any sequence of commands, valid or not, keeps the debate's invariants."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.core import DomainError, fold
from server.core.snapshot import build_snapshot
from server.core.state import Poll
from server.core.visibility import SCREEN, Viewer
from shared import events as ev
from shared.words import word_key
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
    # Merged questions and written answers (issue 12).
    st.tuples(
        st.just("merge_questions"),
        st.fixed_dictionaries(
            {
                "keep_id": QUESTION_IDS,
                "merged_ids": st.lists(QUESTION_IDS, min_size=1, max_size=2, unique=True),
            }
        ),
    ),
    st.tuples(st.just("unmerge_question"), st.fixed_dictionaries({"question_id": QUESTION_IDS})),
    st.tuples(
        st.just("answer_question"),
        st.fixed_dictionaries({"question_id": QUESTION_IDS, "text": st.sampled_from(["Oui.", "Non."])}),
    ),
    st.tuples(
        st.just("cast_ballot"),
        st.fixed_dictionaries(
            {"poll_id": POLL_IDS, "choices": st.lists(st.integers(0, 3), min_size=1, max_size=3)}
        ),
    ),
    # Poll kinds (issue 12): any kind, any ballot field (mismatches included).
    st.tuples(
        st.just("create_poll"),
        st.one_of(
            st.fixed_dictionaries(
                {
                    "question": st.just("R"),
                    "kind": st.just("rating"),
                    "scale_max": st.integers(2, 10),
                    "hide_results": st.booleans(),
                }
            ),
            st.fixed_dictionaries(
                {
                    "question": st.just("W"),
                    "kind": st.sampled_from(["words", "open"]),
                    "hide_results": st.booleans(),
                }
            ),
        ),
    ),
    st.tuples(
        st.just("cast_ballot"),
        st.one_of(
            st.fixed_dictionaries({"poll_id": POLL_IDS, "rating": st.integers(1, 10)}),
            st.fixed_dictionaries(
                {
                    "poll_id": POLL_IDS,
                    "words": st.lists(
                        st.sampled_from(["IA", "ia !", "Café", "cafe", "?"]), min_size=1, max_size=3
                    ),
                }
            ),
            st.fixed_dictionaries({"poll_id": POLL_IDS, "text": st.just("une réponse")}),
        ),
    ),
    st.tuples(
        st.sampled_from(["approve_answer", "reject_answer"]),
        st.fixed_dictionaries({"poll_id": POLL_IDS, "answer_id": st.sampled_from(["o1", "o2", "o3"])}),
    ),
    st.tuples(st.just("erase_my_contributions"), st.just({})),
)


def check_ballots_match_the_kind(poll: Poll) -> None:
    """Each ballot is of the poll's kind, and only that kind holds any (issue 12)."""
    holders = {
        "choice": bool(poll.ballots or poll.unlinked_ballots),
        "rating": bool(poll.ratings or poll.unlinked_ratings),
        "words": bool(poll.word_ballots or poll.unlinked_words),
        "open": bool(poll.answers),
    }
    assert not any(held for kind, held in holders.items() if kind != poll.kind)
    assert poll.kind == "choice" or not poll.options
    assert (poll.scale_max is not None) == (poll.kind == "rating")
    assert len(poll.counts()) == (len(poll.options) if poll.kind == "choice" else poll.scale_max or 0)
    for rating in [*poll.ratings.values(), *poll.unlinked_ratings]:
        assert poll.scale_max is not None and 1 <= rating <= poll.scale_max
    for words in [*poll.word_ballots.values(), *poll.unlinked_words]:
        keys = [word_key(word) for word in words]
        assert 1 <= len(words) <= 3 and all(keys) and len(set(keys)) == len(keys)
    if poll.kind == "open":
        assert poll.voters == len(poll.answers)
        assert poll.status != "draft" or not poll.answers  # answers come only once it is open


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
        assert sum(counts) == sum(len(c) for c in [*poll.ballots.values(), *poll.unlinked_ballots]) + len(
            poll.ratings
        ) + len(poll.unlinked_ratings)
        check_ballots_match_the_kind(poll)
    for question in state.questions.values():
        assert question.voters <= set(state.participants)
        if question.anonymous:
            assert question.author_id is None and question.author_name is None
    check_merges(d)
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


def check_merges(d: CoreDebate) -> None:
    """Issue 12: a merged question's votes are the union of its group's voters
    (each guest once, plus the unlinked votes), in the state and as every
    role is shown; the group links agree both ways."""
    state = d.state
    for question in state.questions.values():
        if question.merged_into is not None:
            keep = state.questions[question.merged_into]
            assert keep.merged_into is None and question.question_id in keep.variant_ids
            assert question.status == keep.status == "approved"
            assert not question.variant_ids
            assert state.pinned_question_id != question.question_id
        for variant_id in question.variant_ids:
            assert state.questions[variant_id].merged_into == question.question_id
    shown = {q.question_id: q.votes for q in build_snapshot(state, Viewer(None, True)).questions}
    for question in state.questions.values():
        if question.merged_into is not None:
            assert shown[question.question_id] == 0
            continue
        members = [question, *(state.questions[v] for v in question.variant_ids)]
        union: set[str] = set()
        for member in members:
            union |= member.voters
        assert shown[question.question_id] == len(union) + sum(m.unlinked_votes for m in members)
    # The count each upvote event announced is the one shown right after it.
    last = d.log[-1] if d.log else None
    if isinstance(last, ev.UpvoteAdded | ev.UpvoteWithdrawn) and last.question_id in state.questions:
        question = state.questions[last.question_id]
        assert last.votes == shown[question.merged_into or question.question_id]


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
