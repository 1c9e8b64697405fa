"""Chat rules: messages go to the live round, or to the lobby."""

from server.core.emit import Emitter
from server.core.errors import DomainError
from server.core.lookup import get_message
from server.core.state import Actor, DebateState, Message, applies, count_id
from server.core.wordfilter import screen_text
from shared import events as ev
from shared import protocol as p


def post_message(state: DebateState, cmd: p.PostMessage, actor: Actor, out: Emitter) -> str:
    assert actor.participant_id is not None and actor.name is not None
    held = screen_text(state, actor, cmd.text)
    message_id = state.next_id("m")
    out.emit(
        ev.MessagePosted,
        message_id=message_id,
        round_id=state.live_round_id,
        author_id=actor.participant_id,
        author_name=actor.name,
        author_role=state.role_of(actor.participant_id),
        text=cmd.text,
        held=held,
    )
    return message_id


def hide_message(state: DebateState, cmd: p.HideMessage, out: Emitter) -> None:
    message = get_message(state, cmd.message_id)
    if message.hidden:
        raise DomainError("already_hidden", "This message is already hidden.")
    out.emit(ev.MessageHidden, message_id=message.message_id)


def unhide_message(state: DebateState, cmd: p.UnhideMessage, out: Emitter) -> None:
    message = get_message(state, cmd.message_id)
    if not message.hidden:
        raise DomainError("not_hidden", "This message is not hidden.")
    # The whole message: those who are not its author nor a moderator dropped it.
    out.emit(ev.MessageUnhidden, **message.whole())


# --- how its events change the state ----------------------------------------


@applies(ev.MessagePosted)
def _message_posted(state: DebateState, e: ev.MessagePosted) -> None:
    count_id(state, "m", e.message_id)
    state.messages[e.message_id] = Message(
        e.message_id,
        e.round_id,
        e.author_id,
        e.author_name,
        e.text,
        e.at,
        author_role=state.role_of(e.author_id) or "participant",
        held=e.held,
    )


@applies(ev.MessageHidden)
def _message_hidden(state: DebateState, e: ev.MessageHidden) -> None:
    state.messages[e.message_id].hidden = True


@applies(ev.MessageUnhidden)
def _message_unhidden(state: DebateState, e: ev.MessageUnhidden) -> None:
    # Shown to everyone again, a message the filter held included.
    message = state.messages[e.message_id]
    message.hidden = message.held = False
