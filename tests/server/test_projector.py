"""The projector is the moderator's, over real websockets (issue 9, section 3)."""

from __future__ import annotations

from server.app import DebateServer
from tests.conftest import join_participant
from tests.wire import WireClient


async def test_spotlight_announcements_and_hidden_poll_voters_reach_every_screen(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    alice = await join_participant(server, url, "Alice")
    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    try:
        await moderator.command("add_round", title="Un", theme="t", minutes=20)
        await moderator.command("start_round", round_id="r1")
        await moderator.command("create_poll", question="Prêts ?", options=["Oui", "Non"], hide_results=True)
        await moderator.command("open_poll", poll_id="p1")
        assert (await alice.command("cast_ballot", poll_id="p1", choices=[0]))["type"] == "ack"
        # The room sees how many voted, not how: counts null, voters 1.
        for client in (screen, alice):
            frame = await client.wait_for(lambda f: f["type"] == "poll_counts" and f["voters"] == 1)
            assert frame.get("counts") is None
        frame = await moderator.wait_for(lambda f: f["type"] == "poll_counts" and f["voters"] == 1)
        assert frame["counts"] == [1, 0]

        ack = await moderator.command("set_spotlight", kind="poll", item_id="p1")
        assert ack["type"] == "ack"
        for client in (screen, alice, moderator):
            shown = await client.wait_event("spotlight_set", kind="poll")
            assert shown["item_id"] == "p1"
        assert (await moderator.command("announce", text="Le dessert arrive"))["created"] == "a1"
        for client in (screen, alice):
            said = await client.wait_event("announcement_posted", announcement_id="a1")
            assert said["text"] == "Le dessert arrive" and said["round_id"] == "r1"
        assert (await alice.command("announce", text="Moi aussi"))["code"] == "forbidden"
        assert (await alice.command("set_spotlight", kind="blank"))["code"] == "forbidden"
        refused = await moderator.command("set_spotlight", kind="question")
        assert refused["code"] == "bad_spotlight"
        refused = await moderator.command("announce", text="x" * 501)
        assert refused["code"] == "too_long"

        # A projector connecting now gets it all in its snapshot.
        late = await WireClient.join(url, role="screen", join_code=server.service.join_code)
        snapshot = late.welcome["snapshot"]  # type: ignore[index]
        assert snapshot["spotlight"] == {"kind": "poll", "item_id": "p1"}
        assert [a["text"] for a in snapshot["announcements"]] == ["Le dessert arrive"]
        [poll] = snapshot["polls"]
        assert poll["counts"] is None and poll["voters"] == 1
        await late.close()
    finally:
        await alice.close()
        await screen.close()
