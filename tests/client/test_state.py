"""The client reducer, alone: events and snapshots in, local state out."""

from __future__ import annotations

from typing import Any

from client.state import (
    ALL,
    CHAT,
    POLLS,
    QUESTIONS,
    ClientState,
    apply_event,
    apply_poll_counts,
    apply_welcome,
    note_created,
)
from shared import events as ev
from shared import protocol as p

AT = "2026-11-26T19:00:00Z"


def event(seq: int, type_: str, **fields: Any) -> ev.EventBase:
    return ev.event_adapter.validate_python({"type": type_, "seq": seq, "at": AT, **fields})


def question(seq: int, qid: str, approved: bool, **fields: Any) -> ev.EventBase:
    base = {
        "question_id": qid,
        "round_id": None,
        "text": f"question {qid}",
        "anonymous": False,
        "author_id": "pa",
        "author_name": "Alice",
        "approved": approved,
    }
    return event(seq, "question_submitted", **{**base, **fields})


def test_events_build_rounds_chat_questions_and_polls() -> None:
    state = ClientState(me="pa")
    apply_event(state, event(1, "debate_created", title="Dinner"))
    apply_event(
        state,
        event(2, "round_added", round_id="r1", title="One", theme="T", minutes=20, position=0),
    )
    apply_event(
        state,
        event(3, "round_added", round_id="r2", title="Two", theme="T", minutes=20, position=0),
    )
    assert state.agenda == ["r2", "r1"]
    apply_event(state, event(4, "round_moved", round_id="r2", position=1))
    assert state.agenda == ["r1", "r2"]
    changed = apply_event(state, event(5, "round_started", round_id="r1"))
    assert CHAT in changed and state.live_round is not None and state.live_round.round_id == "r1"
    apply_event(
        state,
        event(
            6,
            "message_posted",
            message_id="m1",
            round_id="r1",
            author_id="pa",
            author_name="Alice",
            text="hi",
        ),
    )
    assert [m.text for m in state.chat_of("r1")] == ["hi"]
    apply_event(state, event(7, "message_hidden", message_id="m1"))
    # Our own message stays, marked hidden (another guest's would be dropped).
    assert [(m.text, m.hidden) for m in state.chat_of("r1")] == [("hi", True)]
    apply_event(state, question(8, "q1", approved=True))
    apply_event(state, question(9, "q2", approved=True))
    apply_event(state, event(10, "upvote_added", question_id="q2", votes=1, participant_id="pa"))
    assert [q.question_id for q in state.approved_questions()] == ["q2", "q1"]
    assert [q.question_id for q in state.approved_questions(by_votes=False)] == ["q1", "q2"]
    assert state.my_upvotes == {"q2"}
    apply_event(state, event(11, "upvote_added", question_id="q1", votes=2))  # others' votes
    assert state.my_upvotes == {"q2"} and state.questions["q1"].votes == 2
    apply_event(state, event(12, "upvote_withdrawn", question_id="q2", votes=0, participant_id="pa"))
    assert state.my_upvotes == set()
    apply_event(state, event(13, "question_pinned", question_id="q1"))
    apply_event(state, event(14, "question_answered", question_id="q1"))
    assert state.pinned == "q1" and state.questions["q1"].answered
    apply_event(state, event(15, "question_unpinned", question_id="q1"))
    assert state.pinned is None
    apply_event(
        state,
        event(
            16,
            "poll_opened",
            poll_id="p1",
            question="Q?",
            options=["a", "b"],
            multiple=False,
            hide_results=False,
            round_id="r1",
        ),
    )
    assert state.open_poll is not None and state.open_poll.counts == [0, 0]
    apply_poll_counts(state, p.PollCounts(poll_id="p1", counts=[1, 0], voters=1))
    apply_event(state, event(17, "ballot_cast", poll_id="p1", participant_id="pa", choices=[0]))
    assert state.my_ballots == {"p1": [0]} and state.polls["p1"].counts == [1, 0]
    assert POLLS in apply_event(state, event(18, "poll_closed", poll_id="p1", counts=[3, 1], voters=4))
    assert state.open_poll is None and state.last_closed_poll is not None
    assert state.last_closed_poll.counts == [3, 1]
    apply_event(state, event(19, "round_ended", round_id="r1"))
    assert state.live_round is None and state.next_round is not None


def test_an_event_seen_twice_is_applied_once() -> None:
    state = ClientState()
    apply_event(state, question(1, "q1", approved=True))
    once = apply_event(state, event(2, "upvote_added", question_id="q1", votes=1))
    again = apply_event(state, event(2, "upvote_added", question_id="q1", votes=1))
    assert once and not again
    assert state.seq == 2


