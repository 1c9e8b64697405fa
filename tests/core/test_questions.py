from __future__ import annotations

from dataclasses import replace

import pytest

from server.core import DomainError
from server.core.erasure import question_secret, secret_hash
from server.secrets_ import author_key, token_hash
from shared import events as ev
from tests.core.debate import CoreDebate


@pytest.fixture
def debate() -> CoreDebate:
    return CoreDebate()


def test_with_moderation_a_question_waits_for_approval(debate: CoreDebate) -> None:
    alice = debate.join("Alice")
    question_id = debate.run(alice, "submit_question", text="Quel ROI ?").created
    assert question_id == "q1"
    assert debate.state.questions["q1"].status == "pending"
    approved = debate.mod("approve_question", question_id="q1")
    assert debate.types(approved) == ["question_approved"]
    status: str = debate.state.questions["q1"].status  # changed by the command above
    assert status == "approved"
    with pytest.raises(DomainError) as error:
        debate.mod("approve_question", question_id="q1")
    assert error.value.code == "question_not_pending"


def test_without_moderation_a_question_is_approved_at_once(debate: CoreDebate) -> None:
    debate.mod("set_moderation", enabled=False)
    alice = debate.join("Alice")
    debate.run(alice, "submit_question", text="Direct ?")
    assert debate.state.questions["q1"].status == "approved"
    # Setting the same value again changes nothing and emits nothing.
    assert debate.mod("set_moderation", enabled=False).events == []


def test_an_anonymous_question_keeps_no_trace_of_its_author(debate: CoreDebate) -> None:
    alice = debate.join("Alice")
    decision = debate.run(alice, "submit_question", text="Sensible ?", anonymous=True)
    event = decision.events[0]
    dumped = event.model_dump_json()
    assert alice.participant_id is not None
    assert "Alice" not in dumped and alice.participant_id not in dumped
    question = debate.state.questions["q1"]
    assert question.author_id is None and question.author_name is None


def test_rejected_questions(debate: CoreDebate) -> None:
    alice = debate.join("Alice")
    debate.run(alice, "submit_question", text="Hors sujet")
    debate.mod("reject_question", question_id="q1")
    assert debate.state.questions["q1"].status == "rejected"
    with pytest.raises(DomainError):
        debate.mod("reject_question", question_id="q1")
    with pytest.raises(DomainError) as error:
        debate.run(alice, "upvote_question", question_id="q1")
    assert error.value.code == "question_not_approved"


def test_at_most_one_question_is_on_the_floor(debate: CoreDebate) -> None:
    alice = debate.join("Alice")
    for text in ("Un", "Deux"):
        debate.run(alice, "submit_question", text=text)
    with pytest.raises(DomainError) as error:
        debate.mod("pin_question", question_id="q1")
    assert error.value.code == "question_not_approved"
    debate.mod("approve_question", question_id="q1")
    debate.mod("approve_question", question_id="q2")
    debate.mod("pin_question", question_id="q1")
    switched = debate.mod("pin_question", question_id="q2")
    assert debate.types(switched) == ["question_unpinned", "question_pinned"]
    assert debate.state.pinned_question_id == "q2"
    with pytest.raises(DomainError) as error:
        debate.mod("unpin_question", question_id="q1")
    assert error.value.code == "not_pinned"
    debate.mod("unpin_question", question_id="q2")
    assert debate.state.pinned_question_id is None


def test_rejecting_the_pinned_question_unpins_it(debate: CoreDebate) -> None:
    alice = debate.join("Alice")
    debate.run(alice, "submit_question", text="Un")
    debate.mod("approve_question", question_id="q1")
    debate.mod("pin_question", question_id="q1")
    debate.mod("reject_question", question_id="q1")
    assert debate.state.pinned_question_id is None


