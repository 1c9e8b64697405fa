"""Issue 9 §5: the projector shows the address guests can use, not the one it used."""

from __future__ import annotations

from client.tokens import TokenStore
from server.app import DebateServer
from tests.client.conftest import make_app, screen_text, wait_until


async def test_the_projector_shows_the_servers_guest_address(
    server: DebateServer, tokens: TokenStore
) -> None:
    server.public_url = "ws://192.0.2.2:8765/"  # what `convive serve --host 0.0.0.0` announces
    app = make_app(server, "screen", tokens)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected", what="screen")
        text = screen_text(app)
    # Guests join from their phones: the guest page at that address (issue 11).
    assert f"http://192.0.2.2:8765/j/{server.service.join_code}" in text
    assert "127.0.0.1" not in text


async def test_the_projectors_own_public_url_wins(server: DebateServer, tokens: TokenStore) -> None:
    server.public_url = "ws://192.0.2.2:8765/"
    app = make_app(server, "screen", tokens, join_url="wss://debat.example.org/")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected", what="screen")
        text = screen_text(app)
    assert f"https://debat.example.org/j/{server.service.join_code}" in text
