"""The server answers health checks and welcomes each role."""

from __future__ import annotations

import urllib.request

from server.app import DebateServer
from tests.conftest import join_participant
from tests.wire import WireClient


async def test_healthz_answers_plain_http(server: DebateServer) -> None:
    import asyncio

    def fetch() -> tuple[int, bytes]:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz") as response:
            return response.status, response.read()

    status, body = await asyncio.to_thread(fetch)
    assert status == 200
    assert body == b"OK\n"


async def test_each_role_is_welcomed(server: DebateServer, url: str) -> None:
    participant = await join_participant(server, url, "Alice")
    assert participant.welcome is not None
    assert participant.welcome["role"] == "participant"
    assert participant.welcome["name"] == "Alice"
    assert participant.welcome["resume_token"]
    assert participant.welcome["recovered"] is False
    assert participant.welcome["snapshot"]["title"] == "Test debate"

    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    assert screen.welcome is not None
    assert screen.welcome["participant_id"] is None
    # Projectors resume with a token of their own (issue 14, item 3: lockout).
    assert screen.welcome["resume_token"] == server.service.screen_token()

    moderator = await WireClient.join(url, role="moderator", moderator_key=server.service.moderator_key)
    assert moderator.welcome is not None
    assert moderator.welcome["snapshot"]["participants"] is not None
    for client in (participant, screen, moderator):
        await client.close()
