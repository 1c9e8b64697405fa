"""Check a command from an actor against the state; return the events it yields."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from server.core import (
    chat,
    erasure,
    floor,
    merging,
    notes,
    participants,
    polls,
    projector,
    questions,
    rounds,
    tables,
    wordfilter,
)
from server.core.emit import Emitter
from server.core.errors import DomainError
from server.core.state import Actor, DebateState
from shared import events as ev
from shared import limits
from shared import protocol as p
from shared.names import name_keys


@dataclass(frozen=True)
class Decision:
    events: list[ev.EventBase]
    created: str | None = None


# Each handler takes (state, command, actor, emitter) and may return a created id.
Handler = Callable[[DebateState, Any, Actor, Emitter], str | None]


def _without_actor(rule: Callable[[DebateState, Any, Emitter], str | None]) -> Handler:
    return lambda state, cmd, _actor, out: rule(state, cmd, out)


_HANDLERS: dict[str, Handler] = {
    "post_message": chat.post_message,
    "hide_message": _without_actor(chat.hide_message),
    "unhide_message": _without_actor(chat.unhide_message),
    "submit_question": questions.submit_question,
    "upvote_question": questions.upvote_question,
    "withdraw_upvote": questions.withdraw_upvote,
    "approve_question": _without_actor(questions.approve_question),
    "reject_question": _without_actor(questions.reject_question),
    "restore_question": _without_actor(questions.restore_question),
    "mark_answered": _without_actor(questions.mark_answered),
    "pin_question": _without_actor(questions.pin_question),
    "unpin_question": _without_actor(questions.unpin_question),
    "set_moderation": _without_actor(questions.set_moderation),
    "add_round": _without_actor(rounds.add_round),
    "update_round": _without_actor(rounds.update_round),
    "move_round": _without_actor(rounds.move_round),
    "remove_round": _without_actor(rounds.remove_round),
    "start_round": _without_actor(rounds.start_round),
    "end_round": _without_actor(rounds.end_round),
    "reopen_round": _without_actor(rounds.reopen_round),
    "create_poll": _without_actor(polls.create_poll),
    "open_poll": _without_actor(polls.open_poll),
    "close_poll": _without_actor(polls.close_poll),
    "cast_ballot": polls.cast_ballot,
    "approve_answer": _without_actor(polls.approve_answer),
    "reject_answer": _without_actor(polls.reject_answer),
    "erase_my_contributions": erasure.erase_my_contributions,
    "withdraw_question": erasure.withdraw_question,
    "set_spotlight": _without_actor(projector.set_spotlight),
    "announce": _without_actor(projector.announce),
    "set_join_rate": _without_actor(participants.set_join_rate),
    # the word filter and the moderators' back-channel (issue 12)
    "release_message": _without_actor(wordfilter.release_message),
    "post_note": notes.post_note,
    "merge_questions": _without_actor(merging.merge_questions),
    "unmerge_question": _without_actor(merging.unmerge_question),
    "answer_question": _without_actor(merging.answer_question),
    "raise_hand": floor.raise_hand,
    "lower_hand": floor.lower_hand,
    "give_floor": _without_actor(floor.give_floor),
    "end_floor": _without_actor(floor.end_floor),
    # tables (issue 13)
    "add_table": _without_actor(tables.add_table),
    "update_table": _without_actor(tables.update_table),
    "remove_table": _without_actor(tables.remove_table),
    "choose_table": tables.choose_table,
    "seat_guest": _without_actor(tables.seat_guest),
    "set_spokesperson": _without_actor(tables.set_spokesperson),
    "post_synthesis": tables.post_synthesis,
}


def authorize(actor: Actor, command_type: str) -> None:
    """Raise ``forbidden`` unless the actor's role may send this command."""
    if actor.role == "screen" or actor.participant_id is None:
        raise DomainError("forbidden", "A screen is read-only and cannot send commands.")
    if actor.role not in p.COMMAND_MODELS[command_type].roles:
        raise DomainError("forbidden", "Only a moderator can do this.")


def decide(
    state: DebateState,
    command: p.Command,
    actor: Actor,
    now: str,
    *,
    secret_hash: str | None = None,
) -> Decision:
    """``secret_hash``: for an anonymous question, the hash of the secret the
    server drew for its author's client (randomness stays out of the core)."""
    command_type: str = command.type  # type: ignore[attr-defined]
    authorize(actor, command_type)
    handler = _HANDLERS.get(command_type)
    if handler is None:  # a command the transport answers itself, not a rule
        raise DomainError("not_a_debate_command", f"{command_type} changes nothing in the debate.")
    out = Emitter(state.seq, now)
    if isinstance(command, p.SubmitQuestion):
        created: str | None = questions.submit_question(state, command, actor, out, secret_hash)
    else:
        created = handler(state, command, actor, out)
    return Decision(out.events, created)


def decide_create(state: DebateState, title: str, now: str) -> Decision:
    if state.seq != 0:
        raise DomainError("already_created", "The debate already exists.")
    out = Emitter(state.seq, now)
    out.emit(ev.DebateCreated, title=title)
    return Decision(out.events)


def decide_word_filter(
    state: DebateState, words: list[str], builtin: bool, action: ev.FilterAction, now: str
) -> Decision:
    """The plan's ``[filter]`` (see ``server.plan``): not a command anyone sends."""
    out = Emitter(state.seq, now)
    wordfilter.set_word_filter(state, words, builtin, action, out)
    return Decision(out.events)


def unique_name(state: DebateState, wanted: str, reserved: AbstractSet[str] = frozenset()) -> str:
    """The wanted name, or the same with a suffix ' (2)', ' (3)'… when taken.

    ``reserved``: name keys (``shared.names.name_keys``) taken in advance, the
    invited guests' names, so that nobody joining with the shared code takes
    the name of a guest who has not arrived yet.
    """

    def taken(name: str) -> bool:
        return state.name_taken(name) or not reserved.isdisjoint(name_keys(name))

    if not taken(wanted):
        return wanted
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = wanted[: limits.NAME_MAX - len(suffix)].rstrip() + suffix
        if not taken(candidate):
            return candidate
        number += 1


def decide_join(
    state: DebateState,
    participant_id: str,
    name: str,
    role: str,
    token_hash: str,
    now: str,
    reserved: AbstractSet[str] = frozenset(),
    invitation: int | None = None,
    table: str | None = None,
) -> Decision:
    """``table``: the table an invitation names (issue 13): the guest is seated
    there as they join, if it exists and has room; otherwise they choose."""
    if role not in ("participant", "moderator"):
        raise DomainError("forbidden", "Only participants and moderators join by name.")
    if participant_id in state.participants:
        raise DomainError("already_joined", "This participant has already joined.")
    out = Emitter(state.seq, now)
    out.emit(
        ev.ParticipantJoined,
        participant_id=participant_id,
        name=unique_name(state, name, reserved),
        role=role,
        token_hash=token_hash,
        invitation=invitation,
    )
    if table is not None and role == "participant":
        joined: ev.ParticipantJoined = out.events[-1]  # type: ignore[assignment]
        tables.seat_invited_guest(state, participant_id, joined.name, table, out)
    return Decision(out.events, participant_id)


def decide_device(state: DebateState, participant_id: str, token_hash: str, now: str) -> Decision:
    """One more device of an invited guest: a token of its own for the same participant."""
    if participant_id not in state.participants:
        raise DomainError("bad_credentials", "No such participant.")
    out = Emitter(state.seq, now)
    out.emit(ev.ParticipantDeviceAdded, participant_id=participant_id, token_hash=token_hash)
    return Decision(out.events)
