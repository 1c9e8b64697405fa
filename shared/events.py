"""The debate's events: facts in the past tense, numbered by a gap-free ``seq``.

The same models serve the log (every field) and the wire (a projection per
audience decided by the server: some fields, such as ``token_hash`` or a
voter's id, never leave the server; see ``server.core.audience``).
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

RoundStatus = Literal["pending", "live", "ended"]
# What the projector shows: the live round's screen (or one round's), one
# question or one poll full screen, a welcome slide (how to join), an
# end-of-evening slide, or nothing; or the tables' syntheses (all, or one table's).
SpotlightKind = Literal["round", "question", "poll", "welcome", "end", "blank", "syntheses"]
QuestionStatus = Literal["pending", "approved", "rejected"]
PollStatus = Literal["draft", "open", "closed"]
# The role of a message's or a named question's author, decided by the server
# from who sent it (never from the name): screens badge the real moderators.
AuthorRole = Literal["participant", "moderator"]
# choice: options; rating: a scale 1..scale_max; words: a word cloud; open: short
# free answers, anonymous and reviewed before they are shown.
PollKind = Literal["choice", "rating", "words", "open"]
AnswerStatus = Literal["pending", "approved", "rejected"]
# What the word filter does with a chat message or question that matches.
FilterAction = Literal["hold", "refuse"]


class ServerModel(BaseModel):
    # Extra fields are ignored so that an older client survives a newer server.
    model_config = ConfigDict(extra="ignore", frozen=True)


class EventBase(ServerModel):
    type: str  # each event narrows it to a Literal; declared first so frames read well
    seq: int
    at: str  # ISO 8601, UTC, server time


class DebateCreated(EventBase):
    type: Literal["debate_created"] = "debate_created"
    title: str


class ParticipantJoined(EventBase):
    type: Literal["participant_joined"] = "participant_joined"
    participant_id: str
    name: str
    role: Literal["participant", "moderator"]
    token_hash: str | None = None  # log only
    # The personal invitation (its guest number) this participant joined with: log only.
    invitation: int | None = None


class RoundAdded(EventBase):
    type: Literal["round_added"] = "round_added"
    round_id: str
    title: str
    theme: str
    minutes: int
    position: int


class RoundUpdated(EventBase):
    type: Literal["round_updated"] = "round_updated"
    round_id: str
    title: str
    theme: str
    minutes: int


class RoundMoved(EventBase):
    type: Literal["round_moved"] = "round_moved"
    round_id: str
    position: int


class RoundRemoved(EventBase):
    type: Literal["round_removed"] = "round_removed"
    round_id: str


class RoundStarted(EventBase):
    type: Literal["round_started"] = "round_started"
    round_id: str


class RoundEnded(EventBase):
    type: Literal["round_ended"] = "round_ended"
    round_id: str


class RoundReopened(EventBase):
    """An ended round is live again; its countdown continues: ``spent_seconds``
    is the time it was live before, and it runs again from this event's ``at``."""

    type: Literal["round_reopened"] = "round_reopened"
    round_id: str
    spent_seconds: int


class MessagePosted(EventBase):
    type: Literal["message_posted"] = "message_posted"
    message_id: str
    round_id: str | None
    author_id: str
    author_name: str
    # Older logs lack it: the server fills it in from the author's role on replay.
    author_role: AuthorRole = "participant"
    text: str
    # The word filter held it: the moderators and its author only, until released.
    held: bool = False


class MessageHidden(EventBase):
    type: Literal["message_hidden"] = "message_hidden"
    message_id: str


class MessageUnhidden(EventBase):
    """Carries the whole message: participants dropped it when it was hidden."""

    type: Literal["message_unhidden"] = "message_unhidden"
    message_id: str
    round_id: str | None
    author_id: str
    author_name: str
    # Older logs lack it: the server fills it in from the author's role on replay.
    author_role: AuthorRole = "participant"
    text: str
    posted_at: str


class _WholeQuestion(EventBase):
    question_id: str
    round_id: str | None
    text: str
    anonymous: bool
    author_id: str | None  # None for an anonymous question, in the log too
    author_name: str | None
    # None for an anonymous question: "a moderator asked" would narrow it to a few.
    author_role: AuthorRole | None = None


