"""The whole visible state for one connection, by role."""

from __future__ import annotations

from server.core.state import DebateState, Poll, Question
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
        votes=len(q.voters),
        at=q.at,
    )


def _poll_view(poll: Poll) -> ev.PollView:
    hidden = poll.hide_results and poll.status != "closed"
    return ev.PollView(
        poll_id=poll.poll_id,
        question=poll.question,
        options=list(poll.options),
        multiple=poll.multiple,
        hide_results=poll.hide_results,
        status=poll.status,
        round_id=poll.round_id,
        counts=None if hidden else poll.counts(),
        voters=None if hidden else len(poll.ballots),
    )


def has_personal_view(state: DebateState, participant_id: str | None) -> bool:
    """Whether this participant's snapshot differs from an anonymous one's."""
    if participant_id is None:
        return False
    for q in state.questions.values():
        if participant_id in q.voters or (q.status == "pending" and q.author_id == participant_id):
            return True
    return any(participant_id in poll.ballots for poll in state.polls.values())


def build_snapshot(state: DebateState, participant_id: str | None, is_moderator: bool) -> ev.Snapshot:
    def question_visible(q: Question) -> bool:
        if q.status == "approved":
            return True
        if q.status == "pending":
            return is_moderator or (q.author_id is not None and q.author_id == participant_id)
        return False

    rounds = [
        ev.RoundView(
            round_id=r.round_id,
            title=r.title,
            theme=r.theme,
            minutes=r.minutes,
            status=r.status,
            started_at=r.started_at,
            ended_at=r.ended_at,
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
        )
        for m in state.messages.values()
        if not m.hidden
    ]
    questions = [_question_view(state, q) for q in state.questions.values() if question_visible(q)]
    polls = [
        _poll_view(poll)
        for poll in state.polls.values()
        if is_moderator or poll.status != "draft"
    ]
    my_upvotes: list[str] = []
    my_ballots: dict[str, list[int]] = {}
    if participant_id is not None:
        my_upvotes = [q.question_id for q in state.questions.values() if participant_id in q.voters]
        my_ballots = {
            poll.poll_id: list(poll.ballots[participant_id])
            for poll in state.polls.values()
            if participant_id in poll.ballots
        }
    participants = (
        [
            ev.ParticipantView(participant_id=x.participant_id, name=x.name, role=x.role)
            for x in state.participants.values()
        ]
        if is_moderator
        else None
    )
    return ev.Snapshot(
        title=state.title,
        moderation=state.moderation,
        rounds=rounds,
        messages=messages,
        questions=questions,
        polls=polls,
        my_upvotes=my_upvotes,
        my_ballots=my_ballots,
        participants=participants,
    )
