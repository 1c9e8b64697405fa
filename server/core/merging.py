"""Merged questions and written answers (issue 12).

A merge makes duplicates *variants* of a kept question: they leave the lists
and show under it. Each question keeps its own voters, so that an unmerge
gives a variant its voters back; the kept question's count is the union of
its group's voters (each guest once) plus the votes their erasers unlinked.

The rules keep one property the fold relies on: a guest's upvote is recorded
on the one question whose voters hold it, so every upvote event names that
question, and a replay of the log (rewritten by an erasure or not) rebuilds
the same voters. Withdrawing from a group, or erasing, emits one
``upvote_withdrawn`` per question that holds the guest.
"""

from __future__ import annotations

from collections.abc import Iterable, Set

from server.core.emit import Emitter
from server.core.errors import DomainError
from server.core.lookup import get_approved_question, get_open_question, get_question
from server.core.state import DebateState, Question, applies
from shared import events as ev
from shared import protocol as p


def group(state: DebateState, keep: Question, leaving: Set[str] = frozenset()) -> list[Question]:
    """A top-level question and its variants (but those ``leaving``)."""
    variants = [state.questions[v] for v in keep.variant_ids if v not in leaving and v in state.questions]
    return [keep, *variants]


def count(members: Iterable[Question], without: str | None = None, on: Set[str] = frozenset()) -> int:
    """The count a group shows: its voters each once, plus the unlinked votes;
    ``without`` that voter on the questions ``on``."""
    voters: set[str] = set()
    unlinked = 0
    for question in members:
        own = question.voters - {without} if question.question_id in on else question.voters
        voters |= own
        unlinked += question.unlinked_votes
    return len(voters) + unlinked


def shown_count(state: DebateState, question: Question) -> int:
    """What the lists show for a question: its group's count (0 for a variant,
    whose votes count for the question it was merged into)."""
    if question.merged_into is not None:
        return 0
    return count(group(state, question))


def top_of(state: DebateState, question: Question) -> Question:
    """The question shown in the lists for this one (itself, or the kept one)."""
    return state.questions[question.merged_into] if question.merged_into is not None else question


def merge_questions(state: DebateState, cmd: p.MergeQuestions, out: Emitter) -> None:
    if cmd.keep_id in cmd.merged_ids:
        raise DomainError("merge_into_itself", "A question cannot be merged into itself.")
    keep = get_approved_question(state, cmd.keep_id)
    if keep.merged_into is not None:
        raise DomainError(
            "question_merged", f"{keep.question_id} is merged into {keep.merged_into}: merge into that one."
        )
    moved: list[str] = []
    for question_id in cmd.merged_ids:
        question = get_question(state, question_id)
        if question.merged_into is not None:
            raise DomainError(
                "already_merged", f"{question_id} is already merged into {question.merged_into}."
            )
        if question.status != "approved":
            raise DomainError("question_not_approved", f"{question_id} has not been approved.")
        # A kept question merged in turn brings its variants along.
        moved += [question_id, *question.variant_ids]
    if state.pinned_question_id in moved:
        out.emit(ev.QuestionUnpinned, question_id=state.pinned_question_id)
    members = [*group(state, keep), *(state.questions[q] for q in moved)]
    out.emit(ev.QuestionsMerged, keep_id=keep.question_id, merged_ids=moved, votes=count(members))
    if state.spotlight[0] == "question" and state.spotlight[1] in moved:
        out.emit(ev.SpotlightSet, kind="question", item_id=keep.question_id)
    for question_id in moved:
        out.emit(ev.MergeNotified, question_id=question_id, keep_id=keep.question_id)


def unmerge_question(state: DebateState, cmd: p.UnmergeQuestion, out: Emitter) -> None:
    question = get_question(state, cmd.question_id)
    if question.merged_into is None:
        raise DomainError("not_merged", "This question is not merged into another.")
    _unmerge(state, question, out)


