"""The projector is the moderator's (issue 9, section 3): the spotlight,
announcements, the floor clearing with its round, voters of hidden polls."""

from __future__ import annotations

import pytest

from server.core import DomainError
from server.core.snapshot import build_snapshot
from server.core.visibility import SCREEN, Viewer, poll_counts_form
from tests.core.debate import CoreDebate


def _code(d: CoreDebate, type_: str, **fields: object) -> str:
    before = d.state.seq
    with pytest.raises(DomainError) as error:
        d.mod(type_, **fields)
    assert d.state.seq == before
    return error.value.code


def _evening() -> CoreDebate:
    d = CoreDebate()
    alice = d.join("Alice")
    d.mod("add_round", title="Un", theme="t", minutes=20)
    d.mod("start_round", round_id="r1")
    d.run(alice, "submit_question", text="Approuvée")
    d.run(alice, "submit_question", text="En attente")
    d.mod("approve_question", question_id="q1")
    d.mod("create_poll", question="Prêts ?", options=["Oui", "Non"], hide_results=True)
    return d


def test_the_spotlight_is_in_everyones_snapshot() -> None:
    d = _evening()
    assert build_snapshot(d.state, SCREEN).spotlight.kind == "round"  # the default
    d.mod("set_spotlight", kind="question", item_id="q1")
    for viewer in (SCREEN, Viewer(d.moderator.participant_id, True)):
        spotlight = build_snapshot(d.state, viewer).spotlight
        assert (spotlight.kind, spotlight.item_id) == ("question", "q1")
    for kind in ("welcome", "end", "blank", "round"):
        d.mod("set_spotlight", kind=kind)
        assert d.state.spotlight == (kind, None)
    d.mod("set_spotlight", kind="round", item_id="r1")
    assert d.state.spotlight == ("round", "r1")


def test_the_spotlight_refuses_what_the_room_may_not_see() -> None:
    d = _evening()
    assert _code(d, "set_spotlight", kind="question") == "bad_spotlight"
    assert _code(d, "set_spotlight", kind="poll") == "bad_spotlight"
    assert _code(d, "set_spotlight", kind="welcome", item_id="q1") == "bad_spotlight"
    assert _code(d, "set_spotlight", kind="question", item_id="q2") == "question_not_approved"
    assert _code(d, "set_spotlight", kind="question", item_id="q9") == "question_not_found"
    assert _code(d, "set_spotlight", kind="poll", item_id="p1") == "poll_is_draft"
    assert _code(d, "set_spotlight", kind="poll", item_id="p9") == "poll_not_found"
    assert _code(d, "set_spotlight", kind="round", item_id="r9") == "round_not_found"
    d.mod("open_poll", poll_id="p1")
    d.mod("set_spotlight", kind="poll", item_id="p1")


def test_announcements_belong_to_the_live_round() -> None:
    d = _evening()
    created = d.mod("announce", text="Le dessert arrive").created
    assert created == "a1"
    [announcement] = build_snapshot(d.state, SCREEN).announcements
    assert (announcement.round_id, announcement.text) == ("r1", "Le dessert arrive")
    d.mod("end_round")
    assert d.mod("announce", text="Merci !").created == "a2"
    assert d.state.announcements["a2"].round_id is None


def test_the_question_on_the_floor_leaves_with_its_round() -> None:
    d = _evening()
    d.mod("add_round", title="Deux", theme="t", minutes=20)
    d.mod("pin_question", question_id="q1")
    started = d.mod("start_round", round_id="r2")
    assert d.types(started) == ["question_unpinned", "round_ended", "round_started"]
    assert d.state.pinned_question_id is None
    d.mod("pin_question", question_id="q1")
    assert d.types(d.mod("end_round")) == ["question_unpinned", "round_ended"]
    d.mod("pin_question", question_id="q1")  # between rounds, it may be pinned again
    assert d.types(d.mod("reopen_round", round_id="r2")) == ["round_reopened"]
    assert d.state.pinned_question_id == "q1"


def test_a_hidden_poll_shows_its_voters_but_not_its_counts() -> None:
    d = _evening()
    alice = d.state.participants["u2"]
    d.mod("open_poll", poll_id="p1")
    from server.core import Actor

    d.run(Actor(alice.participant_id, "participant", alice.name), "cast_ballot", poll_id="p1", choices=[1])
    poll = d.state.polls["p1"]
    [screen_view] = build_snapshot(d.state, SCREEN).polls
    assert screen_view.counts is None and screen_view.voters == 1
    assert poll_counts_form(poll, SCREEN) == (None, 1)
    assert poll_counts_form(poll, Viewer(d.moderator.participant_id, True)) == ([0, 1], 1)
