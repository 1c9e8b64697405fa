"""Erasure rules: erase one's contributions, withdraw one's question, redact the log."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.core import DomainError, fold
from server.core.erasure import REDACTABLE_TYPES, is_erasure, redactions, secret_hash
from server.core.snapshot import build_snapshot
from server.core.visibility import Viewer
from shared import events as ev
from tests.core.debate import CoreDebate
from tests.core.test_invariants import ACTORS, COMMANDS, QUESTION_IDS, check_invariants


def _debate() -> tuple[CoreDebate, dict[str, str]]:
    d = CoreDebate()
    d.mod("set_moderation", enabled=False)
    alice, bob = d.join("Alice"), d.join("Bob")
    ids = {
        "m_alice": d.run(alice, "post_message", text="alice says").created or "",
        "m_bob": d.run(bob, "post_message", text="bob says").created or "",
        "q_alice": d.run(alice, "submit_question", text="alice asks").created or "",
        "q_bob": d.run(bob, "submit_question", text="bob asks").created or "",
    }
    d.run(alice, "upvote_question", question_id=ids["q_bob"])
    d.run(bob, "upvote_question", question_id=ids["q_alice"])
    ids["p_open"] = d.mod("create_poll", question="?", options=["a", "b"], hide_results=True).created or ""
    ids["p_closed"] = d.mod("create_poll", question="!", options=["x", "y"]).created or ""
    d.mod("open_poll", poll_id=ids["p_closed"])
    d.run(alice, "cast_ballot", poll_id=ids["p_closed"], choices=[0])
    d.run(bob, "cast_ballot", poll_id=ids["p_closed"], choices=[1])
    d.mod("close_poll", poll_id=ids["p_closed"])
    d.mod("open_poll", poll_id=ids["p_open"])
    d.run(alice, "cast_ballot", poll_id=ids["p_open"], choices=[1])
    # A moderated question: its text is in question_approved too.
    d.mod("set_moderation", enabled=True)
    ids["q_alice_moderated"] = d.run(alice, "submit_question", text="alice asks again").created or ""
    d.mod("approve_question", question_id=ids["q_alice_moderated"])
    ids["alice"], ids["bob"] = alice.participant_id or "", bob.participant_id or ""
    return d, ids


def test_erase_my_contributions() -> None:
    d, ids = _debate()
    alice = d.state.participants[ids["alice"]]
    from server.core import Actor

    actor = Actor(alice.participant_id, "participant", alice.name)
    counts_before = {poll_id: poll.counts() for poll_id, poll in d.state.polls.items()}
    votes_before = d.state.questions[ids["q_bob"]].votes
    decision = d.run(actor, "erase_my_contributions")
    # One event: nothing subtracted, so no count moves for anyone to read.
    assert d.types(decision) == ["contributions_erased"]
    erased = decision.events[-1]
    assert isinstance(erased, ev.ContributionsErased)
    assert erased.message_ids == [ids["m_alice"]]
    assert erased.question_ids == [ids["q_alice"], ids["q_alice_moderated"]]
    state = d.state
    assert set(state.messages) == {ids["m_bob"]}
    assert set(state.questions) == {ids["q_bob"]}
    # Her upvote and ballots still count, linked to nobody.
    assert state.questions[ids["q_bob"]].voters == set()
    assert state.questions[ids["q_bob"]].votes == votes_before == 1
    assert all(ids["alice"] not in poll.ballots for poll in state.polls.values())
    assert {poll_id: poll.counts() for poll_id, poll in state.polls.items()} == counts_before
    # Nothing left: a second erasure is refused; voting again on what she had is too.
    with pytest.raises(DomainError) as refused:
        d.run(actor, "erase_my_contributions")
    assert refused.value.code == "nothing_to_erase"
    with pytest.raises(DomainError) as refused:
        d.run(actor, "upvote_question", question_id=ids["q_bob"])
    assert refused.value.code == "erased_earlier"
    with pytest.raises(DomainError) as refused:
        d.run(actor, "cast_ballot", poll_id=ids["p_open"], choices=[0])
    assert refused.value.code == "erased_earlier"
    # What comes after is hers again.
    later = d.mod("create_poll", question="Après ?", options=["a", "b"]).created or ""
    d.mod("close_poll", poll_id=ids["p_open"])
    d.mod("open_poll", poll_id=later)
    assert d.types(d.run(actor, "cast_ballot", poll_id=later, choices=[1])) == ["ballot_cast"]


def rewrite(log: list[ev.EventBase], erasures: list[ev.EventBase]) -> list[ev.EventBase]:
    """The stored log after an erasure, as the service rewrites it."""
    stored = [e for e in log if e.type in REDACTABLE_TYPES]
    by_seq = {event.seq: event for event, _ in redactions(stored, erasures)}
    return [by_seq.get(e.seq, e) for e in log]


def test_the_redacted_log_folds_to_the_same_state_without_the_text_or_the_link() -> None:
    d, ids = _debate()
    from server.core import Actor

    alice = Actor(ids["alice"], "participant", "Alice")
    decision = d.run(alice, "erase_my_contributions")
    erasures = [e for e in decision.events if is_erasure(e)]
    rewritten = rewrite(d.log[: -len(decision.events)], erasures) + decision.events
    assert [e.seq for e in rewritten] == [e.seq for e in d.log]
    dumped = "".join(e.model_dump_json() for e in rewritten)
    assert "alice says" not in dumped and "alice asks" not in dumped
    assert "bob says" in dumped and "bob asks" in dumped
    linking = [
        e
        for e in rewritten
        if isinstance(e, ev.UpvoteAdded | ev.UpvoteWithdrawn | ev.BallotCast)
        and e.participant_id == ids["alice"]
    ]
    assert linking == []
    again = fold(rewritten)
    for who in (ids["alice"], ids["bob"], None):
        assert build_snapshot(again, Viewer(who, True)) == build_snapshot(d.state, Viewer(who, True))
    assert again.polls == d.state.polls
    assert again.questions == d.state.questions


def test_withdraw_named_question_by_its_author_only() -> None:
    d, ids = _debate()
    from server.core import Actor

    bob = Actor(ids["bob"], "participant", "Bob")
    alice = Actor(ids["alice"], "participant", "Alice")
    with pytest.raises(DomainError) as refused:
        d.run(bob, "withdraw_question", question_id=ids["q_alice"])
    assert refused.value.code == "not_your_question"
    with pytest.raises(DomainError):
        d.run(d.moderator, "withdraw_question", question_id=ids["q_alice"])
    d.mod("pin_question", question_id=ids["q_alice"])
    decision = d.run(alice, "withdraw_question", question_id=ids["q_alice"])
    assert d.types(decision) == ["question_withdrawn"]
    assert ids["q_alice"] not in d.state.questions
    assert d.state.pinned_question_id is None


def test_withdraw_anonymous_question_with_its_secret_only() -> None:
    from server.core import Actor, decide

    d, ids = _debate()
    alice = Actor(ids["alice"], "participant", "Alice")
    command = d.command("submit_question", text="who?", anonymous=True)
    decision = decide(d.state, command, alice, d.now(), secret_hash=secret_hash("s3cret"))
    d._commit(decision)
    question_id = decision.created or ""
    submitted = decision.events[0]
    assert submitted.author_id is None and submitted.secret_hash == secret_hash("s3cret")  # type: ignore[attr-defined]
    # Not the author (who is unknown), not a wrong secret, not the moderator.
    for actor, secret in ((alice, None), (alice, "wrong"), (d.moderator, None)):
        fields = {"secret": secret} if secret else {}
        with pytest.raises(DomainError) as refused:
            d.run(actor, "withdraw_question", question_id=question_id, **fields)
        assert refused.value.code == "not_your_question"
    # Anyone holding the secret (i.e. the author's client) can.
    bob = Actor(ids["bob"], "participant", "Bob")
    decision = d.run(bob, "withdraw_question", question_id=question_id, secret="s3cret")
    assert d.types(decision) == ["question_withdrawn"]
    assert question_id not in d.state.questions
    rewritten = rewrite(d.log, decision.events)
    assert "who?" not in "".join(e.model_dump_json() for e in rewritten)


# --- property: any history with erasures, redacted as the service does it ----------

ERASURES: st.SearchStrategy[tuple[str, dict[str, Any]]] = st.one_of(
    st.tuples(st.just("erase_my_contributions"), st.just({})),
    st.tuples(st.just("withdraw_question"), st.fixed_dictionaries({"question_id": QUESTION_IDS})),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(ACTORS, st.one_of(COMMANDS, ERASURES, ERASURES)), max_size=40))
def test_the_redacted_log_always_folds_to_the_live_state(
    steps: list[tuple[str, tuple[str, dict[str, object]]]],
) -> None:
    d = CoreDebate()
    actors = {"mod": d.moderator, "alice": d.join("Alice"), "bob": d.join("Bob"), "carol": d.join("Carol")}
    log = list(d.log)  # the stored log, rewritten by each erasure like the service does
    erased_texts: set[str] = set()
    for number, (actor_name, (command, fields)) in enumerate(steps):
        if "text" in fields:
            fields = {**fields, "text": f"text-{number}"}  # unique, to find it later
        try:
            decision = d.run(actors[actor_name], command, **fields)
        except DomainError:
            continue
        erasures = [e for e in decision.events if is_erasure(e)]
        if erasures:
            rewritten = rewrite(log, erasures)
            for before, after in zip(log, rewritten, strict=True):
                if isinstance(before, ev.MessagePosted | ev.QuestionSubmitted) and after is not before:
                    erased_texts.add(before.text)
                    assert isinstance(after, ev.MessagePosted | ev.QuestionSubmitted) and after.text == ""
            log = rewritten
        log.extend(decision.events)
        check_invariants(d)
    assert [e.seq for e in log] == [e.seq for e in d.log]
    again = fold(log)
    assert again.polls == d.state.polls
    assert again.questions == d.state.questions
    assert again.participants == d.state.participants
    for who in [None, *(a.participant_id for a in actors.values())]:
        for moderator in (True, False):
            assert build_snapshot(again, Viewer(who, moderator)) == build_snapshot(
                d.state, Viewer(who, moderator)
            )
    stored = "".join(e.model_dump_json() for e in log)
    assert not [text for text in erased_texts if f'"{text}"' in stored]
