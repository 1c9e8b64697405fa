"""A long evening: thousands of chat messages load and keep flowing without stalling."""

from __future__ import annotations

import time

from client.tokens import TokenStore
from client.widgets.chat import ChatLog
from server.app import DebateServer
from server.core import Actor
from shared import protocol as p
from tests.client.conftest import make_app, wait_until
from tests.wire import WireClient


async def test_thousands_of_messages(server: DebateServer, tokens: TokenStore) -> None:
    service = server.service
    guest, _, _ = service.join("Talkative", "participant")
    actor = Actor(guest.participant_id, "participant", guest.name)
    for n in range(3000):
        command = p.PostMessage(type="post_message", id=f"m{n}", text=f"message number {n}")
        service.execute(command, actor)
    app = make_app(server, "participant", tokens, name="Reader")
    async with app.run_test(size=(80, 24)) as pilot:
        started = time.monotonic()
        await wait_until(pilot, lambda: app.screen.query_one(ChatLog).option_count == 3000, 20)
        loaded = time.monotonic() - started
        url = f"ws://127.0.0.1:{server.port}/"
        writer = await WireClient.join(url, role="moderator", moderator_key=service.moderator_key, name="Mod")
        started = time.monotonic()
        for n in range(300):
            await writer.send({"type": "post_message", "id": f"live{n}", "text": f"live {n}"})
        await wait_until(pilot, lambda: app.screen.query_one(ChatLog).option_count == 3300, 20)
        flowed = time.monotonic() - started
        log = app.screen.query_one(ChatLog)
        assert log.scroll_y >= log.max_scroll_y - 1  # still following the newest
        await writer.close()
    print(f"loaded in {loaded:.2f}s, 300 live in {flowed:.2f}s")
    assert loaded < 10 and flowed < 10, (loaded, flowed)
