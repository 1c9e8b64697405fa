"""Who sees what: the one place that decides it.

Every other module asks here: the log stores each event's audience (decided
once, from the state before the event, so a live fan-out and a later replay
agree), the hub and the replay split an audience into who gets which form of
the event with the same function (:func:`split`), the snapshot asks which
questions and results a viewer sees, and the transport asks who gets live poll
counts and presence names. Anonymity depends on these rules agreeing, so they
live together.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from server.core import merging
from server.core.authorship import is_own_anonymous
from server.core.state import Answer, DebateState, Hand, Message, Poll, Question
from shared import events as ev
from shared import limits

# Fields that never leave the server.
_SECRET_FIELDS = frozenset({"token_hash", "secret_hash", "invitation"})
# Fields only the recipient (the voter) may see.
_RECIPIENT_FIELDS = frozenset({"participant_id"})
_RECIPIENT_FORM_EVENTS = (
    ev.UpvoteAdded,
    ev.UpvoteWithdrawn,
    ev.BallotCast,
    ev.BallotWithdrawn,
    ev.ContributionsErased,
)


@dataclass(frozen=True)
class Viewer:
    """One connection's identity, as far as visibility goes (None: a screen)."""

    participant_id: str | None
    is_moderator: bool
    # From the connection's resume token, in memory only (see ``Actor``): it
    # recognises the author of an anonymous question (``Audience.anonymous_author_of``).
    author_key: str | None = field(default=None, repr=False, compare=False)


SCREEN = Viewer(None, False)
_ANYONE = SCREEN  # what a viewer with no privilege sees


@dataclass(frozen=True)
class Audience:
    everyone: bool = False  # participants, screens and moderators
    moderators: bool = False  # moderators (implied by everyone)
    recipient: str | None = None  # one participant, who gets the private form
    origin: bool = False  # the connection that sent the command, live only
    # The author of this anonymous question, whoever they are: the connections
    # whose key made its secret get the recipient's form (issue 12). The log
    # keeps the question's id, which names no one.
    anonymous_author_of: str | None = None

    def as_columns(self) -> tuple[str, str | None]:
        if self.anonymous_author_of is not None:
            return ANONYMOUS_AUTHOR_SCOPE, self.anonymous_author_of
        scope = "everyone" if self.everyone else "moderators" if self.moderators else "none"
        return scope, self.recipient


ANONYMOUS_AUTHOR_SCOPE = "anonymous_author"


EVERYONE = Audience(everyone=True)
MODERATORS = Audience(moderators=True)
NOBODY = Audience()  # kept in the log only


