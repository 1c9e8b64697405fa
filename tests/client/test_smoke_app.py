from __future__ import annotations

from client.tokens import TokenStore
from server.app import DebateServer
from tests.client.conftest import make_app, screen_text, wait_until


async def test_participant_joins_and_posts(server: DebateServer, tokens: TokenStore) -> None:
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        await pilot.click("#chat-input")
        await pilot.press(*"hello", "enter")
        await wait_until(pilot, lambda: len(app.state.messages) == 1)
        print(screen_text(app))
