"""The moderators' back-channel in the core: moderators only, in every form."""

from __future__ import annotations

import pytest

from server.core import DomainError
from server.core.snapshot import build_snapshot
from server.core.visibility import SCREEN, Viewer, audience_of
from tests.core.debate import CoreDebate


def test_a_note_reaches_the_moderators_only() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    other = d.join("Mod 2", "moderator")
    decision = d.mod("post_note", text="Deux questions encore, puis le sondage.")
    assert decision.created == "n1"
    audience = audience_of(d.state, decision.events[0])
    assert audience.moderators and not audience.everyone and audience.recipient is None
    d.run(other, "post_note", text="D'accord")
    notes = build_snapshot(d.state, Viewer(other.participant_id, True)).notes
    assert notes is not None
    assert [(n.author_name, n.text) for n in notes] == [
        ("Mod", "Deux questions encore, puis le sondage."),
        ("Mod 2", "D'accord"),
    ]
    assert build_snapshot(d.state, Viewer(alice.participant_id, False)).notes is None
    assert build_snapshot(d.state, SCREEN).notes is None
    assert build_snapshot(d.state, SCREEN).word_filter is None


def test_a_guest_cannot_post_a_note() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    with pytest.raises(DomainError) as error:
        d.run(alice, "post_note", text="psst")
    assert error.value.code == "forbidden"
    assert not d.state.notes