class QuestionSubmitted(_WholeQuestion):
    """A new question; ``approved`` is true when moderation was off."""

    type: Literal["question_submitted"] = "question_submitted"
    approved: bool
    # The word filter sent it to review (whatever the moderation setting).
    filtered: bool = False
    # Log only: the hash of the secret an anonymous author's client holds, which
    # alone can withdraw the question (the secret itself is kept nowhere).
    secret_hash: str | None = None


class QuestionApproved(_WholeQuestion):
    """Carries the whole question: participants never saw it while pending."""

    type: Literal["question_approved"] = "question_approved"
    submitted_at: str


class QuestionRejected(EventBase):
    type: Literal["question_rejected"] = "question_rejected"
    question_id: str


class QuestionRestored(_WholeQuestion):
    """A rejected question is pending again, with no votes and not answered:
    it starts over. Carries the whole question: its named author dropped it."""

    type: Literal["question_restored"] = "question_restored"
    submitted_at: str


class QuestionAnswered(EventBase):
    type: Literal["question_answered"] = "question_answered"
    question_id: str


class QuestionPinned(EventBase):
    type: Literal["question_pinned"] = "question_pinned"
    question_id: str


class QuestionUnpinned(EventBase):
    type: Literal["question_unpinned"] = "question_unpinned"
    question_id: str


class UpvoteAdded(EventBase):
    type: Literal["upvote_added"] = "upvote_added"
    question_id: str
    votes: int
    participant_id: str | None = None  # sent to the voter only


class UpvoteWithdrawn(EventBase):
    """For a merged question (issue 12), ``votes`` is the count of the question
    it was merged into, the one shown."""

    type: Literal["upvote_withdrawn"] = "upvote_withdrawn"
    question_id: str
    votes: int
    participant_id: str | None = None  # sent to the voter only


class ModerationSet(EventBase):
    type: Literal["moderation_set"] = "moderation_set"
    enabled: bool


class _WholePoll(EventBase):
    poll_id: str
    question: str
    options: list[str]  # empty unless kind is choice
    multiple: bool
    hide_results: bool
    # Absent in logs written before poll kinds: those polls are choice polls.
    kind: PollKind = "choice"
    scale_max: int | None = None  # rating only
    scale_labels: list[str] | None = None  # rating only, optional: [low, high]
    # The earlier poll this one asks again (its opinion shift is measured against it).
    repeat_of: str | None = None


class PollCreated(_WholePoll):
    type: Literal["poll_created"] = "poll_created"


class PollOpened(_WholePoll):
    """Carries the whole poll: participants never saw it as a draft."""

    type: Literal["poll_opened"] = "poll_opened"
    round_id: str | None


class WordCount(ServerModel):
    """One word of a word cloud and how many guests sent it (an aggregate)."""

    word: str
    count: int


class AnswerView(ServerModel):
    """An open answer: its text, never its author (no one knows it)."""

    answer_id: str
    text: str
    status: AnswerStatus
    at: str


class TableResults(ServerModel):
    """A closed poll's results at one table (issue 13), or at the other tables
    together (``table_id`` None): tables where fewer than 3 guests voted, the
    guests seated nowhere, and whatever the k ≥ 3 rule merged (``shared.breakdown``)."""

    table_id: str | None
    table_name: str | None
    voters: int
    counts: list[int]


# --- opinion shift: aggregates only, computed by the core ---------------------


class OptionShift(ServerModel):
    """One option (or point of a rating scale) in the earlier poll and in its
    repeat: percentages of each poll's voters, to one decimal, and the shift in
    percentage points (``after - before`` of the rounded shares)."""

    before: float
    after: float
    points: float


class Transition(ServerModel):
    """How many guests who voted both times went from one answer to another:
    option indices (a rating poll: the point minus one). Only cells of at least
    3 guests are ever sent (see ``shared.breakdown``)."""

    before: list[int]
    after: list[int]
    guests: int


