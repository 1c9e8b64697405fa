"""Who is in the debate: its creation and the people who join it."""

from server.core.state import DebateState, Participant, applies
from shared import events as ev
from shared.names import name_keys

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
