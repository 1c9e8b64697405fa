"""The view reducer: what one role sees, folded from the frames it receives.

A :class:`View` starts from a snapshot (``from_snapshot``) and takes in, in
order, the events and ``poll_counts`` frames the server sends to that role.
``view.snapshot()`` then equals the snapshot the server would build for that
role at the same seq: a property test proves it for every role and every cut
point of generated debates, and writes the conformance cases under
``tests/conformance/`` that a client in another language runs too.

This is the only place outside the core that gives events their meaning: the
Textual client uses it, the web page runs a JavaScript port of it. Pure: no
I/O, no clock, nothing but ``shared``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from shared import events as ev
from shared.protocol import History, PollCounts

# The areas of a screen an event may change, so that a client redraws only those.
TITLE = "title"
ROUNDS = "rounds"
CHAT = "chat"
QUESTIONS = "questions"
POLLS = "polls"
PEOPLE = "people"
SPOTLIGHT = "spotlight"  # what the projector shows, and announcements
NOTES = "notes"  # the moderators' back-channel
FLOOR = "floor"  # the speaker queue and who has the floor
TABLES = "tables"  # tables, who sits where, and the tables' syntheses
ALL: frozenset[str] = frozenset(
    {TITLE, ROUNDS, CHAT, QUESTIONS, POLLS, PEOPLE, SPOTLIGHT, FLOOR, TABLES, NOTES}
)


def id_order(entity_id: str) -> tuple[int, str]:
    """Ids are a letter and a counter (``q12``): creation order, the server's order."""
    digits = entity_id.lstrip("abcdefghijklmnopqrstuvwxyz")
    return (int(digits) if digits.isdigit() else -1, entity_id)


