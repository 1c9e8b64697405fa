"""Issue 6, item 4: a peer that stops answering pings is dropped, and leaves
presence, within the keepalive window (ping_interval + ping_timeout)."""

from __future__ import annotations

import asyncio

import pytest

from server.app import DebateServer, ServerSettings
from tests.conftest import join_participant
from tests.wire import WireClient

PING_INTERVAL = 0.3
PING_TIMEOUT = 0.5  # a pong is a few ms late at most, even on a loaded machine
CLOSE_TIMEOUT = 0.3
WINDOW = PING_INTERVAL + PING_TIMEOUT + CLOSE_TIMEOUT


@pytest.fixture
def settings() -> ServerSettings:
    return ServerSettings(
        coalesce_seconds=0.05,
        ping_interval=PING_INTERVAL,
        ping_timeout=PING_TIMEOUT,
        close_timeout=CLOSE_TIMEOUT,
    )


async def test_a_paused_reader_is_dropped_within_the_keepalive_window(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    alive = await join_participant(server, url, "Alive")
    dead = await join_participant(server, url, "Dead")
    await moderator.wait_for(lambda f: f["type"].startswith("presence") and f["count"] == 2)
    assert dead.ws.transport is not None
    loop = asyncio.get_running_loop()
    # The peer's process hangs: its socket is no longer read, pings go unanswered.
    dead.ws.transport.pause_reading()
    paused_at = loop.time()
    # A leave: not the frame of 1 from before "Dead" joined, still unread when joins are slow.
    await moderator.wait_for(
        lambda f: f["type"] == "presence_changed" and f["count"] == 1 and bool(f["left"]), timeout=5
    )
    dropped_after = loop.time() - paused_at
    print(
        f"\ndead peer left presence after {dropped_after:.2f} s "
        f"(ping_interval={PING_INTERVAL}, ping_timeout={PING_TIMEOUT}, "
        f"close_timeout={CLOSE_TIMEOUT}: window {WINDOW:.1f} s)"
    )
    connected = moderator.presence()[1].values()
    assert [c["name"] for c in connected if c["role"] == "participant"] == ["Alive"]
    # Worst case: a full interval, the ping timeout, the close timeout (the peer does
    # not answer the close frame either), plus a presence coalescing period.
    assert dropped_after < WINDOW + 1.0  # slack for a loaded CI machine
    assert dead.welcome is not None
    assert dead.welcome["participant_id"] not in server.hub.by_participant
    # The live peer, which answers pings, is still there after several windows.
    await asyncio.sleep(2 * WINDOW)
    assert (await alive.command("post_message", text="still here"))["type"] == "ack"
    await alive.close()
