"""The transcript: what the record of the evening shows, read off the core's state.

The meaning of each event lives in the core's fold; this module only chooses
what belongs in the record: hidden messages, pending and rejected questions
and draft polls are left out, and an anonymous question has no author (the log
never had one). The model is made of plain dataclasses; pydantic reads them
for the JSON output and its schema.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import Field

from server.core import fold
from server.core.merging import shown_count
from server.core.state import DebateState, Poll, Question, Turn
from shared import events as ev
from shared.events import PollKind
from shared.tally import rating_average, share_of_voters

SCHEMA_VERSION = 1


def _doc(text: str) -> object:
    return Field(description=text)


@dataclass
class ExportMessage:
    message_id: str
    at: Annotated[str, _doc("ISO 8601 UTC time the message was posted")]
    author_name: str
    text: str
    author_role: Annotated[
        ev.AuthorRole, _doc("the author's role, from who posted it (never from the name)")
    ] = "participant"


@dataclass
class ExportAnnouncement:
    """The moderators' word to the room (``announce``), shown apart from the chat."""

    announcement_id: str
    at: Annotated[str, _doc("ISO 8601 UTC time it was made")]
    text: str


@dataclass
class ExportVariant:
    """A question merged into another as a duplicate (issue 12), shown under it."""

    question_id: str
    at: Annotated[str, _doc("ISO 8601 UTC time the question was submitted")]
    text: str
    anonymous: bool
    author_name: Annotated[str | None, _doc("null for an anonymous question")]
    author_role: Annotated[
        ev.AuthorRole | None,
        _doc("the author's role, from who asked it (never from the name); null for an anonymous question"),
    ] = None


@dataclass
class ExportNote:
    """A note between co-moderators; in the record only when the organiser asks."""

    note_id: str
    at: Annotated[str, _doc("ISO 8601 UTC time it was written")]
    author_name: str
    text: str


@dataclass
class ExportQuestion:
    question_id: str
    at: Annotated[str, _doc("ISO 8601 UTC time the question was submitted")]
    text: str
    anonymous: bool
    author_name: Annotated[str | None, _doc("null for an anonymous question")]
    votes: Annotated[
        int, _doc("upvotes at the time of the export; with variants, their voters too, each guest once")
    ]
    answered: bool
    on_the_floor: Annotated[bool, _doc("the moderator put it on the floor (pinned) at some point")]
    variants: Annotated[
        list[ExportVariant], _doc("questions merged into this one as duplicates, in the order asked")
    ] = field(default_factory=list)
    answer: Annotated[str | None, _doc("the moderators' written answer (the latest), if any")] = None
    answer_at: Annotated[str | None, _doc("ISO 8601 UTC time of the written answer")] = None
    author_role: Annotated[
        ev.AuthorRole | None,
        _doc("the author's role, from who asked it (never from the name); null for an anonymous question"),
    ] = None


@dataclass
class ExportOption:
    label: str
    count: int
    percent: Annotated[float, _doc("share of the voters who chose it, 0-100, one decimal")]


@dataclass
class ExportWord:
    word: Annotated[str, _doc("the form most guests typed of a word or phrase (case and accents aside)")]
    count: Annotated[int, _doc("guests who sent it")]
    percent: Annotated[float, _doc("share of the voters who sent it, 0-100, one decimal")]


@dataclass
class ExportAnswer:
    """An open answer the moderators approved; no one knows who wrote it."""

    answer_id: str
    at: Annotated[str, _doc("ISO 8601 UTC time the answer was sent")]
    text: str


@dataclass
class ExportTableResults:
    """A closed poll's results at one table (issue 13), or at the other tables together."""

    table_id: Annotated[str | None, _doc("null: the other tables (fewer than 3 voters each, merged)")]
    table_name: str | None
    voters: int
    options: list[ExportOption]


@dataclass
class ExportOptionShift:
    label: str
    before: Annotated[float, _doc("share of the earlier poll's voters who chose it, 0-100, one decimal")]
    after: Annotated[float, _doc("share of this poll's voters who chose it, 0-100, one decimal")]
    points: Annotated[float, _doc("after - before, in percentage points, one decimal")]