@dataclass
class View:
    """The debate as one connection sees it; the same ``*View`` models as the snapshot."""

    me: str | None = None  # our participant id (None for a screen)
    is_moderator: bool = False
    seq: int = 0
    title: str = ""
    moderation: bool = True
    agenda: list[str] = field(default_factory=list)
    rounds: dict[str, ev.RoundView] = field(default_factory=dict)
    messages: dict[str, ev.MessageView] = field(default_factory=dict)
    questions: dict[str, ev.QuestionView] = field(default_factory=dict)
    polls: dict[str, ev.PollView] = field(default_factory=dict)
    my_upvotes: set[str] = field(default_factory=set)
    my_ballots: dict[str, list[int]] = field(default_factory=dict)
    my_ratings: dict[str, int] = field(default_factory=dict)
    my_words: dict[str, list[str]] = field(default_factory=dict)
    participants: dict[str, ev.ParticipantView] = field(default_factory=dict)  # moderators only
    spotlight: ev.SpotlightView = field(default_factory=ev.SpotlightView)
    announcements: dict[str, ev.AnnouncementView] = field(default_factory=dict)
    join_rate_per_minute: int | None = None  # moderators only (set_join_rate)
    # Where the unbroken part of each list starts (None: the whole list is here);
    # ``fetch_history`` with this as ``before`` brings the page before it.
    messages_before: str | None = None
    questions_before: str | None = None
    # Moderators only: their back-channel and the word filter in force.
    notes: dict[str, ev.NoteView] = field(default_factory=dict)
    word_filter: ev.WordFilterView | None = None
    hands: dict[str, ev.HandView] = field(default_factory=dict)  # the queue's order
    floor: ev.FloorView | None = None
    # Tables in the order added; syntheses by (round, table), in the order first posted.
    tables: dict[str, ev.TableView] = field(default_factory=dict)
    syntheses: dict[tuple[str, str], ev.SynthesisView] = field(default_factory=dict)
    # The name of our table when its removal unseated us: the screens show a
    # notice (never taking focus) until we sit again.
    unseated_from: str | None = None

    # --- derived views ---------------------------------------------------------

    @property
    def pinned(self) -> str | None:
        for question in self.questions.values():
            if question.pinned:
                return question.question_id
        return None

    @property
    def live_round(self) -> ev.RoundView | None:
        return next((r for r in self._agenda_rounds() if r.status == "live"), None)

    @property
    def next_round(self) -> ev.RoundView | None:
        return next((r for r in self._agenda_rounds() if r.status == "pending"), None)

    @property
    def open_poll(self) -> ev.PollView | None:
        return next((poll for poll in self.polls.values() if poll.status == "open"), None)

    @property
    def last_closed_poll(self) -> ev.PollView | None:
        closed = [poll for poll in self._polls_in_order() if poll.status == "closed"]
        return closed[-1] if closed else None

    @property
    def evening_over(self) -> bool:
        """Every round of the agenda has ended (a reopened round undoes it)."""
        rounds = self._agenda_rounds()
        return bool(rounds) and all(r.status == "ended" for r in rounds)

    @property
    def current_announcement(self) -> ev.AnnouncementView | None:
        """The latest announcement of the live round (or of the lobby, between
        rounds): a new round clears the last one from the screens."""
        live = self.live_round
        round_id = live.round_id if live else None
        made = [a for a in self.announcements.values() if a.round_id == round_id]
        return max(made, key=lambda a: id_order(a.announcement_id)) if made else None

    @property
    def round_poll(self) -> ev.PollView | None:
        """The poll the live round's screen shows: the open one, else the last
        one opened during the live round (or, between rounds, in the lobby) and
        closed since: an earlier round's poll does not linger."""
        if self.open_poll is not None:
            return self.open_poll
        live = self.live_round
        round_id = live.round_id if live else None
        closed = [p for p in self._polls_in_order() if p.status == "closed" and p.round_id == round_id]
        return closed[-1] if closed else None

    @property
    def queue(self) -> list[ev.HandView]:
        """The raised hands, first raised first."""
        return list(self.hands.values())

    def place_in_queue(self, participant_id: str | None) -> int | None:
        """1 for the next to speak; None when that hand is not raised."""
        ids = list(self.hands)
        return ids.index(participant_id) + 1 if participant_id in self.hands else None

    def chat_of(self, round_id: str | None) -> list[ev.MessageView]:
        return [m for m in self.messages.values() if m.round_id == round_id]

    def approved_questions(self, by_votes: bool = True) -> list[ev.QuestionView]:
        """The lists' questions: approved, merged ones left out (shown as variants)."""
        approved = [q for q in self.questions.values() if q.status == "approved" and q.merged_into is None]
        if by_votes:
            # Most votes first; among equals, the older first.
            return sorted(approved, key=lambda q: (-q.votes, q.at, id_order(q.question_id)))
        return sorted(approved, key=lambda q: (q.at, id_order(q.question_id)))

    def variants_of(self, question_id: str) -> list[ev.QuestionView]:
        """The questions merged into this one (issue 12), in the order asked."""
        return self.variants().get(question_id, [])

    def variants(self) -> dict[str, list[ev.QuestionView]]:
        """Every kept question's variants, in one pass (a list draws them all)."""
        groups: dict[str, list[ev.QuestionView]] = {}
        for question in self.questions.values():
            if question.merged_into is not None:
                groups.setdefault(question.merged_into, []).append(question)
        for variants in groups.values():
            variants.sort(key=lambda q: (q.at, id_order(q.question_id)))
        return groups

    def upvoted(self, question_id: str, variants: list[ev.QuestionView] | None = None) -> bool:
        """Whether our upvote counts for this question: given to it, or to a
        question merged into it (``my_upvotes`` lists where each was given)."""
        if question_id in self.my_upvotes:
            return True
        if not self.my_upvotes:
            return False
        merged = self.variants_of(question_id) if variants is None else variants
        return any(q.question_id in self.my_upvotes for q in merged)

    def pending_questions(self) -> list[ev.QuestionView]:
        return sorted(
            (q for q in self.questions.values() if q.status == "pending"),
            key=lambda q: (q.at, id_order(q.question_id)),
        )

    def rejected_questions(self) -> list[ev.QuestionView]:
        """Moderators only (no one else is sent them), newest first."""
        return sorted(
            (q for q in self.questions.values() if q.status == "rejected"),
            key=lambda q: (q.at, id_order(q.question_id)),
            reverse=True,
        )

    @property
    def my_table(self) -> ev.TableView | None:
        """The table we sit at (None: none, or a moderator or a screen)."""
        return next(
            (t for t in self.tables.values() if any(g.participant_id == self.me for g in t.guests)), None
        )

    @property
    def my_spokesperson_table(self) -> ev.TableView | None:
        """The table whose spokesperson we are."""
        table = self.my_table
        return table if table is not None and table.spokesperson_id == self.me else None

    def free_tables(self) -> list[ev.TableView]:
        """The tables with a free seat, in order."""
        return [t for t in self.tables.values() if len(t.guests) < t.seats]

    @property
    def syntheses_round(self) -> ev.RoundView | None:
        """The round whose syntheses the screens show: the live one, else the
        one that ended last (the room hears the syntheses after a round)."""
        if (live := self.live_round) is not None:
            return live
        ended = [r for r in self._agenda_rounds() if r.status == "ended"]
        return max(ended, key=lambda r: r.ended_at or "") if ended else None

    def syntheses_of(self, round_id: str | None, table_id: str | None = None) -> list[ev.SynthesisView]:
        """A round's syntheses in the order first posted (one table's, when given)."""
        return [
            s
            for s in self.syntheses.values()
            if s.round_id == round_id and (table_id is None or s.table_id == table_id)
        ]

    def _agenda_rounds(self) -> list[ev.RoundView]:
        return [self.rounds[round_id] for round_id in self.agenda]

    def _polls_in_order(self) -> list[ev.PollView]:
        return sorted(self.polls.values(), key=lambda poll: id_order(poll.poll_id))

    # --- to and from the server's snapshot ---------------------------------------

    def load_snapshot(self, snapshot: ev.Snapshot, seq: int) -> None:
        """Replace everything the server decides with ``snapshot`` (identity stays)."""
        self.seq = seq
        self.title = snapshot.title
        self.moderation = snapshot.moderation
        self.agenda = [r.round_id for r in snapshot.rounds]
        self.rounds = {r.round_id: r for r in snapshot.rounds}
        self.messages = {m.message_id: m for m in snapshot.messages}
        self.questions = {q.question_id: q for q in snapshot.questions}
        self.polls = {poll.poll_id: poll for poll in snapshot.polls}
        self.my_upvotes = set(snapshot.my_upvotes)
        self.my_ballots = {poll_id: list(choices) for poll_id, choices in snapshot.my_ballots.items()}
        self.my_ratings = dict(snapshot.my_ratings)
        self.my_words = {poll_id: list(words) for poll_id, words in snapshot.my_words.items()}
        self.participants = {x.participant_id: x for x in snapshot.participants or []}
        self.spotlight = snapshot.spotlight
        self.announcements = {a.announcement_id: a for a in snapshot.announcements}
        self.join_rate_per_minute = snapshot.join_rate_per_minute
        self.messages_before = snapshot.messages_before
        self.questions_before = snapshot.questions_before
        self.notes = {n.note_id: n for n in snapshot.notes or []}
        self.word_filter = snapshot.word_filter
        self.hands = {h.participant_id: h for h in snapshot.hands}
        self.floor = snapshot.floor
        self.tables = {t.table_id: t for t in snapshot.tables}
        self.syntheses = {(s.round_id, s.table_id): s for s in snapshot.syntheses}

    def snapshot(self) -> ev.Snapshot:
        """What this view shows, in the server's snapshot form and order."""
        return ev.Snapshot(
            title=self.title,
            moderation=self.moderation,
            rounds=self._agenda_rounds(),
            messages=sorted(self.messages.values(), key=lambda m: id_order(m.message_id)),
            questions=sorted(self.questions.values(), key=lambda q: id_order(q.question_id)),
            polls=self._polls_in_order(),
            my_upvotes=sorted(self.my_upvotes, key=id_order),
            my_ballots={k: self.my_ballots[k] for k in sorted(self.my_ballots, key=id_order)},
            my_ratings={k: self.my_ratings[k] for k in sorted(self.my_ratings, key=id_order)},
            my_words={k: self.my_words[k] for k in sorted(self.my_words, key=id_order)},
            participants=list(self.participants.values()) if self.is_moderator else None,
            spotlight=self.spotlight,
            announcements=sorted(self.announcements.values(), key=lambda a: id_order(a.announcement_id)),
            join_rate_per_minute=self.join_rate_per_minute if self.is_moderator else None,
            messages_before=self.messages_before,
            questions_before=self.questions_before,
            notes=sorted(self.notes.values(), key=lambda n: id_order(n.note_id))
            if self.is_moderator
            else None,
            word_filter=self.word_filter if self.is_moderator else None,
            hands=list(self.hands.values()),
            floor=self.floor,
            tables=list(self.tables.values()),
            syntheses=list(self.syntheses.values()),
        )


