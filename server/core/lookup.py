"""Find entities or raise the DomainError a client should see."""

from server.core.errors import DomainError
from server.core.state import Actor, DebateState, Message, Poll, Question, Round


def get_round(state: DebateState, round_id: str) -> Round:
    round_ = state.rounds.get(round_id)
    if round_ is None:
        raise DomainError("round_not_found", f"No round with id {round_id!r}.")
    return round_


def get_pending_round(state: DebateState, round_id: str) -> Round:
    round_ = get_round(state, round_id)
    if round_.status != "pending":
        raise DomainError("round_not_pending", "Only a round that has not started can be changed.")
    return round_


def get_message(state: DebateState, message_id: str) -> Message:
    message = state.messages.get(message_id)
    if message is None:
        raise DomainError("message_not_found", f"No message with id {message_id!r}.")
    return message


def get_question(state: DebateState, question_id: str) -> Question:
    question = state.questions.get(question_id)
    if question is None:
        raise DomainError("question_not_found", f"No question with id {question_id!r}.")
    return question


def get_approved_question(state: DebateState, question_id: str) -> Question:
    question = get_question(state, question_id)
    if question.status != "approved":
        raise DomainError("question_not_approved", "This question has not been approved.")
    return question


def get_open_question(state: DebateState, question_id: str) -> Question:
    """An approved question that is not merged into another (issue 12): the
    ones the lists show, which votes, the floor and answers act on."""
    question = get_approved_question(state, question_id)
    if question.merged_into is not None:
        raise DomainError(
            "question_merged", f"This question is merged into {question.merged_into}: act on that one."
        )
    return question


def get_poll(state: DebateState, poll_id: str) -> Poll:
    poll = state.polls.get(poll_id)
    if poll is None:
        raise DomainError("poll_not_found", f"No poll with id {poll_id!r}.")
    return poll


def erased_since(state: DebateState, actor: Actor, seq: int) -> bool:
    """Whether the actor erased their contributions after ``seq``: a vote they
    gave before still counts, unlinked, so they may not give it again."""
    participant = state.participants.get(actor.participant_id or "")
    return participant is not None and participant.erased_at is not None and seq <= participant.erased_at
