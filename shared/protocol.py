"""Every frame on the wire, as pydantic models.

Client -> server: ``hello`` then commands, one discriminated union on ``type``.
Server -> client: ``welcome``, ``ack``, ``error``, ephemeral updates
(``presence``, ``poll_counts``) and the debate's events (see ``shared.events``).
Field names are public API: third-party clients rely on them.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    model_validator,
)

from shared import limits
from shared.events import (
    EVENT_MODELS,
    Event,
    MessageView,
    PollKind,
    QuestionView,
    ServerModel,
    Snapshot,
    SpotlightKind,
    WordCount,
)
from shared.text import MultiLine, NameText, SingleLine, reject_controls

Role = Literal["participant", "moderator", "screen"]
# Who may send a command (a screen sends none) and which rate budget it draws on.
GUESTS_AND_MODERATORS: frozenset[Role] = frozenset({"participant", "moderator"})
MODERATORS_ONLY: frozenset[Role] = frozenset({"moderator"})
GUESTS_ONLY: frozenset[Role] = frozenset({"participant"})
RateBucket = Literal["command", "chat", "question"]

# Every code an ``error`` frame may carry (docs/protocol.md explains each; the
# client translates each). The last three are the client's own, never sent.
ErrorCode = Literal[
    # the frame itself
    "bad_json",
    "binary_frame",
    "invalid_frame",
    "unknown_type",
    "too_long",
    # handshake
    "hello_required",
    "already_joined",
    "unsupported_protocol",
    "bad_credentials",
    "name_required",
    # roles and limits
    "forbidden",
    "rate_limited",
    "too_many_hellos",
    "too_many_connections",
    "not_a_debate_command",
    # new identities (issue 14, item 2)
    "invite_only",
    "too_many_joins",
    # the shared database (PostgreSQL) is unreachable: nothing applied, retry the same id
    "unavailable",
    # no such id
    "round_not_found",
    "message_not_found",
    "question_not_found",
    "poll_not_found",
    # agenda
    "round_not_pending",
    "round_not_live",
    "round_not_ended",
    "no_live_round",
    "invalid_position",
    # chat and questions
    "already_hidden",
    "not_hidden",
    "question_not_pending",
    "question_not_approved",
    "question_rejected",
    "question_not_rejected",
    "already_answered",
    "already_pinned",
    "not_pinned",
    "already_upvoted",
    "not_upvoted",
    "own_question",
    # polls
    "duplicate_options",
    "poll_not_draft",
    "another_poll_open",
    "poll_not_open",
    "poll_closed",
    "invalid_choice",
    "poll_is_draft",
    # poll kinds
    "kind_mismatch",
    "invalid_rating",
    "invalid_words",
    "answer_not_found",
    "already_approved",
    "already_rejected",
    # opinion shift (a repeated poll)
    "repeat_mismatch",
    "not_repeatable",
    "original_not_closed",
    # the projector
    "bad_spotlight",
    # tables (issue 13)
    "table_not_found",
    "table_full",
    "too_few_seats",
    "already_at_table",
    "not_at_table",
    "not_spokesperson",
    # erasure
    "nothing_to_erase",
    "not_your_question",
    "erased_earlier",
    # the word filter
    "filtered",
    "not_held",
    # merged questions (issue 12)
    "merge_into_itself",
    "already_merged",
    "question_merged",
    "not_merged",
    # the speaker queue (issue 12)
    "participant_not_found",
    "hand_already_raised",
    "hand_not_raised",
    "already_has_floor",
    "no_floor",
    # the server's side
    "already_created",
    "export_failed",
    "unknown_time_zone",
    "internal_error",
    # the client's own
    "bad_url",
    "tls_untrusted",
    "replaced",  # closed with CLOSE_REPLACED: this guest connected again elsewhere
]

# Close codes of the server's own (private use) that a client acts on.
# A newer connection of the same participant took this one's place: reconnecting
# would take it back, and the two would replace each other in a loop.
CLOSE_REPLACED = 4009

# An IANA time zone name (Europe/Paris, UTC): letters, digits, _ + - and slashes only,
# so that it can never name a path outside the time zone database.
TimeZoneName = Annotated[
    str, StringConstraints(max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$")
]

ExportFormat = Literal["md", "html", "json", "csv"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("md", "html", "json", "csv")

# A name that is blank once cleaned (only invisible characters) is refused: name_required.
Name = Annotated[str, NameText, StringConstraints(min_length=1, max_length=limits.NAME_MAX)]
ChatText = Annotated[str, MultiLine, StringConstraints(min_length=1, max_length=limits.CHAT_MAX)]
QuestionText = Annotated[str, MultiLine, StringConstraints(min_length=1, max_length=limits.QUESTION_MAX)]
PollQuestion = Annotated[
    str, SingleLine, StringConstraints(min_length=1, max_length=limits.POLL_QUESTION_MAX)
]
PollOption = Annotated[str, SingleLine, StringConstraints(min_length=1, max_length=limits.POLL_OPTION_MAX)]
RoundTitle = Annotated[str, SingleLine, StringConstraints(min_length=1, max_length=limits.ROUND_TITLE_MAX)]
RoundTheme = Annotated[str, MultiLine, StringConstraints(min_length=1, max_length=limits.ROUND_THEME_MAX)]
Minutes = Annotated[int, Field(ge=1, le=limits.ROUND_MINUTES_MAX)]
WrittenAnswerText = Annotated[
    str, MultiLine, StringConstraints(min_length=1, max_length=limits.WRITTEN_ANSWER_MAX)
]
ScaleLabel = Annotated[str, SingleLine, StringConstraints(min_length=1, max_length=limits.SCALE_LABEL_MAX)]
CloudWord = Annotated[str, SingleLine, StringConstraints(min_length=1, max_length=limits.WORD_MAX)]
OpenAnswerText = Annotated[str, MultiLine, StringConstraints(min_length=1, max_length=limits.OPEN_ANSWER_MAX)]
AnnouncementText = Annotated[
    str, MultiLine, StringConstraints(min_length=1, max_length=limits.ANNOUNCEMENT_MAX)
]
NoteText = Annotated[str, MultiLine, StringConstraints(min_length=1, max_length=limits.NOTE_MAX)]
HandTopic = Annotated[str, SingleLine, StringConstraints(min_length=1, max_length=limits.HAND_TOPIC_MAX)]
TableName = Annotated[str, SingleLine, StringConstraints(min_length=1, max_length=limits.TABLE_NAME_MAX)]
Seats = Annotated[int, Field(ge=1, le=limits.TABLE_SEATS_MAX)]
SynthesisText = Annotated[str, MultiLine, StringConstraints(min_length=1, max_length=limits.SYNTHESIS_MAX)]
# Identifiers and secrets are compared as they are: no cleaning, but no control
# characters or lone surrogates either (see shared.text.reject_controls).
_Plain = AfterValidator(reject_controls)
CommandId = Annotated[str, Field(min_length=1, max_length=limits.COMMAND_ID_MAX), _Plain]
EntityId = Annotated[str, Field(min_length=1, max_length=64), _Plain]
Secret = Annotated[str, Field(min_length=1, max_length=limits.SECRET_MAX), _Plain]


def _type_stays_required(schema: dict[str, Any]) -> None:
    # ``type`` has a default only so that Python code builds a frame without
    # repeating it; on the wire the discriminator is still required.
    properties = schema.get("properties", {})
    if "type" in properties:
        required = {*schema.get("required", []), "type"}
        schema["required"] = [name for name in properties if name in required]


class ClientModel(BaseModel):
    # Unknown fields are refused so that a typo in a third-party client is an
    # error, not a silently ignored option; strict, so "yes" is not a boolean.
    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, json_schema_extra=_type_stays_required
    )


# --- client -> server ------------------------------------------------------


class Hello(ClientModel):
    type: Literal["hello"] = "hello"
    protocol: int
    role: Role
    join_code: Annotated[str, Field(max_length=32), _Plain] | None = None
    name: Name | None = None
    resume_token: Secret | None = None
    moderator_key: Secret | None = None
    epoch: Annotated[str, Field(max_length=64), _Plain] | None = None
    last_seq: Annotated[int, Field(ge=0)] | None = None


class Command(ClientModel):
    """Every command declares who may send it and its rate budget (a
    completeness test checks each concrete command declares both itself)."""

    id: CommandId
    roles: ClassVar[frozenset[Role]]
    rate_bucket: ClassVar[RateBucket]

    def budget(self) -> RateBucket:
        """The rate budget this command draws on (its ``rate_bucket``, unless its content says otherwise)."""
        return self.rate_bucket


class PostMessage(Command):
    type: Literal["post_message"] = "post_message"
    roles = GUESTS_AND_MODERATORS
    rate_bucket = "chat"
    text: ChatText


class HideMessage(Command):
    type: Literal["hide_message"] = "hide_message"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    message_id: EntityId


class UnhideMessage(Command):
    """Bring a hidden message back for everyone."""

    type: Literal["unhide_message"] = "unhide_message"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    message_id: EntityId


class SubmitQuestion(Command):
    type: Literal["submit_question"] = "submit_question"
    roles = GUESTS_AND_MODERATORS
    rate_bucket = "question"
    text: QuestionText
    anonymous: bool = False


class _QuestionCommand(Command):
    question_id: EntityId


class UpvoteQuestion(_QuestionCommand):
    type: Literal["upvote_question"] = "upvote_question"
    roles = GUESTS_AND_MODERATORS
    rate_bucket = "command"


class WithdrawUpvote(_QuestionCommand):
    type: Literal["withdraw_upvote"] = "withdraw_upvote"
    roles = GUESTS_AND_MODERATORS
    rate_bucket = "command"


class ApproveQuestion(_QuestionCommand):
    type: Literal["approve_question"] = "approve_question"
    roles = MODERATORS_ONLY
    rate_bucket = "command"


class RejectQuestion(_QuestionCommand):
    type: Literal["reject_question"] = "reject_question"
    roles = MODERATORS_ONLY
    rate_bucket = "command"


class RestoreQuestion(_QuestionCommand):
    """Bring a rejected question back to the review queue (pending, no votes)."""

    type: Literal["restore_question"] = "restore_question"
    roles = MODERATORS_ONLY
    rate_bucket = "command"


class MarkAnswered(_QuestionCommand):
    type: Literal["mark_answered"] = "mark_answered"
    roles = MODERATORS_ONLY
    rate_bucket = "command"


class PinQuestion(_QuestionCommand):
    type: Literal["pin_question"] = "pin_question"
    roles = MODERATORS_ONLY
    rate_bucket = "command"


class UnpinQuestion(_QuestionCommand):
    type: Literal["unpin_question"] = "unpin_question"
    roles = MODERATORS_ONLY
    rate_bucket = "command"


class SetModeration(Command):
    type: Literal["set_moderation"] = "set_moderation"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    enabled: bool


class AddRound(Command):
    type: Literal["add_round"] = "add_round"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    title: RoundTitle
    theme: RoundTheme
    minutes: Minutes


class UpdateRound(Command):
    type: Literal["update_round"] = "update_round"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    round_id: EntityId
    title: RoundTitle | None = None
    theme: RoundTheme | None = None
    minutes: Minutes | None = None


class MoveRound(Command):
    type: Literal["move_round"] = "move_round"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    round_id: EntityId
    position: Annotated[int, Field(ge=0, le=10_000)]


class RemoveRound(Command):
    type: Literal["remove_round"] = "remove_round"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    round_id: EntityId


class StartRound(Command):
    type: Literal["start_round"] = "start_round"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    round_id: EntityId


class EndRound(Command):
    """Ends the live round; ``round_id``, when given, must name it."""

    type: Literal["end_round"] = "end_round"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    round_id: EntityId | None = None


class ReopenRound(Command):
    """Resume an ended round (its countdown continues where it stopped); the
    live round, if another, ends."""

    type: Literal["reopen_round"] = "reopen_round"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    round_id: EntityId


class CreatePoll(Command):
    """A poll of one ``kind``: ``options`` for choice (and only for it), a scale
    1..``scale_max`` (default 5) with optional end labels for rating, nothing
    more for words and open. A field that does not fit the kind: ``kind_mismatch``."""

    type: Literal["create_poll"] = "create_poll"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    question: PollQuestion | None = None  # required, unless repeat_of (then copied)
    kind: PollKind = "choice"
    options: (
        Annotated[
            list[PollOption],
            Field(min_length=limits.POLL_OPTIONS_MIN, max_length=limits.POLL_OPTIONS_MAX),
        ]
        | None
    ) = None
    multiple: bool = False
    hide_results: bool = False
    scale_max: Annotated[int, Field(ge=limits.SCALE_MIN, le=limits.SCALE_MAX)] | None = None
    scale_labels: Annotated[list[ScaleLabel], Field(min_length=2, max_length=2)] | None = None
    # Opinion shift: the same poll asked again (a choice or rating poll). Its
    # question, kind, options, multiple and scale are copied; those given must be
    # equal (else repeat_mismatch). Once both are closed, the repeat's results
    # come with the shift since the earlier one.
    repeat_of: EntityId | None = None

    @model_validator(mode="after")
    def _question_unless_repeat(self) -> CreatePoll:
        if self.question is None and self.repeat_of is None:
            raise ValueError("question is required, unless repeat_of names the poll asked again")
        return self


class OpenPoll(Command):
    type: Literal["open_poll"] = "open_poll"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    poll_id: EntityId


class ClosePoll(Command):
    type: Literal["close_poll"] = "close_poll"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    poll_id: EntityId


class CastBallot(Command):
    """Exactly one of ``choices`` (a choice poll), ``rating`` (rating), ``words``
    (words) or ``text`` (open), the one the poll's kind takes (else
    ``kind_mismatch``). Voting again replaces one's ballot; an open answer is
    a new anonymous answer each time (nothing links it to its author, so
    nothing could replace it), drawn on the questions' rate budget."""

    type: Literal["cast_ballot"] = "cast_ballot"
    roles = GUESTS_AND_MODERATORS
    rate_bucket = "command"
    poll_id: EntityId
    choices: (
        Annotated[
            list[Annotated[int, Field(ge=0, le=1_000)]],
            Field(min_length=1, max_length=limits.POLL_OPTIONS_MAX),
        ]
        | None
    ) = None
    rating: Annotated[int, Field(ge=1, le=limits.SCALE_MAX)] | None = None
    words: Annotated[list[CloudWord], Field(min_length=1, max_length=limits.WORDS_PER_BALLOT)] | None = None
    text: OpenAnswerText | None = None

    def budget(self) -> RateBucket:
        # An open answer is free text for the moderators to review, like a question.
        return "question" if self.text is not None else self.rate_bucket


