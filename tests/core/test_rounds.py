from __future__ import annotations

import pytest

from server.core import DomainError
from tests.core.debate import CoreDebate


@pytest.fixture
def debate() -> CoreDebate:
    d = CoreDebate()
    for title in ("Innover", "Industrialiser", "Garanties"):
        d.mod("add_round", title=title, theme=f"Theme of {title}", minutes=20)
    return d


def titles(d: CoreDebate) -> list[str]:
    return [d.state.rounds[rid].title for rid in d.state.agenda]


def test_rounds_are_added_in_order_with_deterministic_ids(debate: CoreDebate) -> None:
    assert debate.state.agenda == ["r1", "r2", "r3"]
    assert titles(debate) == ["Innover", "Industrialiser", "Garanties"]
    assert debate.mod("add_round", title="Quatre", theme="t", minutes=5).created == "r4"


def test_a_pending_round_can_be_edited_partially(debate: CoreDebate) -> None:
    debate.mod("update_round", round_id="r2", minutes=35)
    round_ = debate.state.rounds["r2"]
    assert (round_.title, round_.minutes) == ("Industrialiser", 35)


def test_rounds_are_reordered_and_removed(debate: CoreDebate) -> None:
    debate.mod("move_round", round_id="r3", position=0)
    assert titles(debate) == ["Garanties", "Innover", "Industrialiser"]
    debate.mod("move_round", round_id="r3", position=99)
    assert titles(debate) == ["Innover", "Industrialiser", "Garanties"]
    debate.mod("remove_round", round_id="r2")
    assert titles(debate) == ["Innover", "Garanties"]


def test_starting_a_round_ends_the_live_one(debate: CoreDebate) -> None:
    first = debate.mod("start_round", round_id="r1")
    assert debate.types(first) == ["round_started"]
    second = debate.mod("start_round", round_id="r2")
    assert debate.types(second) == ["round_ended", "round_started"]
    assert debate.state.live_round_id == "r2"
    assert debate.state.rounds["r1"].status == "ended"
    assert debate.state.rounds["r1"].ended_at is not None
    assert debate.state.rounds["r2"].started_at is not None


def test_a_started_round_cannot_be_changed_or_restarted(debate: CoreDebate) -> None:
    debate.mod("start_round", round_id="r1")
    attempts: list[tuple[str, dict[str, object]]] = [
        ("update_round", {"title": "x"}),
        ("remove_round", {}),
        ("move_round", {"position": 2}),
        ("start_round", {}),
    ]
    for command, fields in attempts:
        with pytest.raises(DomainError) as error:
            debate.mod(command, round_id="r1", **fields)
        assert error.value.code == "round_not_pending"


def test_a_pending_round_cannot_move_before_a_started_one(debate: CoreDebate) -> None:
    debate.mod("start_round", round_id="r1")
    with pytest.raises(DomainError) as error:
        debate.mod("move_round", round_id="r3", position=0)
    assert error.value.code == "invalid_position"


def test_end_round(debate: CoreDebate) -> None:
    with pytest.raises(DomainError) as error:
        debate.mod("end_round")
    assert error.value.code == "no_live_round"
    debate.mod("start_round", round_id="r1")
    with pytest.raises(DomainError) as error:
        debate.mod("end_round", round_id="r2")
    assert error.value.code == "round_not_live"
    debate.mod("end_round")
    assert debate.state.live_round_id is None


def test_unknown_round(debate: CoreDebate) -> None:
    with pytest.raises(DomainError) as error:
        debate.mod("start_round", round_id="r99")
    assert error.value.code == "round_not_found"
