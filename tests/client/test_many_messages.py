"""A long evening: the newest messages load at once, earlier ones on demand, and
live ones keep flowing without stalling."""

from __future__ import annotations

import time

from client.tokens import TokenStore
from client.widgets.chat import EARLIER, ChatLog
from server.app import DebateServer
from server.core import Actor
from shared import limits
from shared import protocol as p
from tests.client.conftest import make_app, wait_until
from tests.wire import WireClient


async def test_a_long_chat_loads_the_newest_and_the_rest_on_demand(
    server: DebateServer, tokens: TokenStore
) -> None:
    service = server.service
    guest, _, _ = service.join("Talkative", "participant")
    actor = Actor(guest.participant_id, "participant", guest.name)
    for n in range(3000):
        command = p.PostMessage(type="post_message", id=f"m{n}", text=f"message number {n}")
        service.execute(command, actor)
    app = make_app(server, "participant", tokens, name="Reader")
    async with app.run_test(size=(80, 24)) as pilot:
        started = time.monotonic()
        log = app.screen.query_one(ChatLog)
        # The welcome holds the newest messages, under a row that fetches the others.
        await wait_until(pilot, lambda: app.state.messages_before is not None, 20)
        loaded = time.monotonic() - started
        await pilot.pause()
        first = len(app.state.messages)  # the newest, within the welcome's count and bytes
        assert 0 < first <= limits.WINDOW_MESSAGES
        assert log.get_option_at_index(0).id == EARLIER
        assert app.state.messages_before is not None
        assert log.scroll_y >= log.max_scroll_y - 1  # at the newest
        # Scrolling back to the top and pressing Enter: the page before.
        log.focus()
        await pilot.press("home", "enter")
        page = first + limits.HISTORY_PAGE_MAX
        await wait_until(pilot, lambda: len(app.state.messages) == page, 10)
        texts = [m.text for m in app.state.messages.values()]
        assert texts == [f"message number {n}" for n in range(3000 - page, 3000)]
        await pilot.press("home", "enter")
        await wait_until(pilot, lambda: len(app.state.messages) == page + limits.HISTORY_PAGE_MAX, 10)
        assert log.option_count == len(app.state.messages) + 1
        # Live messages keep coming in, and a guest at the bottom follows them.
        await pilot.press("end")
        url = f"ws://127.0.0.1:{server.port}/"
        writer = await WireClient.join(url, role="moderator", moderator_key=service.moderator_key, name="Mod")
        started = time.monotonic()
        for n in range(300):
            await writer.send({"type": "post_message", "id": f"live{n}", "text": f"live {n}"})
        total = page + limits.HISTORY_PAGE_MAX + 300
        await wait_until(pilot, lambda: log.option_count == total + 1, 20)
        flowed = time.monotonic() - started
        assert log.scroll_y >= log.max_scroll_y - 1  # still following the newest
        await writer.close()
    print(f"loaded in {loaded:.2f}s, 300 live in {flowed:.2f}s")