class OpinionShift(ServerModel):
    """How a repeated poll moved since the poll it repeats, computed by the core
    when the repeat closes and fixed then (a later erasure changes nothing).

    ``both``: the guests whose two ballots were linked to them then (one who had
    erased is linked to neither). ``changed``: how many of them changed their
    answer, None when fewer than 3 voted both times. ``transitions``: the changes
    of at least 3 guests each; ``other_changes`` counts the guests of the rest,
    merged so that no small change can be told apart (how many different changes
    it holds is not said)."""

    before_poll_id: str
    options: list[OptionShift]
    both: int
    changed: int | None = None
    transitions: list[Transition] = []
    other_changes: int = 0


class PollClosed(EventBase):
    """Final results, always sent, hidden or not: the counts (per option, or per
    point of a rating scale), the word cloud of a words poll, the approved
    answers of an open poll; and the results by table (issue 13, ``by_table``:
    the tables shown, then "other tables"; empty when no table counts 3 voters,
    and the screens say why)."""

    type: Literal["poll_closed"] = "poll_closed"
    poll_id: str
    counts: list[int]
    voters: int
    words: list[WordCount] | None = None
    answers: list[AnswerView] | None = None
    by_table: list[TableResults] = []
    # A repeated poll (repeat_of): how opinions moved since the earlier one.
    shift: OpinionShift | None = None


class BallotCast(EventBase):
    """One participant's ballot: sent to that participant only, never to others.

    In the log, the ballots of a participant who erased their contributions
    lose ``participant_id`` (None): their last one still counts, linked to
    nobody; the earlier ones lose their ``choices`` too.
    """

    type: Literal["ballot_cast"] = "ballot_cast"
    poll_id: str
    participant_id: str | None
    choices: list[int] = Field(default_factory=list)  # a choice poll
    rating: int | None = None  # a rating poll
    words: list[str] | None = None  # a words poll


class BallotWithdrawn(EventBase):
    """Legacy, no longer produced: erasing once subtracted the eraser's ballot,
    which told the room how they had voted; it now unlinks it instead (see
    ``contributions_erased``). Kept so that older logs still fold."""

    type: Literal["ballot_withdrawn"] = "ballot_withdrawn"
    poll_id: str
    participant_id: str | None = None
    counts: list[int] | None = None
    voters: int | None = None


class ContributionsErased(EventBase):
    """A participant erased their messages and named questions.

    They disappear for everyone; their text is erased from the log too (the
    earlier events keep their seq, with an empty ``text``). Their upvotes and
    ballots stay counted but lose their link to them, in the state and in the
    log: no count changes, so nobody learns how they had voted.
    ``participant_id`` goes to the eraser only (whose view forgets its upvotes
    and ballots); the others learn only which texts disappear.
    """

    type: Literal["contributions_erased"] = "contributions_erased"
    participant_id: str | None = None  # the eraser only (and the log)
    message_ids: list[str]
    question_ids: list[str]


class QuestionWithdrawn(EventBase):
    """Its author withdrew the question: it disappears, its text is erased from the log."""

    type: Literal["question_withdrawn"] = "question_withdrawn"
    question_id: str


class SpotlightSet(EventBase):
    """The moderator chose what the projector shows (``item_id``: see set_spotlight)."""

    type: Literal["spotlight_set"] = "spotlight_set"
    kind: SpotlightKind
    item_id: str | None = None


class AnnouncementPosted(EventBase):
    """The moderators' word to the room, shown apart from the chat while ``round_id`` lasts."""

    type: Literal["announcement_posted"] = "announcement_posted"
    announcement_id: str
    round_id: str | None
    text: str


# --- the word filter and the moderators' back-channel (issue 12) ---


class WordFilterSet(EventBase):
    """The plan's ``[filter]``: the organiser's ``words``, whether the built-in
    lists apply, and what happens to a match. Moderators only."""

    type: Literal["word_filter_set"] = "word_filter_set"
    words: list[str]
    builtin: bool
    action: FilterAction


