"""The word filter: a chat message or question holding a filtered word is held
for the moderators' review, or refused, as the plan's ``[filter]`` says.

The other texts guests show the room follow suit: an open answer waits for
review anyway (held), so only ``refuse`` refuses it; a table's synthesis and a
word cloud's words reach every screen with no review, so a match refuses them
whatever the action. A hand's topic is not filtered: only the moderators (the
reviewers) and its owner ever see it.

The settings come from the plan, through ``word_filter_set`` in the log, so a
replay filters as the evening did; and whether a text was held is recorded in
its own event (``held``, ``filtered``), so a later change of the lists never
rewrites what happened. Moderators are not filtered: they are the reviewers.
"""

from __future__ import annotations

from server.core.emit import Emitter
from server.core.errors import DomainError
from server.core.lookup import get_message
from server.core.state import Actor, DebateState, WordFilterSettings, applies
from shared import events as ev
from shared import protocol as p
from shared.wordfilter import build_filter

# What the author of a refused text reads (the client translates the code).
REFUSED = "Not sent: it contains a word this debate filters out ({word}). Please reword it."


def set_word_filter(
    state: DebateState, words: list[str], builtin: bool, action: ev.FilterAction, out: Emitter
) -> None:
    out.emit(ev.WordFilterSet, words=list(words), builtin=builtin, action=action)


def screen_text(state: DebateState, actor: Actor, text: str) -> bool:
    """Whether the text is held for review; raises ``filtered`` when the
    filter refuses it. False when no filter applies."""
    settings = state.word_filter
    if settings is None or actor.role == "moderator":
        return False
    word = build_filter(settings.words, settings.builtin).first_match(text)
    if word is None:
        return False
    if settings.action == "refuse":
        raise DomainError("filtered", REFUSED.format(word=word))
    return True


def refuse_text(state: DebateState, actor: Actor, text: str) -> None:
    """A guest's public text that no review queue holds (a table's synthesis, a
    word of a word cloud): refused with ``filtered`` when it matches, whatever
    the action, since there is nowhere to hold it; the author rewords it."""
    settings = state.word_filter
    if settings is None or actor.role == "moderator":
        return
    word = build_filter(settings.words, settings.builtin).first_match(text)
    if word is not None:
        raise DomainError("filtered", REFUSED.format(word=word))


def release_message(state: DebateState, cmd: p.ReleaseMessage, out: Emitter) -> None:
    message = get_message(state, cmd.message_id)
    if not message.held:
        raise DomainError("not_held", "This message is not held for review.")
    # The whole message: only the moderators and its author had it.
    out.emit(ev.MessageReleased, **message.whole())


# --- how its events change the state ----------------------------------------


@applies(ev.WordFilterSet)
def _word_filter_set(state: DebateState, e: ev.WordFilterSet) -> None:
    state.word_filter = WordFilterSettings(tuple(e.words), e.builtin, e.action)


@applies(ev.MessageReleased)
def _message_released(state: DebateState, e: ev.MessageReleased) -> None:
    message = state.messages[e.message_id]
    message.held = message.hidden = False
