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

import hashlib
import hmac
from collections.abc import Iterable

from server.core.emit import Emitter
from server.core.errors import DomainError
from server.core.lookup import get_question
from server.core.state import Actor, DebateState, applies
from server.core.visibility import results_public
from shared import events as ev
from shared import protocol as p

REDACTED_TEXT = ""


def secret_hash(secret: str) -> str:
    """What the log keeps of an anonymous question's secret (192 random bits)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def erase_my_contributions(
    state: DebateState, cmd: p.EraseMyContributions, actor: Actor, out: Emitter
) -> None:
    me = actor.participant_id
    assert me is not None
    messages = [m.message_id for m in state.messages.values() if m.author_id == me]
    questions = [q.question_id for q in state.questions.values() if q.author_id == me]
    upvoted = [q for q in state.questions.values() if me in q.voters and q.question_id not in questions]
    polls = [poll for poll in state.polls.values() if me in poll.ballots]
    if not (messages or questions or upvoted or polls):
        raise DomainError("nothing_to_erase", "You have no contribution to erase.")
    for question in upvoted:
        out.emit(
            ev.UpvoteWithdrawn,
            question_id=question.question_id,
            votes=len(question.voters) - 1,
            participant_id=me,
        )
    for poll in polls:
        public = results_public(poll)
        out.emit(
            ev.BallotWithdrawn,
            poll_id=poll.poll_id,
            participant_id=me,
            counts=poll.counts(excluding=me) if public else None,
            voters=len(poll.ballots) - 1 if public else None,
        )
    if messages or questions:
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
    out.emit(ev.QuestionWithdrawn, question_id=question.question_id)


# --- the log's side: which earlier events lose their text ------------------------

# The stored events that may carry what an erasure takes back.
REDACTABLE_TYPES = ("message_posted", "question_submitted", "question_approved", "ballot_cast")
# Events that carry a ``text`` but are not a guest's to erase, and why. An event
# with a ``text`` in neither list fails the completeness test: decide which.
NOT_ERASED_TEXTS: dict[str, str] = {}


def redact(event: ev.EventBase, erasures: Iterable[ev.EventBase]) -> ev.EventBase | None:
    """The rewritten form of an earlier ``event`` once ``erasures`` are applied,
    or None when they do not touch it. Folding the rewritten log gives the
    same state as folding the original one."""
    messages: set[str] = set()
    questions: set[str] = set()
    ballots: set[tuple[str, str]] = set()
    for erasure in erasures:
        if isinstance(erasure, ev.ContributionsErased):
            messages.update(erasure.message_ids)
            questions.update(erasure.question_ids)
        elif isinstance(erasure, ev.QuestionWithdrawn):
            questions.add(erasure.question_id)
        elif isinstance(erasure, ev.BallotWithdrawn) and erasure.participant_id is not None:
            ballots.add((erasure.poll_id, erasure.participant_id))
    match event:
        case ev.MessagePosted(message_id=m) if m in messages and event.text != REDACTED_TEXT:
            return event.model_copy(update={"text": REDACTED_TEXT})
        case ev.QuestionSubmitted(question_id=q) | ev.QuestionApproved(question_id=q) if (
            q in questions and event.text != REDACTED_TEXT
        ):
            return event.model_copy(update={"text": REDACTED_TEXT})
        case ev.BallotCast(poll_id=poll, participant_id=voter) if (poll, voter) in ballots:
            # The ballot's choices go; that this participant voted stays, with its withdrawal.
            return event.model_copy(update={"choices": []}) if event.choices else None
    return None


def is_erasure(event: ev.EventBase) -> bool:
    return isinstance(event, ev.ContributionsErased | ev.QuestionWithdrawn | ev.BallotWithdrawn)


# --- how its events change the state ----------------------------------------


@applies(ev.BallotWithdrawn)
def _ballot_withdrawn(state: DebateState, e: ev.BallotWithdrawn) -> None:
    assert e.participant_id is not None
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


@applies(ev.QuestionWithdrawn)
def _question_withdrawn(state: DebateState, e: ev.QuestionWithdrawn) -> None:
    _remove_question(state, e.question_id)
