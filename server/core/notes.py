"""The moderators' back-channel: notes between co-moderators, never the room's."""

from server.core.emit import Emitter
from server.core.state import Actor, DebateState, Note, applies, count_id
from shared import events as ev
from shared import protocol as p


def post_note(state: DebateState, cmd: p.PostNote, actor: Actor, out: Emitter) -> str:
    assert actor.participant_id is not None and actor.name is not None
    note_id = state.next_id("n")
    out.emit(
        ev.NotePosted, note_id=note_id, author_id=actor.participant_id, author_name=actor.name, text=cmd.text
    )
    return note_id


# --- how its events change the state ----------------------------------------


@applies(ev.NotePosted)
def _note_posted(state: DebateState, e: ev.NotePosted) -> None:
    count_id(state, "n", e.note_id)
    state.notes[e.note_id] = Note(e.note_id, e.author_id, e.author_name, e.text, e.at)