class _AnswerCommand(Command):
    poll_id: EntityId
    answer_id: EntityId


class ApproveAnswer(_AnswerCommand):
    """Show an open answer to everyone (pending or rejected before)."""

    type: Literal["approve_answer"] = "approve_answer"
    roles = MODERATORS_ONLY
    rate_bucket = "command"


class RejectAnswer(_AnswerCommand):
    """Keep an open answer from everyone but the moderators (pending or approved before)."""

    type: Literal["reject_answer"] = "reject_answer"
    roles = MODERATORS_ONLY
    rate_bucket = "command"


class EraseMyContributions(Command):
    """Erase the sender's messages and named questions (their text leaves the
    log too) and withdraw their upvotes and ballots. Anonymous questions are
    withdrawn one by one with ``withdraw_question`` and their secret."""

    type: Literal["erase_my_contributions"] = "erase_my_contributions"
    roles = GUESTS_AND_MODERATORS
    rate_bucket = "command"


class WithdrawQuestion(Command):
    """Withdraw one's own question; an anonymous one needs the ``secret`` its
    ``submit_question`` ack gave, which only the author's client holds."""

    type: Literal["withdraw_question"] = "withdraw_question"
    roles = GUESTS_AND_MODERATORS
    rate_bucket = "command"
    question_id: EntityId
    secret: Secret | None = None