def from_snapshot(snapshot: ev.Snapshot, seq: int, me: str | None, is_moderator: bool) -> View:
    view = View(me=me, is_moderator=is_moderator)
    view.load_snapshot(snapshot, seq)
    return view


# --- the fold --------------------------------------------------------------------

E = TypeVar("E", bound=ev.EventBase)
Reducer = Callable[[View, Any], set[str]]
REDUCERS: dict[type[ev.EventBase], Reducer] = {}


def reduces(event_type: type[E]) -> Callable[[Callable[[View, E], set[str]]], Callable[[View, E], set[str]]]:
    def register(reducer: Callable[[View, E], set[str]]) -> Callable[[View, E], set[str]]:
        REDUCERS[event_type] = reducer
        return reducer

    return register


def apply_event(view: View, event: ev.EventBase) -> frozenset[str]:
    """Fold one event into ``view``; return the areas that changed.

    An event at or below the view's seq was applied already (a resumed
    connection may repeat nothing) and changes nothing.
    """
    if event.seq <= view.seq:
        return frozenset()
    view.seq = event.seq
    return frozenset(REDUCERS[type(event)](view, event))


def apply_poll_counts(view: View, frame: PollCounts) -> frozenset[str]:
    """The coalesced live counts of an open poll (only sent to who may see them)."""
    poll = view.polls.get(frame.poll_id)
    if poll is None or poll.status != "open":
        return frozenset()
    if frame.counts is None:  # hidden results: the number of voters only
        view.polls[poll.poll_id] = poll.model_copy(update={"voters": frame.voters})
        return frozenset({POLLS})
    if len(frame.counts) != buckets(poll):
        return frozenset()
    update: dict[str, Any] = {"counts": list(frame.counts), "voters": frame.voters}
    if poll.kind == "words":
        update["words"] = list(frame.words or [])
    view.polls[poll.poll_id] = poll.model_copy(update=update)
    return frozenset({POLLS})


