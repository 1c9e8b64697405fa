"""The moderator's undo: a hidden message comes back, an ended round resumes, a
rejected question returns to the queue (issue 9, section 2)."""

from __future__ import annotations

import pytest

from server.core import DomainError
from server.core.erasure import redactions
from server.core.snapshot import build_snapshot, has_personal_view
from server.core.state import parse_time
from server.core.visibility import MODERATORS, SCREEN, Viewer, audience_of
from shared import events as ev
from tests.core.debate import CoreDebate


def seconds_between(start: str, end: str) -> int:
    return round((parse_time(end) - parse_time(start)).total_seconds())


def _code(d: CoreDebate, type_: str, **fields: object) -> str:
    before = d.state.seq
    with pytest.raises(DomainError) as error:
        d.mod(type_, **fields)
    assert d.state.seq == before, "a refused command changes nothing"
    return error.value.code


def test_a_hidden_message_comes_back_for_everyone() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    d.run(alice, "post_message", text="Un avis tranché")
    d.mod("hide_message", message_id="m1")
    shown = d.mod("unhide_message", message_id="m1")
    assert d.types(shown) == ["message_unhidden"]
    event = shown.events[0]
    # The whole message: guests dropped it when it was hidden.
    assert (event.text, event.author_name, event.posted_at) == (  # type: ignore[attr-defined]
        "Un avis tranché",
        "Alice",
        d.state.messages["m1"].at,
    )
    assert not d.state.messages["m1"].hidden
    assert [m.text for m in build_snapshot(d.state, SCREEN).messages] == ["Un avis tranché"]


def test_unhide_refuses_a_visible_or_unknown_message() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    d.run(alice, "post_message", text="Bonsoir")
    assert _code(d, "unhide_message", message_id="m1") == "not_hidden"
    assert _code(d, "unhide_message", message_id="m9") == "message_not_found"


def test_a_hidden_message_stays_marked_for_its_author_and_the_moderators_only() -> None:
    d = CoreDebate()
    alice, bob = d.join("Alice"), d.join("Bob")
    d.run(alice, "post_message", text="Hors sujet")
    d.mod("hide_message", message_id="m1")
    assert alice.participant_id is not None and bob.participant_id is not None
    for viewer in (Viewer(alice.participant_id, False), Viewer(d.moderator.participant_id, True)):
        [message] = build_snapshot(d.state, viewer).messages
        assert message.hidden and message.text == "Hors sujet"
    assert build_snapshot(d.state, Viewer(bob.participant_id, False)).messages == []
    assert build_snapshot(d.state, SCREEN).messages == []
    # The author's snapshot is personal: the shared snapshot cache must not serve it.
    assert has_personal_view(d.state, alice.participant_id)
    assert not has_personal_view(d.state, bob.participant_id)


def test_erasing_takes_the_text_back_from_the_unhidden_event_too() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    d.run(alice, "post_message", text="Mon adresse : 3 rue X")
    d.mod("hide_message", message_id="m1")
    [unhidden] = d.mod("unhide_message", message_id="m1").events
    erased = d.run(alice, "erase_my_contributions").events
    [(rewritten, audience)] = redactions([unhidden], erased)
    assert rewritten.text == "" and audience is None  # type: ignore[attr-defined]


