"""The speaker queue: raise and lower hands, give and end the floor, speaking time."""

from __future__ import annotations

import pytest

from server.core import DomainError, fold
from server.core.snapshot import build_snapshot
from server.core.visibility import SCREEN, Viewer, audience_of
from shared import events as ev
from tests.core.debate import CoreDebate


@pytest.fixture
def d() -> CoreDebate:
    debate = CoreDebate()
    for name in ("Alice", "Bob", "Carol"):
        debate.join(name)
    debate.mod("add_round", title="Agents", theme="t", minutes=20)
    debate.mod("add_round", title="Données", theme="t", minutes=20)
    return debate


def actor(d: CoreDebate, name: str):  # type: ignore[no-untyped-def]
    from server.core import Actor

    participant = next(x for x in d.state.participants.values() if x.name == name)
    return Actor(participant.participant_id, participant.role, participant.name)


def pid(d: CoreDebate, name: str) -> str:
    return next(x.participant_id for x in d.state.participants.values() if x.name == name)


def code_of(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as error:
        call()
    return error.value.code


def test_hands_queue_in_the_order_raised_with_their_topics(d: CoreDebate) -> None:
    decision = d.run(actor(d, "Alice"), "raise_hand", topic="Les agents en prod")
    assert d.types(decision) == ["hand_raised", "hand_topic_stated"]
    assert d.types(d.run(actor(d, "Bob"), "raise_hand")) == ["hand_raised"]
    assert list(d.state.hands) == [pid(d, "Alice"), pid(d, "Bob")]
    assert d.state.hands[pid(d, "Alice")].topic == "Les agents en prod"
    assert d.state.hands[pid(d, "Bob")].topic is None
    assert code_of(lambda: d.run(actor(d, "Alice"), "raise_hand")) == "hand_already_raised"
    d.run(actor(d, "Alice"), "lower_hand")
    assert code_of(lambda: d.run(actor(d, "Alice"), "lower_hand")) == "hand_not_raised"
    d.run(actor(d, "Alice"), "raise_hand")  # back at the end of the queue
    assert list(d.state.hands) == [pid(d, "Bob"), pid(d, "Alice")]


def test_a_guest_lowers_only_their_own_hand_a_moderator_anyones(d: CoreDebate) -> None:
    d.run(actor(d, "Alice"), "raise_hand")
    alice = pid(d, "Alice")
    assert code_of(lambda: d.run(actor(d, "Bob"), "lower_hand", participant_id=alice)) == "forbidden"
    assert code_of(lambda: d.mod("lower_hand", participant_id="u99")) == "participant_not_found"
    assert d.types(d.mod("lower_hand", participant_id=alice)) == ["hand_lowered"]
    assert not d.state.hands


def test_giving_the_floor_takes_the_hand_out_of_the_queue(d: CoreDebate) -> None:
    d.run(actor(d, "Alice"), "raise_hand")
    d.run(actor(d, "Bob"), "raise_hand")
    d.mod("give_floor", participant_id=pid(d, "Alice"))
    assert d.state.floor is not None and d.state.floor.participant_id == pid(d, "Alice")
    assert list(d.state.hands) == [pid(d, "Bob")]
    assert code_of(lambda: d.run(actor(d, "Alice"), "raise_hand")) == "already_has_floor"
    assert code_of(lambda: d.mod("give_floor", participant_id=pid(d, "Alice"))) == "already_has_floor"


def test_the_floor_goes_to_anyone_and_the_previous_turn_ends(d: CoreDebate) -> None:
    d.mod("give_floor", participant_id=pid(d, "Carol"))  # no hand raised: called on
    decision = d.mod("give_floor", participant_id=pid(d, "Bob"))
    assert d.types(decision) == ["floor_ended", "floor_given"]
    assert [t.participant_id for t in d.state.turns] == [pid(d, "Carol"), pid(d, "Bob")]
    assert d.state.turns[0].ended_at == decision.events[0].at
    assert code_of(lambda: d.mod("give_floor", participant_id="u99")) == "participant_not_found"


def test_end_floor(d: CoreDebate) -> None:
    assert code_of(lambda: d.mod("end_floor")) == "no_floor"
    d.mod("give_floor", participant_id=pid(d, "Bob"))
    assert d.types(d.mod("end_floor")) == ["floor_ended"]
    assert d.state.floor is None
    assert code_of(lambda: d.mod("end_floor")) == "no_floor"


def test_guests_may_not_give_or_end_the_floor(d: CoreDebate) -> None:
    alice = actor(d, "Alice")
    assert code_of(lambda: d.run(alice, "give_floor", participant_id=alice.participant_id)) == "forbidden"
    assert code_of(lambda: d.run(alice, "end_floor")) == "forbidden"


def test_a_round_ending_ends_the_turn_and_counts_it_in_that_round(d: CoreDebate) -> None:
    d.mod("start_round", round_id="r1")
    d.mod("give_floor", participant_id=pid(d, "Alice"))
    decision = d.mod("start_round", round_id="r2")
    assert d.types(decision) == ["floor_ended", "round_ended", "round_started"]
    assert d.state.floor is None
    assert d.state.turns[0].round_id == "r1"
    d.mod("give_floor", participant_id=pid(d, "Bob"))
    assert d.types(d.mod("end_round")) == ["floor_ended", "round_ended"]
    assert d.state.turns[1].round_id == "r2"
    # Given between rounds, a turn ends when the next round starts.
    d.mod("give_floor", participant_id=pid(d, "Carol"))
    assert d.state.turns[2].round_id is None
    d.mod("add_round", title="Trois", theme="t", minutes=5)
    assert d.types(d.mod("start_round", round_id="r3")) == ["floor_ended", "round_started"]


def test_speaking_time_comes_from_the_events_times(d: CoreDebate) -> None:
    d.mod("start_round", round_id="r1")
    given = d.mod("give_floor", participant_id=pid(d, "Alice")).events[-1]
    for _ in range(10):  # each command is one second later on the test clock
        d.run(actor(d, "Bob"), "post_message", text="…")
    ended = d.mod("end_floor").events[-1]
    turn = d.state.turns[0]
    assert (turn.started_at, turn.ended_at) == (given.at, ended.at)
    assert turn.seconds(None) == 11.0
    open_turn = d.mod("give_floor", participant_id=pid(d, "Bob")).events[-1]
    assert d.state.turns[1].seconds(None) == 0.0
    assert d.state.turns[1].seconds(d.state.last_at) == 0.0
    d.run(actor(d, "Alice"), "post_message", text="…")
    assert d.state.turns[1].seconds(d.state.last_at) == 1.0 and open_turn.at


def test_erasure_lowers_the_hand_and_forgets_the_topic(d: CoreDebate) -> None:
    alice = actor(d, "Alice")
    d.run(alice, "raise_hand", topic="Mon sujet")
    decision = d.run(alice, "erase_my_contributions")  # a hand alone is something to erase
    assert d.types(decision) == ["hand_lowered", "contributions_erased"]
    assert not d.state.hands and not d.state.topic_authors
    assert code_of(lambda: d.run(alice, "erase_my_contributions")) == "nothing_to_erase"
    # A past topic (hand since lowered) is still theirs to erase from the log.
    d.run(alice, "raise_hand", topic="Autre sujet")
    d.run(alice, "lower_hand")
    assert d.types(d.run(alice, "erase_my_contributions")) == ["contributions_erased"]


def test_the_topic_is_for_the_moderators_and_the_owner_only(d: CoreDebate) -> None:
    alice, bob = actor(d, "Alice"), actor(d, "Bob")
    before = fold(d.log)
    topic_event = d.run(alice, "raise_hand", topic="Secret-ish").events[1]
    assert isinstance(topic_event, ev.HandTopicStated)
    audience = audience_of(before, topic_event)
    assert audience.moderators and not audience.everyone and audience.recipient == alice.participant_id
    views = {
        "mod": build_snapshot(d.state, Viewer(d.moderator.participant_id, True)),
        "alice": build_snapshot(d.state, Viewer(alice.participant_id, False)),
        "bob": build_snapshot(d.state, Viewer(bob.participant_id, False)),
        "screen": build_snapshot(d.state, SCREEN),
    }
    assert [h.topic for h in views["mod"].hands] == ["Secret-ish"]
    assert [h.topic for h in views["alice"].hands] == ["Secret-ish"]
    assert [(h.name, h.topic) for h in views["bob"].hands] == [("Alice", None)]
    assert [(h.name, h.topic) for h in views["screen"].hands] == [("Alice", None)]


def test_the_fold_rebuilds_the_queue_and_the_turns(d: CoreDebate) -> None:
    d.run(actor(d, "Alice"), "raise_hand", topic="x")
    d.run(actor(d, "Bob"), "raise_hand")
    d.mod("start_round", round_id="r1")
    d.mod("give_floor", participant_id=pid(d, "Bob"))
    assert fold(d.log) == d.state