def test_mark_answered_once(debate: CoreDebate) -> None:
    alice = debate.join("Alice")
    debate.run(alice, "submit_question", text="Un")
    debate.mod("approve_question", question_id="q1")
    debate.mod("mark_answered", question_id="q1")
    assert debate.state.questions["q1"].answered
    with pytest.raises(DomainError) as error:
        debate.mod("mark_answered", question_id="q1")
    assert error.value.code == "already_answered"


def test_upvote_once_and_withdraw(debate: CoreDebate) -> None:
    alice, bob, carol = debate.join("Alice"), debate.join("Bob"), debate.join("Carol")
    debate.run(alice, "submit_question", text="Un")
    debate.mod("approve_question", question_id="q1")
    first = debate.run(carol, "upvote_question", question_id="q1")
    assert first.events[0].votes == 1  # type: ignore[attr-defined]
    second = debate.run(bob, "upvote_question", question_id="q1")
    assert second.events[0].votes == 2  # type: ignore[attr-defined]
    with pytest.raises(DomainError) as error:
        debate.run(carol, "upvote_question", question_id="q1")
    assert error.value.code == "already_upvoted"
    withdrawn = debate.run(carol, "withdraw_upvote", question_id="q1")
    assert withdrawn.events[0].votes == 1  # type: ignore[attr-defined]
    with pytest.raises(DomainError) as error:
        debate.run(carol, "withdraw_upvote", question_id="q1")
    assert error.value.code == "not_upvoted"
    assert debate.state.questions["q1"].voters == {bob.participant_id}


def test_no_upvote_for_ones_own_named_question(debate: CoreDebate) -> None:
    alice = debate.join("Alice")
    debate.run(alice, "submit_question", text="Un")
    debate.mod("approve_question", question_id="q1")
    before = len(debate.log)
    with pytest.raises(DomainError) as error:
        debate.run(alice, "upvote_question", question_id="q1")
    assert error.value.code == "own_question"
    assert len(debate.log) == before and debate.state.questions["q1"].voters == set()


def test_no_upvote_for_ones_own_anonymous_question(debate: CoreDebate) -> None:
    """The author's key (from their token, in memory only) remakes the question's secret."""
    alice = replace(debate.join("Alice"), author_key=author_key("alice-token"))
    bob = replace(debate.join("Bob"), author_key=author_key("bob-token"))
    debate.run(alice, "submit_question", text="Qui paie ?", anonymous=True)
    debate.mod("approve_question", question_id="q1")
    submitted = debate.log[-2]
    assert isinstance(submitted, ev.QuestionSubmitted)
    assert submitted.author_id is None and submitted.author_name is None
    assert submitted.secret_hash == secret_hash(question_secret(author_key("alice-token"), "q1"))
    with pytest.raises(DomainError) as error:
        debate.run(alice, "upvote_question", question_id="q1")
    assert error.value.code == "own_question"
    assert debate.run(bob, "upvote_question", question_id="q1").events[0].votes == 1  # type: ignore[attr-defined]
    # Alice again with no key (a plan, an old connection): nothing tells her apart.
    assert debate.run(replace(alice, author_key=None), "upvote_question", question_id="q1")


def test_the_logged_hash_cannot_be_made_from_the_logged_token_hash() -> None:
    """The log keeps sha256(token) for resuming: the author key is not that, so the log
    alone cannot tell whose anonymous question is whose."""
    token = "alice-token"
    assert author_key(token) != token_hash(token)
    assert secret_hash(question_secret(token_hash(token), "q1")) != secret_hash(
        question_secret(author_key(token), "q1")
    )


def test_questions_attach_to_the_live_round(debate: CoreDebate) -> None:
    alice = debate.join("Alice")
    debate.mod("add_round", title="R", theme="t", minutes=10)
    debate.run(alice, "submit_question", text="Avant")
    debate.mod("start_round", round_id="r1")
    debate.run(alice, "submit_question", text="Pendant")
    assert debate.state.questions["q1"].round_id is None
    assert debate.state.questions["q2"].round_id == "r1"
