"""The speaker queue over the wire: who is sent what, errors, resume, erasure."""

from __future__ import annotations

import secrets
from pathlib import Path

from server.app import DebateServer
from server.export import FORMATS, export_events
from tests.conftest import join_participant
from tests.server.test_erasure import _files
from tests.wire import WireClient


async def test_hands_and_the_floor_reach_each_role_as_they_should(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    assert alice.welcome is not None and bob.welcome is not None
    alice_id, bob_id = alice.welcome["participant_id"], bob.welcome["participant_id"]

    assert (await alice.command("raise_hand", topic="Les agents en prod"))["type"] == "ack"
    # Everyone hears of the hand, name included; only the moderators and Alice of the topic.
    for client in (moderator, bob, screen, alice):
        raised = await client.wait_event("hand_raised", participant_id=alice_id)
        assert raised["name"] == "Alice"
    assert (await moderator.wait_event("hand_topic_stated"))["topic"] == "Les agents en prod"
    assert (await alice.wait_event("hand_topic_stated"))["topic"] == "Les agents en prod"
    await bob.command("raise_hand")
    for client in (bob, screen):
        await client.wait_event("hand_raised", participant_id=bob_id)
        assert not any(f["type"] == "hand_topic_stated" for f in client.events())
    # Errors: machine-readable codes, nothing changes.
    seq = server.service.state.seq
    assert (await alice.command("raise_hand"))["code"] == "hand_already_raised"
    assert (await alice.command("lower_hand", participant_id=bob_id))["code"] == "forbidden"
    assert (await alice.command("give_floor", participant_id=alice_id))["code"] == "forbidden"
    assert (await alice.command("end_floor"))["code"] == "forbidden"
    assert (await screen.command("raise_hand"))["code"] == "forbidden"
    assert (await moderator.command("give_floor", participant_id="u999"))["code"] == "participant_not_found"
    assert (await moderator.command("end_floor"))["code"] == "no_floor"
    too_long = await alice.command("raise_hand", id="long", topic="x" * 201)
    assert too_long["type"] == "error" and too_long["code"] in ("too_long", "invalid_frame")
    assert server.service.state.seq == seq

    # The floor to Alice: out of the queue; then to Bob, whose turn ends hers.
    await moderator.command("give_floor", participant_id=alice_id)
    given = await screen.wait_event("floor_given", participant_id=alice_id)
    assert given["name"] == "Alice"
    assert (await moderator.command("give_floor", participant_id=alice_id))["code"] == "already_has_floor"
    await moderator.command("give_floor", participant_id=bob_id)
    await screen.wait_event("floor_ended", participant_id=alice_id)
    await screen.wait_event("floor_given", participant_id=bob_id)
    assert list(server.service.state.hands) == []

    # A newcomer's snapshot: the floor, and a queue without others' topics.
    await alice.command("raise_hand", topic="Une précision")
    carol = await join_participant(server, url, "Carol")
    assert carol.welcome is not None
    snapshot = carol.welcome["snapshot"]
    assert snapshot["floor"]["participant_id"] == bob_id
    raised_at = snapshot["hands"][0]["raised_at"]
    hand = {"participant_id": alice_id, "name": "Alice", "raised_at": raised_at, "topic": None}
    assert snapshot["hands"] == [hand]
    # Alice, resuming with a snapshot, gets her own topic back.
    await alice.close()
    again = await WireClient.join(url, role="participant", resume_token=alice.welcome["resume_token"])
    assert again.welcome is not None
    assert again.welcome["snapshot"]["hands"][0]["topic"] == "Une précision"
    for client in (bob, screen, carol, again):
        await client.close()


async def test_erasure_lowers_the_hand_and_its_topic_leaves_the_log(
    server: DebateServer, url: str, db_path: Path, moderator: WireClient
) -> None:
    mark = "TOPIC" + secrets.token_hex(4)
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    assert alice.welcome is not None and moderator.welcome is not None
    alice_id = alice.welcome["participant_id"]
    await alice.command("raise_hand", topic=f"{mark} first")
    await alice.command("lower_hand")
    await alice.command("raise_hand", topic=f"{mark} second")
    await moderator.wait_event("hand_topic_stated", topic=f"{mark} second")
    assert mark.encode() in _files(db_path)

    assert (await alice.command("erase_my_contributions"))["type"] == "ack"
    await bob.wait_event("hand_lowered", participant_id=alice_id)
    await moderator.wait_event("hand_lowered", participant_id=alice_id)
    assert not server.service.state.hands
    assert mark.encode() not in _files(db_path)
    events = list(server.service.store.events())
    for fmt in FORMATS:
        assert mark.encode() not in export_events(events, fmt)[1].content, fmt
    # A moderator resuming from before replays the topics empty.
    await moderator.close()
    resumed = await WireClient.join(
        url,
        role="moderator",
        moderator_key=server.service.moderator_key,
        epoch=moderator.welcome["epoch"],
        last_seq=moderator.welcome["seq"],
    )
    assert resumed.welcome is not None and resumed.welcome["recovered"]
    assert mark not in str(resumed.welcome["events"])
    topics = [e for e in resumed.welcome["events"] if e["type"] == "hand_topic_stated"]
    assert len(topics) == 2 and all(e["topic"] == "" for e in topics)
    for client in (alice, bob, resumed):
        await client.close()


async def test_a_round_ending_ends_the_turn(server: DebateServer, url: str, moderator: WireClient) -> None:
    alice = await join_participant(server, url, "Alice")
    assert alice.welcome is not None
    round_id = (await moderator.command("add_round", title="Un", theme="t", minutes=5))["created"]
    await moderator.command("start_round", round_id=round_id)
    await moderator.command("give_floor", participant_id=alice.welcome["participant_id"])
    await moderator.command("end_round")
    ended = await alice.wait_event("floor_ended")
    round_ended = await alice.wait_event("round_ended")
    assert ended["seq"] < round_ended["seq"]
    assert server.service.state.floor is None
    turn = server.service.state.turns[0]
    assert turn.round_id == round_id and turn.ended_at == ended["at"]
    await alice.close()
