"""The word filter in the core: held or refused, recorded in the events, replayed alike."""

from __future__ import annotations

import pytest

from server.core import DomainError, decide, erasure, fold
from server.core.snapshot import build_snapshot
from server.core.visibility import SCREEN, Viewer, audience_of
from shared import events as ev
from tests.core.debate import CoreDebate


def _debate(action: str = "hold", words: list[str] | None = None, builtin: bool = True) -> CoreDebate:
    d = CoreDebate()
    d.set_filter(words, builtin, action)
    return d


def test_without_a_filter_nothing_is_held() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    d.run(alice, "post_message", text="quel con")
    assert not d.state.messages["m1"].held


def test_a_matching_message_is_held_for_the_moderators_and_its_author() -> None:
    d = _debate("hold")
    alice, bob = d.join("Alice"), d.join("Bob")
    decision = d.run(alice, "post_message", text="Quel c.o.n, ce projet")
    posted = decision.events[0]
    assert isinstance(posted, ev.MessagePosted) and posted.held
    d.run(bob, "post_message", text="Bonsoir")
    assert d.state.messages["m1"].held and not d.state.messages["m2"].held
    moderator = Viewer(d.moderator.participant_id, True)
    assert [m.message_id for m in build_snapshot(d.state, Viewer(bob.participant_id, False)).messages] == [
        "m2"
    ]
    assert [m.message_id for m in build_snapshot(d.state, SCREEN).messages] == ["m2"]
    mine = build_snapshot(d.state, Viewer(alice.participant_id, False)).messages
    assert [(m.message_id, m.held) for m in mine] == [("m1", True), ("m2", False)]
    assert [m.held for m in build_snapshot(d.state, moderator).messages] == [True, False]


def test_release_shows_a_held_message_to_everyone() -> None:
    d = _debate("hold")
    alice, bob = d.join("Alice"), d.join("Bob")
    d.run(alice, "post_message", text="merde alors")
    decision = d.mod("release_message", message_id="m1")
    assert d.types(decision) == ["message_released"]
    assert audience_of(d.state, decision.events[0]).everyone
    assert [m.message_id for m in build_snapshot(d.state, Viewer(bob.participant_id, False)).messages] == [
        "m1"
    ]
    with pytest.raises(DomainError) as error:
        d.mod("release_message", message_id="m1")
    assert error.value.code == "not_held"
    with pytest.raises(DomainError) as error:
        d.mod("release_message", message_id="m9")
    assert error.value.code == "message_not_found"
    with pytest.raises(DomainError) as error:
        d.run(bob, "release_message", message_id="m1")
    assert error.value.code == "forbidden"


def test_hiding_a_held_message_drops_it_and_tells_only_who_saw_it() -> None:
    d = _debate("hold")
    alice = d.join("Alice")
    d.run(alice, "post_message", text="putain")
    hidden = d.command("hide_message", message_id="m1")
    decision = decide(d.state, hidden, d.moderator, d.now())
    audience = audience_of(d.state, decision.events[0])
    assert not audience.everyone and audience.moderators and audience.recipient == alice.participant_id
    d.mod("hide_message", message_id="m1")
    assert d.state.messages["m1"].hidden and d.state.messages["m1"].held


def test_refuse_changes_nothing_and_says_why() -> None:
    d = _debate("refuse")
    alice = d.join("Alice")
    before = d.state.seq
    for type_, fields in (
        ("post_message", {"text": "Quel CONNARD"}),
        ("submit_question", {"text": "Pourquoi tant de m3rde ?"}),
    ):
        with pytest.raises(DomainError) as error:
            d.run(alice, type_, **fields)
        assert error.value.code == "filtered"
        assert "filters out" in error.value.message
    assert d.state.seq == before and not d.state.messages and not d.state.questions


def test_moderators_are_not_filtered() -> None:
    d = _debate("refuse")
    d.mod("post_message", text="On ne dit pas « con » ici.")
    assert not d.state.messages["m1"].held


def test_a_matching_question_goes_to_review_even_with_moderation_off() -> None:
    d = _debate("hold")
    alice = d.join("Alice")
    d.mod("set_moderation", enabled=False)
    d.run(alice, "submit_question", text="Et ce putain de budget ?")
    d.run(alice, "submit_question", text="Et le budget ?")
    first, second = d.state.questions["q1"], d.state.questions["q2"]
    assert (first.status, first.filtered) == ("pending", True)
    assert (second.status, second.filtered) == ("approved", False)
    mine = build_snapshot(d.state, Viewer(alice.participant_id, False)).questions
    assert [(q.question_id, q.status, q.filtered) for q in mine] == [
        ("q1", "pending", True),
        ("q2", "approved", False),
    ]
    d.mod("approve_question", question_id="q1")
    assert (first.status, first.filtered) == ("approved", False)


def test_an_anonymous_matching_question_stays_anonymous() -> None:
    d = _debate("hold")
    alice = d.join("Alice")
    decision = d.run(alice, "submit_question", text="Quelle merde", anonymous=True)
    submitted = decision.events[0]
    assert isinstance(submitted, ev.QuestionSubmitted)
    assert submitted.filtered and submitted.author_id is None and submitted.author_name is None