def audience_of(state: DebateState, event: ev.EventBase) -> Audience:
    """The audience of an event, judged against the state before it."""
    match event:
        case ev.ParticipantJoined() | ev.PollCreated() | ev.JoinRateSet():
            return MODERATORS
        case ev.NotePosted() | ev.WordFilterSet():
            # The moderators' back-channel and the filter's lists: never the room's.
            return MODERATORS
        case ev.MessagePosted(held=True, author_id=author_id):
            # Held by the word filter: the reviewers and its author, until released.
            return Audience(moderators=True, recipient=author_id)
        case ev.MessageHidden(message_id=message_id) if _held(state.messages.get(message_id)):
            return _held_audience(state.messages[message_id])
        case ev.ParticipantDeviceAdded():
            return NOBODY
        case ev.QuestionSubmitted(approved=True):
            return EVERYONE
        case ev.QuestionSubmitted(anonymous=True):
            # The author's identity is kept nowhere: only the live connection
            # that sent it hears back, besides the moderators.
            return Audience(moderators=True, origin=True)
        case ev.QuestionSubmitted(author_id=author_id):
            return Audience(moderators=True, recipient=author_id)
        case ev.UpvoteWithdrawn(participant_id=None):
            # Issue 12: an eraser's vote held twice in a merged group, dropped
            # once (merging.keep_one_upvote): no count moves, nobody is told.
            return NOBODY
        case ev.UpvoteWithdrawn(participant_id=voter) if voter is not None and _count_stays(state, event):
            # Issue 12: withdrawn from one question of a merged group that still counts
            # the guest through another: nothing the room sees changes.
            return Audience(recipient=voter)
        case ev.UpvoteAdded(participant_id=voter) | ev.UpvoteWithdrawn(participant_id=voter):
            return Audience(everyone=True, recipient=voter)
        case ev.BallotCast(participant_id=voter):
            return Audience(recipient=voter)
        case ev.BallotWithdrawn(participant_id=voter):
            return Audience(everyone=True, recipient=voter)
        case ev.QuestionRejected(question_id=question_id):
            return _rejection_audience(state.questions.get(question_id))
        case ev.QuestionRestored(anonymous=True):
            # Its author is known to no one: the moderators only.
            return MODERATORS
        case ev.QuestionRestored(author_id=author_id):
            return Audience(moderators=True, recipient=author_id)
        case ev.ContributionsErased(participant_id=eraser, message_ids=messages, question_ids=questions):
            # Everyone sees texts disappear, not who erased; an erasure of votes
            # alone is the eraser's business only.
            return Audience(everyone=bool(messages or questions), recipient=eraser)
        case ev.AnswerSubmitted():
            # Reviewed before anyone else sees it, moderation on or off; and
            # not even its author's connection hears back (the ack says enough).
            return MODERATORS
        case ev.AnswerApproved(poll_id=poll_id):
            poll = state.polls.get(poll_id)
            return EVERYONE if poll is not None and results_public(poll) else MODERATORS
        case ev.AnswerRejected(poll_id=poll_id, answer_id=answer_id):
            # Only those who saw it shown need to see it go.
            poll = state.polls.get(poll_id)
            answer = poll.answers.get(answer_id) if poll is not None else None
            shown = poll is not None and answer is not None and answer_visible(poll, answer, _ANYONE)
            return EVERYONE if shown else MODERATORS
        case ev.HandTopicStated(participant_id=speaker):
            # The name is public (the queue is on the projector), the topic is not.
            return Audience(moderators=True, recipient=speaker)
        case ev.QuestionWithdrawn(question_id=question_id):
            # Told to whoever could see the question.
            question = state.questions.get(question_id)
            if question is None or question.status == "approved":
                return EVERYONE
            if question.anonymous:
                return Audience(moderators=True, origin=True)
            return Audience(moderators=True, recipient=question.author_id)
        # Merged questions (issue 12).
        case ev.MergeNotified(question_id=question_id):
            return _author_audience(state.questions.get(question_id))
        case (
            ev.TableAdded()
            | ev.TableUpdated()
            | ev.TableRemoved()
            | ev.GuestSeated()
            | ev.SpokespersonSet()
            | ev.SynthesisPosted()
        ):
            # Seating is public, and a synthesis is the table's word to the room
            # (it names the table, never the person who typed it).
            return EVERYONE
        case _:
            return EVERYONE


def _held(message: Message | None) -> bool:
    return message is not None and message.held


def _held_audience(message: Message) -> Audience:
    return Audience(moderators=True, recipient=message.author_id)


def _author_audience(question: Question | None) -> Audience:
    """Its author only: by id when named, by key when anonymous (kept nowhere)."""
    if question is None:
        return NOBODY
    if question.anonymous:
        return Audience(anonymous_author_of=question.question_id)
    return Audience(recipient=question.author_id)


def _count_stays(state: DebateState, event: ev.UpvoteWithdrawn) -> bool:
    question = state.questions.get(event.question_id)
    if question is None or (question.merged_into is None and not question.variant_ids):
        return False
    return event.votes == merging.count(merging.group(state, merging.top_of(state, question)))


def is_anonymous_author(state: DebateState, question_id: str, author_key: str | None) -> bool:
    """Whether ``author_key`` wrote this anonymous question (it must still exist)."""
    question = state.questions.get(question_id)
    return question is not None and is_own_anonymous(question.secret_hash, question_id, author_key)


def _rejection_audience(question: Question | None) -> Audience:
    """Tell the author privately, without telling anyone who they are.

    An approved question leaves everyone's view. A pending named question was
    seen by the moderators and its author only: they alone hear of it (the
    author as the recipient, live or on resume). A pending anonymous question's
    author is known to no one, the server included, and the connection that
    sent it is known only while it lasts: the bare id goes to everyone, which
    tells nobody who asked, and the author's client, which alone keeps its own
    question ids, recognises it (live or on resume). After a full snapshot
    (offline past the replay window) the author is not told.
    """
    if question is None or question.status == "approved" or question.anonymous:
        return EVERYONE
    return Audience(moderators=True, recipient=question.author_id)