@dataclass
class ExportTransition:
    before: Annotated[str, _doc("the answer the first time (options joined by ' + ')")]
    after: Annotated[str, _doc("the answer the second time")]
    guests: Annotated[int, _doc("guests who made this change: always at least 3")]


@dataclass
class ExportShift:
    """How a repeated poll moved since the poll it repeats: aggregates only,
    fixed when it closed (see docs/protocol.md, "Opinion shift")."""

    before_poll_id: str
    options: list[ExportOptionShift]
    both: Annotated[int, _doc("guests who voted in both polls (linked to both ballots when it closed)")]
    changed: Annotated[int | None, _doc("how many of them changed their answer; null under 3 who voted both")]
    transitions: Annotated[list[ExportTransition], _doc("the changes of at least 3 guests each")]
    other_changes: Annotated[int, _doc("guests of the other changes, merged so that none can be told apart")]


@dataclass
class ExportPoll:
    poll_id: str
    question: str
    multiple: Annotated[bool, _doc("several choices per ballot: percentages may add up to more than 100")]
    status: Annotated[Literal["open", "closed"], _doc("open: still running, counts are provisional")]
    opened_at: str
    closed_at: str | None
    voters: Annotated[int, _doc("guests who voted; for an open poll, the answers received, reviewed or not")]
    options: Annotated[
        list[ExportOption], _doc("a choice poll's options; a rating poll's points, 1 first; else empty")
    ]
    kind: Annotated[
        PollKind, _doc("choice, rating (a scale from 1), words (a word cloud) or open (short answers)")
    ] = "choice"
    average: Annotated[float | None, _doc("a rating poll's mean rating, two decimals; else null")] = None
    scale_labels: Annotated[
        list[str] | None, _doc("a rating poll's labels of its lowest and highest point, if any")
    ] = None
    words: Annotated[list[ExportWord], _doc("a words poll: every word, most frequent first; else empty")] = (
        field(default_factory=list)
    )
    answers: Annotated[
        list[ExportAnswer], _doc("an open poll: the answers the moderators approved, oldest first")
    ] = field(default_factory=list)
    repeat_of: Annotated[str | None, _doc("the earlier poll this one asks again; else null")] = None
    shift: Annotated[
        ExportShift | None, _doc("a repeated poll, once closed: the opinion shift since the earlier one")
    ] = None

    by_table: Annotated[
        list[ExportTableResults],
        _doc(
            "once closed, the results by table: a table is shown only when at least 3 of its guests "
            "voted, the others merged into the last entry (table_id null); empty when none is shown"
        ),
    ] = field(default_factory=list)
    by_table_withheld: Annotated[
        bool, _doc("closed with tables in the room, but no table counts 3 voters: no results by table")
    ] = False

    def rows(self) -> list[ExportOption]:
        """What the result bars show: options, points of the scale, or words."""
        if self.kind == "words":
            return [ExportOption(w.word, w.count, w.percent) for w in self.words]
        return self.options


@dataclass
class ExportSpeaker:
    """One person's speaking time (``give_floor`` to its end), in a round or in all."""

    name: str
    turns: Annotated[int, _doc("times they were given the floor")]
    seconds: Annotated[int, _doc("speaking time in whole seconds; a turn still running counts up to as_of")]


@dataclass
class ExportSynthesis:
    """A table's synthesis of a round (issue 13): attributed to the table, never
    to the spokesperson who typed it."""

    table_id: str
    table_name: Annotated[str, _doc("the table's name now (or when it was removed)")]
    at: Annotated[str, _doc("ISO 8601 UTC time of its latest version (a new post replaced the earlier one)")]
    text: str


@dataclass
class ExportTable:
    """A table and who sits there at the time of the export (issue 13)."""

    table_id: str
    name: str
    seats: int
    guests: Annotated[list[str], _doc("the names of the guests seated there, in the order they sat down")]
    removed: Annotated[bool, _doc("removed during the evening (its syntheses stay, under its name)")]
    seated: Annotated[int, _doc("how many guests sit there")] = 0