def buckets(poll: ev.PollView) -> int:
    """How many counts a poll has: one per option, or per point of its scale."""
    if poll.kind == "rating":
        return poll.scale_max or 0
    return len(poll.options) if poll.kind == "choice" else 0


def apply_history(view: View, frame: History) -> frozenset[str]:
    """A page of earlier messages or questions (the answer to ``fetch_history``).

    Only the page that continues the list where it now starts is taken: a late
    answer to an earlier request (or one made before a new snapshot) would
    leave a gap, and is dropped."""
    if frame.kind == "messages":
        if view.messages_before is None or frame.before != view.messages_before:
            return frozenset()
        view.messages.update((m.message_id, m) for m in frame.messages)
        view.messages = dict(sorted(view.messages.items(), key=lambda item: id_order(item[0])))
        view.messages_before = frame.next_before
        return frozenset({CHAT})
    if view.questions_before is None or frame.before != view.questions_before:
        return frozenset()
    view.questions.update((q.question_id, q) for q in frame.questions)
    view.my_upvotes |= set(frame.my_upvotes)
    view.questions_before = frame.next_before
    return frozenset({QUESTIONS})


def _update(items: dict[str, Any], key: str, **changes: Any) -> None:
    item = items.get(key)
    if item is not None:
        items[key] = item.model_copy(update=changes)


@reduces(ev.DebateCreated)
def _debate_created(view: View, e: ev.DebateCreated) -> set[str]:
    view.title = e.title
    return {TITLE}


@reduces(ev.ParticipantJoined)
def _participant_joined(view: View, e: ev.ParticipantJoined) -> set[str]:
    view.participants[e.participant_id] = ev.ParticipantView(
        participant_id=e.participant_id, name=e.name, role=e.role
    )
    return {PEOPLE}


@reduces(ev.RoundAdded)
def _round_added(view: View, e: ev.RoundAdded) -> set[str]:
    view.rounds[e.round_id] = ev.RoundView(
        round_id=e.round_id, title=e.title, theme=e.theme, minutes=e.minutes, status="pending"
    )
    if e.round_id not in view.agenda:
        view.agenda.insert(min(e.position, len(view.agenda)), e.round_id)
    return {ROUNDS}


@reduces(ev.RoundUpdated)
def _round_updated(view: View, e: ev.RoundUpdated) -> set[str]:
    _update(view.rounds, e.round_id, title=e.title, theme=e.theme, minutes=e.minutes)
    return {ROUNDS, TITLE}


@reduces(ev.RoundMoved)
def _round_moved(view: View, e: ev.RoundMoved) -> set[str]:
    if e.round_id in view.agenda:
        view.agenda.remove(e.round_id)
        view.agenda.insert(min(e.position, len(view.agenda)), e.round_id)
    return {ROUNDS}


@reduces(ev.RoundRemoved)
def _round_removed(view: View, e: ev.RoundRemoved) -> set[str]:
    if e.round_id in view.agenda:
        view.agenda.remove(e.round_id)
    view.rounds.pop(e.round_id, None)
    return {ROUNDS}


@reduces(ev.RoundStarted)
def _round_started(view: View, e: ev.RoundStarted) -> set[str]:
    _update(view.rounds, e.round_id, status="live", started_at=e.at)
    return {ROUNDS, TITLE, CHAT}


@reduces(ev.RoundEnded)
def _round_ended(view: View, e: ev.RoundEnded) -> set[str]:
    _update(view.rounds, e.round_id, status="ended", ended_at=e.at)
    return {ROUNDS, TITLE, CHAT}


@reduces(ev.RoundReopened)
def _round_reopened(view: View, e: ev.RoundReopened) -> set[str]:
    _update(
        view.rounds, e.round_id, status="live", ended_at=None, resumed_at=e.at, spent_seconds=e.spent_seconds
    )
    return {ROUNDS, TITLE, CHAT}


