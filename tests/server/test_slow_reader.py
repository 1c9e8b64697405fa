"""Issue 6, item 5: a client that never reads, among many that do.

The others keep receiving with a bounded latency; the slow one is closed with
4008 (``server.hub.CLOSE_TOO_SLOW``) once its backlog passes the cap, and what
the server buffers for it never grows much past that cap.
"""

from __future__ import annotations

import asyncio
import secrets
import socket

import pytest
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection

from server.app import DebateServer, ServerSettings
from server.hub import CLOSE_TOO_SLOW
from tests.conftest import join_participant
from tests.wire import WireClient

CAP = 64 * 1024
MESSAGES = 600
TEXT_CHARS = 980  # a nearly full chat message


@pytest.fixture
def settings() -> ServerSettings:
    return ServerSettings(coalesce_seconds=0.05, backlog_cap_bytes=CAP)


async def _slow_client(server: DebateServer, url: str) -> WireClient:
    """A participant whose socket has a tiny receive buffer, so it clogs fast."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", server.port))
    client = WireClient(await connect(url, sock=sock, max_size=None))
    await client.hello(role="participant", join_code=server.service.join_code, name="Slow")
    return client


def _noise() -> str:
    """Fresh random text: permessage-deflate would shrink a repeated one to nothing."""
    return secrets.token_urlsafe(TEXT_CHARS)[: TEXT_CHARS - 12]


def _server_side(server: DebateServer, client: WireClient) -> ServerConnection:
    assert client.welcome is not None
    (ws,) = server.hub.by_participant[client.welcome["participant_id"]]
    return ws


async def test_a_slow_reader_is_closed_and_the_others_keep_up(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    readers = [await join_participant(server, url, f"Reader {i}") for i in range(8)]
    slow = await _slow_client(server, url)
    slow_ws = _server_side(server, slow)
    # Loopback buffers are megabytes: shrink the server's side of this one socket
    # too, so that the backlog builds up in the server (where the cap applies)
    # after a few kilobytes instead of a few megabytes.
    assert slow_ws.transport is not None
    server_sock = slow_ws.transport.get_extra_info("socket")
    server_sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    assert slow.ws.transport is not None
    slow.ws.transport.pause_reading()  # never reads again (until the end)

    loop = asyncio.get_running_loop()
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    peak_backlog = 0

    async def read_all(reader: WireClient, record: bool) -> None:
        seen = 0
        while seen < MESSAGES:
            frame = await reader.next_frame(timeout=10)
            if frame["type"] == "message_posted":
                seen += 1
                if record:
                    latencies.append(loop.time() - sent_at[frame["text"][:12]])

    # The moderator reads too (its acks and the events): it is not the slow one.
    consumers = [asyncio.create_task(read_all(r, record=i == 0)) for i, r in enumerate([*readers, moderator])]
    for i in range(MESSAGES):
        tag = f"{i:012d}"
        sent_at[tag] = loop.time()
        await moderator.send({"type": "post_message", "id": f"flood-{i}", "text": tag + _noise()})
        if slow_ws.transport is not None:
            peak_backlog = max(peak_backlog, slow_ws.transport.get_write_buffer_size())
        if i % 50 == 0:
            await asyncio.sleep(0)  # let the readers read, as a real evening would
    await asyncio.wait_for(asyncio.gather(*consumers), 30)

    print(
        f"\nslow reader: peak server backlog {peak_backlog} bytes (cap {CAP}); "
        f"others' latency max {max(latencies) * 1000:.0f} ms over {len(latencies)} messages"
    )
    assert len(latencies) == MESSAGES
    assert max(latencies) < 5.0, "the others are not held back by the slow one"
    # Bounded: the cap, plus at most the frame that crossed it.
    assert peak_backlog <= CAP + 2 * 1_300
    assert slow_ws in server.hub._closing or slow_ws.close_code is not None

    # The slow peer wakes up: behind its backlog it finds the close frame, code 4008.
    slow.ws.transport.resume_reading()
    with pytest.raises(Exception):  # noqa: B017 - ConnectionClosed, whatever its flavour
        while True:
            await slow.next_frame(timeout=10)
    assert slow.ws.close_code == CLOSE_TOO_SLOW
    assert not any(c.name == "Slow" for c in server.hub.clients.values())
    for reader in readers:
        await reader.close()
