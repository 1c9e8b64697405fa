"""The debate's state and the fold that builds it from events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar

from shared import events as ev
from shared.names import name_keys
from shared.words import word_cloud


def parse_time(iso: str) -> datetime:
    """An event's ``at`` (ISO 8601, UTC, with a Z)."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Actor:
    """Who sends a command; ``participant_id`` is None for a screen."""

    participant_id: str | None
    role: Literal["participant", "moderator", "screen"]
    name: str | None = None
    # Derived from the sender's resume token by the transport and kept in memory
    # only: it makes the secrets of their anonymous questions (``erasure.question_secret``),
    # so a rule can recognise their own anonymous question without the log ever
    # linking it to them. None when the sender has no token (a plan, a test).
    author_key: str | None = field(default=None, repr=False)


@dataclass
class Participant:
    participant_id: str
    name: str
    role: Literal["participant", "moderator"]
    token_hash: str | None
    # The seq of their erasure: what existed then may hold their vote, unlinked.
    erased_at: int | None = None


@dataclass
class Round:
    round_id: str
    title: str
    theme: str
    minutes: int
    status: ev.RoundStatus = "pending"
    started_at: str | None = None
    ended_at: str | None = None
    resumed_at: str | None = None  # last reopened (None: never)
    spent_seconds: int = 0  # live before resumed_at

    def live_seconds(self) -> float:
        """How long it has been live in all, once ended (reopenings included)."""
        if self.started_at is None or self.ended_at is None:
            return self.spent_seconds
        since = parse_time(self.resumed_at or self.started_at)
        return self.spent_seconds + max(0.0, (parse_time(self.ended_at) - since).total_seconds())


@dataclass
class Message:
    message_id: str
    round_id: str | None
    author_id: str
    author_name: str
    text: str
    at: str
    hidden: bool = False
    author_role: ev.AuthorRole = "participant"
    held: bool = False  # by the word filter, until released (or hidden)

    def whole(self) -> dict[str, Any]:
        """Its fields for an event that gives it whole to those who did not have it
        (shown again, released by the word filter)."""
        return {
            "message_id": self.message_id,
            "round_id": self.round_id,
            "author_id": self.author_id,
            "author_name": self.author_name,
            "author_role": self.author_role,
            "text": self.text,
            "posted_at": self.at,
        }


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
    # Upvotes whose voters erased their contributions: counted, linked to nobody.
    unlinked_votes: int = 0
    submitted_seq: int = 0
    secret_hash: str | None = None  # anonymous questions: proves the author's client
    filtered: bool = False  # pending because the word filter matched it, until reviewed
    # Merged questions (issue 12): a variant names the question it was merged
    # into; a kept question lists its variants in merge order. Each keeps its
    # own voters; the kept question's count is their union (server.core.merging).
    merged_into: str | None = None
    variant_ids: list[str] = field(default_factory=list)
    answer: str | None = None  # the moderators' written answer, the latest one
    answer_at: str | None = None
    author_role: ev.AuthorRole | None = None  # None for an anonymous question

    @property
    def votes(self) -> int:
        return len(self.voters) + self.unlinked_votes


@dataclass
class Answer:
    """An open answer. No author field: nothing links it to whoever wrote it."""

    answer_id: str
    text: str
    at: str
    status: ev.AnswerStatus = "pending"