class MessageReleased(EventBase):
    """A message the filter held is shown to everyone; carries the whole
    message, since only the moderators and its author had it."""

    type: Literal["message_released"] = "message_released"
    message_id: str
    round_id: str | None
    author_id: str
    author_name: str
    author_role: AuthorRole = "participant"
    text: str
    posted_at: str


class NotePosted(EventBase):
    """A note between co-moderators: moderators only, never the room."""

    type: Literal["note_posted"] = "note_posted"
    note_id: str
    author_id: str
    author_name: str
    text: str


class ParticipantDeviceAdded(EventBase):
    """Log only (sent to nobody): an invited guest's personal code was used on one
    more device, which gets a resume token of its own. Per device, so that no
    token, and no anonymous question's secret, can be derived from the database."""

    type: Literal["participant_device_added"] = "participant_device_added"
    participant_id: str
    token_hash: str


class JoinRateSet(EventBase):
    """Moderators only: new identities per minute the shared join code may make."""

    type: Literal["join_rate_set"] = "join_rate_set"
    per_minute: int


# --- merged questions and written answers (issue 12) ----------------------------


class QuestionsMerged(EventBase):
    """``merged_ids`` are now variants of ``keep_id`` (their own variants came
    along). ``votes``: the kept question's count, its voters and theirs each once."""

    type: Literal["questions_merged"] = "questions_merged"
    keep_id: str
    merged_ids: list[str]
    votes: int


class QuestionUnmerged(EventBase):
    """A merged question is split off again with its own voters (``votes``);
    ``keep_votes``: the kept question's count without them."""

    type: Literal["question_unmerged"] = "question_unmerged"
    question_id: str
    keep_id: str
    votes: int
    keep_votes: int


class MergeNotified(EventBase):
    """To a merged question's author only (an anonymous one too, reached
    through their key without being named anywhere): it was merged."""

    type: Literal["merge_notified"] = "merge_notified"
    question_id: str
    keep_id: str


class AnswerWritten(EventBase):
    """The moderators' written answer to a question; a later one replaces it."""

    type: Literal["answer_written"] = "answer_written"
    question_id: str
    text: str


class AnswerSubmitted(EventBase):
    """An open answer, waiting for review. Linked to no one: no author in the
    event, the log or the command records (its retry record lives in memory)."""

    type: Literal["answer_submitted"] = "answer_submitted"
    poll_id: str
    answer_id: str
    text: str


class AnswerApproved(EventBase):
    """Carries the whole answer: only the moderators saw it while pending."""

    type: Literal["answer_approved"] = "answer_approved"
    poll_id: str
    answer_id: str
    text: str
    submitted_at: str


class AnswerRejected(EventBase):
    type: Literal["answer_rejected"] = "answer_rejected"
    poll_id: str
    answer_id: str


# --- the speaker queue (issue 12) ------------------------------------------


class HandRaised(EventBase):
    """A participant asked for the floor: they join the end of the queue.
    Public, name included: the projector shows who is next."""

    type: Literal["hand_raised"] = "hand_raised"
    participant_id: str
    name: str


# --- tables (issue 13) ----------------------------------------------------------


class TableAdded(EventBase):
    type: Literal["table_added"] = "table_added"
    table_id: str
    name: str
    seats: int


class TableUpdated(EventBase):
    type: Literal["table_updated"] = "table_updated"
    table_id: str
    name: str
    seats: int


class TableRemoved(EventBase):
    """The table is gone; ``unseated``: the guests who sat there (each is told)."""

    type: Literal["table_removed"] = "table_removed"
    table_id: str
    unseated: list[str]


class GuestSeated(EventBase):
    """A guest sits at a table, leaving the one they sat at (and, if they were
    its spokesperson, that role). Seating is public: ``name`` is shown beside it."""

    type: Literal["guest_seated"] = "guest_seated"
    table_id: str
    participant_id: str
    name: str


class HandTopicStated(EventBase):
    """What the participant who just raised their hand wants to speak about:
    for the moderators and that participant only. Erasure empties ``topic``."""

    type: Literal["hand_topic_stated"] = "hand_topic_stated"
    participant_id: str
    topic: str


