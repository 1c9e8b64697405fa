"""Resume: missed events once and in order, or a snapshot flagged as such."""

from __future__ import annotations

from server.app import DebateServer
from tests.conftest import BOTH_STORES, join_participant
from tests.wire import WireClient

pytestmark = BOTH_STORES


async def test_a_dropped_participant_catches_up_exactly(server: DebateServer, url: str) -> None:
    moderator = await WireClient.join(url, role="moderator", moderator_key=server.service.moderator_key)
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    await moderator.command("add_round", title="R", theme="t", minutes=10)
    await moderator.command("start_round", round_id="r1")
    await bob.wait_event("round_started")
    await bob.command("post_message", text="before the drop")
    await bob.wait_event("message_posted")
    last_seq = max(e["seq"] for e in bob.events())
    token, epoch = bob.welcome["resume_token"], bob.welcome["epoch"]  # type: ignore[index]
    bob.ws.transport.abort()  # the TCP connection dies without a close frame

    for i in range(5):
        await alice.command("post_message", text=f"missed {i}")
    await moderator.command("create_poll", question="Q", options=["a", "b"])  # moderators only
    await moderator.command("open_poll", poll_id="p1")
    await alice.wait_event("poll_opened")

    back = await WireClient.open(url)
    welcome = await back.hello(role="participant", resume_token=token, epoch=epoch, last_seq=last_seq)
    assert welcome["type"] == "welcome" and welcome["recovered"] is True
    assert welcome["participant_id"] == bob.welcome["participant_id"]  # type: ignore[index]
    assert welcome["name"] == "Bob"
    missed = welcome["events"]
    texts = [e["text"] for e in missed if e["type"] == "message_posted"]
    assert texts == [f"missed {i}" for i in range(5)]
    assert [e["seq"] for e in missed] == sorted({e["seq"] for e in missed})
    assert all(e["seq"] > last_seq for e in missed)
    assert "poll_created" not in [e["type"] for e in missed]
    assert missed[-1]["type"] == "poll_opened"
    # Live events continue after the catch-up, nothing twice.
    await moderator.command("post_message", text="live again")
    live = await back.wait_event("message_posted")
    assert live["text"] == "live again" and live["seq"] > missed[-1]["seq"]
    for client in (moderator, alice, back):
        await client.close()


async def test_upvotes_and_ballots_survive_a_resume(server: DebateServer, url: str) -> None:
    moderator = await WireClient.join(url, role="moderator", moderator_key=server.service.moderator_key)
    await moderator.command("set_moderation", enabled=False)
    alice = await join_participant(server, url, "Alice")
    await moderator.command("submit_question", text="Q ?")  # not Alice's: she may upvote it
    await alice.command("upvote_question", question_id="q1")
    await moderator.command("create_poll", question="P", options=["a", "b"])
    await moderator.command("open_poll", poll_id="p1")
    await alice.command("cast_ballot", poll_id="p1", choices=[1])
    token = alice.welcome["resume_token"]  # type: ignore[index]
    await alice.close()

    back = await WireClient.open(url)
    welcome = await back.hello(role="participant", resume_token=token)
    assert welcome["recovered"] is False
    assert welcome["snapshot"]["my_upvotes"] == ["q1"]
    assert welcome["snapshot"]["my_ballots"] == {"p1": [1]}
    assert (await back.command("upvote_question", question_id="q1"))["code"] == "already_upvoted"
    await back.close()
    await moderator.close()


async def test_another_epoch_gets_a_snapshot(server: DebateServer, url: str) -> None:
    alice = await join_participant(server, url, "Alice")
    await alice.command("post_message", text="hello")
    token = alice.welcome["resume_token"]  # type: ignore[index]
    await alice.close()
    for epoch, last_seq in (("another-epoch", 1), (server.service.epoch, 10_000)):
        back = await WireClient.open(url)
        welcome = await back.hello(role="participant", resume_token=token, epoch=epoch, last_seq=last_seq)
        assert welcome["recovered"] is False and "events" not in welcome
        assert [m["text"] for m in welcome["snapshot"]["messages"]] == ["hello"]
        await back.close()


async def test_the_same_command_id_applies_once(server: DebateServer, url: str) -> None:
    alice = await join_participant(server, url, "Alice")
    first = await alice.command("post_message", id="same", text="once")
    token = alice.welcome["resume_token"]  # type: ignore[index]
    await alice.close()
    back = await WireClient.open(url)
    await back.hello(role="participant", resume_token=token)
    again = await back.command("post_message", id="same", text="once")
    assert again == first
    assert [m.text for m in server.service.state.messages.values()] == ["once"]
    # An anonymous question is deduplicated too (in memory, never in the file).
    q1 = await back.command("submit_question", id="anon", text="?", anonymous=True)
    q2 = await back.command("submit_question", id="anon", text="?", anonymous=True)
    assert q1 == q2 and len(server.service.state.questions) == 1
    await back.close()


async def test_a_resume_from_far_back_does_not_replay_a_hidden_message(
    server: DebateServer, url: str
) -> None:
    moderator = await WireClient.join(url, role="moderator", moderator_key=server.service.moderator_key)
    troll = await join_participant(server, url, "Troll")
    posted = await troll.command("post_message", text="TEXTE INJURIEUX")
    await troll.command("post_message", text="Bonsoir")
    assert (await moderator.command("hide_message", message_id=posted["created"]))["type"] == "ack"
    epoch = moderator.welcome["epoch"]  # type: ignore[index]
    guest = await join_participant(server, url, "Guest")
    token = guest.welcome["resume_token"]  # type: ignore[index]
    await guest.close()
    for role, credentials in (
        ("participant", {"resume_token": token}),
        ("moderator", {"moderator_key": server.service.moderator_key}),
        ("screen", {"join_code": server.service.join_code}),
    ):
        back = await WireClient.open(url)
        welcome = await back.hello(role=role, epoch=epoch, last_seq=0, **credentials)
        assert welcome["recovered"] is True
        texts = [e["text"] for e in welcome["events"] if e["type"] == "message_posted"]
        if role == "moderator":
            # Moderators keep seeing a hidden message, marked, to bring it back (unhide_message).
            assert texts == ["TEXTE INJURIEUX", "Bonsoir"], role
        else:
            assert texts == ["", "Bonsoir"], role
            assert "INJURIEUX" not in "".join(back.raw)
        await back.close()
    await troll.close()
    await moderator.close()