@dataclass
class ExportTableSpeaking:
    """Speaking time per table (the organiser's report): the sum of the turns of
    the guests seated there at the time of the export."""

    table_id: Annotated[str | None, _doc("null: people seated at no table (moderators included)")]
    table_name: Annotated[str | None, _doc("the table's name; null with table_id")]
    turns: Annotated[int, _doc("times its guests were given the floor")]
    seconds: Annotated[int, _doc("their speaking time in whole seconds, summed")]


NameWhere = Literal[
    "title",
    "round_title",
    "theme",
    "message",
    "question",
    "variant",
    "written_answer",
    "announcement",
    "synthesis",
    "poll_question",
    "poll_option",
    "poll_word",
    "poll_answer",
    "table_name",
    "note",
]


@dataclass
class ExportNameWarning:
    """Chatham House rule: a participant's name found inside a text, which the
    export does not rewrite; the editor decides (see docs/export.md)."""

    round: Annotated[int | None, _doc("the round's position in the agenda; null: outside the rounds")]
    where: Annotated[NameWhere, _doc("what kind of text it is in")]
    item_id: Annotated[
        str | None,
        _doc("the id of the message, question, poll, answer, announcement or table; null for a title"),
    ]
    found: Annotated[str, _doc("the words as they are written in the text")]


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
    announcements: list[ExportAnnouncement] = field(default_factory=list)
    speaking: Annotated[
        list[ExportSpeaker], _doc("speaking time per person in this round, longest first")
    ] = field(default_factory=list)
    syntheses: Annotated[
        list[ExportSynthesis], _doc("the tables' syntheses of this round, in the order first posted")
    ] = field(default_factory=list)


@dataclass
class ExportLobby:
    """What happened outside any round: before, between or after them."""

    messages: list[ExportMessage] = field(default_factory=list)
    questions: list[ExportQuestion] = field(default_factory=list)
    polls: list[ExportPoll] = field(default_factory=list)
    announcements: list[ExportAnnouncement] = field(default_factory=list)
    speaking: Annotated[
        list[ExportSpeaker], _doc("speaking time per person outside the rounds, longest first")
    ] = field(default_factory=list)


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
    speaking_time: Annotated[
        list[ExportSpeaker], _doc("speaking time per person over the whole evening, longest first")
    ] = field(default_factory=list)
    tables: Annotated[list[ExportTable], _doc("the tables, in the order added, removed ones included")] = (
        field(default_factory=list)
    )
    notes: Annotated[
        list[ExportNote] | None,
        _doc("the moderators' notes to one another; null unless asked for (--include-notes)"),
    ] = None
    speaking_by_table: Annotated[
        list[ExportTableSpeaking],
        _doc(
            "speaking time per table over the whole evening, tables in the order added, nobody's table last"
        ),
    ] = field(default_factory=list)
    chatham_house: Annotated[
        bool, _doc("exported under the Chatham House rule: no one's name, texts unattributed")
    ] = False
    name_warnings: Annotated[
        list[ExportNameWarning],
        _doc("Chatham House rule: participants' names found inside the texts; empty otherwise"),
    ] = field(default_factory=list)


# --- from the core's state ------------------------------------------------------


def build_transcript(
    events: Iterable[ev.EventBase], include_notes: bool = False, *, chatham_house: bool = False
) -> Transcript:
    """The transcript at the last of ``events`` (in seq order, from the first);
    ``include_notes``: the moderators' notes too; ``chatham_house``: without
    attribution (``server.export.chatham``)."""
    state = fold(events)
    transcript = transcript_of(state, include_notes)
    if not chatham_house:
        return transcript
    from server.export.chatham import redact

    # Every name ever in the room, moderators included, is looked for in the texts.
    return redact(transcript, [p.name for p in state.participants.values()])


def _labels(poll: Poll) -> list[str]:
    """A choice poll's options; a rating poll's points, its end labels beside the ends."""
    if poll.kind != "rating":
        return list(poll.options)
    points = [str(point) for point in range(1, (poll.scale_max or 0) + 1)]
    if poll.scale_labels:
        points[0] = f"{points[0]} — {poll.scale_labels[0]}"
        points[-1] = f"{points[-1]} — {poll.scale_labels[1]}"
    return points


