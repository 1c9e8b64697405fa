"""Agenda rules: rounds are edited while pending; at most one is live."""

from server.core.emit import Emitter
from server.core.errors import DomainError
from server.core.floor import end_turn
from server.core.lookup import get_pending_round, get_round
from server.core.state import DebateState, Round, applies, count_id
from shared import events as ev
from shared import protocol as p


def add_round(state: DebateState, cmd: p.AddRound, out: Emitter) -> str:
    round_id = state.next_id("r")
    out.emit(
        ev.RoundAdded,
        round_id=round_id,
        title=cmd.title,
        theme=cmd.theme,
        minutes=cmd.minutes,
        position=len(state.agenda),
    )
    return round_id


def update_round(state: DebateState, cmd: p.UpdateRound, out: Emitter) -> None:
    round_ = get_pending_round(state, cmd.round_id)
    out.emit(
        ev.RoundUpdated,
        round_id=round_.round_id,
        title=cmd.title if cmd.title is not None else round_.title,
        theme=cmd.theme if cmd.theme is not None else round_.theme,
        minutes=cmd.minutes if cmd.minutes is not None else round_.minutes,
    )


def move_round(state: DebateState, cmd: p.MoveRound, out: Emitter) -> None:
    round_ = get_pending_round(state, cmd.round_id)
    position = min(cmd.position, len(state.agenda) - 1)
    # Started rounds keep their place: a pending round moves among the others.
    first_pending = next(i for i, rid in enumerate(state.agenda) if state.rounds[rid].status == "pending")
    if position < first_pending:
        raise DomainError("invalid_position", "A round cannot move before a round that has started.")
    out.emit(ev.RoundMoved, round_id=round_.round_id, position=position)


def remove_round(state: DebateState, cmd: p.RemoveRound, out: Emitter) -> None:
    round_ = get_pending_round(state, cmd.round_id)
    out.emit(ev.RoundRemoved, round_id=round_.round_id)


def _end_live_round(state: DebateState, out: Emitter) -> None:
    """End the live round, if any; the question on the floor leaves it with
    the round (the projector may still show it: set_spotlight), and so does
    whoever has the floor (a turn counts in one round: a round starting ends
    a turn given between rounds too)."""
    end_turn(state, out)
    if state.live_round_id is None:
        return
    if state.pinned_question_id is not None:
        out.emit(ev.QuestionUnpinned, question_id=state.pinned_question_id)
    out.emit(ev.RoundEnded, round_id=state.live_round_id)


def start_round(state: DebateState, cmd: p.StartRound, out: Emitter) -> None:
    round_ = get_round(state, cmd.round_id)
    if round_.status != "pending":
        raise DomainError("round_not_pending", "This round has already been started.")
    _end_live_round(state, out)
    out.emit(ev.RoundStarted, round_id=round_.round_id)


def reopen_round(state: DebateState, cmd: p.ReopenRound, out: Emitter) -> None:
    round_ = get_round(state, cmd.round_id)
    if round_.status != "ended":
        raise DomainError("round_not_ended", "Only an ended round can be reopened.")
    _end_live_round(state, out)
    out.emit(ev.RoundReopened, round_id=round_.round_id, spent_seconds=round(round_.live_seconds()))


def end_round(state: DebateState, cmd: p.EndRound, out: Emitter) -> None:
    if state.live_round_id is None:
        raise DomainError("no_live_round", "No round is live.")
    if cmd.round_id is not None and cmd.round_id != state.live_round_id:
        get_round(state, cmd.round_id)
        raise DomainError("round_not_live", "This round is not the live one.")
    _end_live_round(state, out)


# --- how its events change the state ----------------------------------------


@applies(ev.RoundAdded)
def _round_added(state: DebateState, e: ev.RoundAdded) -> None:
    count_id(state, "r", e.round_id)
    state.rounds[e.round_id] = Round(e.round_id, e.title, e.theme, e.minutes)
    state.agenda.insert(min(e.position, len(state.agenda)), e.round_id)


@applies(ev.RoundUpdated)
def _round_updated(state: DebateState, e: ev.RoundUpdated) -> None:
    round_ = state.rounds[e.round_id]
    round_.title, round_.theme, round_.minutes = e.title, e.theme, e.minutes


@applies(ev.RoundMoved)
def _round_moved(state: DebateState, e: ev.RoundMoved) -> None:
    state.agenda.remove(e.round_id)
    state.agenda.insert(min(e.position, len(state.agenda)), e.round_id)


@applies(ev.RoundRemoved)
def _round_removed(state: DebateState, e: ev.RoundRemoved) -> None:
    state.agenda.remove(e.round_id)
    del state.rounds[e.round_id]


@applies(ev.RoundStarted)
def _round_started(state: DebateState, e: ev.RoundStarted) -> None:
    round_ = state.rounds[e.round_id]
    round_.status, round_.started_at = "live", e.at
    state.live_round_id = e.round_id


@applies(ev.RoundEnded)
def _round_ended(state: DebateState, e: ev.RoundEnded) -> None:
    round_ = state.rounds[e.round_id]
    round_.status, round_.ended_at = "ended", e.at
    if state.live_round_id == e.round_id:
        state.live_round_id = None


@applies(ev.RoundReopened)
def _round_reopened(state: DebateState, e: ev.RoundReopened) -> None:
    round_ = state.rounds[e.round_id]
    round_.status, round_.ended_at = "live", None
    round_.resumed_at, round_.spent_seconds = e.at, e.spent_seconds
    state.live_round_id = e.round_id
