"""Who is in the debate: its creation, the people who join it, and how fast
new identities may join with the shared code."""

from server.core.emit import Emitter
from server.core.state import DebateState, Participant, applies
from shared import events as ev
from shared import protocol as p
from shared.names import name_keys


def set_join_rate(state: DebateState, cmd: p.SetJoinRate, out: Emitter) -> None:
    """The transport enforces the rate; the log keeps the setting (and who knew it)."""
    if state.join_rate_per_minute != cmd.per_minute:
        out.emit(ev.JoinRateSet, per_minute=cmd.per_minute)


# --- how its events change the state ----------------------------------------


@applies(ev.DebateCreated)
def _debate_created(state: DebateState, e: ev.DebateCreated) -> None:
    state.title = e.title
    state.created_at = e.at


@applies(ev.ParticipantJoined)
def _participant_joined(state: DebateState, e: ev.ParticipantJoined) -> None:
    state.participants[e.participant_id] = Participant(e.participant_id, e.name, e.role, e.token_hash)
    state.names.update(name_keys(e.name))
    if e.token_hash is not None:
        state.by_token_hash[e.token_hash] = e.participant_id
    if e.invitation is not None:
        state.by_invitation[e.invitation] = e.participant_id


@applies(ev.ParticipantDeviceAdded)
def _participant_device_added(state: DebateState, e: ev.ParticipantDeviceAdded) -> None:
    state.by_token_hash[e.token_hash] = e.participant_id


@applies(ev.JoinRateSet)
def _join_rate_set(state: DebateState, e: ev.JoinRateSet) -> None:
    state.join_rate_per_minute = e.per_minute
