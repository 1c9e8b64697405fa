"""Dropped connections: resume from the last seq, nothing lost, nothing twice."""

from __future__ import annotations

from textual.widgets import TabbedContent

from client.tokens import TokenStore
from client.widgets.chat import ChatLog
from server.app import DebateServer, ServerSettings
from server.core import Actor
from shared import protocol as p
from tests.client.conftest import make_app, screen_text, wait_until
from tests.wire import WireClient


async def test_reconnect_misses_nothing_and_sends_offline_command_once(
    server: DebateServer, tokens: TokenStore, settings: ServerSettings
) -> None:
    service = server.service
    moderator = await WireClient.join(
        f"ws://127.0.0.1:{server.port}/", role="moderator", moderator_key=service.moderator_key
    )
    await moderator.command("add_round", title="One", theme="Theme", minutes=20)
    rounds = list(service.state.rounds)
    await moderator.command("start_round", round_id=rounds[0])
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        await moderator.command("post_message", text="before the drop")
        await wait_until(pilot, lambda: len(app.state.messages) == 1)

        # 1. The server closes this participant's connection; the room goes on.
        guest_ws = next(c.ws for c in server.hub.clients.values() if c.role == "participant")
        await guest_ws.close()
        await moderator.command("post_message", text="during the gap")
        await wait_until(pilot, lambda: len(app.state.messages) == 2, what="resumed")
        assert app.link.status == "connected"
        assert app.connection.resume_token is not None  # same identity, caught up

        # 2. The server goes away for a while; the guest types meanwhile.
        port = server.port
        await server.stop()
        await wait_until(pilot, lambda: app.link.status == "reconnecting", what="reconnecting")
        mod_actor = Actor(moderator.welcome["participant_id"], "moderator", "Moderator")  # type: ignore[index]
        service.execute(
            p.PostMessage(type="post_message", id="m-offline", text="while you were away"),
            mod_actor,
        )
        poll = service.execute(
            p.CreatePoll(type="create_poll", id="p-offline", question="Q?", options=["a", "b"]),
            mod_actor,
        ).reply
        assert isinstance(poll, p.Ack) and poll.created
        service.execute(p.OpenPoll(type="open_poll", id="o-offline", poll_id=poll.created), mod_actor)
        await pilot.press("f2", *"typed offline", "enter")
        assert len(app.connection.outbox) == 1
        await pilot.pause(0.1)
        shown = screen_text(app)
        assert "Reconnecting" in shown
        # The message waits in the log, marked as not sent; no jargon about commands.
        assert "--:--Alicetyped offlinenot sent yet" in shown and "command" not in shown
        assert "participants: unknown" in shown  # presence is not known offline

        restarted = DebateServer(service, settings)
        await restarted.start("127.0.0.1", port)
        try:
            await wait_until(pilot, lambda: len(app.state.messages) == 4, timeout=10, what="caught up")
            await wait_until(pilot, lambda: not app.connection.outbox, what="outbox delivered")
            await pilot.pause(0.3)
            texts = [m.text for m in app.state.messages.values()]
            assert texts == [
                "before the drop",
                "during the gap",
                "while you were away",
                "typed offline",
            ]
            on_server = [m.text for m in service.state.messages.values()]
            assert on_server.count("typed offline") == 1
            drawn = [o.id for o in app.screen.query_one(ChatLog).options if not o.disabled]
            assert drawn == list(app.state.messages)  # nothing drawn twice, nothing left pending
            assert app.state.seq == service.state.seq
            # The poll opened while the guest was away is announced, not brought to the front.
            assert app.screen.query_one(TabbedContent).active == "tab-chat"
            assert "Poll ●" in screen_text(app)
        finally:
            await restarted.stop()
    await moderator.close()


async def test_resending_the_same_command_id_applies_it_once(
    server: DebateServer, tokens: TokenStore
) -> None:
    app = make_app(server, "participant", tokens, name="Bob")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        command = app.connection.send(lambda id_: p.PostMessage(id=id_, text="once"))
        await wait_until(pilot, lambda: len(app.state.messages) == 1)
        # As if the ack had been lost: the command is resent with the same id.
        assert app.connection.send(lambda _: command) is command
        await wait_until(pilot, lambda: not app.connection.outbox)
        await pilot.pause(0.2)
        assert [m.text for m in server.service.state.messages.values()] == ["once"]
        assert len(app.state.messages) == 1


async def test_restarted_client_rejoins_as_the_same_participant(
    server: DebateServer, tokens: TokenStore
) -> None:
    first = make_app(server, "participant", tokens, name="Chloé")
    async with first.run_test() as pilot:
        await wait_until(pilot, lambda: first.link.status == "connected")
        me = first.state.me
    # No code, no name: the token saved for this server is enough.
    again = make_app(server, "participant", tokens, join_code=None)
    async with again.run_test() as pilot:
        await wait_until(pilot, lambda: again.link.status == "connected")
        assert again.state.me == me and again.state.name == "Chloé"
