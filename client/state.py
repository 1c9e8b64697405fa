"""The client's picture of the debate, and the pure reducer that keeps it.

``apply_event`` folds one server event into a :class:`ClientState` and returns
the areas of the screen that changed, so that widgets redraw only those. An
event whose ``seq`` is not above the last one applied is ignored: a resumed
connection may never show anything twice. No I/O, no Textual: unit-tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared import events as ev
from shared import protocol as p

TITLE = "title"
ROUNDS = "rounds"
CHAT = "chat"
QUESTIONS = "questions"
POLLS = "polls"
PEOPLE = "people"
ALL: frozenset[str] = frozenset({TITLE, ROUNDS, CHAT, QUESTIONS, POLLS, PEOPLE})


@dataclass
class RoundItem:
    round_id: str
    title: str
    theme: str
    minutes: int
    status: ev.RoundStatus = "pending"
    started_at: str | None = None
    ended_at: str | None = None


@dataclass
class MessageItem:
    message_id: str
    round_id: str | None
    author_id: str
    author_name: str
    text: str
    at: str


@dataclass
class QuestionItem:
    question_id: str
    round_id: str | None
    text: str
    anonymous: bool
    author_id: str | None
    author_name: str | None
    status: ev.QuestionStatus
    at: str
    answered: bool = False
    votes: int = 0


@dataclass
class PollItem:
    poll_id: str
    question: str
    options: list[str]
    multiple: bool
    hide_results: bool
    status: ev.PollStatus = "draft"
    round_id: str | None = None
    counts: list[int] | None = None  # None while the results are hidden from us
    voters: int | None = None


@dataclass
class ClientState:
    role: str = "participant"
    me: str | None = None  # our participant id (None for a screen)
    name: str | None = None
    epoch: str | None = None
    seq: int = 0
    title: str = ""
    moderation: bool = True
    agenda: list[str] = field(default_factory=list)
    rounds: dict[str, RoundItem] = field(default_factory=dict)
    messages: dict[str, MessageItem] = field(default_factory=dict)
    questions: dict[str, QuestionItem] = field(default_factory=dict)
    pinned: str | None = None
    polls: dict[str, PollItem] = field(default_factory=dict)
    my_upvotes: set[str] = field(default_factory=set)
    my_ballots: dict[str, list[int]] = field(default_factory=dict)
    # Questions we asked, anonymous ones included (learnt from our acks).
    my_questions: set[str] = field(default_factory=set)
    # The secrets that alone withdraw our anonymous questions (kept in memory only).
    my_secrets: dict[str, str] = field(default_factory=dict)
    participants: dict[str, str] = field(default_factory=dict)  # moderators: id -> name
    presence: int | None = None
    connected: list[dict[str, str]] = field(default_factory=list)

    # --- derived views ---------------------------------------------------------

    @property
    def live_round(self) -> RoundItem | None:
        for round_id in self.agenda:
            if self.rounds[round_id].status == "live":
                return self.rounds[round_id]
        return None

    @property
    def next_round(self) -> RoundItem | None:
        for round_id in self.agenda:
            if self.rounds[round_id].status == "pending":
                return self.rounds[round_id]
        return None

    @property
    def open_poll(self) -> PollItem | None:
        for poll in self.polls.values():
            if poll.status == "open":
                return poll
        return None

    @property
    def last_closed_poll(self) -> PollItem | None:
        closed = [poll for poll in self.polls.values() if poll.status == "closed"]
        return closed[-1] if closed else None

    def chat_of(self, round_id: str | None) -> list[MessageItem]:
        return [m for m in self.messages.values() if m.round_id == round_id]

    def approved_questions(self, by_votes: bool = True) -> list[QuestionItem]:
        approved = [q for q in self.questions.values() if q.status == "approved"]
        if by_votes:
            # Most votes first; among equals, the older first.
            return sorted(approved, key=lambda q: (-q.votes, q.at, q.question_id))
        return sorted(approved, key=lambda q: (q.at, q.question_id))

    def pending_questions(self) -> list[QuestionItem]:
        return sorted(
            (q for q in self.questions.values() if q.status == "pending"),
            key=lambda q: (q.at, q.question_id),
        )

    def is_mine(self, question: QuestionItem) -> bool:
        return question.question_id in self.my_questions or (
            self.me is not None and question.author_id == self.me
        )


# --- welcome: a snapshot or a catch-up -----------------------------------------


def load_snapshot(state: ClientState, snapshot: ev.Snapshot, seq: int) -> ClientState:
    """Rebuild ``state`` from a snapshot (keeps identity and local knowledge)."""
    state.seq = seq
    state.title = snapshot.title
    state.moderation = snapshot.moderation
    state.agenda = [r.round_id for r in snapshot.rounds]
    state.rounds = {
        r.round_id: RoundItem(r.round_id, r.title, r.theme, r.minutes, r.status, r.started_at, r.ended_at)
        for r in snapshot.rounds
    }
    state.messages = {
        m.message_id: MessageItem(m.message_id, m.round_id, m.author_id, m.author_name, m.text, m.at)
        for m in snapshot.messages
    }
    state.questions = {}
    state.pinned = None
    for q in snapshot.questions:
        state.questions[q.question_id] = QuestionItem(
            q.question_id,
            q.round_id,
            q.text,
            q.anonymous,
            q.author_id,
            q.author_name,
            q.status,
            q.at,
            q.answered,
            q.votes,
        )
        if q.pinned:
            state.pinned = q.question_id
    state.polls = {
        poll.poll_id: PollItem(
            poll.poll_id,
            poll.question,
            list(poll.options),
            poll.multiple,
            poll.hide_results,
            poll.status,
            poll.round_id,
            list(poll.counts) if poll.counts is not None else None,
            poll.voters,
        )
        for poll in snapshot.polls
    }
    state.my_upvotes = set(snapshot.my_upvotes)
    state.my_ballots = {k: list(v) for k, v in snapshot.my_ballots.items()}
    state.participants = {x.participant_id: x.name for x in snapshot.participants or []}
    return state


def apply_welcome(state: ClientState, welcome: p.Welcome) -> frozenset[str]:
    """Take in a welcome: a catch-up of events, or a snapshot that replaces all."""
    if state.epoch is not None and state.epoch != welcome.epoch:
        state.my_questions.clear()  # another debate: nothing we knew still holds
        state.my_secrets.clear()
    state.epoch = welcome.epoch
    state.role = welcome.role
    state.me = welcome.participant_id
    state.name = welcome.name
    if welcome.recovered:
        changed: set[str] = set()
        for event in welcome.events or []:
            changed |= apply_event(state, event)
        state.seq = max(state.seq, welcome.seq)
        return frozenset(changed)
    assert welcome.snapshot is not None
    load_snapshot(state, welcome.snapshot, welcome.seq)
    return ALL


# --- events --------------------------------------------------------------------


def apply_event(state: ClientState, event: ev.EventBase) -> frozenset[str]:
    """Fold one event into ``state``; return the areas that changed."""
    if event.seq <= state.seq:
        return frozenset()  # already applied (a resumed connection repeats nothing)
    state.seq = event.seq
    handler = _HANDLERS.get(type(event))
    if handler is None:
        return frozenset()
    return frozenset(handler(state, event))


def apply_presence(state: ClientState, frame: p.Presence) -> frozenset[str]:
    state.presence = frame.count
    if frame.connected is not None:
        state.connected = list(frame.connected)
    return frozenset({PEOPLE})


def apply_poll_counts(state: ClientState, frame: p.PollCounts) -> frozenset[str]:
    poll = state.polls.get(frame.poll_id)
    if poll is None or poll.status != "open" or len(frame.counts) != len(poll.options):
        return frozenset()
    poll.counts, poll.voters = list(frame.counts), frame.voters
    return frozenset({POLLS})


def note_created(state: ClientState, command: dict[str, Any], ack: p.Ack) -> frozenset[str]:
    """Remember what our own commands created (our anonymous questions)."""
    if command.get("type") == "submit_question" and ack.created:
        state.my_questions.add(ack.created)
        if ack.secret:
            state.my_secrets[ack.created] = ack.secret
        return frozenset({QUESTIONS})
    return frozenset()


def _debate_created(state: ClientState, e: ev.DebateCreated) -> set[str]:
    state.title = e.title
    return {TITLE}


def _participant_joined(state: ClientState, e: ev.ParticipantJoined) -> set[str]:
    state.participants[e.participant_id] = e.name
    return {PEOPLE}


def _round_added(state: ClientState, e: ev.RoundAdded) -> set[str]:
    state.rounds[e.round_id] = RoundItem(e.round_id, e.title, e.theme, e.minutes)
    if e.round_id not in state.agenda:
        state.agenda.insert(min(e.position, len(state.agenda)), e.round_id)
    return {ROUNDS}


def _round_updated(state: ClientState, e: ev.RoundUpdated) -> set[str]:
    round_ = state.rounds.get(e.round_id)
    if round_ is not None:
        round_.title, round_.theme, round_.minutes = e.title, e.theme, e.minutes
    return {ROUNDS, TITLE}


def _round_moved(state: ClientState, e: ev.RoundMoved) -> set[str]:
    if e.round_id in state.agenda:
        state.agenda.remove(e.round_id)
        state.agenda.insert(min(e.position, len(state.agenda)), e.round_id)
    return {ROUNDS}


def _round_removed(state: ClientState, e: ev.RoundRemoved) -> set[str]:
    if e.round_id in state.agenda:
        state.agenda.remove(e.round_id)
    state.rounds.pop(e.round_id, None)
    return {ROUNDS}


def _round_started(state: ClientState, e: ev.RoundStarted) -> set[str]:
    round_ = state.rounds.get(e.round_id)
    if round_ is not None:
        round_.status, round_.started_at = "live", e.at
    return {ROUNDS, TITLE, CHAT}


def _round_ended(state: ClientState, e: ev.RoundEnded) -> set[str]:
    round_ = state.rounds.get(e.round_id)
    if round_ is not None:
        round_.status, round_.ended_at = "ended", e.at
    return {ROUNDS, TITLE, CHAT}


def _message_posted(state: ClientState, e: ev.MessagePosted) -> set[str]:
    state.messages[e.message_id] = MessageItem(
        e.message_id, e.round_id, e.author_id, e.author_name, e.text, e.at
    )
    return {CHAT}


def _message_hidden(state: ClientState, e: ev.MessageHidden) -> set[str]:
    state.messages.pop(e.message_id, None)
    return {CHAT}


def _question_submitted(state: ClientState, e: ev.QuestionSubmitted) -> set[str]:
    state.questions[e.question_id] = QuestionItem(
        e.question_id,
        e.round_id,
        e.text,
        e.anonymous,
        e.author_id,
        e.author_name,
        "approved" if e.approved else "pending",
        e.at,
    )
    return {QUESTIONS}


def _question_approved(state: ClientState, e: ev.QuestionApproved) -> set[str]:
    question = state.questions.get(e.question_id)
    if question is None:
        state.questions[e.question_id] = QuestionItem(
            e.question_id,
            e.round_id,
            e.text,
            e.anonymous,
            e.author_id,
            e.author_name,
            "approved",
            e.submitted_at,
        )
    else:
        question.status = "approved"
    return {QUESTIONS}


def _question_rejected(state: ClientState, e: ev.QuestionRejected) -> set[str]:
    _forget_question(state, e.question_id)
    return {QUESTIONS}


def _question_answered(state: ClientState, e: ev.QuestionAnswered) -> set[str]:
    question = state.questions.get(e.question_id)
    if question is not None:
        question.answered = True
    return {QUESTIONS}


def _question_pinned(state: ClientState, e: ev.QuestionPinned) -> set[str]:
    state.pinned = e.question_id
    return {QUESTIONS}


def _question_unpinned(state: ClientState, e: ev.QuestionUnpinned) -> set[str]:
    if state.pinned == e.question_id:
        state.pinned = None
    return {QUESTIONS}


def _upvote_added(state: ClientState, e: ev.UpvoteAdded) -> set[str]:
    question = state.questions.get(e.question_id)
    if question is not None:
        question.votes = e.votes
    if e.participant_id is not None and e.participant_id == state.me:
        state.my_upvotes.add(e.question_id)
    return {QUESTIONS}


def _upvote_withdrawn(state: ClientState, e: ev.UpvoteWithdrawn) -> set[str]:
    question = state.questions.get(e.question_id)
    if question is not None:
        question.votes = e.votes
    if e.participant_id is not None and e.participant_id == state.me:
        state.my_upvotes.discard(e.question_id)
    return {QUESTIONS}


def _moderation_set(state: ClientState, e: ev.ModerationSet) -> set[str]:
    state.moderation = e.enabled
    return {QUESTIONS}


def _poll_created(state: ClientState, e: ev.PollCreated) -> set[str]:
    state.polls[e.poll_id] = PollItem(e.poll_id, e.question, list(e.options), e.multiple, e.hide_results)
    return {POLLS}


def _poll_opened(state: ClientState, e: ev.PollOpened) -> set[str]:
    state.polls[e.poll_id] = PollItem(
        e.poll_id,
        e.question,
        list(e.options),
        e.multiple,
        e.hide_results,
        "open",
        e.round_id,
        # Participants see live counts only when results are not hidden;
        # moderators receive poll_counts frames that fill these in.
        None if e.hide_results else [0] * len(e.options),
        None if e.hide_results else 0,
    )
    return {POLLS}


def _poll_closed(state: ClientState, e: ev.PollClosed) -> set[str]:
    poll = state.polls.get(e.poll_id)
    if poll is not None:
        poll.status, poll.counts, poll.voters = "closed", list(e.counts), e.voters
    return {POLLS}


def _ballot_cast(state: ClientState, e: ev.BallotCast) -> set[str]:
    state.my_ballots[e.poll_id] = list(e.choices)
    return {POLLS}


def _ballot_withdrawn(state: ClientState, e: ev.BallotWithdrawn) -> set[str]:
    if e.participant_id is not None and e.participant_id == state.me:
        state.my_ballots.pop(e.poll_id, None)
    poll = state.polls.get(e.poll_id)
    if poll is not None and e.counts is not None:
        poll.counts, poll.voters = list(e.counts), e.voters
    return {POLLS}


def _forget_question(state: ClientState, question_id: str) -> None:
    state.questions.pop(question_id, None)
    state.my_upvotes.discard(question_id)
    state.my_questions.discard(question_id)
    state.my_secrets.pop(question_id, None)
    if state.pinned == question_id:
        state.pinned = None


def _question_withdrawn(state: ClientState, e: ev.QuestionWithdrawn) -> set[str]:
    _forget_question(state, e.question_id)
    return {QUESTIONS}


def _contributions_erased(state: ClientState, e: ev.ContributionsErased) -> set[str]:
    for message_id in e.message_ids:
        state.messages.pop(message_id, None)
    for question_id in e.question_ids:
        _forget_question(state, question_id)
    return {CHAT, QUESTIONS}


_HANDLERS: dict[type[ev.EventBase], Any] = {
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
    ev.QuestionWithdrawn: _question_withdrawn,
    ev.ContributionsErased: _contributions_erased,
}