class HandLowered(EventBase):
    """A hand leaves the queue: lowered by its owner or by a moderator, or its
    owner erased their contributions."""

    type: Literal["hand_lowered"] = "hand_lowered"
    participant_id: str


class FloorGiven(EventBase):
    """A moderator gave the floor: the participant speaks from ``at`` (their
    raised hand, if any, leaves the queue). ``round_id``: the live round, whose
    speaking time this turn counts in (None: outside the rounds)."""

    type: Literal["floor_given"] = "floor_given"
    participant_id: str
    name: str
    round_id: str | None


class FloorEnded(EventBase):
    """The turn of whoever had the floor ends at ``at`` (``end_floor``, the floor
    given to someone else, or the round's end)."""

    type: Literal["floor_ended"] = "floor_ended"
    participant_id: str


class SpokespersonSet(EventBase):
    type: Literal["spokesperson_set"] = "spokesperson_set"
    table_id: str
    participant_id: str


class SynthesisPosted(EventBase):
    """A table's synthesis of a round, replacing its earlier one. Attributed to
    the table: it names no person."""

    type: Literal["synthesis_posted"] = "synthesis_posted"
    round_id: str
    table_id: str
    text: str


# Events no longer produced, kept so that older logs fold and replay.
LEGACY_EVENT_TYPES: frozenset[str] = frozenset({"ballot_withdrawn"})
# Events kept in the log only: no client is ever sent one.
LOG_ONLY_EVENT_TYPES: frozenset[str] = frozenset({"participant_device_added"})

EVENT_MODELS: tuple[type[EventBase], ...] = (
    DebateCreated,
    ParticipantJoined,
    RoundAdded,
    RoundUpdated,
    RoundMoved,
    RoundRemoved,
    RoundStarted,
    RoundEnded,
    RoundReopened,
    MessagePosted,
    MessageHidden,
    MessageUnhidden,
    QuestionSubmitted,
    QuestionApproved,
    QuestionRejected,
    QuestionRestored,
    QuestionAnswered,
    QuestionPinned,
    QuestionUnpinned,
    UpvoteAdded,
    UpvoteWithdrawn,
    ModerationSet,
    PollCreated,
    PollOpened,
    PollClosed,
    BallotCast,
    BallotWithdrawn,
    ContributionsErased,
    QuestionWithdrawn,
    SpotlightSet,
    AnnouncementPosted,
    JoinRateSet,
    ParticipantDeviceAdded,
    WordFilterSet,
    MessageReleased,
    NotePosted,
    QuestionsMerged,
    QuestionUnmerged,
    MergeNotified,
    AnswerWritten,
    AnswerSubmitted,
    AnswerApproved,
    AnswerRejected,
    HandRaised,
    HandTopicStated,
    HandLowered,
    FloorGiven,
    FloorEnded,
    TableAdded,
    TableUpdated,
    TableRemoved,
    GuestSeated,
    SpokespersonSet,
    SynthesisPosted,
)

Event = Annotated[Union[EVENT_MODELS], Field(discriminator="type")]  # type: ignore[valid-type]  # noqa: UP007

event_adapter: TypeAdapter[EventBase] = TypeAdapter(Event)


# --- the snapshot: the whole visible state for one connection --------------


class RoundView(ServerModel):
    round_id: str
    title: str
    theme: str
    minutes: int
    status: RoundStatus
    started_at: str | None = None
    ended_at: str | None = None
    # A reopened round: live again since ``resumed_at``, after ``spent_seconds``
    # live before. Its countdown is minutes*60 - spent_seconds - (now - resumed_at).
    resumed_at: str | None = None
    spent_seconds: int = 0


class MessageView(ServerModel):
    message_id: str
    round_id: str | None
    author_id: str
    author_name: str
    author_role: AuthorRole = "participant"
    text: str
    at: str
    # Only moderators and its author still see a hidden message, marked so.
    hidden: bool = False
    # Held by the word filter: only moderators and its author see it, until released.
    held: bool = False


