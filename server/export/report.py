"""The organiser's report: the one-to-two-page summary an article is written from.

A projection of the transcript (so of the core's state, as every export): the
evening in numbers; per round its theme, the tables' syntheses, the most upvoted
questions with how they were answered, and the polls with their results (by
table and the opinion shift as the core fixed them, k ≥ 3: nothing is counted
again here); the questions left unanswered; speaking time per table. Under the
Chatham House rule the transcript it reads is already without attribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from server.export.model import (
    ExportLobby,
    ExportPoll,
    ExportQuestion,
    ExportRound,
    ExportSynthesis,
    Transcript,
)

TOP_QUESTIONS = 3  # per round: the most upvoted
UNANSWERED_SHOWN = 20  # the most upvoted of the questions left unanswered (the transcript has all)

Answered = Literal["written", "oral", "both", "none"]


@dataclass(frozen=True)
class ReportNumbers:
    guests: int  # who joined, moderators aside
    tables: int  # tables at the end of the evening (removed ones aside)
    messages: int
    questions: int  # approved, merged duplicates included
    polls: int  # opened
    votes: int  # ballots, every poll together (an open poll: its answers received)


@dataclass(frozen=True)
class ReportQuestion:
    question: ExportQuestion
    answered: Answered
    round: int | None  # the round's position; None: outside the rounds


@dataclass
class ReportRound:
    position: int | None  # None: outside the rounds
    title: str
    theme: str
    played: bool
    syntheses: list[ExportSynthesis] = field(default_factory=list)
    top_questions: list[ReportQuestion] = field(default_factory=list)
    more_questions: int = 0  # approved questions not among the top ones
    polls: list[ExportPoll] = field(default_factory=list)


@dataclass
class Report:
    transcript: Transcript  # the header, footer, tables and warnings come from it
    numbers: ReportNumbers
    rounds: list[ReportRound]
    unanswered: list[ReportQuestion]  # the most upvoted first, at most UNANSWERED_SHOWN
    more_unanswered: int = 0  # the others left unanswered, not listed


def answered(q: ExportQuestion) -> Answered:
    """How a question was answered: in writing, on the floor (marked answered), both, or not."""
    if q.answer is not None:
        return "both" if q.answered else "written"
    return "oral" if q.answered else "none"


def _by_votes(questions: list[ReportQuestion]) -> list[ReportQuestion]:
    """Most upvoted first; ties in the order asked."""
    return sorted(questions, key=lambda r: (-r.question.votes, r.question.at, r.question.question_id))


def _numbers(transcript: Transcript) -> ReportNumbers:
    sections: list[ExportRound | ExportLobby] = [*transcript.rounds, transcript.lobby]
    polls = [poll for s in sections for poll in s.polls]
    return ReportNumbers(
        guests=transcript.participants,
        tables=sum(1 for t in transcript.tables if not t.removed),
        messages=sum(len(s.messages) for s in sections),
        questions=sum(1 + len(q.variants) for s in sections for q in s.questions),
        polls=len(polls),
        votes=sum(poll.voters for poll in polls),
    )


def _round(section: ExportRound | ExportLobby, position: int | None) -> ReportRound:
    questions = _by_votes([ReportQuestion(q, answered(q), position) for q in section.questions])
    if isinstance(section, ExportRound):
        title, theme, played, syntheses = (
            section.title,
            section.theme,
            section.status != "pending",
            section.syntheses,
        )
    else:
        title, theme, played, syntheses = "", "", True, []
    return ReportRound(
        position,
        title,
        theme,
        played,
        list(syntheses),
        questions[:TOP_QUESTIONS],
        max(0, len(questions) - TOP_QUESTIONS),
        list(section.polls),
    )


def build_report(transcript: Transcript) -> Report:
    rounds = [_round(r, r.position) for r in transcript.rounds]
    lobby = transcript.lobby
    if lobby.questions or lobby.polls:  # what was asked or polled outside the rounds
        rounds.append(_round(lobby, None))
    sections: list[tuple[int | None, ExportRound | ExportLobby]] = [
        (r.position, r) for r in transcript.rounds
    ]
    sections.append((None, lobby))
    unanswered = [
        ReportQuestion(q, "none", position)
        for position, section in sections
        for q in section.questions
        if answered(q) == "none"
    ]
    unanswered = _by_votes(unanswered)
    return Report(
        transcript,
        _numbers(transcript),
        rounds,
        unanswered[:UNANSWERED_SHOWN],
        max(0, len(unanswered) - UNANSWERED_SHOWN),
    )
