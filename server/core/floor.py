"""The speaker queue: guests raise a hand, the moderator gives the floor.

A turn runs from ``floor_given`` to its ``floor_ended``: ``end_floor``, the
floor given to someone else, or the end of the round it was given in. The
speaking time of each person in each round is read off the turns (the events'
times: no clock here). The moderator may give the floor to anyone who joined,
hand raised or not (they call on someone); a raised hand leaves the queue then.
"""

from __future__ import annotations

from server.core.emit import Emitter
from server.core.errors import DomainError
from server.core.state import Actor, DebateState, Hand, Participant, Turn, applies
from shared import events as ev
from shared import protocol as p


def _participant(state: DebateState, participant_id: str) -> Participant:
    participant = state.participants.get(participant_id)
    if participant is None:
        raise DomainError("participant_not_found", f"No participant with id {participant_id!r}.")
    return participant


def raise_hand(state: DebateState, cmd: p.RaiseHand, actor: Actor, out: Emitter) -> None:
    me = actor.participant_id
    assert me is not None
    if me in state.hands:
        raise DomainError("hand_already_raised", "Your hand is already raised.")
    floor = state.floor
    if floor is not None and floor.participant_id == me:
        raise DomainError("already_has_floor", "You have the floor.")
    out.emit(ev.HandRaised, participant_id=me, name=_participant(state, me).name)
    if cmd.topic:
        out.emit(ev.HandTopicStated, participant_id=me, topic=cmd.topic)


def lower_hand(state: DebateState, cmd: p.LowerHand, actor: Actor, out: Emitter) -> None:
    target = cmd.participant_id or actor.participant_id
    assert target is not None
    if target != actor.participant_id:
        if actor.role != "moderator":
            raise DomainError("forbidden", "Only a moderator can lower someone else's hand.")
        _participant(state, target)
    if target not in state.hands:
        raise DomainError("hand_not_raised", "This hand is not raised.")
    out.emit(ev.HandLowered, participant_id=target)


def give_floor(state: DebateState, cmd: p.GiveFloor, out: Emitter) -> None:
    participant = _participant(state, cmd.participant_id)
    floor = state.floor
    if floor is not None and floor.participant_id == participant.participant_id:
        raise DomainError("already_has_floor", f"{participant.name} already has the floor.")
    end_turn(state, out)  # whoever spoke stops
    out.emit(
        ev.FloorGiven,
        participant_id=participant.participant_id,
        name=participant.name,
        round_id=state.live_round_id,
    )


def end_floor(state: DebateState, cmd: p.EndFloor, out: Emitter) -> None:
    if state.floor is None:
        raise DomainError("no_floor", "Nobody has the floor.")
    end_turn(state, out)


def end_turn(state: DebateState, out: Emitter) -> None:
    """End the turn of whoever has the floor, if anyone (also when their round ends)."""
    floor = state.floor
    if floor is not None:
        out.emit(ev.FloorEnded, participant_id=floor.participant_id)


# --- how its events change the state ----------------------------------------


@applies(ev.HandRaised)
def _hand_raised(state: DebateState, e: ev.HandRaised) -> None:
    state.hands[e.participant_id] = Hand(e.participant_id, e.name, e.at)


@applies(ev.HandTopicStated)
def _hand_topic_stated(state: DebateState, e: ev.HandTopicStated) -> None:
    hand = state.hands.get(e.participant_id)
    if hand is not None:
        hand.topic = e.topic or None  # an erased topic is empty in the log
    state.topic_authors.add(e.participant_id)


@applies(ev.HandLowered)
def _hand_lowered(state: DebateState, e: ev.HandLowered) -> None:
    state.hands.pop(e.participant_id, None)


@applies(ev.FloorGiven)
def _floor_given(state: DebateState, e: ev.FloorGiven) -> None:
    state.hands.pop(e.participant_id, None)
    floor = state.floor
    if floor is not None:  # the rules end it first; an older log may not have
        floor.ended_at = e.at
    state.turns.append(Turn(e.participant_id, e.name, e.round_id, e.at))


@applies(ev.FloorEnded)
def _floor_ended(state: DebateState, e: ev.FloorEnded) -> None:
    floor = state.floor
    if floor is not None:
        floor.ended_at = e.at
