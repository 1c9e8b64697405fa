"""Question rules: moderation, upvotes, and the one question on the floor."""

from server.core import erasure, merging
from server.core.emit import Emitter
from server.core.errors import DomainError
from server.core.lookup import erased_since, get_open_question, get_question
from server.core.state import Actor, DebateState, Question, applies, count_id
from server.core.wordfilter import screen_text
from shared import events as ev
from shared import protocol as p


def submit_question(
    state: DebateState,
    cmd: p.SubmitQuestion,
    actor: Actor,
    out: Emitter,
    secret_hash: str | None = None,
) -> str:
    assert actor.participant_id is not None
    filtered = screen_text(state, actor, cmd.text)
    question_id = state.next_id("q")
    if cmd.anonymous and actor.author_key is not None:
        # A secret the author's key makes again later (to refuse their own upvote).
        secret_hash = erasure.secret_hash(erasure.question_secret(actor.author_key, question_id))
    # An anonymous question carries no trace of its author, in the log too.
    out.emit(
        ev.QuestionSubmitted,
        question_id=question_id,
        round_id=state.live_round_id,
        text=cmd.text,
        anonymous=cmd.anonymous,
        author_id=None if cmd.anonymous else actor.participant_id,
        author_name=None if cmd.anonymous else actor.name,
        author_role=None if cmd.anonymous else state.role_of(actor.participant_id),
        approved=not state.moderation and not filtered,
        filtered=filtered,
        secret_hash=secret_hash if cmd.anonymous else None,
    )
    return question_id


def _whole(question: Question) -> dict[str, object]:
    """The whole question, for events that bring it to those who never saw it."""
    return {
        "question_id": question.question_id,
        "round_id": question.round_id,
        "text": question.text,
        "anonymous": question.anonymous,
        "author_id": question.author_id,
        "author_name": question.author_name,
        "author_role": question.author_role,
        "submitted_at": question.at,
    }


def approve_question(state: DebateState, cmd: p.ApproveQuestion, out: Emitter) -> None:
    question = get_question(state, cmd.question_id)
    if question.status != "pending":
        raise DomainError("question_not_pending", "Only a pending question can be approved.")
    out.emit(ev.QuestionApproved, **_whole(question))


def reject_question(state: DebateState, cmd: p.RejectQuestion, out: Emitter) -> None:
    question = get_question(state, cmd.question_id)
    if question.status == "rejected":
        raise DomainError("question_rejected", "This question is already rejected.")
    merging.split_off(state, [question.question_id], out)
    out.emit(ev.QuestionRejected, question_id=question.question_id)


def restore_question(state: DebateState, cmd: p.RestoreQuestion, out: Emitter) -> None:
    question = get_question(state, cmd.question_id)
    if question.status != "rejected":
        raise DomainError("question_not_rejected", "Only a rejected question can be restored.")
    out.emit(ev.QuestionRestored, **_whole(question))


def mark_answered(state: DebateState, cmd: p.MarkAnswered, out: Emitter) -> None:
    question = get_open_question(state, cmd.question_id)
    if question.answered:
        raise DomainError("already_answered", "This question is already marked as answered.")
    # An answered question leaves the floor.
    if state.pinned_question_id == question.question_id:
        out.emit(ev.QuestionUnpinned, question_id=question.question_id)
    out.emit(ev.QuestionAnswered, question_id=question.question_id)


def pin_question(state: DebateState, cmd: p.PinQuestion, out: Emitter) -> None:
    question = get_open_question(state, cmd.question_id)
    if state.pinned_question_id == question.question_id:
        raise DomainError("already_pinned", "This question is already on the floor.")
    if state.pinned_question_id is not None:
        out.emit(ev.QuestionUnpinned, question_id=state.pinned_question_id)
    out.emit(ev.QuestionPinned, question_id=question.question_id)


def unpin_question(state: DebateState, cmd: p.UnpinQuestion, out: Emitter) -> None:
    question = get_question(state, cmd.question_id)
    if state.pinned_question_id != question.question_id:
        raise DomainError("not_pinned", "This question is not on the floor.")
    out.emit(ev.QuestionUnpinned, question_id=question.question_id)