class SetSpotlight(Command):
    """What the projector shows, for the whole room (see ``SpotlightKind``).

    ``item_id`` names the question or poll (required for them); for ``round``
    it may name a round (none: whichever round is live); the slides take none.
    Called ``id`` in the issue, but ``id`` is the command's own id.
    """

    type: Literal["set_spotlight"] = "set_spotlight"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    kind: SpotlightKind
    item_id: EntityId | None = None


class Announce(Command):
    """An announcement every screen shows apart from the chat, while its round lasts."""

    type: Literal["announce"] = "announce"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    text: AnnouncementText


# --- the word filter and the moderators' back-channel (issue 12) ---


class ReleaseMessage(Command):
    """Show everyone a chat message the word filter held for review."""

    type: Literal["release_message"] = "release_message"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    message_id: EntityId


class PostNote(Command):
    """A note between co-moderators: moderators only ever see it."""

    type: Literal["post_note"] = "post_note"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    text: NoteText


# --- merged questions and written answers (issue 12) ----------------------------


def _distinct(ids: list[str]) -> list[str]:
    if len(set(ids)) != len(ids):
        raise ValueError("an id is given twice")
    return ids


class MergeQuestions(Command):
    """Merge duplicates into ``keep_id``: they leave the lists and show under it
    as its variants; their upvoters count for it, each once."""

    type: Literal["merge_questions"] = "merge_questions"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    keep_id: EntityId
    merged_ids: Annotated[
        list[EntityId], Field(min_length=1, max_length=limits.MERGE_MAX), AfterValidator(_distinct)
    ]


