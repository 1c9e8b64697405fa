"""The moderator's undo over real websockets (issue 9, section 2)."""

from __future__ import annotations

from server.app import DebateServer
from tests.conftest import join_participant
from tests.wire import WireClient


async def test_a_hidden_message_is_kept_marked_for_its_author_then_comes_back(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    try:
        assert (await alice.command("post_message", text="Un avis tranché"))["created"] == "m1"
        assert (await moderator.command("hide_message", message_id="m1"))["type"] == "ack"
        for client in (alice, bob, moderator):
            await client.wait_event("message_hidden", message_id="m1")

        # A fresh connection: the author's snapshot keeps it, marked; another guest's does not.
        token = alice.welcome["resume_token"]  # type: ignore[index]
        again = await WireClient.join(url, role="participant", resume_token=token)
        [mine] = again.welcome["snapshot"]["messages"]  # type: ignore[index]
        assert mine["hidden"] and mine["text"] == "Un avis tranché"
        late = await join_participant(server, url, "Carol")
        assert late.welcome["snapshot"]["messages"] == []  # type: ignore[index]

        refused = await moderator.command("unhide_message", message_id="m9")
        assert refused["code"] == "message_not_found"
        refused = await bob.command("unhide_message", message_id="m1")
        assert refused["code"] == "forbidden"
        assert (await moderator.command("unhide_message", message_id="m1"))["type"] == "ack"
        for client in (bob, late, again):
            back = await client.wait_event("message_unhidden", message_id="m1")
            assert back["text"] == "Un avis tranché" and back["author_name"] == "Alice"
        assert (await moderator.command("unhide_message", message_id="m1"))["code"] == "not_hidden"
        await again.close()
        await late.close()
    finally:
        await alice.close()
        await bob.close()
