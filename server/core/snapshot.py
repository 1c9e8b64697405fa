"""The whole visible state for one connection, by role (see ``visibility``).

A welcome's snapshot is bounded (:class:`Window`): the recent part of the
chat and, for guests, of the questions, each list saying where it starts
(``messages_before``); :func:`history_page` serves the earlier part.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from server.core.merging import shown_count
from server.core.polls import answer_view
from server.core.state import DebateState, Message, Poll, Question
from server.core.visibility import (
    Viewer,
    answer_visible,
    hand_topic_visible,
    message_visible,
    poll_visible,
    question_visible,
    results_visible,
    voters_visible,
    word_counts,
)
from shared import events as ev
from shared import limits
from shared import protocol as p
from shared.view import id_order


@dataclass(frozen=True)
class Window:
    """How much of the chat and of the questions a snapshot holds: the newest
    items up to a count and a size in bytes; ``questions=None`` keeps them all."""

    messages: int = limits.WINDOW_MESSAGES
    message_bytes: int = limits.WINDOW_MESSAGE_BYTES
    questions: int | None = limits.WINDOW_QUESTIONS
    question_bytes: int = limits.WINDOW_QUESTION_BYTES
    top_questions: int = limits.WINDOW_TOP_QUESTIONS
    own_questions: int = limits.WINDOW_OWN_QUESTIONS


# Guests get both lists bounded; moderators (who triage every question) and the
# projector (which may be asked to show any of them) get every question.
GUEST_WINDOW = Window()
STAFF_WINDOW = Window(questions=None)


def window_for(viewer: Viewer) -> Window:
    return GUEST_WINDOW if viewer.participant_id is not None and not viewer.is_moderator else STAFF_WINDOW


V = TypeVar("V", ev.MessageView, ev.QuestionView)


def _newest(newest_first: Iterable[V], count: int, budget: int) -> tuple[list[V], bool]:
    """The first items of ``newest_first`` within ``count`` and ``budget`` bytes
    (at least one), oldest first, and whether any were left out."""
    kept: list[V] = []
    used = 0
    for item in newest_first:
        size = len(item.model_dump_json())
        if kept and (len(kept) >= count or used + size > budget):
            kept.reverse()
            return kept, True
        kept.append(item)
        used += size
    kept.reverse()
    return kept, False


def _message_view(m: Message) -> ev.MessageView:
    return ev.MessageView(
        message_id=m.message_id,
        round_id=m.round_id,
        author_id=m.author_id,
        author_name=m.author_name,
        author_role=m.author_role,
        text=m.text,
        at=m.at,
        hidden=m.hidden,
        held=m.held,
    )


def _visible_messages(state: DebateState, viewer: Viewer, newest_first: bool) -> Iterator[Message]:
    ordered = reversed(state.messages.values()) if newest_first else iter(state.messages.values())
    return (m for m in ordered if message_visible(m, viewer))


def _visible_questions(state: DebateState, viewer: Viewer, newest_first: bool) -> Iterator[Question]:
    ordered = reversed(state.questions.values()) if newest_first else iter(state.questions.values())
    return (q for q in ordered if question_visible(q, viewer))


def _question_view(state: DebateState, q: Question) -> ev.QuestionView:
    return ev.QuestionView(
        question_id=q.question_id,
        round_id=q.round_id,
        text=q.text,
        anonymous=q.anonymous,
        author_id=q.author_id,
        author_name=q.author_name,
        author_role=q.author_role,
        status=q.status,
        answered=q.answered,
        pinned=state.pinned_question_id == q.question_id,
        votes=shown_count(state, q),
        at=q.at,
        filtered=q.filtered,
        merged_into=q.merged_into,
        answer=q.answer,
        answer_at=q.answer_at,
    )


def _poll_view(poll: Poll, viewer: Viewer) -> ev.PollView:
    shown = results_visible(poll, viewer)
    return ev.PollView(
        poll_id=poll.poll_id,
        question=poll.question,
        options=list(poll.options),
        multiple=poll.multiple,
        hide_results=poll.hide_results,
        status=poll.status,
        round_id=poll.round_id,
        counts=poll.counts() if shown else None,
        voters=poll.voters if voters_visible(poll, viewer) else None,
        kind=poll.kind,
        scale_max=poll.scale_max,
        scale_labels=list(poll.scale_labels) if poll.scale_labels else None,
        words=word_counts(poll) if shown and poll.kind == "words" else None,
        answers=[
            answer_view(answer) for answer in poll.answers.values() if answer_visible(poll, answer, viewer)
        ],
        by_table=list(poll.by_table),
        repeat_of=poll.repeat_of,
        shift=poll.shift,
    )


def has_personal_view(state: DebateState, participant_id: str | None) -> bool:
    """Whether this participant's snapshot differs from an anonymous one's."""
    if participant_id is None:
        return False
    if any((m.hidden or m.held) and m.author_id == participant_id for m in state.messages.values()):
        return True
    for q in state.questions.values():
        # Own questions: a bounded snapshot keeps one's own even when older.
        if participant_id in q.voters or q.author_id == participant_id:
            return True
    hand = state.hands.get(participant_id)
    if hand is not None and hand.topic is not None:
        return True
    return any(poll.has_ballot(participant_id) for poll in state.polls.values())


def build_snapshot(state: DebateState, viewer: Viewer, window: Window | None = None) -> ev.Snapshot:
    """What ``viewer`` sees; with a ``window``, the bounded form a welcome carries
    (without, every item: the reference the view reducer is proven against)."""
    rounds = [
        ev.RoundView(
            round_id=r.round_id,
            title=r.title,
            theme=r.theme,
            minutes=r.minutes,
            status=r.status,
            started_at=r.started_at,
            ended_at=r.ended_at,
            resumed_at=r.resumed_at,
            spent_seconds=r.spent_seconds,
        )
        for r in (state.rounds[rid] for rid in state.agenda)
    ]
    if window is None:
        messages = [_message_view(m) for m in _visible_messages(state, viewer, newest_first=False)]
        more_messages = False
        visible: list[Question] = list(_visible_questions(state, viewer, newest_first=False))
        questions_before = None
    else:
        messages, more_messages = _newest(
            (_message_view(m) for m in _visible_messages(state, viewer, newest_first=True)),
            window.messages,
            window.message_bytes,
        )
        visible, questions_before = _question_window(state, viewer, window)
    polls = [_poll_view(poll, viewer) for poll in state.polls.values() if poll_visible(poll, viewer)]
    my_upvotes: list[str] = []
    my_ballots: dict[str, list[int]] = {}
    my_ratings: dict[str, int] = {}
    my_words: dict[str, list[str]] = {}
    me = viewer.participant_id
    if me is not None:
        my_upvotes = [q.question_id for q in visible if me in q.voters]
        my_ballots = {
            poll.poll_id: list(poll.ballots[me]) for poll in state.polls.values() if me in poll.ballots
        }
        my_ratings = {poll.poll_id: poll.ratings[me] for poll in state.polls.values() if me in poll.ratings}
        my_words = {
            poll.poll_id: list(poll.word_ballots[me])
            for poll in state.polls.values()
            if me in poll.word_ballots
        }
    participants = (
        [
            ev.ParticipantView(participant_id=x.participant_id, name=x.name, role=x.role)
            for x in state.participants.values()
        ]
        if viewer.is_moderator
        else None
    )
    return ev.Snapshot(
        title=state.title,
        moderation=state.moderation,
        rounds=rounds,
        messages=messages,
        questions=[_question_view(state, q) for q in visible],
        messages_before=messages[0].message_id if more_messages else None,
        questions_before=questions_before,
        polls=polls,
        my_upvotes=my_upvotes,
        my_ballots=my_ballots,
        my_ratings=my_ratings,
        my_words=my_words,
        participants=participants,
        spotlight=ev.SpotlightView(kind=state.spotlight[0], item_id=state.spotlight[1]),
        announcements=[
            ev.AnnouncementView(announcement_id=a.announcement_id, round_id=a.round_id, text=a.text, at=a.at)
            for a in state.announcements.values()
        ],
        join_rate_per_minute=state.join_rate_per_minute if viewer.is_moderator else None,
        hands=[
            ev.HandView(
                participant_id=h.participant_id,
                name=h.name,
                raised_at=h.raised_at,
                topic=h.topic if hand_topic_visible(h, viewer) else None,
            )
            for h in state.hands.values()
        ],
        floor=_floor_view(state),
        tables=table_views(state),
        syntheses=synthesis_views(state),
        **_moderators_own(state, viewer),
    )


def _floor_view(state: DebateState) -> ev.FloorView | None:
    turn = state.floor
    if turn is None:
        return None
    return ev.FloorView(
        participant_id=turn.participant_id, name=turn.name, since=turn.started_at, round_id=turn.round_id
    )


def table_views(state: DebateState) -> list[ev.TableView]:
    """The tables and who sits where: public, the same for every viewer."""
    return [
        ev.TableView(
            table_id=table.table_id,
            name=table.name,
            seats=table.seats,
            guests=[
                ev.SeatView(participant_id=guest, name=state.participants[guest].name)
                for guest in table.guests
            ],
            spokesperson_id=table.spokesperson_id,
        )
        for table in state.tables.values()
        if not table.removed
    ]


def synthesis_views(state: DebateState) -> list[ev.SynthesisView]:
    """Every table's syntheses, in the order first posted: public, attributed to tables."""
    return [
        ev.SynthesisView(
            round_id=s.round_id,
            table_id=s.table_id,
            table_name=state.tables[s.table_id].name,
            text=s.text,
            at=s.at,
        )
        for s in state.syntheses.values()
    ]