@dataclass
class Poll:
    poll_id: str
    question: str
    options: list[str]
    multiple: bool
    hide_results: bool
    kind: ev.PollKind = "choice"
    scale_max: int | None = None
    scale_labels: list[str] | None = None
    status: ev.PollStatus = "draft"
    round_id: str | None = None
    # One ballot per participant, by kind: choices, a rating, words.
    ballots: dict[str, list[int]] = field(default_factory=dict)
    ratings: dict[str, int] = field(default_factory=dict)
    word_ballots: dict[str, list[str]] = field(default_factory=dict)
    # Ballots whose voters erased their contributions: counted, linked to nobody.
    unlinked_ballots: list[list[int]] = field(default_factory=list)
    unlinked_ratings: list[int] = field(default_factory=list)
    unlinked_words: list[list[str]] = field(default_factory=list)
    # An open poll's answers, by id: linked to nobody from the start.
    answers: dict[str, Answer] = field(default_factory=dict)
    # Opinion shift: the poll this one asks again, and once closed, the aggregates
    # against it (fixed when it closed; see server/core/shift.py).
    repeat_of: str | None = None
    shift: ev.OpinionShift | None = None
    opened_seq: int = 0  # the record lists polls in the order they were opened
    opened_at: str | None = None
    closed_at: str | None = None
    # Once closed: the results by table (issue 13), fixed at the close, and
    # whether tables existed then but none counted 3 voters (the record says why).
    by_table: list[ev.TableResults] = field(default_factory=list)
    by_table_withheld: bool = False

    @property
    def buckets(self) -> int:
        """How many counts the poll has: one per option, or per point of its scale."""
        if self.kind == "rating":
            return self.scale_max or 0
        return len(self.options) if self.kind == "choice" else 0

    def counts(self) -> list[int]:
        """Ticks per option (or ratings per point): the one count every screen and export shows."""
        counts = [0] * self.buckets
        if self.kind == "rating":
            for rating in [*self.ratings.values(), *self.unlinked_ratings]:
                counts[rating - 1] += 1
            return counts
        for choices in [*self.ballots.values(), *self.unlinked_ballots]:
            for index in choices:
                counts[index] += 1
        return counts

    def word_cloud(self, limit: int | None = None) -> list[tuple[str, int]]:
        """A words poll's words with their counts, most frequent first."""
        return word_cloud([*self.word_ballots.values(), *self.unlinked_words], limit)

    def has_ballot(self, participant_id: str) -> bool:
        return (
            participant_id in self.ballots
            or participant_id in self.ratings
            or participant_id in self.word_ballots
        )

    def approved_answers(self) -> list[Answer]:
        return [answer for answer in self.answers.values() if answer.status == "approved"]

    @property
    def voters(self) -> int:
        """How many took part (for an open poll: how many answers came, reviewed or not)."""
        if self.kind == "open":
            return len(self.answers)
        return (
            len(self.ballots)
            + len(self.unlinked_ballots)
            + len(self.ratings)
            + len(self.unlinked_ratings)
            + len(self.word_ballots)
            + len(self.unlinked_words)
        )


@dataclass
class Announcement:
    announcement_id: str
    round_id: str | None
    text: str
    at: str


@dataclass
class Note:
    """A note between co-moderators."""

    note_id: str
    author_id: str
    author_name: str
    text: str
    at: str


@dataclass
class Hand:
    """A raised hand in the speaker queue (the queue's order is the dict's)."""

    participant_id: str
    name: str
    raised_at: str
    topic: str | None = None


@dataclass
class Turn:
    """One turn at speaking: from ``floor_given`` to its ``floor_ended``."""

    participant_id: str
    name: str
    round_id: str | None
    started_at: str
    ended_at: str | None = None  # None: speaking now

    def seconds(self, now: str | None) -> float:
        """How long it lasted, or has lasted up to ``now`` (an event's time)."""
        end = self.ended_at or now
        if end is None:
            return 0.0
        return max(0.0, (parse_time(end) - parse_time(self.started_at)).total_seconds())


@dataclass
class Table:
    table_id: str
    name: str
    seats: int
    guests: list[str] = field(default_factory=list)  # participant ids, in the order they sat
    spokesperson_id: str | None = None
    # A removed table is kept for the record: its syntheses still name it.
    removed: bool = False


@dataclass
class Synthesis:
    round_id: str
    table_id: str
    text: str
    at: str