def audience_from_columns(scope: str, recipient: str | None) -> Audience:
    if scope == ANONYMOUS_AUTHOR_SCOPE:
        return Audience(anonymous_author_of=recipient)
    return Audience(everyone=scope == "everyone", moderators=scope != "none", recipient=recipient)


# --- who gets which form of an event: one function, live and replay ----------------

T = TypeVar("T")


def split(
    audience: Audience,
    everyone: Set[T],
    moderators: Set[T],
    recipients: Set[T],
    origin: T | None = None,
) -> tuple[Set[T], Set[T]]:
    """Who of these connections gets the shared form, and who the recipient's form.

    ``recipients`` are the connections of ``audience.recipient`` (empty when
    there is none); ``origin`` is the connection that sent the command, known
    live only. The hub calls this with its socket sets for the live fan-out,
    and the replay with one connection, so both follow the same rule.
    """
    shared: Set[T] = frozenset()
    if audience.everyone:
        shared = everyone - recipients if recipients else everyone
    elif audience.moderators:
        shared = moderators - recipients
    if audience.origin and origin is not None and origin not in shared and origin not in recipients:
        shared = shared | {origin}
    return shared, recipients


Form = Literal["shared", "recipient"]


def form_seen_by(audience: Audience, viewer: Viewer) -> Form | None:
    """Which form of an event one connection is sent on replay (None: nothing)."""
    me = frozenset({viewer})
    recipients = (
        me if audience.recipient is not None and audience.recipient == viewer.participant_id else frozenset()
    )
    shared, private = split(audience, me, me if viewer.is_moderator else frozenset(), recipients)
    if private:
        return "recipient"
    return "shared" if shared else None


def form_for(event: ev.EventBase, audience: Audience, viewer: Viewer) -> dict[str, Any] | None:
    """The event as one connection is sent it on replay, or None."""
    form = form_seen_by(audience, viewer)
    if form == "recipient":
        return recipient_form(event)
    if form == "shared":
        return shared_form(event)
    return None


def replay_form(
    state: DebateState, event: ev.EventBase, audience: Audience, viewer: Viewer
) -> dict[str, Any] | None:
    """The event as a resuming connection is sent it: its form, as things stand now.

    A message hidden since it was posted is replayed without its text: a guest
    resuming from far back must not read what the moderator took down. Those
    who still see it, marked hidden (the moderators, its author), get it whole.
    """
    if audience.anonymous_author_of is not None:
        mine = is_anonymous_author(state, audience.anonymous_author_of, viewer.author_key)
        return recipient_form(event) if mine else None
    form = form_for(event, audience, viewer)
    if form is not None and isinstance(event, ev.MessagePosted | ev.MessageReleased):
        message = state.messages.get(event.message_id)
        if message is not None and not message_visible(message, viewer):
            form["text"] = ""
    if form is not None and isinstance(event, _AUTHORED_EVENTS) and event.author_id is not None:
        # Older logs do not record the author's role: the state knows it.
        form["author_role"] = state.role_of(event.author_id)
    return form


_AUTHORED_EVENTS = (
    ev.MessagePosted,
    ev.MessageUnhidden,
    ev.QuestionSubmitted,
    ev.QuestionApproved,
    ev.QuestionRestored,
    ev.MessageReleased,
)


def shared_form(event: ev.EventBase) -> dict[str, Any] | None:
    """What everyone in the audience but the recipient sees (None: nothing)."""
    if isinstance(event, ev.BallotCast):
        return None
    return event.model_dump(mode="json", exclude=set(_exclusions(event)))


def recipient_form(event: ev.EventBase) -> dict[str, Any]:
    return event.model_dump(mode="json", exclude=set(_SECRET_FIELDS))


def shared_form_json(event: ev.EventBase) -> str | None:
    """The shared form as a JSON text, serialised once for a whole audience."""
    if isinstance(event, ev.BallotCast):
        return None
    return event.model_dump_json(exclude=set(_exclusions(event)))


def recipient_form_json(event: ev.EventBase) -> str:
    return event.model_dump_json(exclude=set(_SECRET_FIELDS))


