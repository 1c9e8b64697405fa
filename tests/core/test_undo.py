"""The moderator's undo: a hidden message comes back, an ended round resumes, a
rejected question returns to the queue (issue 9, section 2)."""

from __future__ import annotations

import pytest

from server.core import DomainError
from server.core.erasure import redact
from server.core.snapshot import build_snapshot, has_personal_view
from server.core.visibility import SCREEN, Viewer
from tests.core.debate import CoreDebate


def _code(d: CoreDebate, type_: str, **fields: object) -> str:
    before = d.state.seq
    with pytest.raises(DomainError) as error:
        d.mod(type_, **fields)
    assert d.state.seq == before, "a refused command changes nothing"
    return error.value.code


def test_a_hidden_message_comes_back_for_everyone() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    d.run(alice, "post_message", text="Un avis tranché")
    d.mod("hide_message", message_id="m1")
    shown = d.mod("unhide_message", message_id="m1")
    assert d.types(shown) == ["message_unhidden"]
    event = shown.events[0]
    # The whole message: guests dropped it when it was hidden.
    assert (event.text, event.author_name, event.posted_at) == (  # type: ignore[attr-defined]
        "Un avis tranché",
        "Alice",
        d.state.messages["m1"].at,
    )
    assert not d.state.messages["m1"].hidden
    assert [m.text for m in build_snapshot(d.state, SCREEN).messages] == ["Un avis tranché"]


def test_unhide_refuses_a_visible_or_unknown_message() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    d.run(alice, "post_message", text="Bonsoir")
    assert _code(d, "unhide_message", message_id="m1") == "not_hidden"
    assert _code(d, "unhide_message", message_id="m9") == "message_not_found"


def test_a_hidden_message_stays_marked_for_its_author_and_the_moderators_only() -> None:
    d = CoreDebate()
    alice, bob = d.join("Alice"), d.join("Bob")
    d.run(alice, "post_message", text="Hors sujet")
    d.mod("hide_message", message_id="m1")
    assert alice.participant_id is not None and bob.participant_id is not None
    for viewer in (Viewer(alice.participant_id, False), Viewer(d.moderator.participant_id, True)):
        [message] = build_snapshot(d.state, viewer).messages
        assert message.hidden and message.text == "Hors sujet"
    assert build_snapshot(d.state, Viewer(bob.participant_id, False)).messages == []
    assert build_snapshot(d.state, SCREEN).messages == []
    # The author's snapshot is personal: the shared snapshot cache must not serve it.
    assert has_personal_view(d.state, alice.participant_id)
    assert not has_personal_view(d.state, bob.participant_id)


def test_erasing_takes_the_text_back_from_the_unhidden_event_too() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    d.run(alice, "post_message", text="Mon adresse : 3 rue X")
    d.mod("hide_message", message_id="m1")
    [unhidden] = d.mod("unhide_message", message_id="m1").events
    erased = d.run(alice, "erase_my_contributions").events
    rewritten = redact(unhidden, erased)
    assert rewritten is not None and rewritten.text == ""  # type: ignore[attr-defined]