@dataclass(frozen=True)
class WordFilterSettings:
    """The plan's ``[filter]``, as the log recorded it."""

    words: tuple[str, ...]
    builtin: bool
    action: ev.FilterAction


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
    # What the projector shows: see shared.events.SpotlightKind.
    spotlight: tuple[ev.SpotlightKind, str | None] = ("round", None)
    announcements: dict[str, Announcement] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    word_filter: WordFilterSettings | None = None  # none until a plan sets one
    # The speaker queue (raise order), the turns at speaking (the last one is
    # open while someone has the floor) and who stated a topic not erased since.
    hands: dict[str, Hand] = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)
    topic_authors: set[str] = field(default_factory=set)
    # Tables (removed ones included, marked), where each guest sits, and the
    # tables' syntheses by (round, table), in the order first posted.
    tables: dict[str, Table] = field(default_factory=dict)
    seat_of: dict[str, str] = field(default_factory=dict)  # participant_id -> table_id
    syntheses: dict[tuple[str, str], Synthesis] = field(default_factory=dict)
    # Counters that make ids deterministic, so a replay rebuilds the same ids.
    counters: dict[str, int] = field(default_factory=dict)
    # Indexes of the participants, kept by the fold: a join or a resume must
    # not scan every participant (a join storm of N guests would be O(N²)).
    names: set[str] = field(default_factory=set)  # name_keys(): look-alikes are one name
    by_token_hash: dict[str, str] = field(default_factory=dict)  # -> participant_id
    # New identities per minute by the shared join code (None: the server's default).
    join_rate_per_minute: int | None = None
    by_invitation: dict[int, str] = field(default_factory=dict)  # guest number -> participant_id

    @property
    def floor(self) -> Turn | None:
        """The open turn: who has the floor now, if anyone."""
        last = self.turns[-1] if self.turns else None
        return last if last is not None and last.ended_at is None else None

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{self.counters.get(prefix, 0) + 1}"

    def participant_by_token_hash(self, token_hash: str) -> Participant | None:
        participant_id = self.by_token_hash.get(token_hash)
        return None if participant_id is None else self.participants[participant_id]

    def name_taken(self, name: str) -> bool:
        return not self.names.isdisjoint(name_keys(name))

    def role_of(self, participant_id: str | None) -> ev.AuthorRole | None:
        """An author's role, from who they are (never from their name): events
        of older logs do not carry it, so the fold derives it here."""
        if participant_id is None:
            return None
        participant = self.participants.get(participant_id)
        return participant.role if participant is not None else "participant"


def count_id(state: DebateState, prefix: str, entity_id: str) -> None:
    """Keep the id counter past an id a replayed event brings."""
    number = int(entity_id[len(prefix) :])
    state.counters[prefix] = max(state.counters.get(prefix, 0), number)


E = TypeVar("E", bound=ev.EventBase)
Applier = Callable[[DebateState, Any], None]
# Filled by each concern's module (rounds, chat, questions, polls, erasure,
# participants), which keeps an event's state change next to its rules.
APPLIERS: dict[type[ev.EventBase], Applier] = {}


def applies(
    event_type: type[E],
) -> Callable[[Callable[[DebateState, E], None]], Callable[[DebateState, E], None]]:
    """Register how an event of ``event_type`` changes the state."""

    def register(applier: Callable[[DebateState, E], None]) -> Callable[[DebateState, E], None]:
        if event_type in APPLIERS:
            raise ValueError(f"two appliers for {event_type.__name__}")
        APPLIERS[event_type] = applier
        return applier

    return register


def apply(state: DebateState, event: ev.EventBase) -> DebateState:
    """Fold one event into the state (in place, for speed) and return it."""
    if event.seq != state.seq + 1:
        raise ValueError(f"event seq {event.seq} does not follow {state.seq}")
    state.seq, state.last_at = event.seq, event.at
    APPLIERS[type(event)](state, event)
    return state


def fold(events: Iterable[ev.EventBase], state: DebateState | None = None) -> DebateState:
    state = state or DebateState()
    for event in events:
        apply(state, event)
    return state
