"""The guest page stops on a 4009 close (this guest connected again elsewhere)
and says so instead of reconnecting in a loop; a handshake refused for
``too_many_connections`` looks like a network failure to a browser (the
WebSocket API hides the HTTP status), so the page backs off and joins once a
connection is free."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from server.app import CLOSE_REPLACED
from tests.web.conftest import new_phone
from tests.web.test_guest_page import Restartable, kept
from tests.web.test_screen_and_audits import join
from tests.wire import WireClient

CAP = 10


@pytest.fixture
async def small_caps(db_path: Path) -> AsyncIterator[Restartable]:
    running = Restartable(db_path)
    # Through the server's own options: one connection per guest, and a few per
    # address (a browser loads the page over several connections at once).
    running.settings.max_connections_per_participant = 1
    running.settings.max_connections_per_address = CAP
    await running.start()
    yield running
    await running.stop()
    running.service.close()


async def test_the_page_replaced_elsewhere_stops_and_says_so(small_caps: Restartable, browser: Any) -> None:
    debate = small_caps
    page = await new_phone(browser, locale="en-US")
    await join(page, debate, "Zoé")
    identity = await kept(page, debate)
    hellos: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: hellos.append(str(payload))))
    elsewhere = await WireClient.join(debate.ws_url, role="participant", resume_token=identity["token"])
    me = elsewhere.welcome["participant_id"] if elsewhere.welcome else None
    await page.get_by_text("Another window or device took your place").wait_for()
    # No reconnection loop: after a few backoff periods the other device still
    # holds the seat, alone, and the page sent no hello.
    await page.wait_for_timeout(2500)
    assert not [frame for frame in hellos if '"hello"' in frame]
    assert elsewhere.ws.close_code is None
    assert len(debate.server.hub.by_participant.get(me or "", ())) == 1
    # Joining again takes the seat back, as the same guest.
    await page.get_by_role("button", name="Join").click()
    await page.get_by_test_id("status").get_by_text("Connected").wait_for()
    assert (await kept(page, debate))["token"] == identity["token"]
    await elsewhere.ws.wait_closed()
    assert elsewhere.ws.close_code == CLOSE_REPLACED
    assert page.errors == []
    await elsewhere.close()


async def test_the_page_refused_for_too_many_connections_joins_once_one_is_free(
    small_caps: Restartable, browser: Any
) -> None:
    debate = small_caps
    code = debate.service.join_code
    page = await new_phone(browser, locale="en-US")
    await page.goto(f"{debate.base}/j/{code}")
    await page.fill("#join-name", "Zoé")
    # The page is loaded; now the address holds all the connections it may.
    held = [
        await WireClient.join(debate.ws_url, role="participant", join_code=code, name=f"G{i}")
        for i in range(CAP)
    ]
    await page.get_by_role("button", name="Join").click()
    await page.get_by_test_id("status").get_by_text("reconnecting", exact=False).wait_for()
    await held.pop().close()
    await page.get_by_test_id("status").get_by_text("Connected").wait_for(timeout=20_000)
    for client in held:
        await client.close()