class UnmergeQuestion(_QuestionCommand):
    """Split a merged question off again, with its own upvoters."""

    type: Literal["unmerge_question"] = "unmerge_question"
    roles = MODERATORS_ONLY
    rate_bucket = "command"


class AnswerQuestion(_QuestionCommand):
    """A written answer shown under the question; a second one replaces the first."""

    type: Literal["answer_question"] = "answer_question"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    text: WrittenAnswerText


# --- the speaker queue (issue 12) --------------------------------------------


class RaiseHand(Command):
    """Ask for the floor: the sender joins the end of the queue. Their name is
    shown to the room (the projector shows who is next); ``topic`` only to the
    moderators and to them."""

    type: Literal["raise_hand"] = "raise_hand"
    roles = GUESTS_AND_MODERATORS
    rate_bucket = "command"
    topic: HandTopic | None = None


class LowerHand(Command):
    """Leave the queue. A moderator may name someone else's hand
    (``participant_id``: a guest who left the room); a guest lowers their own."""

    type: Literal["lower_hand"] = "lower_hand"
    roles = GUESTS_AND_MODERATORS
    rate_bucket = "command"
    participant_id: EntityId | None = None


class GiveFloor(Command):
    """Give the floor to a participant, hand raised or not (the moderator calls
    on someone); whoever had it stops. Their hand, if raised, leaves the queue."""

    type: Literal["give_floor"] = "give_floor"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    participant_id: EntityId


