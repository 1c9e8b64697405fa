"""Every moderator command from a participant or a screen is refused and changes nothing."""

from __future__ import annotations

import pytest

from server.app import DebateServer
from tests.conftest import join_participant
from tests.examples import refused_to
from tests.wire import WireClient


async def prepared(server: DebateServer, url: str) -> WireClient:
    """A debate where every moderator command would otherwise succeed."""
    moderator = await WireClient.join(url, role="moderator", moderator_key=server.service.moderator_key)
    author = await join_participant(server, url, "Author")
    await moderator.command("add_round", title="R", theme="t", minutes=5)
    await author.command("post_message", text="m")
    await author.command("submit_question", text="q")
    await moderator.command("create_poll", question="P", options=["a", "b"])
    await author.close()
    return moderator


@pytest.mark.parametrize(("command", "fields"), refused_to("participant"))
async def test_participant_is_refused(
    server: DebateServer, url: str, command: str, fields: dict[str, object]
) -> None:
    moderator = await prepared(server, url)
    guest = await join_participant(server, url, "Guest")
    before = server.service.state.seq
    reply = await guest.command(command, **fields)
    assert reply["type"] == "error" and reply["code"] == "forbidden"
    assert server.service.state.seq == before
    # The connection stays usable.
    assert (await guest.command("post_message", text="still here"))["type"] == "ack"
    await guest.close()
    await moderator.close()


@pytest.mark.parametrize(("command", "fields"), refused_to("screen"))
async def test_screen_is_refused(
    server: DebateServer, url: str, command: str, fields: dict[str, object]
) -> None:
    moderator = await prepared(server, url)
    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    before = server.service.state.seq
    reply = await screen.command(command, **fields)
    assert reply["type"] == "error" and reply["code"] == "forbidden"
    assert server.service.state.seq == before
    await screen.close()
    await moderator.close()
