"""Issue 6, item 8: the moderator key, join code and resume tokens never reach
the server's log (at debug level too), nor a URL."""

from __future__ import annotations

from websockets.asyncio.client import connect

from server.app import DebateServer
from tests import logscan
from tests.conftest import join_participant
from tests.wire import WireClient


async def _full_scenario(server: DebateServer, url: str) -> list[str]:
    service = server.service
    moderator = await WireClient.join(url, role="moderator", moderator_key=service.moderator_key)
    poll = await moderator.command("create_poll", question="Cloud ?", options=["Oui", "Non"])
    await moderator.command("open_poll", poll_id=poll["created"])
    round_ = await moderator.command("add_round", title="IA", theme="L'IA au COMEX", minutes=20)
    await moderator.command("start_round", round_id=round_["created"])
    guests = [await join_participant(server, url, f"Guest {i}") for i in range(3)]
    tokens = [g.welcome["resume_token"] for g in guests if g.welcome]
    for guest in guests:
        await guest.command("post_message", text="Bonsoir")
        await guest.command("cast_ballot", poll_id=poll["created"], choices=[0])
    asked = await guests[0].command("submit_question", text="Et la dette ?", anonymous=True)
    await moderator.command("approve_question", question_id=asked["created"])
    await guests[1].command("upvote_question", question_id=asked["created"])
    # Resume with a token, fail with wrong secrets and with garbage.
    await guests[2].close()
    back = await WireClient.join(url, role="participant", resume_token=tokens[2])
    wrong = await WireClient.open(url)
    await wrong.hello(role="moderator", moderator_key=service.moderator_key[:-1] + "x")
    await wrong.hello(role="participant", resume_token=tokens[1] + "x", join_code="ZZZZZZ")
    await wrong.send('{"type": "hello", "moderator_key": "' + service.moderator_key + '"}')
    await wrong.next_frame()
    await wrong.close()
    # A client that puts a secret in the URL: the path is neither used nor logged.
    async with connect(f"{url}?moderator_key={service.moderator_key}&token={tokens[0]}") as raw:
        await raw.send(
            '{"type": "hello", "protocol": 1, "role": "screen", "join_code": "' + service.join_code + '"}'
        )
        await raw.recv()
    await moderator.command("close_poll", poll_id=poll["created"])
    for client in (moderator, *guests[:2], back):
        await client.close()
    return tokens


async def test_no_secret_in_the_server_log_at_debug_level(
    server: DebateServer, url: str, caplog: object
) -> None:
    before = len(logscan.lines())
    tokens = await _full_scenario(server, url)
    await server.stop()
    lines = logscan.lines()[before:]
    # The scenario was logged, at debug level (websockets' own logger stays at INFO)...
    assert any("welcomed as moderator" in line for line in lines)
    assert any(line.startswith("INFO server.transport") for line in lines)
    # ...but no secret, and no frame contents.
    secrets = [server.service.moderator_key, server.service.join_code, *tokens]
    assert len(secrets) == 5
    for secret in secrets:
        assert not [line for line in lines if secret in line]
    assert not [line for line in lines if '"type"' in line or "moderator_key" in line]