class EndFloor(Command):
    """End the turn of whoever has the floor."""

    type: Literal["end_floor"] = "end_floor"
    roles = MODERATORS_ONLY
    rate_bucket = "command"


class ExportTranscript(Command):
    """Moderators: the transcript so far, answered by a ``transcript`` frame."""

    type: Literal["export_transcript"] = "export_transcript"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    format: ExportFormat = "md"
    lang: Literal["fr", "en"] = "fr"
    # The time zone of the times in the transcript; the server's own when absent.
    tz: TimeZoneName | None = None
    # Issue 13: the organiser's report (md or html) rather than the full transcript,
    # and the Chatham House rule (no one's name; see docs/export.md).
    report: bool = False
    chatham_house: bool = False

    @model_validator(mode="after")
    def _report_is_a_document(self) -> ExportTranscript:
        if self.report and self.format not in ("md", "html"):
            raise ValueError("the report is a document to read: format md or html")
        return self


class SetJoinRate(Command):
    """How many new identities the shared join code may make per minute, for the
    whole debate (personal invitations are not counted); the moderators see the
    rate in force and the last minute's figures in ``join_stats``."""

    type: Literal["set_join_rate"] = "set_join_rate"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    per_minute: Annotated[int, Field(ge=1, le=limits.JOIN_RATE_MAX)]


# --- tables (issue 13) ---------------------------------------------------------


class AddTable(Command):
    type: Literal["add_table"] = "add_table"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    name: TableName
    seats: Seats