def test_an_ended_round_resumes_and_its_countdown_continues() -> None:
    d = CoreDebate()
    d.mod("add_round", title="Un", theme="t", minutes=20)
    d.mod("add_round", title="Deux", theme="t", minutes=20)
    assert _code(d, "reopen_round", round_id="r1") == "round_not_ended"
    d.mod("start_round", round_id="r1")
    assert _code(d, "reopen_round", round_id="r1") == "round_not_ended"
    assert _code(d, "reopen_round", round_id="r9") == "round_not_found"
    d.mod("start_round", round_id="r2")  # 'n' twice: r1 ended one tick after it started
    round_one = d.state.rounds["r1"]
    assert round_one.started_at is not None and round_one.ended_at is not None
    spent = seconds_between(round_one.started_at, round_one.ended_at)
    assert 0 < spent < 60 and round(round_one.live_seconds()) == spent
    reopened = d.mod("reopen_round", round_id="r1")
    # The live round ends first; r1 is live again with the time it had already spent.
    assert d.types(reopened) == ["round_ended", "round_reopened"]
    assert reopened.events[1].spent_seconds == spent  # type: ignore[attr-defined]
    assert d.state.live_round_id == "r1" and d.state.rounds["r2"].status == "ended"
    assert round_one.status == "live" and round_one.ended_at is None
    assert round_one.resumed_at == reopened.events[1].at
    # Ended again: its live time counts both stretches, not the pause between.
    d.mod("end_round")
    assert round_one.resumed_at is not None and round_one.ended_at is not None
    assert round_one.live_seconds() == spent + seconds_between(round_one.resumed_at, round_one.ended_at)


def _triage(d: CoreDebate) -> dict[str, str]:
    alice = d.join("Alice")
    d.run(alice, "submit_question", text="Nommée")
    d.run(alice, "submit_question", text="Anonyme", anonymous=True)
    d.run(alice, "submit_question", text="Validée")
    d.mod("approve_question", question_id="q3")
    assert alice.participant_id is not None
    return {"alice": alice.participant_id}


def test_a_rejection_reaches_the_author_privately() -> None:
    d = CoreDebate()
    ids = _triage(d)
    named = audience_of(d.state, ev.QuestionRejected(seq=99, at="x", question_id="q1"))
    assert (named.everyone, named.moderators, named.recipient) == (False, True, ids["alice"])
    # The anonymous author is known to no one: the bare id goes to everyone and
    # only the author's client, which keeps its own ids, recognises it.
    anonymous = audience_of(d.state, ev.QuestionRejected(seq=99, at="x", question_id="q2"))
    assert anonymous.everyone and anonymous.recipient is None
    approved = audience_of(d.state, ev.QuestionRejected(seq=99, at="x", question_id="q3"))
    assert approved.everyone


def test_a_rejected_question_comes_back_to_the_queue_and_starts_over() -> None:
    d = CoreDebate()
    ids = _triage(d)
    bob = d.join("Bob")
    d.run(bob, "upvote_question", question_id="q3")
    d.mod("pin_question", question_id="q3")
    assert _code(d, "restore_question", question_id="q3") == "question_not_rejected"
    d.mod("reject_question", question_id="q3")
    assert d.state.pinned_question_id is None
    # Moderators still see it (to restore it); nobody else does.
    moderator = build_snapshot(d.state, Viewer(d.moderator.participant_id, True))
    assert {q.question_id: q.status for q in moderator.questions}["q3"] == "rejected"
    assert "q3" not in {q.question_id for q in build_snapshot(d.state, Viewer(ids["alice"], False)).questions}
    restored = d.mod("restore_question", question_id="q3")
    assert d.types(restored) == ["question_restored"]
    question = d.state.questions["q3"]
    assert question.status == "pending" and not question.voters and not question.answered
    audience = audience_of(d.state, restored.events[0])
    assert audience.moderators and not audience.everyone and audience.recipient == ids["alice"]
    d.mod("reject_question", question_id="q2")
    [anonymous] = d.mod("restore_question", question_id="q2").events
    assert audience_of(d.state, anonymous) == MODERATORS
    assert _code(d, "restore_question", question_id="q9") == "question_not_found"


def test_marking_the_pinned_question_answered_unpins_it() -> None:
    d = CoreDebate()
    _triage(d)
    d.mod("pin_question", question_id="q3")
    answered = d.mod("mark_answered", question_id="q3")
    assert d.types(answered) == ["question_unpinned", "question_answered"]
    assert d.state.pinned_question_id is None and d.state.questions["q3"].answered
