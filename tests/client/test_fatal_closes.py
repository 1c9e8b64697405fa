"""Refusals that another attempt would not change stop the client with a clear
message instead of a reconnection loop: the server closing with 4009 (this
guest connected again elsewhere) and refusing the handshake with
``too_many_connections`` (the address holds too many connections)."""

from __future__ import annotations

import logging

import pytest

from client.screens.join import JoinScreen
from client.tokens import TokenStore
from server.app import CLOSE_REPLACED, DebateServer, ServerSettings
from tests.client.conftest import make_app, screen_text, wait_until
from tests.wire import WireClient


@pytest.fixture
def settings() -> ServerSettings:
    # Small caps, through the server's own options: one connection per guest,
    # three per address.
    return ServerSettings(
        coalesce_seconds=0.05, max_connections_per_participant=1, max_connections_per_address=3
    )


async def test_a_guest_replaced_elsewhere_stops_and_says_so_then_takes_over_on_demand(
    server: DebateServer, tokens: TokenStore
) -> None:
    url = f"ws://127.0.0.1:{server.port}/"
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected", what="the welcome")
        me, token = app.state.me, app.connection.resume_token
        # The same guest, from another device: this connection is closed with 4009.
        elsewhere = await WireClient.join(url, role="participant", resume_token=token)
        assert elsewhere.welcome is not None and elsewhere.welcome["participant_id"] == me
        await wait_until(pilot, lambda: isinstance(app.screen, JoinScreen), what="the join screen")
        assert "Another window or device took your place" in screen_text(app)
        assert app.link.status == "disconnected"
        # No reconnection loop: backoff is 50 ms here; after many of them the other
        # device still holds the seat, alone.
        await pilot.pause(1.0)
        assert app.connection.ws is None and app.link.status == "disconnected"
        assert len(server.hub.by_participant.get(me or "", ())) == 1
        assert elsewhere.ws.close_code is None
        # Joining again here takes the seat back, as the same guest.
        await pilot.click("#join")
        await wait_until(pilot, lambda: app.link.status == "connected", what="the new welcome")
        assert app.state.me == me
        await elsewhere.ws.wait_closed()
        assert elsewhere.ws.close_code == CLOSE_REPLACED
    await elsewhere.close()


async def test_too_many_connections_from_the_address_stops_and_says_so(
    server: DebateServer, tokens: TokenStore, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"ws://127.0.0.1:{server.port}/"
    code = server.service.join_code
    held = [await WireClient.join(url, role="participant", join_code=code, name=f"G{i}") for i in range(3)]
    caplog.set_level(logging.INFO, logger="server.app")
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, JoinScreen), what="the join screen")
        assert "Too many connections from your network" in screen_text(app)
        assert app.link.status == "disconnected"
        await pilot.pause(1.0)  # many backoff periods (50 ms here): no new attempt
        refusals = [r for r in caplog.records if "too many connections" in r.getMessage()]
        assert len(refusals) == 1
        # Once some are closed, joining again works.
        await held.pop().close()
        await wait_until(pilot, lambda: server.connections_from("127.0.0.1") == 2, what="a free slot")
        await pilot.click("#join")
        await wait_until(pilot, lambda: app.link.status == "connected", what="the welcome")
    for client in held:
        await client.close()


async def test_a_replaced_moderator_keeps_the_key_to_take_over(
    server: DebateServer, tokens: TokenStore
) -> None:
    url = f"ws://127.0.0.1:{server.port}/"
    app = make_app(server, "moderator", tokens)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected", what="the welcome")
        me = app.state.me
        elsewhere = await WireClient.join(
            url,
            role="moderator",
            moderator_key=server.service.moderator_key,
            resume_token=app.connection.resume_token,
        )
        assert elsewhere.welcome is not None and elsewhere.welcome["participant_id"] == me
        await wait_until(pilot, lambda: isinstance(app.screen, JoinScreen), what="the join screen")
        assert "Another window or device took your place" in screen_text(app)
        # The key is still there (masked): one key press takes the seat back.
        await pilot.click("#join")
        await wait_until(pilot, lambda: app.link.status == "connected", what="the new welcome")
        assert app.state.me == me
    await elsewhere.close()
