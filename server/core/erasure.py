"""Erasure: a participant takes back what they said, and the log forgets it.

Two commands. ``erase_my_contributions`` withdraws the sender's upvotes and
ballots and erases their messages and named questions. ``withdraw_question``
takes back one question: a named one by its author, an anonymous one by the
client holding the secret its ack gave (the log keeps only the secret's hash,
so the question stays unlinked from anyone).

Erasing is more than an event: the earlier events that carry the erased text
are rewritten in the log, in the same transaction, by ``redact`` below (pure:
the service applies it to the stored events). The seq of every event stays.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

from server.core import merging
from server.core.authorship import is_own_anonymous, question_secret, secret_hash
from server.core.emit import Emitter
from server.core.errors import DomainError
from server.core.lookup import get_question
from server.core.state import Actor, DebateState, applies
from server.core.visibility import EVERYONE, NOBODY, Audience
from shared import events as ev
from shared import protocol as p

__all__ = ["is_own_anonymous", "question_secret", "secret_hash"]  # their home was here

REDACTED_TEXT = ""


def erase_my_contributions(
    state: DebateState, cmd: p.EraseMyContributions, actor: Actor, out: Emitter
) -> None:
    """Erase the sender's texts; unlink (not subtract) their upvotes and ballots.

    Subtracting would move a count the moment someone erases and tell the room
    how they had voted; an aggregate is not personal data, so counts stay and
    only the link to the person goes (see ``redactions`` for the log's side).
    """
    me = actor.participant_id
    assert me is not None
    messages = [m.message_id for m in state.messages.values() if m.author_id == me]
    questions = [q.question_id for q in state.questions.values() if q.author_id == me]
    voted = any(me in q.voters for q in state.questions.values()) or any(
        poll.has_ballot(me) for poll in state.polls.values()
    )
    # A raised hand goes down with its topic; a past topic leaves the log.
    hand = me in state.hands or me in state.topic_authors
    if not (messages or questions or voted or hand):
        raise DomainError("nothing_to_erase", "You have no contribution to erase.")
    # Merged questions (issue 12): theirs split off first, and their upvote
    # held once per group, so that no count shown moves but by their texts.
    unmerged = merging.split_off(state, questions, out)
    merging.keep_one_upvote(state, me, unmerged, out)
    if me in state.hands:
        out.emit(ev.HandLowered, participant_id=me)
    out.emit(ev.ContributionsErased, participant_id=me, message_ids=messages, question_ids=questions)


def withdraw_question(state: DebateState, cmd: p.WithdrawQuestion, actor: Actor, out: Emitter) -> None:
    question = get_question(state, cmd.question_id)
    if question.anonymous:
        proven = (
            cmd.secret is not None
            and question.secret_hash is not None
            and hmac.compare_digest(secret_hash(cmd.secret), question.secret_hash)
        )
        if not proven:
            raise DomainError(
                "not_your_question", "Only the client that asked this question can withdraw it."
            )
    elif question.author_id != actor.participant_id:
        raise DomainError("not_your_question", "Only its author can withdraw this question.")
    merging.split_off(state, [question.question_id], out)
    out.emit(ev.QuestionWithdrawn, question_id=question.question_id)


# --- the log's side: what earlier events lose ------------------------------------

# The stored events that may carry what an erasure takes back.
REDACTABLE_TYPES = (
    "message_posted",
    "message_unhidden",
    "question_submitted",
    "question_approved",
    "question_restored",
    "upvote_added",
    "upvote_withdrawn",
    "ballot_cast",
    "message_released",
    "hand_topic_stated",
)
# Events that carry a ``text`` but are not a guest's to erase, and why. An event
# with a ``text`` in neither list fails the completeness test: decide which.
NOT_ERASED_TEXTS: dict[str, str] = {
    "announcement_posted": (
        "the moderators' word to the room, not a guest's contribution: it stays in the record"
    ),
    "note_posted": (
        "the moderators' working notes to one another, never shown to the room: part of their record"
    ),
    "answer_written": (
        "the moderators' written answer, not a guest's contribution: it stays in the log, and"
        " leaves the state and the exports with its question"
    ),
    "answer_submitted": (
        "an open answer is linked to no one from the start (no author anywhere, not even a"
        " secret's hash): no erasure can find it as someone's, and it is no one's personal data"
    ),
    "answer_approved": "an open answer, linked to no one (see answer_submitted)",
    "synthesis_posted": (
        "a table's text, attributed to the table and never to the spokesperson who typed it: "
        "the event names no person, so it is nobody's personal data and stays in the record"
    ),
}


def redactions(
    stored: Iterable[ev.EventBase], erasures: Iterable[ev.EventBase]
) -> list[tuple[ev.EventBase, Audience | None]]:
    """The rewritten forms of earlier events once ``erasures`` are applied,
    with their new audience (None: unchanged) (``stored``: the events of
    ``REDACTABLE_TYPES``, in seq order). Erased texts become empty; an eraser's upvotes and ballots
    lose their link: ``participant_id`` None, and no recipient. Of several
    ballots in one poll, only the last keeps its choices (it is the one that
    counts), so that folding the rewritten log gives the same state."""
    messages: set[str] = set()
    questions: set[str] = set()
    erasers: set[str] = set()
    for erasure in erasures:
        if isinstance(erasure, ev.ContributionsErased):
            messages.update(erasure.message_ids)
            questions.update(erasure.question_ids)
            if erasure.participant_id is not None:
                erasers.add(erasure.participant_id)
        elif isinstance(erasure, ev.QuestionWithdrawn):
            questions.add(erasure.question_id)
    events = list(stored)
    last_ballot: dict[tuple[str, str], int] = {}
    for event in events:
        if isinstance(event, ev.BallotCast) and event.participant_id in erasers:
            last_ballot[(event.poll_id, event.participant_id)] = event.seq
    rewritten: list[tuple[ev.EventBase, Audience | None]] = []
    for event in events:
        match event:
            case (
                ev.MessagePosted(message_id=m)
                | ev.MessageUnhidden(message_id=m)
                | ev.MessageReleased(message_id=m)
            ) if m in messages and event.text != REDACTED_TEXT:
                rewritten.append((event.model_copy(update={"text": REDACTED_TEXT}), None))
            case (
                ev.QuestionSubmitted(question_id=q)
                | ev.QuestionApproved(question_id=q)
                | ev.QuestionRestored(question_id=q)
            ) if q in questions and event.text != REDACTED_TEXT:
                rewritten.append((event.model_copy(update={"text": REDACTED_TEXT}), None))
            case ev.UpvoteAdded(participant_id=voter) | ev.UpvoteWithdrawn(participant_id=voter) if (
                voter in erasers
            ):
                rewritten.append((event.model_copy(update={"participant_id": None}), EVERYONE))
            case ev.HandTopicStated(participant_id=speaker) if speaker in erasers and event.topic:
                rewritten.append((event.model_copy(update={"topic": REDACTED_TEXT}), None))
            case ev.BallotCast(poll_id=poll, participant_id=voter) if voter in erasers:
                assert voter is not None
                counts = last_ballot[(poll, voter)] == event.seq
                update: dict[str, object] = {"participant_id": None}
                if not counts:  # whatever the poll's kind, the ballot keeps nothing
                    update.update(choices=[], rating=None, words=None)
                rewritten.append((event.model_copy(update=update), NOBODY))
    return rewritten


def is_erasure(event: ev.EventBase) -> bool:
    return isinstance(event, ev.ContributionsErased | ev.QuestionWithdrawn)


# --- how its events change the state ----------------------------------------


@applies(ev.BallotWithdrawn)
def _ballot_withdrawn(state: DebateState, e: ev.BallotWithdrawn) -> None:
    # Legacy logs only (an erasure used to subtract the ballot).
    if e.participant_id is not None:
        state.polls[e.poll_id].ballots.pop(e.participant_id, None)


def _remove_question(state: DebateState, question_id: str) -> None:
    state.questions.pop(question_id, None)
    if state.pinned_question_id == question_id:
        state.pinned_question_id = None


@applies(ev.ContributionsErased)
def _contributions_erased(state: DebateState, e: ev.ContributionsErased) -> None:
    for message_id in e.message_ids:
        state.messages.pop(message_id, None)
    for question_id in e.question_ids:
        _remove_question(state, question_id)
    eraser = e.participant_id
    assert eraser is not None  # always in the log; only frames to others leave it out
    # Folding the live log, their votes are still theirs here: unlink them. In
    # the log as rewritten, they were unlinked already and nothing moves.
    for question in state.questions.values():
        if eraser in question.voters:
            question.voters.discard(eraser)
            question.unlinked_votes += 1
    for poll in state.polls.values():
        # Sorted, in no order that would tell whose.
        choices = poll.ballots.pop(eraser, None)
        if choices is not None:
            poll.unlinked_ballots.append(choices)
            poll.unlinked_ballots.sort()
        rating = poll.ratings.pop(eraser, None)
        if rating is not None:
            poll.unlinked_ratings.append(rating)
            poll.unlinked_ratings.sort()
        words = poll.word_ballots.pop(eraser, None)
        if words is not None:
            poll.unlinked_words.append(words)
            poll.unlinked_words.sort()
    participant = state.participants.get(eraser)
    if participant is not None:
        participant.erased_at = e.seq
    state.topic_authors.discard(eraser)  # their topics are empty in the log now


@applies(ev.QuestionWithdrawn)
def _question_withdrawn(state: DebateState, e: ev.QuestionWithdrawn) -> None:
    _remove_question(state, e.question_id)