def upvote_question(state: DebateState, cmd: p.UpvoteQuestion, actor: Actor, out: Emitter) -> None:
    assert actor.participant_id is not None
    question = get_open_question(state, cmd.question_id)
    if question.author_id == actor.participant_id or erasure.is_own_anonymous(
        question.secret_hash, question.question_id, actor.author_key
    ):
        raise DomainError("own_question", "You cannot upvote your own question.")
    # An upvote of a question merged into this one counts for it already.
    members = merging.group(state, question)
    if any(actor.participant_id in member.voters for member in members):
        raise DomainError("already_upvoted", "You have already upvoted this question.")
    if erased_since(state, actor, question.submitted_seq):
        raise DomainError(
            "erased_earlier",
            "You erased your contributions: an upvote you had given here still counts, unlinked from you.",
        )
    out.emit(
        ev.UpvoteAdded,
        question_id=question.question_id,
        votes=merging.count(members) + 1,
        participant_id=actor.participant_id,
    )


def withdraw_upvote(state: DebateState, cmd: p.WithdrawUpvote, actor: Actor, out: Emitter) -> None:
    assert actor.participant_id is not None
    question = get_question(state, cmd.question_id)
    if question.merged_into is not None:
        raise DomainError(
            "question_merged", f"This question is merged into {question.merged_into}: act on that one."
        )
    # From every question of its group that holds it (see server.core.merging).
    if not merging.withdrawals(state, question, actor.participant_id, out):
        raise DomainError("not_upvoted", "You have not upvoted this question.")


def set_moderation(state: DebateState, cmd: p.SetModeration, out: Emitter) -> None:
    if state.moderation != cmd.enabled:
        out.emit(ev.ModerationSet, enabled=cmd.enabled)


# --- how its events change the state ----------------------------------------


@applies(ev.QuestionSubmitted)
def _question_submitted(state: DebateState, e: ev.QuestionSubmitted) -> None:
    count_id(state, "q", e.question_id)
    state.questions[e.question_id] = Question(
        e.question_id,
        e.round_id,
        e.text,
        e.anonymous,
        e.author_id,
        e.author_name,
        "approved" if e.approved else "pending",
        e.at,
        secret_hash=e.secret_hash,
        submitted_seq=e.seq,
        author_role=None if e.anonymous else state.role_of(e.author_id),
        filtered=e.filtered,
    )


@applies(ev.QuestionApproved)
def _question_approved(state: DebateState, e: ev.QuestionApproved) -> None:
    question = state.questions[e.question_id]
    question.status, question.filtered = "approved", False


@applies(ev.QuestionRejected)
def _question_rejected(state: DebateState, e: ev.QuestionRejected) -> None:
    question = state.questions[e.question_id]
    question.status, question.filtered = "rejected", False
    if state.pinned_question_id == e.question_id:
        state.pinned_question_id = None


@applies(ev.QuestionRestored)
def _question_restored(state: DebateState, e: ev.QuestionRestored) -> None:
    question = state.questions[e.question_id]
    # It starts over: votes and "answered" went with the rejection.
    question.status, question.answered = "pending", False
    question.voters.clear()
    question.unlinked_votes = 0


@applies(ev.QuestionAnswered)
def _question_answered(state: DebateState, e: ev.QuestionAnswered) -> None:
    state.questions[e.question_id].answered = True


@applies(ev.QuestionPinned)
def _question_pinned(state: DebateState, e: ev.QuestionPinned) -> None:
    state.pinned_question_id = e.question_id
    state.questions[e.question_id].ever_pinned = True


@applies(ev.QuestionUnpinned)
def _question_unpinned(state: DebateState, e: ev.QuestionUnpinned) -> None:
    if state.pinned_question_id == e.question_id:
        state.pinned_question_id = None


@applies(ev.UpvoteAdded)
def _upvote_added(state: DebateState, e: ev.UpvoteAdded) -> None:
    question = state.questions[e.question_id]
    if e.participant_id is None:  # its voter erased their contributions since
        question.unlinked_votes += 1
    else:
        question.voters.add(e.participant_id)


@applies(ev.UpvoteWithdrawn)
def _upvote_withdrawn(state: DebateState, e: ev.UpvoteWithdrawn) -> None:
    question = state.questions[e.question_id]
    if e.participant_id is None:
        question.unlinked_votes -= 1
    else:
        question.voters.discard(e.participant_id)


@applies(ev.ModerationSet)
def _moderation_set(state: DebateState, e: ev.ModerationSet) -> None:
    state.moderation = e.enabled
