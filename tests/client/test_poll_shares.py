"""Issue 9 §4: a multiple-choice poll shows the same percentages on every screen and in
every export: shares of the voters, with "several answers possible" said."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from client.tokens import TokenStore
from server.app import DebateServer
from server.core import Actor
from server.export import export_events
from shared import protocol as p
from tests.client.conftest import make_app, screen_text, wait_until


def _seed_multiple_choice_poll(server: DebateServer) -> None:
    service = server.service
    ids = itertools.count(1)

    def run(actor: Actor, **frame: Any) -> str | None:
        command = p.client_frame_adapter.validate_python({"id": f"seed{next(ids)}", **frame})
        reply = service.execute(command, actor).reply
        assert isinstance(reply, p.Ack), reply
        return reply.created

    mod, _, _ = service.join("Modération", "moderator")
    alice, _, _ = service.join("Alice", "participant")
    bruno, _, _ = service.join("Bruno", "participant")
    m = Actor(mod.participant_id, "moderator", mod.name)
    poll = run(
        m,
        type="create_poll",
        question="Vos priorités ?",
        options=["Sécurité", "Coûts", "Talents"],
        multiple=True,
    )
    run(m, type="open_poll", poll_id=poll)
    run(
        Actor(alice.participant_id, "participant", alice.name),
        type="cast_ballot",
        poll_id=poll,
        choices=[0, 1],
    )
    run(Actor(bruno.participant_id, "participant", bruno.name), type="cast_ballot", poll_id=poll, choices=[0])
    run(m, type="close_poll", poll_id=poll)


@pytest.mark.parametrize(
    ("lang", "percents", "several"),
    [
        ("fr", ["(100\u202f%)", "(50\u202f%)", "(0\u202f%)"], "plusieurs réponses possibles"),
        ("en", ["(100%)", "(50%)", "(0%)"], "several answers possible"),
    ],
)
async def test_projector_and_export_agree_on_shares_of_voters(
    server: DebateServer, tokens: TokenStore, lang: str, percents: list[str], several: str
) -> None:
    _seed_multiple_choice_poll(server)
    app = make_app(server, "screen", tokens, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.state.last_closed_poll is not None, what="closed poll")
        text = screen_text(app).replace("\u202f", " ")
    for shown in percents:  # 2 voters: 2 ticks is 100 %, 1 tick 50 % (not 67 % / 33 % of ticks)
        assert shown.replace("\u202f", " ") in text
    assert several in text
    transcript, _ = export_events(server.service.store.events(), "json")
    exported = transcript.lobby.polls[0]
    assert [round(option.percent) for option in exported.options] == [100, 50, 0]