@reduces(ev.MessagePosted)
def _message_posted(view: View, e: ev.MessagePosted) -> set[str]:
    view.messages[e.message_id] = ev.MessageView(
        message_id=e.message_id,
        round_id=e.round_id,
        author_id=e.author_id,
        author_name=e.author_name,
        author_role=e.author_role,
        text=e.text,
        at=e.at,
        held=e.held,
    )
    return {CHAT}


@reduces(ev.MessageHidden)
def _message_hidden(view: View, e: ev.MessageHidden) -> set[str]:
    # Moderators (who may bring it back) and its author keep it, marked hidden.
    message = view.messages.get(e.message_id)
    if message is not None and (view.is_moderator or message.author_id == view.me):
        view.messages[e.message_id] = message.model_copy(update={"hidden": True})
    else:
        view.messages.pop(e.message_id, None)
    return {CHAT}


@reduces(ev.MessageUnhidden)
def _message_unhidden(view: View, e: ev.MessageUnhidden) -> set[str]:
    return _shown_to_everyone(view, e)


def _shown_to_everyone(view: View, e: ev.MessageUnhidden | ev.MessageReleased) -> set[str]:
    """Those who had dropped it, or never had it (a message the filter held:
    ``_message_released``), get it whole, in its place."""
    dropped = e.message_id not in view.messages
    view.messages[e.message_id] = ev.MessageView(
        message_id=e.message_id,
        round_id=e.round_id,
        author_id=e.author_id,
        author_name=e.author_name,
        author_role=e.author_role,
        text=e.text,
        at=e.posted_at,
    )
    if dropped:  # back in its place among the others, not at the end
        view.messages = dict(sorted(view.messages.items(), key=lambda item: id_order(item[0])))
    return {CHAT}


def _new_question(
    e: ev.QuestionSubmitted | ev.QuestionApproved | ev.QuestionRestored, status: ev.QuestionStatus, at: str
) -> ev.QuestionView:
    return ev.QuestionView(
        question_id=e.question_id,
        round_id=e.round_id,
        text=e.text,
        anonymous=e.anonymous,
        author_id=e.author_id,
        author_name=e.author_name,
        author_role=None if e.anonymous else (e.author_role or "participant"),
        status=status,
        answered=False,
        pinned=False,
        votes=0,
        at=at,
        filtered=e.filtered if isinstance(e, ev.QuestionSubmitted) else False,
    )


@reduces(ev.QuestionSubmitted)
def _question_submitted(view: View, e: ev.QuestionSubmitted) -> set[str]:
    view.questions[e.question_id] = _new_question(e, "approved" if e.approved else "pending", e.at)
    return {QUESTIONS}


@reduces(ev.QuestionApproved)
def _question_approved(view: View, e: ev.QuestionApproved) -> set[str]:
    if e.question_id in view.questions:
        _update(view.questions, e.question_id, status="approved", filtered=False)
    else:  # never seen while it was pending
        view.questions[e.question_id] = _new_question(e, "approved", e.submitted_at)
    return {QUESTIONS}


def _forget_question(view: View, question_id: str) -> None:
    view.questions.pop(question_id, None)
    view.my_upvotes.discard(question_id)


@reduces(ev.QuestionRejected)
def _question_rejected(view: View, e: ev.QuestionRejected) -> set[str]:
    if view.is_moderator:  # kept, to be restored; off the floor
        _update(view.questions, e.question_id, status="rejected", pinned=False, filtered=False)
    else:
        _forget_question(view, e.question_id)
    return {QUESTIONS}


@reduces(ev.QuestionRestored)
def _question_restored(view: View, e: ev.QuestionRestored) -> set[str]:
    # It starts over: pending, no votes, not answered.
    view.questions[e.question_id] = _new_question(e, "pending", e.submitted_at)
    view.my_upvotes.discard(e.question_id)
    return {QUESTIONS}


@reduces(ev.QuestionAnswered)
def _question_answered(view: View, e: ev.QuestionAnswered) -> set[str]:
    _update(view.questions, e.question_id, answered=True)
    return {QUESTIONS}


@reduces(ev.QuestionPinned)
def _question_pinned(view: View, e: ev.QuestionPinned) -> set[str]:
    previous = view.pinned
    if previous is not None and previous != e.question_id:
        _update(view.questions, previous, pinned=False)
    _update(view.questions, e.question_id, pinned=True)
    return {QUESTIONS}


@reduces(ev.QuestionUnpinned)
def _question_unpinned(view: View, e: ev.QuestionUnpinned) -> set[str]:
    _update(view.questions, e.question_id, pinned=False)
    return {QUESTIONS}


