"""Any sequence of commands, valid or not, keeps the debate's invariants."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.core import DomainError, fold
from server.core.snapshot import build_snapshot
from server.core.state import DebateState, Poll
from server.core.visibility import SCREEN, Viewer
from shared import events as ev
from shared.breakdown import MIN_GROUP
from shared.words import word_key
from tests.core.debate import CoreDebate

ROUND_IDS = st.sampled_from(["r1", "r2", "r3", "r4"])
QUESTION_IDS = st.sampled_from(["q1", "q2", "q3", "q4"])
POLL_IDS = st.sampled_from(["p1", "p2", "p3"])
TABLE_IDS = st.sampled_from(["t1", "t2", "t3"])
GUEST_IDS = st.sampled_from(["u1", "u2", "u3", "u4", "u9"])
ACTORS = st.sampled_from(["mod", "alice", "bob", "carol"])
PARTICIPANT_IDS = st.sampled_from(["u2", "u3", "u4", "u5"])  # u5: nobody

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
    # Opinion shift (issue 13): any poll asked again (words and open ones are refused).
    st.tuples(
        st.just("create_poll"), st.fixed_dictionaries({"repeat_of": POLL_IDS, "hide_results": st.booleans()})
    ),
    # the speaker queue
    st.tuples(st.just("raise_hand"), st.fixed_dictionaries({}, optional={"topic": st.just("t")})),
    st.tuples(st.just("lower_hand"), st.fixed_dictionaries({}, optional={"participant_id": PARTICIPANT_IDS})),
    st.tuples(st.just("give_floor"), st.fixed_dictionaries({"participant_id": PARTICIPANT_IDS})),
    st.tuples(st.sampled_from(["end_floor", "erase_my_contributions"]), st.just({})),
    # tables (issue 13)
    st.tuples(
        st.just("add_table"),
        st.fixed_dictionaries({"name": st.sampled_from(["A", "B"]), "seats": st.integers(1, 3)}),
    ),
    st.tuples(
        st.just("update_table"),
        st.fixed_dictionaries(
            {"table_id": TABLE_IDS, "seats": st.integers(1, 3)}, optional={"name": st.just("C")}
        ),
    ),
    st.tuples(
        st.sampled_from(["remove_table", "choose_table"]), st.fixed_dictionaries({"table_id": TABLE_IDS})
    ),
    st.tuples(
        st.sampled_from(["seat_guest", "set_spokesperson"]),
        st.fixed_dictionaries({"table_id": TABLE_IDS, "participant_id": GUEST_IDS}),
    ),
    st.tuples(
        st.just("post_synthesis"),
        st.fixed_dictionaries({"round_id": ROUND_IDS, "text": st.sampled_from(["S1", "S2"])}),
    ),
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


def check_shift(state: DebateState, poll: Poll) -> None:
    """A repeat asks its poll again; its shift, once closed, holds only cells of 3 or more."""
    if poll.repeat_of is None:
        assert poll.shift is None
        return
    original = state.polls[poll.repeat_of]
    assert original.kind in ("choice", "rating")
    assert (poll.kind, poll.options) == (original.kind, original.options)
    assert poll.status == "draft" or original.status == "closed"
    assert (poll.shift is not None) == (poll.status == "closed")
    if poll.shift is not None:
        assert len(poll.shift.options) == len(poll.counts())
        assert all(t.guests >= MIN_GROUP for t in poll.shift.transitions)
        if poll.shift.changed is None:
            assert poll.shift.both < MIN_GROUP and not poll.shift.transitions
        else:
            shown = sum(t.guests for t in poll.shift.transitions)
            assert shown + poll.shift.other_changes == poll.shift.changed


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
        check_shift(state, poll)
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
    check_floor(d)
    seated = [guest for table in state.tables.values() for guest in table.guests]
    assert len(seated) == len(set(seated)) == len(state.seat_of)  # one seat each
    for table in state.tables.values():
        assert len(table.guests) <= table.seats or table.removed
        assert all(state.seat_of[guest] == table.table_id for guest in table.guests)
        assert table.spokesperson_id is None or table.spokesperson_id in table.guests
        assert all(state.participants[guest].role == "participant" for guest in table.guests)
    for poll in state.polls.values():
        # Issue 13, k ≥ 3: no group of a breakdown shows fewer than 3 guests, and the
        # groups add up to the poll's results.
        if poll.by_table:
            assert all(group.voters >= 3 for group in poll.by_table)
            assert sum(group.voters for group in poll.by_table) == poll.voters
            assert [sum(c) for c in zip(*(g.counts for g in poll.by_table), strict=True)] == poll.counts()
    for round_id, table_id in state.syntheses:
        assert round_id in state.rounds and table_id in state.tables
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


def check_floor(d: CoreDebate) -> None:
    """A guest holds the floor only after ``give_floor``, and only while no
    later event took it back; a hand is raised once; turns never overlap."""
    state = d.state
    assert set(state.hands) <= set(state.participants)
    floor = state.floor
    if floor is not None:
        assert floor.participant_id not in state.hands
        given = [e for e in d.log if isinstance(e, ev.FloorGiven)]
        assert given and given[-1].participant_id == floor.participant_id
        after = d.log[d.log.index(given[-1]) + 1 :]
        assert not any(isinstance(e, ev.FloorEnded) for e in after)
        # A turn lies within one round: the one live when it was given is still live.
        assert floor.round_id == state.live_round_id
    assert sum(1 for t in state.turns if t.ended_at is None) <= (1 if floor else 0)
    for earlier, later in zip(state.turns, state.turns[1:], strict=False):
        assert earlier.ended_at is not None and earlier.ended_at <= later.started_at
    assert len(state.turns) == sum(1 for e in d.log if isinstance(e, ev.FloorGiven))


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
