from __future__ import annotations

import pytest

from server.core import DomainError
from server.core.decide import unique_name
from tests.core.debate import CoreDebate
from tests.examples import refused_to


def test_messages_go_to_the_live_round_or_the_lobby() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    lobby = d.run(alice, "post_message", text="Bonsoir").created
    d.mod("add_round", title="R", theme="t", minutes=10)
    d.mod("start_round", round_id="r1")
    in_round = d.run(alice, "post_message", text="Question de fond").created
    assert lobby is not None and in_round is not None
    assert d.state.messages[lobby].round_id is None
    assert d.state.messages[in_round].round_id == "r1"
    assert d.state.messages[in_round].author_name == "Alice"


def test_a_moderator_hides_a_message_once() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    d.run(alice, "post_message", text="hors sujet")
    d.mod("hide_message", message_id="m1")
    assert d.state.messages["m1"].hidden
    with pytest.raises(DomainError) as error:
        d.mod("hide_message", message_id="m1")
    assert error.value.code == "already_hidden"
    with pytest.raises(DomainError) as error:
        d.mod("hide_message", message_id="m9")
    assert error.value.code == "message_not_found"


def test_a_taken_name_gets_a_suffix() -> None:
    d = CoreDebate()
    assert d.join("Alice").name == "Alice"
    assert d.join("alice").name == "alice (2)"
    assert d.join("Alice").name == "Alice (3)"
    long_name = "N" * 40
    d.join(long_name)
    suffixed = unique_name(d.state, long_name)
    assert suffixed.endswith(" (2)") and len(suffixed) == 40


# The core answers export_transcript with not_a_debate_command: the transport handles it.
MODERATOR_ONLY = [(t, f) for t, f in refused_to("participant") if t != "export_transcript"]


@pytest.mark.parametrize(("command", "fields"), MODERATOR_ONLY)
def test_participants_cannot_send_moderator_commands(command: str, fields: dict[str, object]) -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    before = d.state.seq
    with pytest.raises(DomainError) as error:
        d.run(alice, command, **fields)
    assert error.value.code == "forbidden"
    assert d.state.seq == before


def test_a_screen_cannot_send_anything() -> None:
    from server.core import Actor

    d = CoreDebate()
    screen = Actor(None, "screen")
    with pytest.raises(DomainError) as error:
        d.run(screen, "post_message", text="hello")
    assert error.value.code == "forbidden"