def _unmerge(state: DebateState, question: Question, out: Emitter, leaving: Set[str] = frozenset()) -> None:
    keep = state.questions[question.merged_into or ""]
    out.emit(
        ev.QuestionUnmerged,
        question_id=question.question_id,
        keep_id=keep.question_id,
        votes=question.votes,
        keep_votes=count(group(state, keep, {*leaving, question.question_id})),
    )


def split_off(state: DebateState, question_ids: Iterable[str], out: Emitter) -> set[str]:
    """Before questions leave (erased, withdrawn, rejected): unmerge each that
    is a variant, and the variants of each that is kept, so that every count
    shown stays true. Returns the ids unmerged."""
    unmerged: set[str] = set()
    for question_id in question_ids:
        question = state.questions.get(question_id)
        if question is None:
            continue
        splitting = [question] if question.merged_into is not None else group(state, question)[1:]
        for variant in splitting:
            if variant.question_id not in unmerged:
                _unmerge(state, variant, out, unmerged)
                unmerged.add(variant.question_id)
    return unmerged


def withdrawals(state: DebateState, question: Question, voter: str, out: Emitter) -> bool:
    """Withdraw ``voter``'s upvote from a question's group: one event per
    question holding it, the last with the count that drops. False: none held."""
    members = group(state, question)
    holders = [q for q in members if voter in q.voters]
    withdrawn: set[str] = set()
    for holder in holders:
        withdrawn.add(holder.question_id)
        out.emit(
            ev.UpvoteWithdrawn,
            question_id=holder.question_id,
            votes=count(members, voter, withdrawn),
            participant_id=voter,
        )
    return bool(holders)


def keep_one_upvote(state: DebateState, eraser: str, unmerged: Set[str], out: Emitter) -> None:
    """Before an erasure unlinks ``eraser``'s upvotes: where a group holds
    theirs on several questions, all but one are withdrawn, so that the
    unlinked vote is counted once, as it was (no count shown moves).

    These withdrawals name nobody already (``participant_id`` None, the form
    the erasure gives the log's earlier upvotes): the rewrite of the log does
    not reach the erasing command's own events, and a replay of the rewritten
    log must fold to the same voters. Folded live, the eraser's link on that
    question goes a moment later, with the erasure's unlinking."""
    for keep in state.questions.values():
        if keep.merged_into is not None and keep.question_id not in unmerged:
            continue
        members = group(state, keep, unmerged)
        holders = [q for q in members if eraser in q.voters]
        withdrawn: set[str] = set()
        for holder in holders[1:]:
            withdrawn.add(holder.question_id)
            out.emit(
                ev.UpvoteWithdrawn,
                question_id=holder.question_id,
                votes=count(members, eraser, withdrawn),
                participant_id=None,
            )


def answer_question(state: DebateState, cmd: p.AnswerQuestion, out: Emitter) -> None:
    question = get_open_question(state, cmd.question_id)
    out.emit(ev.AnswerWritten, question_id=question.question_id, text=cmd.text)


# --- how its events change the state ----------------------------------------


@applies(ev.QuestionsMerged)
def _questions_merged(state: DebateState, e: ev.QuestionsMerged) -> None:
    keep = state.questions[e.keep_id]
    for question_id in e.merged_ids:
        question = state.questions[question_id]
        question.merged_into = e.keep_id
        question.variant_ids = []
        if question_id not in keep.variant_ids:
            keep.variant_ids.append(question_id)


@applies(ev.QuestionUnmerged)
def _question_unmerged(state: DebateState, e: ev.QuestionUnmerged) -> None:
    state.questions[e.question_id].merged_into = None
    keep = state.questions.get(e.keep_id)
    if keep is not None and e.question_id in keep.variant_ids:
        keep.variant_ids.remove(e.question_id)


@applies(ev.MergeNotified)
def _merge_notified(state: DebateState, e: ev.MergeNotified) -> None:
    """A notice to the author: the state already knows (questions_merged)."""


@applies(ev.AnswerWritten)
def _answer_written(state: DebateState, e: ev.AnswerWritten) -> None:
    question = state.questions[e.question_id]
    question.answer, question.answer_at = e.text, e.at
