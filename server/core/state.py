"""The debate's state and the fold that builds it from events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from shared import events as ev


@dataclass(frozen=True)
class Actor:
    """Who sends a command; ``participant_id`` is None for a screen."""

    participant_id: str | None
    role: Literal["participant", "moderator", "screen"]
    name: str | None = None


@dataclass
class Participant:
    participant_id: str
    name: str
    role: Literal["participant", "moderator"]
    token_hash: str | None


@dataclass
class Round:
    round_id: str
    title: str
    theme: str
    minutes: int
    status: ev.RoundStatus = "pending"
    started_at: str | None = None
    ended_at: str | None = None


@dataclass
class Message:
    message_id: str
    round_id: str | None
    author_id: str
    author_name: str
    text: str
    at: str
    hidden: bool = False


@dataclass
class Question:
    question_id: str
    round_id: str | None
    text: str
    anonymous: bool
    author_id: str | None
    author_name: str | None
    status: ev.QuestionStatus
    at: str
    answered: bool = False
    ever_pinned: bool = False  # put on the floor at some point (the record says so)
    voters: set[str] = field(default_factory=set)
    secret_hash: str | None = None  # anonymous questions: proves the author's client


@dataclass
class Poll:
    poll_id: str
    question: str
    options: list[str]
    multiple: bool
    hide_results: bool
    status: ev.PollStatus = "draft"
    round_id: str | None = None
    ballots: dict[str, list[int]] = field(default_factory=dict)
    opened_seq: int = 0  # the record lists polls in the order they were opened
    opened_at: str | None = None
    closed_at: str | None = None

    def counts(self, excluding: str | None = None) -> list[int]:
        """Ticks per option: the one count every screen and export shows."""
        counts = [0] * len(self.options)
        for voter, choices in self.ballots.items():
            if voter != excluding:
                for index in choices:
                    counts[index] += 1
        return counts


@dataclass
class DebateState:
    seq: int = 0
    last_at: str | None = None  # time of the last event folded
    title: str = ""
    created_at: str | None = None
    moderation: bool = True
    participants: dict[str, Participant] = field(default_factory=dict)
    # The agenda order is the order of this list.
    agenda: list[str] = field(default_factory=list)
    rounds: dict[str, Round] = field(default_factory=dict)
    live_round_id: str | None = None
    messages: dict[str, Message] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    pinned_question_id: str | None = None
    polls: dict[str, Poll] = field(default_factory=dict)
    open_poll_id: str | None = None
    # Counters that make ids deterministic, so a replay rebuilds the same ids.
    counters: dict[str, int] = field(default_factory=dict)
    # Indexes of the participants, kept by the fold: a join or a resume must
    # not scan every participant (a join storm of N guests would be O(N²)).
    names: set[str] = field(default_factory=set)  # casefolded
    by_token_hash: dict[str, str] = field(default_factory=dict)  # -> participant_id

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{self.counters.get(prefix, 0) + 1}"

    def participant_by_token_hash(self, token_hash: str) -> Participant | None:
        participant_id = self.by_token_hash.get(token_hash)
        return None if participant_id is None else self.participants[participant_id]

    def name_taken(self, name: str) -> bool:
        return name.casefold() in self.names


def _count(state: DebateState, prefix: str, entity_id: str) -> None:
    number = int(entity_id[len(prefix) :])
    state.counters[prefix] = max(state.counters.get(prefix, 0), number)


def apply(state: DebateState, event: ev.EventBase) -> DebateState:
    """Fold one event into the state (in place, for speed) and return it."""
    if event.seq != state.seq + 1:
        raise ValueError(f"event seq {event.seq} does not follow {state.seq}")
    state.seq, state.last_at = event.seq, event.at
    _APPLY[type(event)](state, event)
    return state


def fold(events: Iterable[ev.EventBase], state: DebateState | None = None) -> DebateState:
    state = state or DebateState()
    for event in events:
        apply(state, event)
    return state


def _debate_created(state: DebateState, e: ev.DebateCreated) -> None:
    state.title = e.title
    state.created_at = e.at


def _participant_joined(state: DebateState, e: ev.ParticipantJoined) -> None:
    state.participants[e.participant_id] = Participant(e.participant_id, e.name, e.role, e.token_hash)
    state.names.add(e.name.casefold())
    if e.token_hash is not None:
        state.by_token_hash[e.token_hash] = e.participant_id


def _round_added(state: DebateState, e: ev.RoundAdded) -> None:
    _count(state, "r", e.round_id)
    state.rounds[e.round_id] = Round(e.round_id, e.title, e.theme, e.minutes)
    state.agenda.insert(min(e.position, len(state.agenda)), e.round_id)


def _round_updated(state: DebateState, e: ev.RoundUpdated) -> None:
    round_ = state.rounds[e.round_id]
    round_.title, round_.theme, round_.minutes = e.title, e.theme, e.minutes


def _round_moved(state: DebateState, e: ev.RoundMoved) -> None:
    state.agenda.remove(e.round_id)
    state.agenda.insert(min(e.position, len(state.agenda)), e.round_id)


def _round_removed(state: DebateState, e: ev.RoundRemoved) -> None:
    state.agenda.remove(e.round_id)
    del state.rounds[e.round_id]


def _round_started(state: DebateState, e: ev.RoundStarted) -> None:
    round_ = state.rounds[e.round_id]
    round_.status, round_.started_at = "live", e.at
    state.live_round_id = e.round_id


def _round_ended(state: DebateState, e: ev.RoundEnded) -> None:
    round_ = state.rounds[e.round_id]
    round_.status, round_.ended_at = "ended", e.at
    if state.live_round_id == e.round_id:
        state.live_round_id = None


def _message_posted(state: DebateState, e: ev.MessagePosted) -> None:
    _count(state, "m", e.message_id)
    state.messages[e.message_id] = Message(
        e.message_id, e.round_id, e.author_id, e.author_name, e.text, e.at
    )


def _message_hidden(state: DebateState, e: ev.MessageHidden) -> None:
    state.messages[e.message_id].hidden = True


def _question_submitted(state: DebateState, e: ev.QuestionSubmitted) -> None:
    _count(state, "q", e.question_id)
    state.questions[e.question_id] = Question(
        e.question_id,
        e.round_id,
        e.text,
        e.anonymous,
        e.author_id,
        e.author_name,
        "approved" if e.approved else "pending",
        e.at,
        secret_hash=e.secret_hash,
    )


def _question_approved(state: DebateState, e: ev.QuestionApproved) -> None:
    state.questions[e.question_id].status = "approved"


def _question_rejected(state: DebateState, e: ev.QuestionRejected) -> None:
    state.questions[e.question_id].status = "rejected"
    if state.pinned_question_id == e.question_id:
        state.pinned_question_id = None


def _question_answered(state: DebateState, e: ev.QuestionAnswered) -> None:
    state.questions[e.question_id].answered = True


def _question_pinned(state: DebateState, e: ev.QuestionPinned) -> None:
    state.pinned_question_id = e.question_id
    state.questions[e.question_id].ever_pinned = True


def _question_unpinned(state: DebateState, e: ev.QuestionUnpinned) -> None:
    if state.pinned_question_id == e.question_id:
        state.pinned_question_id = None


def _upvote_added(state: DebateState, e: ev.UpvoteAdded) -> None:
    assert e.participant_id is not None
    state.questions[e.question_id].voters.add(e.participant_id)


def _upvote_withdrawn(state: DebateState, e: ev.UpvoteWithdrawn) -> None:
    assert e.participant_id is not None
    state.questions[e.question_id].voters.discard(e.participant_id)


def _moderation_set(state: DebateState, e: ev.ModerationSet) -> None:
    state.moderation = e.enabled


def _poll_created(state: DebateState, e: ev.PollCreated) -> None:
    _count(state, "p", e.poll_id)
    state.polls[e.poll_id] = Poll(e.poll_id, e.question, list(e.options), e.multiple, e.hide_results)


def _poll_opened(state: DebateState, e: ev.PollOpened) -> None:
    poll = state.polls[e.poll_id]
    poll.status, poll.round_id, poll.opened_at, poll.opened_seq = "open", e.round_id, e.at, e.seq
    state.open_poll_id = e.poll_id


def _poll_closed(state: DebateState, e: ev.PollClosed) -> None:
    poll = state.polls[e.poll_id]
    poll.status, poll.closed_at = "closed", e.at
    if state.open_poll_id == e.poll_id:
        state.open_poll_id = None


def _ballot_cast(state: DebateState, e: ev.BallotCast) -> None:
    state.polls[e.poll_id].ballots[e.participant_id] = list(e.choices)


def _ballot_withdrawn(state: DebateState, e: ev.BallotWithdrawn) -> None:
    assert e.participant_id is not None
    state.polls[e.poll_id].ballots.pop(e.participant_id, None)


def _remove_question(state: DebateState, question_id: str) -> None:
    state.questions.pop(question_id, None)
    if state.pinned_question_id == question_id:
        state.pinned_question_id = None


def _contributions_erased(state: DebateState, e: ev.ContributionsErased) -> None:
    for message_id in e.message_ids:
        state.messages.pop(message_id, None)
    for question_id in e.question_ids:
        _remove_question(state, question_id)


def _question_withdrawn(state: DebateState, e: ev.QuestionWithdrawn) -> None:
    _remove_question(state, e.question_id)


_APPLY: dict[type[ev.EventBase], Callable[[DebateState, Any], None]] = {
    ev.DebateCreated: _debate_created,
    ev.ParticipantJoined: _participant_joined,
    ev.RoundAdded: _round_added,
    ev.RoundUpdated: _round_updated,
    ev.RoundMoved: _round_moved,
    ev.RoundRemoved: _round_removed,
    ev.RoundStarted: _round_started,
    ev.RoundEnded: _round_ended,
    ev.MessagePosted: _message_posted,
    ev.MessageHidden: _message_hidden,
    ev.QuestionSubmitted: _question_submitted,
    ev.QuestionApproved: _question_approved,
    ev.QuestionRejected: _question_rejected,
    ev.QuestionAnswered: _question_answered,
    ev.QuestionPinned: _question_pinned,
    ev.QuestionUnpinned: _question_unpinned,
    ev.UpvoteAdded: _upvote_added,
    ev.UpvoteWithdrawn: _upvote_withdrawn,
    ev.ModerationSet: _moderation_set,
    ev.PollCreated: _poll_created,
    ev.PollOpened: _poll_opened,
    ev.PollClosed: _poll_closed,
    ev.BallotCast: _ballot_cast,
    ev.BallotWithdrawn: _ballot_withdrawn,
    ev.ContributionsErased: _contributions_erased,
    ev.QuestionWithdrawn: _question_withdrawn,
}