def _moderators_own(state: DebateState, viewer: Viewer) -> dict[str, object]:
    """The back-channel and the word filter: in moderators' snapshots only."""
    if not viewer.is_moderator:
        return {}
    settings = state.word_filter
    return {
        "notes": [
            ev.NoteView(
                note_id=n.note_id, author_id=n.author_id, author_name=n.author_name, text=n.text, at=n.at
            )
            for n in state.notes.values()
        ],
        "word_filter": None
        if settings is None
        else ev.WordFilterView(words=list(settings.words), builtin=settings.builtin, action=settings.action),
    }


def _question_window(state: DebateState, viewer: Viewer, window: Window) -> tuple[list[Question], str | None]:
    """The questions a snapshot holds, in server order, and where the unbroken
    recent part starts (None: all of them)."""
    if window.questions is None:
        return list(_visible_questions(state, viewer, newest_first=False)), None
    recent, more = _newest(
        (_question_view(state, q) for q in _visible_questions(state, viewer, newest_first=True)),
        window.questions,
        window.question_bytes,
    )
    if not more:
        return [state.questions[q.question_id] for q in recent], None
    start = recent[0].question_id
    earlier = [
        q
        for q in _visible_questions(state, viewer, newest_first=False)
        if id_order(q.question_id) < id_order(start)
    ]
    kept = {q.question_id for q in recent}
    # Earlier ones that matter now: the pinned one, the most upvoted, one's own.
    extra = [q for q in earlier if q.question_id == state.pinned_question_id]
    approved = sorted(
        (q for q in earlier if q.status == "approved" and q.merged_into is None),
        key=lambda q: (-shown_count(state, q), id_order(q.question_id)),
    )
    extra += approved[: window.top_questions]
    me = viewer.participant_id
    if me is not None:
        extra += [q for q in earlier if q.author_id == me][-window.own_questions :]
    kept |= {q.question_id for q in extra}
    # Issue 12: a merged group comes whole (a kept question shows its variants under it).
    for question_id in list(kept):
        question = state.questions[question_id]
        top = state.questions[question.merged_into] if question.merged_into else question
        kept |= {top.question_id, *top.variant_ids}
    chosen = [q for q in state.questions.values() if q.question_id in kept]
    chosen.sort(key=lambda q: id_order(q.question_id))
    return chosen, start