def test_pending_questions_and_own_anonymous_ones() -> None:
    state = ClientState(me="pb")
    apply_event(state, question(1, "q1", approved=False, anonymous=True, author_id=None, author_name=None))
    note_created(state, p.SubmitQuestion(id="c", text="q?"), p.Ack(id="c", seq=1, created="q1"))
    assert state.is_mine(state.questions["q1"])
    assert [q.question_id for q in state.pending_questions()] == ["q1"]
    changed = apply_event(
        state,
        event(
            2,
            "question_approved",
            question_id="q1",
            round_id=None,
            text="question q1",
            anonymous=True,
            author_id=None,
            author_name=None,
            submitted_at=AT,
        ),
    )
    assert QUESTIONS in changed and state.questions["q1"].status == "approved"
    # Approved questions arrive whole to those who never saw them pending.
    apply_event(
        state,
        event(
            3,
            "question_approved",
            question_id="q9",
            round_id=None,
            text="other",
            anonymous=False,
            author_id="px",
            author_name="X",
            submitted_at=AT,
        ),
    )
    assert state.questions["q9"].text == "other"
    apply_event(state, event(4, "question_rejected", question_id="q9"))
    assert "q9" not in state.questions


def _welcome(recovered: bool, seq: int, **fields: Any) -> p.Welcome:
    return p.Welcome(
        participant_id="pa",
        role="participant",
        name="Alice",
        resume_token="t",
        epoch="e1",
        seq=seq,
        at=AT,
        recovered=recovered,
        **fields,
    )


def test_snapshot_replaces_everything_and_catch_up_applies_in_order() -> None:
    state = ClientState()
    apply_event(state, question(1, "q-old", approved=True))
    snapshot = ev.Snapshot(
        title="Dinner",
        moderation=False,
        rounds=[
            ev.RoundView(round_id="r1", title="One", theme="T", minutes=10, status="live", started_at=AT)
        ],
        messages=[],
        questions=[
            ev.QuestionView(
                question_id="q1",
                round_id="r1",
                text="Why?",
                anonymous=False,
                author_id="pb",
                author_name="Bob",
                status="approved",
                answered=False,
                pinned=True,
                votes=3,
                at=AT,
            )
        ],
        polls=[],
        my_upvotes=["q1"],
    )
    assert apply_welcome(state, _welcome(False, 40, snapshot=snapshot)) == ALL
    assert set(state.questions) == {"q1"} and state.pinned == "q1" and state.seq == 40
    assert state.my_upvotes == {"q1"} and not state.moderation
    events = [
        event(41, "question_answered", question_id="q1"),
        event(42, "round_ended", round_id="r1"),
    ]
    apply_welcome(state, _welcome(True, 42, events=events))
    assert state.questions["q1"].answered and state.live_round is None and state.seq == 42


def test_withdrawals_and_erasures_remove_what_they_name() -> None:
    state = ClientState(me="pa")
    apply_event(state, question(1, "q1", approved=True, anonymous=True, author_id=None, author_name=None))
    note_created(state, p.SubmitQuestion(id="c", text="q?"), p.Ack(id="c", seq=1, created="q1", secret="s"))
    assert state.my_secrets == {"q1": "s"}
    apply_event(state, event(2, "question_withdrawn", question_id="q1"))
    assert not state.questions and not state.my_secrets
    apply_event(
        state,
        event(3, "message_posted", message_id="m1", round_id=None, author_id="pb", author_name="B", text="x"),
    )
    apply_event(state, question(4, "q2", approved=True))
    apply_event(
        state,
        event(
            5,
            "poll_opened",
            poll_id="p1",
            question="Q?",
            options=["a", "b"],
            multiple=False,
            hide_results=False,
            round_id=None,
        ),
    )
    apply_event(state, event(6, "ballot_cast", poll_id="p1", participant_id="pa", choices=[0]))
    apply_event(
        state, event(7, "ballot_withdrawn", poll_id="p1", participant_id="pa", counts=[0, 0], voters=0)
    )
    assert state.my_ballots == {} and state.polls["p1"].counts == [0, 0]
    apply_event(
        state, event(8, "contributions_erased", participant_id="pb", message_ids=["m1"], question_ids=["q2"])
    )
    assert not state.messages and not state.questions


def test_the_moderators_spotlight_line_cuts_long_texts_with_an_ellipsis() -> None:
    from client.i18n import Translator
    from client.widgets.spotlight import describe_spotlight

    state = ClientState(me="m", is_moderator=True)
    question = "Combien de cas d'usage d'IA générative avez-vous en production ?"
    apply_event(
        state,
        event(
            1,
            "poll_created",
            poll_id="p1",
            question=question,
            options=["a", "b"],
            multiple=False,
            hide_results=False,
        ),
    )
    apply_event(state, event(2, "spotlight_set", kind="poll", item_id="p1"))
    line = describe_spotlight(state, Translator("fr"))
    assert "…" in line, line
    assert question not in line
