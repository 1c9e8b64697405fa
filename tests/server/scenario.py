"""A whole mini-debate over real websockets: one moderator, three guests, a screen."""

from __future__ import annotations

from dataclasses import dataclass

from server.app import DebateServer
from tests.conftest import join_participant
from tests.wire import WireClient

ANONYMOUS_AUTHOR = "Bérénice Anonyme"


@dataclass
class MiniDebate:
    moderator: WireClient
    alice: WireClient
    bob: WireClient  # asks the anonymous question
    carol: WireClient
    screen: WireClient

    @property
    def clients(self) -> list[WireClient]:
        return [self.moderator, self.alice, self.bob, self.carol, self.screen]

    async def close(self) -> None:
        for client in self.clients:
            await client.close()


async def run_mini_debate(server: DebateServer, url: str) -> MiniDebate:
    moderator = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Modératrice"
    )
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, ANONYMOUS_AUTHOR)
    carol = await join_participant(server, url, "Carol")
    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    d = MiniDebate(moderator, alice, bob, carol, screen)

    for title in ("Innover avec les métiers", "Industrialiser"):
        ack = await moderator.command("add_round", title=title, theme="Thème", minutes=20)
        assert ack["type"] == "ack"
    assert (await moderator.command("start_round", round_id="r1"))["type"] == "ack"

    assert (await alice.command("post_message", text="Bonsoir à tous"))["created"] == "m1"
    assert (await carol.command("post_message", text="Message hors sujet"))["created"] == "m2"
    assert (await moderator.command("hide_message", message_id="m2"))["type"] == "ack"

    named = await alice.command("submit_question", text="Quel ROI pour les agents ?")
    anonymous = await bob.command("submit_question", text="Faut-il un CDO ?", anonymous=True)
    assert (named["created"], anonymous["created"]) == ("q1", "q2")
    await moderator.wait_event("question_submitted", question_id="q2")
    for question_id in ("q1", "q2"):
        assert (await moderator.command("approve_question", question_id=question_id))["type"] == "ack"
    assert (await carol.command("upvote_question", question_id="q2"))["type"] == "ack"
    assert (await alice.command("upvote_question", question_id="q2"))["type"] == "ack"
    assert (await alice.command("withdraw_upvote", question_id="q2"))["type"] == "ack"
    assert (await bob.command("upvote_question", question_id="q1"))["type"] == "ack"
    assert (await moderator.command("pin_question", question_id="q2"))["type"] == "ack"
    assert (await moderator.command("mark_answered", question_id="q1"))["type"] == "ack"

    poll = await moderator.command(
        "create_poll", question="Combien de cas d'usage en production ?", options=["0", "1-3", "4+"]
    )
    assert poll["created"] == "p1"
    assert (await moderator.command("open_poll", poll_id="p1"))["type"] == "ack"
    for voter, choice in ((alice, 1), (bob, 1), (carol, 2)):
        assert (await voter.command("cast_ballot", poll_id="p1", choices=[choice]))["type"] == "ack"
    # Live counts arrive coalesced, before the poll is closed.
    await screen.wait_for(lambda f: f["type"] == "poll_counts" and f["voters"] == 3)
    assert (await carol.command("cast_ballot", poll_id="p1", choices=[0]))["type"] == "ack"
    assert (await moderator.command("close_poll", poll_id="p1"))["type"] == "ack"
    assert (await moderator.command("start_round", round_id="r2"))["type"] == "ack"
    for client in d.clients:
        await client.wait_event("round_started", round_id="r2")
    return d
