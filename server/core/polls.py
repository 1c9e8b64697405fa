"""Poll rules: one open poll at a time, one ballot per participant."""

from server.core import tables
from server.core.emit import Emitter
from server.core.errors import DomainError
from server.core.lookup import erased_since, get_poll
from server.core.state import Actor, DebateState, Poll, applies, count_id
from shared import events as ev
from shared import protocol as p


def create_poll(state: DebateState, cmd: p.CreatePoll, out: Emitter) -> str:
    if len({option.casefold() for option in cmd.options}) != len(cmd.options):
        raise DomainError("duplicate_options", "Each option of a poll must be different.")
    poll_id = state.next_id("p")
    out.emit(
        ev.PollCreated,
        poll_id=poll_id,
        question=cmd.question,
        options=list(cmd.options),
        multiple=cmd.multiple,
        hide_results=cmd.hide_results,
    )
    return poll_id


def open_poll(state: DebateState, cmd: p.OpenPoll, out: Emitter) -> None:
    poll = get_poll(state, cmd.poll_id)
    if poll.status != "draft":
        raise DomainError("poll_not_draft", "This poll has already been opened.")
    if state.open_poll_id is not None:
        raise DomainError("another_poll_open", "Close the open poll before opening another.")
    out.emit(
        ev.PollOpened,
        poll_id=poll.poll_id,
        question=poll.question,
        options=list(poll.options),
        multiple=poll.multiple,
        hide_results=poll.hide_results,
        round_id=state.live_round_id,
    )


def close_poll(state: DebateState, cmd: p.ClosePoll, out: Emitter) -> None:
    poll = get_poll(state, cmd.poll_id)
    if poll.status != "open":
        raise DomainError("poll_not_open", "This poll is not open.")
    out.emit(
        ev.PollClosed,
        poll_id=poll.poll_id,
        counts=poll.counts(),
        voters=poll.voters,
        by_table=tables.results_by_table(state, poll),
    )


def cast_ballot(state: DebateState, cmd: p.CastBallot, actor: Actor, out: Emitter) -> None:
    assert actor.participant_id is not None
    poll = get_poll(state, cmd.poll_id)
    if poll.status == "closed":
        raise DomainError("poll_closed", "This poll is closed.")
    if poll.status != "open":
        raise DomainError("poll_not_open", "This poll is not open.")
    choices = sorted(set(cmd.choices))
    if len(choices) != len(cmd.choices):
        raise DomainError("invalid_choice", "An option is chosen twice.")
    if any(index >= len(poll.options) for index in choices):
        raise DomainError("invalid_choice", "No such option in this poll.")
    if not poll.multiple and len(choices) != 1:
        raise DomainError("invalid_choice", "This poll takes exactly one choice.")
    if erased_since(state, actor, poll.opened_seq):
        raise DomainError(
            "erased_earlier",
            "You erased your contributions: a ballot you had cast here still counts, unlinked from you.",
        )
    out.emit(ev.BallotCast, poll_id=poll.poll_id, participant_id=actor.participant_id, choices=choices)


# --- how its events change the state ----------------------------------------


@applies(ev.PollCreated)
def _poll_created(state: DebateState, e: ev.PollCreated) -> None:
    count_id(state, "p", e.poll_id)
    state.polls[e.poll_id] = Poll(e.poll_id, e.question, list(e.options), e.multiple, e.hide_results)


@applies(ev.PollOpened)
def _poll_opened(state: DebateState, e: ev.PollOpened) -> None:
    poll = state.polls[e.poll_id]
    poll.status, poll.round_id, poll.opened_at, poll.opened_seq = "open", e.round_id, e.at, e.seq
    state.open_poll_id = e.poll_id


@applies(ev.PollClosed)
def _poll_closed(state: DebateState, e: ev.PollClosed) -> None:
    poll = state.polls[e.poll_id]
    poll.status, poll.closed_at = "closed", e.at
    poll.by_table = list(e.by_table)
    poll.by_table_withheld = not e.by_table and any(not t.removed for t in state.tables.values())
    if state.open_poll_id == e.poll_id:
        state.open_poll_id = None


@applies(ev.BallotCast)
def _ballot_cast(state: DebateState, e: ev.BallotCast) -> None:
    poll = state.polls[e.poll_id]
    if e.participant_id is not None:
        poll.ballots[e.participant_id] = list(e.choices)
    elif e.choices:  # the last ballot of a voter who erased since: counted, unlinked
        poll.unlinked_ballots.append(list(e.choices))
        poll.unlinked_ballots.sort()
