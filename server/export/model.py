"""The transcript: a fold over the debate's events into what the record shows.

Only what belongs in the record of the evening survives the fold: hidden
messages, pending and rejected questions and draft polls are left out, and an
anonymous question has no author (the log never had one). The model is made of
plain dataclasses; pydantic reads them for the JSON output and its schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import Field

from server.export.i18n import parse_time
from shared import events as ev
from shared.tally import share_of_voters

SCHEMA_VERSION = 1


def _doc(text: str) -> object:
    return Field(description=text)


@dataclass
class ExportMessage:
    message_id: str
    at: Annotated[str, _doc("ISO 8601 UTC time the message was posted")]
    author_name: str
    text: str


@dataclass
class ExportQuestion:
    question_id: str
    at: Annotated[str, _doc("ISO 8601 UTC time the question was submitted")]
    text: str
    anonymous: bool
    author_name: Annotated[str | None, _doc("null for an anonymous question")]
    votes: Annotated[int, _doc("upvotes at the time of the export")]
    answered: bool
    on_the_floor: Annotated[bool, _doc("the moderator put it on the floor (pinned) at some point")]


@dataclass
class ExportOption:
    label: str
    count: int
    percent: Annotated[float, _doc("share of the voters who chose it, 0-100, one decimal")]


@dataclass
class ExportPoll:
    poll_id: str
    question: str
    multiple: Annotated[bool, _doc("several choices per ballot: percentages may add up to more than 100")]
    status: Annotated[Literal["open", "closed"], _doc("open: still running, counts are provisional")]
    opened_at: str
    closed_at: str | None
    voters: int
    options: list[ExportOption]


@dataclass
class ExportRound:
    round_id: str
    position: Annotated[int, _doc("1-based place in the agenda")]
    title: str
    theme: str
    planned_minutes: int
    status: Literal["pending", "live", "ended"]
    started_at: str | None
    ended_at: str | None
    actual_minutes: Annotated[
        float | None, _doc("minutes between start and end, one decimal; null unless ended")
    ]
    messages: list[ExportMessage] = field(default_factory=list)
    questions: list[ExportQuestion] = field(default_factory=list)
    polls: list[ExportPoll] = field(default_factory=list)


@dataclass
class ExportLobby:
    """What happened outside any round: before, between or after them."""

    messages: list[ExportMessage] = field(default_factory=list)
    questions: list[ExportQuestion] = field(default_factory=list)
    polls: list[ExportPoll] = field(default_factory=list)


@dataclass
class Transcript:
    schema_version: Annotated[int, _doc("version of this document's shape")]
    title: str
    seq: Annotated[int, _doc("the export covers the debate's events 1..seq")]
    created_at: Annotated[str | None, _doc("ISO 8601 UTC time the debate was created")]
    as_of: Annotated[str | None, _doc("ISO 8601 UTC time of the last event covered")]
    started_at: Annotated[str | None, _doc("start of the first round")]
    ended_at: Annotated[str | None, _doc("end of the last round, once no round is live")]
    participants: Annotated[int, _doc("guests who joined (moderators not counted)")]
    rounds: Annotated[list[ExportRound], _doc("the agenda, in order")]
    lobby: ExportLobby


# --- the fold ------------------------------------------------------------------


@dataclass
class _Round:
    round_id: str
    title: str
    theme: str
    minutes: int
    started_at: str | None = None
    ended_at: str | None = None


@dataclass
class _Question:
    question_id: str
    round_id: str | None
    at: str
    text: str
    anonymous: bool
    author_name: str | None
    status: str
    votes: int = 0
    answered: bool = False
    pinned: bool = False


@dataclass
class _Poll:
    poll_id: str
    question: str
    options: list[str]
    multiple: bool
    round_id: str | None = None
    opened_seq: int = 0
    opened_at: str | None = None
    closed_at: str | None = None
    ballots: dict[str, list[int]] = field(default_factory=dict)
    final_counts: list[int] | None = None
    final_voters: int | None = None


@dataclass
class _Fold:
    seq: int = 0
    title: str = ""
    created_at: str | None = None
    as_of: str | None = None
    participants: set[str] = field(default_factory=set)
    agenda: list[str] = field(default_factory=list)
    rounds: dict[str, _Round] = field(default_factory=dict)
    # message id -> (round id, message); hidden ones are removed.
    messages: dict[str, tuple[str | None, ExportMessage]] = field(default_factory=dict)
    questions: dict[str, _Question] = field(default_factory=dict)
    polls: dict[str, _Poll] = field(default_factory=dict)


def build_transcript(events: Iterable[ev.EventBase]) -> Transcript:
    """Fold the events (in seq order) into the transcript at the last one."""
    f = _Fold()
    for event in events:
        f.seq, f.as_of = event.seq, event.at
        _FOLD[type(event)](f, event)
    return _finish(f)


def _debate_created(f: _Fold, e: ev.DebateCreated) -> None:
    f.title, f.created_at = e.title, e.at


def _participant_joined(f: _Fold, e: ev.ParticipantJoined) -> None:
    if e.role == "participant":
        f.participants.add(e.participant_id)


def _round_added(f: _Fold, e: ev.RoundAdded) -> None:
    f.rounds[e.round_id] = _Round(e.round_id, e.title, e.theme, e.minutes)
    f.agenda.insert(min(e.position, len(f.agenda)), e.round_id)


def _round_updated(f: _Fold, e: ev.RoundUpdated) -> None:
    r = f.rounds[e.round_id]
    r.title, r.theme, r.minutes = e.title, e.theme, e.minutes


def _round_moved(f: _Fold, e: ev.RoundMoved) -> None:
    f.agenda.remove(e.round_id)
    f.agenda.insert(min(e.position, len(f.agenda)), e.round_id)


def _round_removed(f: _Fold, e: ev.RoundRemoved) -> None:
    f.agenda.remove(e.round_id)
    del f.rounds[e.round_id]


def _round_started(f: _Fold, e: ev.RoundStarted) -> None:
    f.rounds[e.round_id].started_at = e.at


def _round_ended(f: _Fold, e: ev.RoundEnded) -> None:
    f.rounds[e.round_id].ended_at = e.at


def _message_posted(f: _Fold, e: ev.MessagePosted) -> None:
    f.messages[e.message_id] = (
        e.round_id,
        ExportMessage(e.message_id, e.at, e.author_name, e.text),
    )


def _message_hidden(f: _Fold, e: ev.MessageHidden) -> None:
    f.messages.pop(e.message_id, None)


def _question_submitted(f: _Fold, e: ev.QuestionSubmitted) -> None:
    f.questions[e.question_id] = _Question(
        e.question_id,
        e.round_id,
        e.at,
        e.text,
        e.anonymous,
        None if e.anonymous else e.author_name,
        "approved" if e.approved else "pending",
    )


def _question_approved(f: _Fold, e: ev.QuestionApproved) -> None:
    f.questions[e.question_id].status = "approved"


def _question_rejected(f: _Fold, e: ev.QuestionRejected) -> None:
    f.questions[e.question_id].status = "rejected"


def _question_answered(f: _Fold, e: ev.QuestionAnswered) -> None:
    f.questions[e.question_id].answered = True


def _question_pinned(f: _Fold, e: ev.QuestionPinned) -> None:
    f.questions[e.question_id].pinned = True


def _ignore(f: _Fold, e: ev.EventBase) -> None:
    """Events that change nothing in a transcript (joins, drafts, single ballots)."""


def _upvote_changed(f: _Fold, e: ev.UpvoteAdded | ev.UpvoteWithdrawn) -> None:
    f.questions[e.question_id].votes = e.votes


def _poll_created(f: _Fold, e: ev.PollCreated) -> None:
    f.polls[e.poll_id] = _Poll(e.poll_id, e.question, list(e.options), e.multiple)


def _poll_opened(f: _Fold, e: ev.PollOpened) -> None:
    poll = f.polls[e.poll_id]
    poll.question, poll.options, poll.multiple = e.question, list(e.options), e.multiple
    poll.round_id, poll.opened_at, poll.opened_seq = e.round_id, e.at, e.seq


def _poll_closed(f: _Fold, e: ev.PollClosed) -> None:
    poll = f.polls[e.poll_id]
    poll.closed_at, poll.final_counts, poll.final_voters = e.at, list(e.counts), e.voters


def _ballot_cast(f: _Fold, e: ev.BallotCast) -> None:
    f.polls[e.poll_id].ballots[e.participant_id] = e.choices


def _ballot_withdrawn(f: _Fold, e: ev.BallotWithdrawn) -> None:
    poll = f.polls[e.poll_id]
    if e.participant_id is not None:
        poll.ballots.pop(e.participant_id, None)
    if poll.final_counts is not None and e.counts is not None and e.voters is not None:
        poll.final_counts, poll.final_voters = list(e.counts), e.voters  # a closed poll


def _contributions_erased(f: _Fold, e: ev.ContributionsErased) -> None:
    for message_id in e.message_ids:
        f.messages.pop(message_id, None)
    for question_id in e.question_ids:
        f.questions.pop(question_id, None)


def _question_withdrawn(f: _Fold, e: ev.QuestionWithdrawn) -> None:
    f.questions.pop(e.question_id, None)


_FOLD: dict[type[ev.EventBase], Callable[[_Fold, Any], None]] = {
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
    ev.QuestionUnpinned: _ignore,
    ev.UpvoteAdded: _upvote_changed,
    ev.UpvoteWithdrawn: _upvote_changed,
    ev.ModerationSet: _ignore,
    ev.PollCreated: _poll_created,
    ev.PollOpened: _poll_opened,
    ev.PollClosed: _poll_closed,
    ev.BallotCast: _ballot_cast,
    ev.BallotWithdrawn: _ballot_withdrawn,
    ev.ContributionsErased: _contributions_erased,
    ev.QuestionWithdrawn: _question_withdrawn,
}


def _minutes_between(start: str, end: str) -> float:
    seconds = (parse_time(end) - parse_time(start)).total_seconds()
    return round(seconds / 60, 1)


def _export_poll(poll: _Poll) -> ExportPoll:
    assert poll.opened_at is not None
    if poll.final_counts is not None and poll.final_voters is not None:
        counts, voters = poll.final_counts, poll.final_voters
    else:
        counts = [0] * len(poll.options)
        for choices in poll.ballots.values():
            for index in choices:
                counts[index] += 1
        voters = len(poll.ballots)
    options = [
        ExportOption(label, count, round(share_of_voters(count, voters), 1))
        for label, count in zip(poll.options, counts, strict=True)
    ]
    return ExportPoll(
        poll.poll_id,
        poll.question,
        poll.multiple,
        "closed" if poll.closed_at is not None else "open",
        poll.opened_at,
        poll.closed_at,
        voters,
        options,
    )


def _finish(f: _Fold) -> Transcript:
    rounds: dict[str, ExportRound] = {}
    for position, round_id in enumerate(f.agenda, start=1):
        r = f.rounds[round_id]
        status: Literal["pending", "live", "ended"] = (
            "ended" if r.ended_at else "live" if r.started_at else "pending"
        )
        actual = (
            _minutes_between(r.started_at, r.ended_at)
            if r.started_at is not None and r.ended_at is not None
            else None
        )
        rounds[round_id] = ExportRound(
            round_id,
            position,
            r.title,
            r.theme,
            r.minutes,
            status,
            r.started_at,
            r.ended_at,
            actual,
        )
    lobby = ExportLobby()

    def section(round_id: str | None) -> ExportRound | ExportLobby:
        # Content always belongs to a live round, which cannot be removed; the
        # lobby also catches anything that would not, rather than losing it.
        return rounds.get(round_id, lobby) if round_id is not None else lobby

    for message_round_id, message in f.messages.values():
        section(message_round_id).messages.append(message)
    for q in f.questions.values():
        if q.status == "approved":
            section(q.round_id).questions.append(
                ExportQuestion(
                    q.question_id,
                    q.at,
                    q.text,
                    q.anonymous,
                    q.author_name,
                    q.votes,
                    q.answered,
                    q.pinned,
                )
            )
    for poll in sorted(f.polls.values(), key=lambda poll: poll.opened_seq):
        if poll.opened_at is not None:
            section(poll.round_id).polls.append(_export_poll(poll))
    started = [r.started_at for r in rounds.values() if r.started_at is not None]
    ended = [r.ended_at for r in rounds.values() if r.ended_at is not None]
    live = any(r.status == "live" for r in rounds.values())
    return Transcript(
        schema_version=SCHEMA_VERSION,
        title=f.title,
        seq=f.seq,
        created_at=f.created_at,
        as_of=f.as_of,
        started_at=min(started) if started else None,
        ended_at=max(ended) if ended and not live else None,
        participants=len(f.participants),
        rounds=list(rounds.values()),
        lobby=lobby,
    )