class UpdateTable(Command):
    """Rename a table or change its seats (never below the guests seated there:
    ``too_few_seats``)."""

    type: Literal["update_table"] = "update_table"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    table_id: EntityId
    name: TableName | None = None
    seats: Seats | None = None


class RemoveTable(Command):
    """Remove a table; its guests are unseated (and told)."""

    type: Literal["remove_table"] = "remove_table"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    table_id: EntityId


class ChooseTable(Command):
    """A guest sits at a table (again, to move)."""

    type: Literal["choose_table"] = "choose_table"
    roles = GUESTS_ONLY
    rate_bucket = "command"
    table_id: EntityId


class SeatGuest(Command):
    """The moderator seats a guest at a table (or moves them)."""

    type: Literal["seat_guest"] = "seat_guest"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    participant_id: EntityId
    table_id: EntityId


class SetSpokesperson(Command):
    """The table's spokesperson, who posts its syntheses: someone seated there."""

    type: Literal["set_spokesperson"] = "set_spokesperson"
    roles = MODERATORS_ONLY
    rate_bucket = "command"
    table_id: EntityId
    participant_id: EntityId


class PostSynthesis(Command):
    """The spokesperson's synthesis of their table for the live round; a new
    post replaces the earlier one until the round ends."""

    type: Literal["post_synthesis"] = "post_synthesis"
    roles = GUESTS_ONLY
    rate_bucket = "command"
    round_id: EntityId
    text: SynthesisText


HistoryKind = Literal["messages", "questions"]


class FetchHistory(Command):
    """The part of the chat or of the questions before ``before`` (the
    snapshot's ``messages_before`` / ``questions_before``), newest first, up to
    ``limit`` items: answered by a ``history`` frame. Reads only."""

    type: Literal["fetch_history"] = "fetch_history"
    roles = GUESTS_AND_MODERATORS
    rate_bucket = "command"
    kind: HistoryKind
    before: EntityId
    limit: Annotated[int, Field(ge=1, le=limits.HISTORY_PAGE_MAX)] = limits.HISTORY_PAGE_MAX


ClientCommand = Annotated[
    PostMessage
    | HideMessage
    | UnhideMessage
    | SubmitQuestion
    | UpvoteQuestion
    | WithdrawUpvote
    | ApproveQuestion
    | RejectQuestion
    | RestoreQuestion
    | MarkAnswered
    | PinQuestion
    | UnpinQuestion
    | SetModeration
    | AddRound
    | UpdateRound
    | MoveRound
    | RemoveRound
    | StartRound
    | EndRound
    | ReopenRound
    | CreatePoll
    | OpenPoll
    | ClosePoll
    | CastBallot
    | ApproveAnswer
    | RejectAnswer
    | EraseMyContributions
    | WithdrawQuestion
    | SetSpotlight
    | Announce
    | ExportTranscript
    | SetJoinRate
    | FetchHistory
    | MergeQuestions
    | UnmergeQuestion
    | AnswerQuestion
    | ReleaseMessage
    | PostNote
    | RaiseHand
    | LowerHand
    | GiveFloor
    | EndFloor
    | AddTable
    | UpdateTable
    | RemoveTable
    | ChooseTable
    | SeatGuest
    | SetSpokesperson
    | PostSynthesis,
    Field(discriminator="type"),
]

ClientFrame = Annotated[Hello | ClientCommand, Field(discriminator="type")]

COMMAND_TYPES: frozenset[str] = frozenset(
    model.model_fields["type"].annotation.__args__[0]
    for model in ClientCommand.__origin__.__args__  # type: ignore[attr-defined]
)

COMMAND_MODELS: dict[str, type[Command]] = {
    model.model_fields["type"].annotation.__args__[0]: model
    for model in ClientCommand.__origin__.__args__  # type: ignore[attr-defined]
}


# --- server -> client ------------------------------------------------------


class Welcome(ServerModel):
    type: Literal["welcome"] = "welcome"
    participant_id: str | None
    role: Role
    name: str | None
    resume_token: str | None
    epoch: str
    seq: int
    at: str
    recovered: bool
    events: list[Event] | None = None
    snapshot: Snapshot | None = None
    # The address guests should join at, when the server knows it (``convive
    # serve --public-url``, or its network address when listening on all of
    # them); the projector shows it rather than the address it connected to.
    join_url: str | None = None