def test_the_organisers_words_and_builtin_off() -> None:
    d = _debate("hold", words=["Blockchain"], builtin=False)
    alice = d.join("Alice")
    d.run(alice, "post_message", text="merde")  # built-in list off
    d.run(alice, "post_message", text="Les BLOCKCHAINS, encore ?")
    assert [m.held for m in d.state.messages.values()] == [False, True]


def test_the_decision_is_in_the_log_so_a_replay_keeps_it_whatever_the_filter_now() -> None:
    """Replay folds the recorded ``held``; a later filter does not rewrite history."""
    d = _debate("hold", words=["pomme"])
    alice = d.join("Alice")
    d.run(alice, "post_message", text="pomme")
    d.set_filter([], builtin=False, action="hold")
    d.run(alice, "post_message", text="pomme")
    replayed = fold(d.log)
    assert [m.held for m in replayed.messages.values()] == [True, False]
    assert replayed.word_filter == d.state.word_filter
    assert replayed.word_filter is not None and replayed.word_filter.words == ()


def test_erasure_takes_held_messages_too() -> None:
    d = _debate("hold")
    alice = d.join("Alice")
    d.run(alice, "post_message", text="merde")
    d.run(alice, "erase_my_contributions")
    assert not d.state.messages


def test_unhide_of_a_held_then_hidden_message_shows_it_to_everyone() -> None:
    d = _debate("hold")
    alice, bob = d.join("Alice"), d.join("Bob")
    d.run(alice, "post_message", text="merde")
    d.mod("hide_message", message_id="m1")
    d.mod("unhide_message", message_id="m1")
    message = d.state.messages["m1"]
    assert not message.held and not message.hidden
    assert [m.message_id for m in build_snapshot(d.state, Viewer(bob.participant_id, False)).messages] == [
        "m1"
    ]


def test_erasure_takes_a_released_message_out_of_the_log_too() -> None:
    """The released message's event carries its text: erasure rewrites it like the others."""
    d = _debate("hold")
    alice = d.join("Alice")
    d.run(alice, "post_message", text="merde alors")
    d.mod("release_message", message_id="m1")
    erased = d.run(alice, "erase_my_contributions").events
    stored = [e for e in d.log if e.type in erasure.REDACTABLE_TYPES]
    rewritten = {event.type: event for event, _ in erasure.redactions(stored, erased)}
    assert set(rewritten) == {"message_posted", "message_released"}
    for event in rewritten.values():
        assert isinstance(event, ev.MessagePosted | ev.MessageReleased) and event.text == ""


# --- the other texts guests show the room (issues 12 and 13) ----------------------


def _refused(d: CoreDebate, actor: object, type_: str, **fields: object) -> str:
    before = d.state.seq
    with pytest.raises(DomainError) as raised:
        d.run(actor, type_, **fields)  # type: ignore[arg-type]
    assert d.state.seq == before  # a refused command changes nothing
    return raised.value.code


@pytest.mark.parametrize("action", ["hold", "refuse"])
def test_a_synthesis_or_a_cloud_word_that_matches_is_refused_whatever_the_action(action: str) -> None:
    """Every screen shows them at once, with no review: there is nowhere to hold them."""
    d = _debate(action)
    alice, bob = d.join("Alice"), d.join("Bob")
    d.mod("add_round", title="Agents", theme="t", minutes=20)
    d.mod("add_table", name="Lovelace", seats=4)
    d.run(alice, "choose_table", table_id="t1")
    d.mod("set_spokesperson", table_id="t1", participant_id=alice.participant_id)
    d.mod("start_round", round_id="r1")
    assert _refused(d, alice, "post_synthesis", round_id="r1", text="Un projet de m3rde") == "filtered"
    d.run(alice, "post_synthesis", round_id="r1", text="Des agents, mais supervisés.")
    assert [s.text for s in d.state.syntheses.values()] == ["Des agents, mais supervisés."]
    d.mod("create_poll", question="Un mot ?", kind="words")
    d.mod("open_poll", poll_id="p1")
    assert _refused(d, bob, "cast_ballot", poll_id="p1", words=["confiance", "c o n"]) == "filtered"
    d.run(bob, "cast_ballot", poll_id="p1", words=["confiance", "coûts"])
    d.mod("cast_ballot", poll_id="p1", words=["merde"])  # moderators are the reviewers
    assert set(d.state.polls["p1"].word_ballots) == {bob.participant_id, d.moderator.participant_id}


def test_an_open_answer_that_matches_waits_for_review_or_is_refused() -> None:
    """Open answers wait for the moderators' review anyway: only "refuse" refuses them."""
    for action in ("hold", "refuse"):
        d = _debate(action)
        alice = d.join("Alice")
        d.mod("create_poll", question="Votre avis ?", kind="open")
        d.mod("open_poll", poll_id="p1")
        if action == "hold":
            d.run(alice, "cast_ballot", poll_id="p1", text="Quel putain de projet")
            answer = d.state.polls["p1"].answers["o1"]
            assert answer.status == "pending"
        else:
            assert _refused(d, alice, "cast_ballot", poll_id="p1", text="Quel putain de projet") == "filtered"
            assert not d.state.polls["p1"].answers


def test_a_hands_topic_is_not_filtered() -> None:
    """Only the moderators (the reviewers) and its owner ever see a hand's topic."""
    d = _debate("refuse")
    alice = d.join("Alice")
    d.run(alice, "raise_hand", topic="Cette putain de gouvernance")
    assert [h.topic for h in d.state.hands.values()] == ["Cette putain de gouvernance"]