def _upvotes_changed(view: View, e: ev.UpvoteAdded | ev.UpvoteWithdrawn, mine: bool) -> set[str]:
    # A merged question's votes count for the question it was merged into.
    question = view.questions.get(e.question_id)
    shown = question.merged_into if question is not None and question.merged_into else e.question_id
    _update(view.questions, shown, votes=e.votes)
    # A question outside a bounded view comes later, with our upvote, in its page.
    if e.participant_id is not None and e.participant_id == view.me and e.question_id in view.questions:
        if mine:
            view.my_upvotes.add(e.question_id)
        else:
            view.my_upvotes.discard(e.question_id)
    return {QUESTIONS}


@reduces(ev.UpvoteAdded)
def _upvote_added(view: View, e: ev.UpvoteAdded) -> set[str]:
    return _upvotes_changed(view, e, mine=True)


@reduces(ev.UpvoteWithdrawn)
def _upvote_withdrawn(view: View, e: ev.UpvoteWithdrawn) -> set[str]:
    return _upvotes_changed(view, e, mine=False)


@reduces(ev.ModerationSet)
def _moderation_set(view: View, e: ev.ModerationSet) -> set[str]:
    view.moderation = e.enabled
    return {QUESTIONS}


def _results_shown(view: View, hide_results: bool) -> bool:
    # Moderators follow hidden results live; others see them once the poll closes.
    return view.is_moderator or not hide_results


def _new_poll(view: View, e: ev.PollCreated | ev.PollOpened, status: ev.PollStatus) -> ev.PollView:
    """A poll with no ballots yet: a draft, or one opened (participants never saw
    the draft, so poll_opened carries the whole poll). The number of voters is
    public, hidden results or not."""
    shown = _results_shown(view, e.hide_results)
    poll = ev.PollView(
        poll_id=e.poll_id,
        question=e.question,
        options=list(e.options),
        multiple=e.multiple,
        hide_results=e.hide_results,
        status=status,
        round_id=e.round_id if isinstance(e, ev.PollOpened) else None,
        counts=None,
        voters=0,
        kind=e.kind,
        scale_max=e.scale_max,
        scale_labels=list(e.scale_labels) if e.scale_labels else None,
        words=[] if shown and e.kind == "words" else None,
        repeat_of=e.repeat_of,
    )
    return poll.model_copy(update={"counts": [0] * buckets(poll) if shown else None})


@reduces(ev.PollCreated)
def _poll_created(view: View, e: ev.PollCreated) -> set[str]:
    view.polls[e.poll_id] = _new_poll(view, e, "draft")
    return {POLLS}


@reduces(ev.PollOpened)
def _poll_opened(view: View, e: ev.PollOpened) -> set[str]:
    view.polls[e.poll_id] = _new_poll(view, e, "open")
    return {POLLS}


@reduces(ev.PollClosed)
def _poll_closed(view: View, e: ev.PollClosed) -> set[str]:
    changes: dict[str, Any] = {"status": "closed", "counts": list(e.counts), "voters": e.voters}
    if e.words is not None:
        changes["words"] = list(e.words)
    if e.answers is not None and not view.is_moderator:  # moderators have every answer already
        changes["answers"] = list(e.answers)
    changes["by_table"] = list(e.by_table)  # issue 13
    if e.shift is not None:
        changes["shift"] = e.shift
    _update(view.polls, e.poll_id, **changes)
    return {POLLS}


@reduces(ev.BallotCast)
def _ballot_cast(view: View, e: ev.BallotCast) -> set[str]:
    # Sent to the voter only; the counts follow in a poll_counts frame.
    if e.participant_id is not None and e.participant_id == view.me:
        if e.rating is not None:
            view.my_ratings[e.poll_id] = e.rating
        elif e.words is not None:
            view.my_words[e.poll_id] = list(e.words)
        else:
            view.my_ballots[e.poll_id] = list(e.choices)
    return {POLLS}


@reduces(ev.BallotWithdrawn)
def _ballot_withdrawn(view: View, e: ev.BallotWithdrawn) -> set[str]:
    if e.participant_id is not None and e.participant_id == view.me:
        view.my_ballots.pop(e.poll_id, None)
    if e.counts is not None:
        _update(view.polls, e.poll_id, counts=list(e.counts))
    if e.voters is not None:
        _update(view.polls, e.poll_id, voters=e.voters)
    return {POLLS}


