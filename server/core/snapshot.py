"""The whole visible state for one connection, by role (see ``visibility``)."""

from __future__ import annotations

from server.core.state import DebateState, Poll, Question
from server.core.visibility import (
    Viewer,
    message_visible,
    poll_visible,
    question_visible,
    results_visible,
    voters_visible,
)
from shared import events as ev


def _question_view(state: DebateState, q: Question) -> ev.QuestionView:
    return ev.QuestionView(
        question_id=q.question_id,
        round_id=q.round_id,
        text=q.text,
        anonymous=q.anonymous,
        author_id=q.author_id,
        author_name=q.author_name,
        status=q.status,
        answered=q.answered,
        pinned=state.pinned_question_id == q.question_id,
        votes=q.votes,
        at=q.at,
        filtered=q.filtered,
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
    )


def has_personal_view(state: DebateState, participant_id: str | None) -> bool:
    """Whether this participant's snapshot differs from an anonymous one's."""
    if participant_id is None:
        return False
    if any((m.hidden or m.held) and m.author_id == participant_id for m in state.messages.values()):
        return True
    for q in state.questions.values():
        if participant_id in q.voters or (q.status == "pending" and q.author_id == participant_id):
            return True
    return any(participant_id in poll.ballots for poll in state.polls.values())


def build_snapshot(state: DebateState, viewer: Viewer) -> ev.Snapshot:
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
    messages = [
        ev.MessageView(
            message_id=m.message_id,
            round_id=m.round_id,
            author_id=m.author_id,
            author_name=m.author_name,
            text=m.text,
            at=m.at,
            hidden=m.hidden,
            held=m.held,
        )
        for m in state.messages.values()
        if message_visible(m, viewer)
    ]
    visible = [q for q in state.questions.values() if question_visible(q, viewer)]
    polls = [_poll_view(poll, viewer) for poll in state.polls.values() if poll_visible(poll, viewer)]
    my_upvotes: list[str] = []
    my_ballots: dict[str, list[int]] = {}
    me = viewer.participant_id
    if me is not None:
        my_upvotes = [q.question_id for q in visible if me in q.voters]
        my_ballots = {
            poll.poll_id: list(poll.ballots[me]) for poll in state.polls.values() if me in poll.ballots
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
        polls=polls,
        my_upvotes=my_upvotes,
        my_ballots=my_ballots,
        participants=participants,
        spotlight=ev.SpotlightView(kind=state.spotlight[0], item_id=state.spotlight[1]),
        announcements=[
            ev.AnnouncementView(announcement_id=a.announcement_id, round_id=a.round_id, text=a.text, at=a.at)
            for a in state.announcements.values()
        ],
        **_moderators_own(state, viewer),
    )


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