class Ack(ServerModel):
    type: Literal["ack"] = "ack"
    id: str
    seq: int
    created: str | None = None
    # For an anonymous question only: the secret that alone can withdraw it.
    # The server keeps its hash; the client keeps it (a retry returns it again
    # while the server runs).
    secret: str | None = None


class Error(ServerModel):
    type: Literal["error"] = "error"
    id: str | None = None
    code: ErrorCode
    message: str
    retry_after_ms: int | None = None


class ConnectedView(ServerModel):
    """One connected participant or moderator, as moderators see it in
    ``presence`` (projectors are not listed)."""

    participant_id: str
    name: str
    role: Role


class Presence(ServerModel):
    """Ephemeral: who is connected (names for moderators, the count for all)."""

    type: Literal["presence"] = "presence"
    count: int
    connected: list[ConnectedView] | None = None


class PresenceChanged(ServerModel):
    """Ephemeral, moderators only: who came and who left since the last presence
    frame (``left``: participant ids). The whole list comes once, as ``presence``
    (followed by ``presence_changed`` frames for the rest of a long list)."""

    type: Literal["presence_changed"] = "presence_changed"
    count: int
    joined: list[ConnectedView] = Field(default_factory=list)
    left: list[str] = Field(default_factory=list)


class PollCounts(ServerModel):
    """Ephemeral, coalesced live counts of an open poll. ``counts`` is None for
    whoever may not see hidden results yet: they get the number of voters only."""

    type: Literal["poll_counts"] = "poll_counts"
    poll_id: str
    counts: list[int] | None = None  # left out of the frame when hidden
    voters: int
    # A words poll: its most frequent words (left out when hidden, and for other kinds).
    words: list[WordCount] | None = None


class JoinStats(ServerModel):
    """Ephemeral, moderators only: new identities. ``per_minute``: the debate-wide
    rate in force for the shared join code; the last minute's new guests
    (invited ones included, moderators not) and refusals (``too_many_joins``)."""

    type: Literal["join_stats"] = "join_stats"
    per_minute: int
    joined_last_minute: int
    refused_last_minute: int
    invite_only: bool = False


# Flattened so that one discriminator covers replies and events alike.
class TranscriptFrame(ServerModel):
    """The answer to ``export_transcript``: the export at sequence ``seq``.

    ``content`` is the document itself for md, html and json; for csv (a zip of
    several files) it is base64, as ``encoding`` says.
    """

    type: Literal["transcript"] = "transcript"
    id: str
    seq: int
    format: str
    filename: str
    encoding: Literal["utf-8", "base64"] = "utf-8"
    content: str


class History(ServerModel):
    """The answer to ``fetch_history``: the items before ``before`` that this
    connection may see, in server order, as they are at ``seq`` (every event up
    to ``seq`` reached this connection before this frame). ``next_before`` is
    where the list now starts, or None when nothing earlier remains."""

    type: Literal["history"] = "history"
    id: str
    seq: int
    kind: HistoryKind
    before: str
    next_before: str | None = None
    messages: list[MessageView] = Field(default_factory=list)
    questions: list[QuestionView] = Field(default_factory=list)
    # Which of these questions this participant upvoted.
    my_upvotes: list[str] = Field(default_factory=list)


_REPLIES = (Welcome, Ack, Error, Presence, PresenceChanged, PollCounts, TranscriptFrame, History, JoinStats)
ServerFrame = Annotated[
    Union[(*_REPLIES, *EVENT_MODELS)],  # type: ignore[valid-type]
    Field(discriminator="type"),
]

client_frame_adapter: TypeAdapter[Any] = TypeAdapter(ClientFrame)
server_frame_adapter: TypeAdapter[Any] = TypeAdapter(ServerFrame)


def parse_client_frame(raw: str | bytes) -> Hello | Command:
    """Validate one raw client frame (raises pydantic.ValidationError)."""
    frame: Hello | Command = client_frame_adapter.validate_json(raw)
    return frame


def parse_server_frame(raw: str | bytes) -> Any:
    """Validate one raw server frame (raises pydantic.ValidationError)."""
    return server_frame_adapter.validate_json(raw)