@reduces(ev.ContributionsErased)
def _contributions_erased(view: View, e: ev.ContributionsErased) -> set[str]:
    for message_id in e.message_ids:
        view.messages.pop(message_id, None)
    for question_id in e.question_ids:
        _forget_question(view, question_id)
    if e.participant_id is not None and e.participant_id == view.me:
        # Ours (the others never learn who erased): our votes still count,
        # unlinked from us, so they are no longer ours to show.
        view.my_upvotes.clear()
        view.my_ballots.clear()
        view.my_ratings.clear()
        view.my_words.clear()
    return {CHAT, QUESTIONS, POLLS}


@reduces(ev.QuestionWithdrawn)
def _question_withdrawn(view: View, e: ev.QuestionWithdrawn) -> set[str]:
    _forget_question(view, e.question_id)
    return {QUESTIONS}


@reduces(ev.SpotlightSet)
def _spotlight_set(view: View, e: ev.SpotlightSet) -> set[str]:
    view.spotlight = ev.SpotlightView(kind=e.kind, item_id=e.item_id)
    return {SPOTLIGHT}


@reduces(ev.AnnouncementPosted)
def _announcement_posted(view: View, e: ev.AnnouncementPosted) -> set[str]:
    view.announcements[e.announcement_id] = ev.AnnouncementView(
        announcement_id=e.announcement_id, round_id=e.round_id, text=e.text, at=e.at
    )
    return {SPOTLIGHT}


# --- the word filter and the moderators' back-channel (issue 12) ---


@reduces(ev.MessageReleased)
def _message_released(view: View, e: ev.MessageReleased) -> set[str]:
    return _shown_to_everyone(view, e)


@reduces(ev.WordFilterSet)
def _word_filter_set(view: View, e: ev.WordFilterSet) -> set[str]:
    view.word_filter = ev.WordFilterView(words=list(e.words), builtin=e.builtin, action=e.action)
    return {NOTES}


@reduces(ev.NotePosted)
def _note_posted(view: View, e: ev.NotePosted) -> set[str]:
    view.notes[e.note_id] = ev.NoteView(
        note_id=e.note_id, author_id=e.author_id, author_name=e.author_name, text=e.text, at=e.at
    )
    return {NOTES}


@reduces(ev.JoinRateSet)
def _join_rate_set(view: View, e: ev.JoinRateSet) -> set[str]:
    view.join_rate_per_minute = e.per_minute
    return {PEOPLE}


@reduces(ev.ParticipantDeviceAdded)
def _participant_device_added(view: View, e: ev.ParticipantDeviceAdded) -> set[str]:
    return set()  # log only: never sent


# --- merged questions and written answers (issue 12) ----------------------------


@reduces(ev.QuestionsMerged)
def _questions_merged(view: View, e: ev.QuestionsMerged) -> set[str]:
    for question_id in e.merged_ids:
        _update(view.questions, question_id, merged_into=e.keep_id, votes=0, pinned=False)
    _update(view.questions, e.keep_id, votes=e.votes)
    return {QUESTIONS}


@reduces(ev.QuestionUnmerged)
def _question_unmerged(view: View, e: ev.QuestionUnmerged) -> set[str]:
    _update(view.questions, e.question_id, merged_into=None, votes=e.votes)
    _update(view.questions, e.keep_id, votes=e.keep_votes)
    return {QUESTIONS}


@reduces(ev.MergeNotified)
def _merge_notified(view: View, e: ev.MergeNotified) -> set[str]:
    """A notice to the author (the client tells them); questions_merged changed the view."""
    return set()


@reduces(ev.AnswerWritten)
def _answer_written(view: View, e: ev.AnswerWritten) -> set[str]:
    _update(view.questions, e.question_id, answer=e.text, answer_at=e.at)
    return {QUESTIONS}


def _set_answers(view: View, poll_id: str, answers: list[ev.AnswerView]) -> None:
    _update(view.polls, poll_id, answers=sorted(answers, key=lambda a: id_order(a.answer_id)))


@reduces(ev.AnswerSubmitted)
def _answer_submitted(view: View, e: ev.AnswerSubmitted) -> set[str]:
    # Moderators only: waiting for their review.
    poll = view.polls.get(e.poll_id)
    if poll is not None:
        answer = ev.AnswerView(answer_id=e.answer_id, text=e.text, status="pending", at=e.at)
        _set_answers(view, e.poll_id, [a for a in poll.answers if a.answer_id != e.answer_id] + [answer])
    return {POLLS}


@reduces(ev.AnswerApproved)
def _answer_approved(view: View, e: ev.AnswerApproved) -> set[str]:
    poll = view.polls.get(e.poll_id)
    if poll is not None:
        answer = ev.AnswerView(answer_id=e.answer_id, text=e.text, status="approved", at=e.submitted_at)
        _set_answers(view, e.poll_id, [a for a in poll.answers if a.answer_id != e.answer_id] + [answer])
    return {POLLS}