def _export_poll(poll: Poll) -> ExportPoll:
    assert poll.opened_at is not None
    counts, voters = poll.counts(), poll.voters
    options = [
        ExportOption(label, count, round(share_of_voters(count, voters), 1))
        for label, count in zip(_labels(poll), counts, strict=True)
    ]
    average = rating_average(counts) if poll.kind == "rating" else None
    by_table = [
        ExportTableResults(
            group.table_id,
            group.table_name,
            group.voters,
            [
                ExportOption(label, count, round(share_of_voters(count, group.voters), 1))
                for label, count in zip(_labels(poll), group.counts, strict=True)
            ],
        )
        for group in poll.by_table
    ]
    return ExportPoll(
        poll.poll_id,
        poll.question,
        poll.multiple,
        "closed" if poll.status == "closed" else "open",
        poll.opened_at,
        poll.closed_at,
        voters,
        options,
        kind=poll.kind,
        average=None if average is None else round(average, 2),
        scale_labels=list(poll.scale_labels) if poll.scale_labels else None,
        words=[
            ExportWord(word, count, round(share_of_voters(count, voters), 1))
            for word, count in poll.word_cloud()
        ],
        answers=[ExportAnswer(a.answer_id, a.at, a.text) for a in poll.approved_answers()],
        by_table=by_table,
        by_table_withheld=poll.by_table_withheld,
        repeat_of=poll.repeat_of,
        shift=_export_shift(poll.shift, _labels(poll)),
    )


def _export_shift(shift: ev.OpinionShift | None, labels: list[str]) -> ExportShift | None:
    if shift is None:
        return None

    def answer(indexes: list[int]) -> str:
        return " + ".join(labels[i] for i in indexes if i < len(labels))

    return ExportShift(
        shift.before_poll_id,
        [
            ExportOptionShift(label, option.before, option.after, option.points)
            for label, option in zip(labels, shift.options, strict=True)
        ],
        shift.both,
        shift.changed,
        [ExportTransition(answer(t.before), answer(t.after), t.guests) for t in shift.transitions],
        shift.other_changes,
    )


def _variants(state: DebateState, kept: Question) -> list[ExportVariant]:
    variants = sorted(
        (state.questions[v] for v in kept.variant_ids if v in state.questions),
        key=lambda q: (q.at, q.submitted_seq),
    )
    return [
        ExportVariant(
            q.question_id,
            q.at,
            q.text,
            q.anonymous,
            None if q.anonymous else q.author_name,
            None if q.anonymous else q.author_role,
        )
        for q in variants
    ]


def _speakers(turns: Iterable[Turn], now: str | None) -> list[ExportSpeaker]:
    """Turns summed per person (by participant: two people never share a name),
    longest first, then by name."""
    totals: dict[str, ExportSpeaker] = {}
    seconds: dict[str, float] = {}
    for turn in turns:
        speaker = totals.setdefault(turn.participant_id, ExportSpeaker(turn.name, 0, 0))
        speaker.turns += 1
        seconds[turn.participant_id] = seconds.get(turn.participant_id, 0.0) + turn.seconds(now)
    for participant_id, speaker in totals.items():
        speaker.seconds = round(seconds[participant_id])
    return sorted(totals.values(), key=lambda s: (-s.seconds, s.name))


