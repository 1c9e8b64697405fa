from __future__ import annotations

import pytest

from server.core import DomainError
from tests.core.debate import CoreDebate


@pytest.fixture
def debate() -> CoreDebate:
    d = CoreDebate()
    d.mod("create_poll", question="Combien ?", options=["Aucun", "1 à 3", "Plus"])
    d.mod("create_poll", question="Freins ?", options=["Données", "Coûts", "Compétences"], multiple=True)
    return d


def code_of(debate: CoreDebate, actor: object, type_: str, **fields: object) -> str:
    with pytest.raises(DomainError) as error:
        debate.run(actor, type_, **fields)  # type: ignore[arg-type]
    return error.value.code


def test_one_open_poll_at_a_time(debate: CoreDebate) -> None:
    debate.mod("open_poll", poll_id="p1")
    assert code_of(debate, debate.moderator, "open_poll", poll_id="p2") == "another_poll_open"
    debate.mod("close_poll", poll_id="p1")
    debate.mod("open_poll", poll_id="p2")
    assert code_of(debate, debate.moderator, "open_poll", poll_id="p1") == "poll_not_draft"


def test_duplicate_options_are_refused(debate: CoreDebate) -> None:
    assert code_of(debate, debate.moderator, "create_poll", question="q", options=["Oui", "oui"]) == (
        "duplicate_options"
    )


def test_one_ballot_per_participant_which_may_change(debate: CoreDebate) -> None:
    alice, bob = debate.join("Alice"), debate.join("Bob")
    assert code_of(debate, alice, "cast_ballot", poll_id="p1", choices=[0]) == "poll_not_open"
    debate.mod("open_poll", poll_id="p1")
    debate.run(alice, "cast_ballot", poll_id="p1", choices=[0])
    debate.run(bob, "cast_ballot", poll_id="p1", choices=[0])
    debate.run(alice, "cast_ballot", poll_id="p1", choices=[2])
    poll = debate.state.polls["p1"]
    assert poll.counts() == [1, 0, 1]
    closed = debate.mod("close_poll", poll_id="p1")
    assert closed.events[0].counts == [1, 0, 1]  # type: ignore[attr-defined]
    assert closed.events[0].voters == 2  # type: ignore[attr-defined]
    assert code_of(debate, alice, "cast_ballot", poll_id="p1", choices=[1]) == "poll_closed"


def test_invalid_choices(debate: CoreDebate) -> None:
    alice = debate.join("Alice")
    debate.mod("open_poll", poll_id="p1")
    assert code_of(debate, alice, "cast_ballot", poll_id="p1", choices=[3]) == "invalid_choice"
    assert code_of(debate, alice, "cast_ballot", poll_id="p1", choices=[0, 1]) == "invalid_choice"
    assert code_of(debate, alice, "cast_ballot", poll_id="p9", choices=[0]) == "poll_not_found"
    debate.mod("close_poll", poll_id="p1")
    debate.mod("open_poll", poll_id="p2")
    assert code_of(debate, alice, "cast_ballot", poll_id="p2", choices=[1, 1]) == "invalid_choice"
    debate.run(alice, "cast_ballot", poll_id="p2", choices=[2, 0])
    assert debate.state.polls["p2"].ballots[alice.participant_id] == [0, 2]  # type: ignore[index]


def test_a_poll_opened_during_a_round_belongs_to_it(debate: CoreDebate) -> None:
    debate.mod("add_round", title="R", theme="t", minutes=10)
    debate.mod("start_round", round_id="r1")
    debate.mod("open_poll", poll_id="p1")
    assert debate.state.polls["p1"].round_id == "r1"
