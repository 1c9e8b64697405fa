"""Who may see each event, and in which form.

Decided once per event, from the state before it is applied, and stored with
the event in the log, so that a live fan-out and a later replay agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.core.state import DebateState
from shared import events as ev

# Fields that never leave the server.
_SECRET_FIELDS = frozenset({"token_hash", "secret_hash"})
# Fields only the recipient (the voter) may see.
_RECIPIENT_FIELDS = frozenset({"participant_id"})
_RECIPIENT_FORM_EVENTS = (ev.UpvoteAdded, ev.UpvoteWithdrawn, ev.BallotCast, ev.BallotWithdrawn)


@dataclass(frozen=True)
class Audience:
    everyone: bool = False  # participants, screens and moderators
    moderators: bool = False  # moderators (implied by everyone)
    recipient: str | None = None  # one participant, who gets the private form
    origin: bool = False  # the connection that sent the command, live only

    def as_columns(self) -> tuple[str, str | None]:
        scope = "everyone" if self.everyone else "moderators" if self.moderators else "none"
        return scope, self.recipient


EVERYONE = Audience(everyone=True)
MODERATORS = Audience(moderators=True)


def audience_of(state: DebateState, event: ev.EventBase) -> Audience:
    """The audience of an event, judged against the state before it."""
    match event:
        case ev.ParticipantJoined() | ev.PollCreated():
            return MODERATORS
        case ev.QuestionSubmitted(approved=True):
            return EVERYONE
        case ev.QuestionSubmitted(anonymous=True):
            # The author's identity is kept nowhere: only the live connection
            # that sent it hears back, besides the moderators.
            return Audience(moderators=True, origin=True)
        case ev.QuestionSubmitted(author_id=author_id):
            return Audience(moderators=True, recipient=author_id)
        case ev.UpvoteAdded(participant_id=voter) | ev.UpvoteWithdrawn(participant_id=voter):
            return Audience(everyone=True, recipient=voter)
        case ev.BallotCast(participant_id=voter):
            return Audience(recipient=voter)
        case ev.BallotWithdrawn(participant_id=voter):
            return Audience(everyone=True, recipient=voter)
        case ev.QuestionWithdrawn(question_id=question_id):
            # Told to whoever could see the question.
            question = state.questions.get(question_id)
            if question is None or question.status == "approved":
                return EVERYONE
            if question.anonymous:
                return Audience(moderators=True, origin=True)
            return Audience(moderators=True, recipient=question.author_id)
        case _:
            return EVERYONE


def audience_from_columns(scope: str, recipient: str | None) -> Audience:
    return Audience(everyone=scope == "everyone", moderators=scope != "none", recipient=recipient)


def shared_form(event: ev.EventBase) -> dict[str, Any] | None:
    """What everyone in the audience but the recipient sees (None: nothing)."""
    if isinstance(event, ev.BallotCast):
        return None
    return event.model_dump(mode="json", exclude=set(_exclusions(event)))


def recipient_form(event: ev.EventBase) -> dict[str, Any]:
    return event.model_dump(mode="json", exclude=set(_SECRET_FIELDS))


def form_for(
    event: ev.EventBase, audience: Audience, participant_id: str | None, is_moderator: bool
) -> dict[str, Any] | None:
    """The form of an event one connection may see, or None (used for replay)."""
    if audience.recipient is not None and audience.recipient == participant_id:
        return recipient_form(event)
    if audience.everyone or (audience.moderators and is_moderator):
        return shared_form(event)
    return None


def _exclusions(event: ev.EventBase) -> frozenset[str]:
    if isinstance(event, _RECIPIENT_FORM_EVENTS):
        return _SECRET_FIELDS | _RECIPIENT_FIELDS
    return _SECRET_FIELDS


def shared_form_json(event: ev.EventBase) -> str | None:
    """The shared form as a JSON text, serialised once for a whole audience."""
    if isinstance(event, ev.BallotCast):
        return None
    return event.model_dump_json(exclude=set(_exclusions(event)))


def recipient_form_json(event: ev.EventBase) -> str:
    return event.model_dump_json(exclude=set(_SECRET_FIELDS))