def history_page(state: DebateState, viewer: Viewer, command: p.FetchHistory, command_id: str) -> p.History:
    """The items before ``command.before`` that ``viewer`` may see, newest
    first within the page's count and size, returned in server order."""
    before = id_order(command.before)
    if command.kind == "messages":
        messages, more = _newest(
            (
                _message_view(m)
                for m in _visible_messages(state, viewer, newest_first=True)
                if id_order(m.message_id) < before
            ),
            command.limit,
            limits.HISTORY_PAGE_BYTES,
        )
        return p.History(
            id=command_id,
            seq=state.seq,
            kind="messages",
            before=command.before,
            next_before=messages[0].message_id if more and messages else None,
            messages=messages,
        )
    questions, more = _newest(
        (
            _question_view(state, q)
            for q in _visible_questions(state, viewer, newest_first=True)
            if id_order(q.question_id) < before
        ),
        command.limit,
        limits.HISTORY_PAGE_BYTES,
    )
    me = viewer.participant_id
    return p.History(
        id=command_id,
        seq=state.seq,
        kind="questions",
        before=command.before,
        next_before=questions[0].question_id if more and questions else None,
        questions=questions,
        my_upvotes=[
            q.question_id for q in questions if me is not None and me in state.questions[q.question_id].voters
        ],
    )