class QuestionView(ServerModel):
    question_id: str
    round_id: str | None
    text: str
    anonymous: bool
    author_id: str | None
    author_name: str | None
    author_role: AuthorRole | None = None  # None for an anonymous question
    status: QuestionStatus
    answered: bool
    pinned: bool
    votes: int
    at: str
    # Pending because the word filter matched it (until approved or rejected).
    filtered: bool = False
    # Merged questions (issue 12): a variant names the question it was merged
    # into (it leaves the lists and shows under it; its votes count there: 0
    # here); a written answer, if any, and when it was written.
    merged_into: str | None = None
    answer: str | None = None
    answer_at: str | None = None


class PollView(ServerModel):
    poll_id: str
    question: str
    options: list[str]
    multiple: bool
    hide_results: bool
    status: PollStatus
    round_id: str | None
    counts: list[int] | None  # None while results are hidden
    voters: int | None
    kind: PollKind = "choice"
    scale_max: int | None = None
    scale_labels: list[str] | None = None
    # A words poll: the most frequent words (None while hidden, and for other kinds).
    words: list[WordCount] | None = None
    # An open poll: moderators see every answer; the others the approved ones, once results show.
    answers: list[AnswerView] = []
    # Once closed, the results by table (issue 13; see PollClosed.by_table).
    by_table: list[TableResults] = []
    # A repeated poll: the poll it asks again, and once it closed, the shift since.
    repeat_of: str | None = None
    shift: OpinionShift | None = None


class SpotlightView(ServerModel):
    kind: SpotlightKind = "round"
    item_id: str | None = None


class AnnouncementView(ServerModel):
    announcement_id: str
    round_id: str | None
    text: str
    at: str


class NoteView(ServerModel):
    note_id: str
    author_id: str
    author_name: str
    text: str
    at: str


class SeatView(ServerModel):
    participant_id: str
    name: str


class TableView(ServerModel):
    table_id: str
    name: str
    seats: int
    guests: list[SeatView] = []  # in the order they sat down
    spokesperson_id: str | None = None


class SynthesisView(ServerModel):
    """A table's synthesis of a round; ``table_name`` stays once the table is removed."""

    round_id: str
    table_id: str
    table_name: str
    text: str
    at: str


class WordFilterView(ServerModel):
    words: list[str]
    builtin: bool
    action: FilterAction


class ParticipantView(ServerModel):
    participant_id: str
    name: str
    role: str


class HandView(ServerModel):
    """A raised hand, in the queue's order. ``topic``: for the moderators and
    the hand's owner only (None for the others, or when none was given)."""

    participant_id: str
    name: str
    raised_at: str
    topic: str | None = None


class FloorView(ServerModel):
    """Who has the floor, since when, and in which round (None: outside the rounds)."""

    participant_id: str
    name: str
    since: str
    round_id: str | None = None


class Snapshot(ServerModel):
    title: str
    moderation: bool
    rounds: list[RoundView]
    messages: list[MessageView]
    questions: list[QuestionView]
    polls: list[PollView]
    my_upvotes: list[str] = []
    my_ballots: dict[str, list[int]] = {}
    my_ratings: dict[str, int] = {}
    my_words: dict[str, list[str]] = {}
    participants: list[ParticipantView] | None = None  # moderators only
    # What the projector shows (the default: the live round's screen).
    spotlight: SpotlightView = SpotlightView()
    announcements: list[AnnouncementView] = []
    # Moderators only: the debate-wide rate of new identities they set (None:
    # not set, the server's default applies; join_stats tells the rate in force).
    join_rate_per_minute: int | None = None
    # A bounded welcome holds the recent part of the chat and of the questions:
    # every visible one from this id on (and, for questions, a few earlier ones
    # that matter: the most upvoted, the pinned one, one's own). Earlier ones are
    # fetched with ``fetch_history``; None when the list is whole.
    messages_before: str | None = None
    questions_before: str | None = None
    # Moderators only: their back-channel and the word filter in force.
    notes: list[NoteView] | None = None
    word_filter: WordFilterView | None = None
    # The speaker queue, in order, and who has the floor.
    hands: list[HandView] = []
    floor: FloorView | None = None
    # Tables and who sits where (public), and the tables' syntheses (issue 13).
    tables: list[TableView] = []
    syntheses: list[SynthesisView] = []