def _exclusions(event: ev.EventBase) -> frozenset[str]:
    if isinstance(event, _RECIPIENT_FORM_EVENTS):
        return _SECRET_FIELDS | _RECIPIENT_FIELDS
    return _SECRET_FIELDS


# --- questions, results, live counts and presence -------------------------------


def message_visible(message: Message, viewer: Viewer) -> bool:
    """A hidden message is dropped for the room but stays, marked hidden, for
    the moderators (who may bring it back) and its author (who learns it was
    hidden). ``message_hidden`` goes to everyone: each view knows the author.
    A message the word filter held is theirs only too, until released."""
    if viewer.is_moderator or message.author_id == viewer.participant_id:
        return True
    return not message.hidden and not message.held


def question_visible(question: Question, viewer: Viewer) -> bool:
    """Approved questions are public; a pending one is seen by the moderators
    and its named author; a rejected one by the moderators only (who may
    restore it)."""
    if question.status == "approved":
        return True
    if question.status == "pending":
        return viewer.is_moderator or (
            question.author_id is not None and question.author_id == viewer.participant_id
        )
    return viewer.is_moderator


def hand_topic_visible(hand: Hand, viewer: Viewer) -> bool:
    """A raised hand's topic: the moderators' and its owner's; the room sees the name."""
    return viewer.is_moderator or hand.participant_id == viewer.participant_id


def poll_visible(poll: Poll, viewer: Viewer) -> bool:
    """Drafts are the moderators' until opened."""
    return viewer.is_moderator or poll.status != "draft"


def results_public(poll: Poll) -> bool:
    """Whether everyone may see a poll's counts now (hidden results: once closed)."""
    return not poll.hide_results or poll.status == "closed"


def results_visible(poll: Poll, viewer: Viewer) -> bool:
    """Moderators follow every poll's results live; the others once public."""
    return viewer.is_moderator or results_public(poll)


def answer_visible(poll: Poll, answer: Answer, viewer: Viewer) -> bool:
    """An open answer: the moderators see every one; the others an approved one,
    once the poll's results show (hidden results: once it closes)."""
    return viewer.is_moderator or (answer.status == "approved" and results_public(poll))


def voters_visible(poll: Poll, viewer: Viewer) -> bool:
    """How many have voted is public, hidden results included: the projector
    shows it while the poll is open, and what the room sees anyone may know.
    Who voted, and how, never leaves the server."""
    return True


def poll_counts_audience(poll: Poll) -> Audience:
    """Who gets the coalesced live frame of an open poll: everyone, since the
    number of voters is public; the counts in it follow ``results_visible``
    (see :func:`poll_counts_form`)."""
    return EVERYONE


def poll_counts_form(poll: Poll, viewer: Viewer) -> tuple[list[int] | None, int]:
    """The (counts, voters) one connection is sent live: counts only when it
    may see the results now, the number of voters always."""
    return (poll.counts() if results_visible(poll, viewer) else None), poll.voters


def poll_words_form(poll: Poll, viewer: Viewer) -> list[ev.WordCount] | None:
    """A words poll's cloud as one connection is sent it live, with the counts
    (None: not a words poll, or results it may not see yet)."""
    return word_counts(poll) if poll.kind == "words" and results_visible(poll, viewer) else None


def word_counts(poll: Poll) -> list[ev.WordCount]:
    """The words of a words poll as the wire carries them: the most frequent ones."""
    return [ev.WordCount(word=word, count=count) for word, count in poll.word_cloud(limits.WORD_CLOUD_MAX)]


def presence_names_visible(viewer: Viewer) -> bool:
    """Who is connected, by name: moderators only; the others get the count."""
    return viewer.is_moderator


def with_audiences(state: DebateState, events: list[ev.EventBase]) -> list[tuple[ev.EventBase, Audience]]:
    """One command's events with their audiences, judged against the state
    before the command (the log stores them so)."""
    return [(event, audience_of(state, event)) for event in events]


def polls_with_new_counts(events: list[ev.EventBase]) -> set[str]:
    """The polls whose live counts these events change (sent coalesced, by
    ``poll_counts_audience``, while the poll is open)."""
    return {
        event.poll_id
        for event in events
        if isinstance(event, ev.BallotCast | ev.BallotWithdrawn | ev.AnswerSubmitted)
    }