def transcript_of(state: DebateState, include_notes: bool = False) -> Transcript:
    """What belongs in the record: hidden messages, messages the word filter
    held (and no moderator released), pending and rejected questions and draft
    polls are left out; the moderators' notes only when ``include_notes``."""
    rounds: dict[str, ExportRound] = {}
    for position, round_id in enumerate(state.agenda, start=1):
        r = state.rounds[round_id]
        actual = (
            round(r.live_seconds() / 60, 1)  # a reopened round: its live time only
            if r.started_at is not None and r.ended_at is not None
            else None
        )
        rounds[round_id] = ExportRound(
            round_id,
            position,
            r.title,
            r.theme,
            r.minutes,
            r.status,
            r.started_at,
            r.ended_at,
            actual,
        )
    lobby = ExportLobby()

    def section(round_id: str | None) -> ExportRound | ExportLobby:
        # Content always belongs to a live round, which cannot be removed; the
        # lobby also catches anything that would not, rather than losing it.
        return rounds.get(round_id, lobby) if round_id is not None else lobby

    for m in state.messages.values():
        if not m.hidden and not m.held:
            section(m.round_id).messages.append(
                ExportMessage(m.message_id, m.at, m.author_name, m.text, m.author_role)
            )
    for q in state.questions.values():
        # A merged question shows under the one it was merged into (issue 12).
        if q.status == "approved" and q.merged_into is None:
            section(q.round_id).questions.append(
                ExportQuestion(
                    q.question_id,
                    q.at,
                    q.text,
                    q.anonymous,
                    None if q.anonymous else q.author_name,
                    shown_count(state, q),
                    q.answered,
                    q.ever_pinned,
                    _variants(state, q),
                    q.answer,
                    q.answer_at,
                    None if q.anonymous else q.author_role,
                )
            )
    for a in state.announcements.values():
        section(a.round_id).announcements.append(ExportAnnouncement(a.announcement_id, a.at, a.text))
    for poll in sorted(state.polls.values(), key=lambda poll: poll.opened_seq):
        if poll.opened_at is not None:
            section(poll.round_id).polls.append(_export_poll(poll))
    by_round: dict[str | None, list[Turn]] = {}
    for turn in state.turns:
        key = turn.round_id if turn.round_id in rounds else None
        by_round.setdefault(key, []).append(turn)
    for turns_round_id, turns in by_round.items():
        section(turns_round_id).speaking = _speakers(turns, state.last_at)
    # Syntheses are posted in a live round only, and a round that has started stays.
    for synthesis in state.syntheses.values():
        if synthesis.round_id in rounds:
            rounds[synthesis.round_id].syntheses.append(
                ExportSynthesis(
                    synthesis.table_id, state.tables[synthesis.table_id].name, synthesis.at, synthesis.text
                )
            )
    tables = [
        ExportTable(
            t.table_id,
            t.name,
            t.seats,
            [state.participants[g].name for g in t.guests],
            t.removed,
            len(t.guests),
        )
        for t in state.tables.values()
    ]
    started = [r.started_at for r in rounds.values() if r.started_at is not None]
    ended = [r.ended_at for r in rounds.values() if r.ended_at is not None]
    live = any(r.status == "live" for r in rounds.values())
    return Transcript(
        schema_version=SCHEMA_VERSION,
        title=state.title,
        seq=state.seq,
        created_at=state.created_at,
        as_of=state.last_at,
        started_at=min(started) if started else None,
        ended_at=max(ended) if ended and not live else None,
        participants=sum(1 for x in state.participants.values() if x.role == "participant"),
        rounds=list(rounds.values()),
        lobby=lobby,
        speaking_time=_speakers(state.turns, state.last_at),
        tables=tables,
        notes=[ExportNote(n.note_id, n.at, n.author_name, n.text) for n in state.notes.values()]
        if include_notes
        else None,
        speaking_by_table=_speaking_by_table(state),
    )


def _speaking_by_table(state: DebateState) -> list[ExportTableSpeaking]:
    """Each table's guests' turns summed, by where they sit now; the people at no
    table (moderators, guests not seated or whose table was removed) last."""
    turns: dict[str | None, int] = {}
    seconds: dict[str | None, float] = {}
    for turn in state.turns:
        table_id = state.seat_of.get(turn.participant_id)
        turns[table_id] = turns.get(table_id, 0) + 1
        seconds[table_id] = seconds.get(table_id, 0.0) + turn.seconds(state.last_at)
    order: list[str | None] = [t for t in state.tables if t in turns]
    if None in turns:
        order.append(None)
    return [
        ExportTableSpeaking(
            table_id,
            None if table_id is None else state.tables[table_id].name,
            turns[table_id],
            round(seconds[table_id]),
        )
        for table_id in order
    ]