@reduces(ev.AnswerRejected)
def _answer_rejected(view: View, e: ev.AnswerRejected) -> set[str]:
    poll = view.polls.get(e.poll_id)
    if poll is not None:
        if view.is_moderator:  # kept, to be approved after all
            answers = [
                a.model_copy(update={"status": "rejected"}) if a.answer_id == e.answer_id else a
                for a in poll.answers
            ]
        else:
            answers = [a for a in poll.answers if a.answer_id != e.answer_id]
        _set_answers(view, e.poll_id, answers)
    return {POLLS}


# --- the speaker queue --------------------------------------------------------------


@reduces(ev.HandRaised)
def _hand_raised(view: View, e: ev.HandRaised) -> set[str]:
    view.hands.pop(e.participant_id, None)  # a raised hand goes to the end
    view.hands[e.participant_id] = ev.HandView(participant_id=e.participant_id, name=e.name, raised_at=e.at)
    return {FLOOR}


@reduces(ev.HandTopicStated)
def _hand_topic_stated(view: View, e: ev.HandTopicStated) -> set[str]:
    # Sent to the moderators and the hand's owner only; empty once erased.
    _update(view.hands, e.participant_id, topic=e.topic or None)
    return {FLOOR}


@reduces(ev.HandLowered)
def _hand_lowered(view: View, e: ev.HandLowered) -> set[str]:
    view.hands.pop(e.participant_id, None)
    return {FLOOR}


@reduces(ev.FloorGiven)
def _floor_given(view: View, e: ev.FloorGiven) -> set[str]:
    view.hands.pop(e.participant_id, None)
    view.floor = ev.FloorView(participant_id=e.participant_id, name=e.name, since=e.at, round_id=e.round_id)
    return {FLOOR}


@reduces(ev.FloorEnded)
def _floor_ended(view: View, e: ev.FloorEnded) -> set[str]:
    if view.floor is not None and view.floor.participant_id == e.participant_id:
        view.floor = None
    return {FLOOR}


# --- tables (issue 13) -----------------------------------------------------------


@reduces(ev.TableAdded)
def _table_added(view: View, e: ev.TableAdded) -> set[str]:
    view.tables[e.table_id] = ev.TableView(table_id=e.table_id, name=e.name, seats=e.seats)
    return {TABLES}


@reduces(ev.TableUpdated)
def _table_updated(view: View, e: ev.TableUpdated) -> set[str]:
    _update(view.tables, e.table_id, name=e.name, seats=e.seats)
    for key, synthesis in view.syntheses.items():
        if synthesis.table_id == e.table_id:
            view.syntheses[key] = synthesis.model_copy(update={"table_name": e.name})
    return {TABLES}


@reduces(ev.TableRemoved)
def _table_removed(view: View, e: ev.TableRemoved) -> set[str]:
    table = view.tables.pop(e.table_id, None)
    if view.me is not None and view.me in e.unseated:
        view.unseated_from = table.name if table is not None else ""
    return {TABLES}


@reduces(ev.GuestSeated)
def _guest_seated(view: View, e: ev.GuestSeated) -> set[str]:
    for left in list(view.tables.values()):
        if any(g.participant_id == e.participant_id for g in left.guests):
            spokesperson = None if left.spokesperson_id == e.participant_id else left.spokesperson_id
            view.tables[left.table_id] = left.model_copy(
                update={
                    "guests": [g for g in left.guests if g.participant_id != e.participant_id],
                    "spokesperson_id": spokesperson,
                }
            )
    table = view.tables.get(e.table_id)
    if table is not None:
        seat = ev.SeatView(participant_id=e.participant_id, name=e.name)
        view.tables[e.table_id] = table.model_copy(update={"guests": [*table.guests, seat]})
    if e.participant_id == view.me:
        view.unseated_from = None
    return {TABLES}


@reduces(ev.SpokespersonSet)
def _spokesperson_set(view: View, e: ev.SpokespersonSet) -> set[str]:
    _update(view.tables, e.table_id, spokesperson_id=e.participant_id)
    return {TABLES}


@reduces(ev.SynthesisPosted)
def _synthesis_posted(view: View, e: ev.SynthesisPosted) -> set[str]:
    key = (e.round_id, e.table_id)
    previous = view.syntheses.get(key)
    table = view.tables.get(e.table_id)
    name = table.name if table is not None else previous.table_name if previous is not None else ""
    view.syntheses[key] = ev.SynthesisView(
        round_id=e.round_id, table_id=e.table_id, table_name=name, text=e.text, at=e.at
    )
    return {TABLES}
