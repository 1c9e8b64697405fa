"""Issue 15: two convive processes serving one debate from one PostgreSQL database.

Two services and two servers run in this test's event loop, each with its own
database connections and its own LISTEN, as two processes would (the SIGKILL
test runs real ``convive serve`` processes). Promises: every connection gets
the events in seq order whichever process wrote them, no gap and no
duplicate; a guest resumes on the other process with each missed event once;
a command retried on the other process gets the first one's answer; two
processes opening a new debate at once agree on one.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from server.app import DebateServer, ServerSettings
from server.debate import DebateService
from tests import logscan
from tests.pgcluster import Cluster
from tests.stores import query
from tests.wire import WireClient


def _settings() -> ServerSettings:
    return ServerSettings(coalesce_seconds=0.05, command_burst=10**6, chat_burst=10**6)


async def _start(url: str) -> DebateServer:
    service = DebateService.open(url, title="Two processes")
    logscan.remember(service.moderator_key)
    logscan.remember(service.join_code)
    server = DebateServer(service, _settings())
    await server.start("127.0.0.1", 0)
    return server


async def _stop(server: DebateServer) -> None:
    await server.stop()
    server.service.close()


def ws_url(server: DebateServer) -> str:
    return f"ws://127.0.0.1:{server.port}/"


@pytest.fixture
async def pair(pg_cluster: Cluster) -> AsyncIterator[tuple[DebateServer, DebateServer]]:
    url = pg_cluster.new_database()
    a = await _start(url)
    b = await _start(url)
    yield a, b
    await _stop(a)
    await _stop(b)


async def _guest(server: DebateServer, name: str) -> WireClient:
    return await WireClient.join(
        ws_url(server), role="participant", join_code=server.service.join_code, name=name
    )


async def _moderator(server: DebateServer) -> WireClient:
    return await WireClient.join(
        ws_url(server), role="moderator", moderator_key=server.service.moderator_key, name="Mod"
    )


def _seqs(client: WireClient) -> list[int]:
    return [event["seq"] for event in client.events()]


async def test_both_processes_open_the_same_debate(pair: tuple[DebateServer, DebateServer]) -> None:
    a, b = pair
    assert a.service.epoch == b.service.epoch
    assert (a.service.join_code, a.service.moderator_key) == (b.service.join_code, b.service.moderator_key)
    assert [e.type for e in a.service.store.events()] == ["debate_created"]


def test_two_processes_creating_a_new_debate_at_once_agree(pg_cluster: Cluster) -> None:
    url = pg_cluster.new_database()
    for attempt in range(3):
        slug = f"race-{attempt}"
        with ThreadPoolExecutor(4) as pool:
            services = list(pool.map(lambda s: DebateService.open(url, debate=s, title="R"), [slug] * 4))
        try:
            assert len({(s.epoch, s.join_code, s.moderator_key) for s in services}) == 1
            assert [e.type for e in services[0].store.events()] == ["debate_created"]
        finally:
            for service in services:
                service.close()
    # Each debate of the database has its own secrets and its own seq.
    other = DebateService.open(url, debate="race-0")
    first = DebateService.open(url, debate="race-1")
    try:
        assert other.join_code != first.join_code and other.epoch != first.epoch
        assert other.state.seq == first.state.seq == 1
    finally:
        other.close()
        first.close()


async def test_every_connection_gets_every_event_in_order(pair: tuple[DebateServer, DebateServer]) -> None:
    a, b = pair
    mod_a, mod_b = await _moderator(a), await _moderator(b)
    guests = [await _guest(server, f"G{i}") for i, server in enumerate([a, b, a, b])]
    rng = random.Random(15)

    async def talk(client: WireClient, name: str) -> list[dict[str, Any]]:
        acks = []
        for n in range(25):
            acks.append(await client.command("post_message", text=f"{name} {n}"))
            await asyncio.sleep(rng.uniform(0, 0.004))
        return acks

    results = await asyncio.gather(*(talk(g, f"G{i}") for i, g in enumerate(guests)), talk(mod_a, "MA"))
    assert all(ack["type"] == "ack" for acks in results for ack in acks)
    final = max(ack["seq"] for acks in results for ack in acks)
    expected_texts = sorted(f"{who} {n}" for who in ["G0", "G1", "G2", "G3", "MA"] for n in range(25))
    for client in [mod_a, mod_b, *guests]:
        await client.wait_for(lambda f: f.get("seq") == final and f["type"] == "message_posted", timeout=10)
        seqs = _seqs(client)
        assert seqs == sorted(set(seqs)), "in seq order, none twice"
        texts = sorted(e["text"] for e in client.events() if e["type"] == "message_posted")
        assert texts == expected_texts
    # The moderators see every event after their welcome: no gap at all. (A
    # joiner also gets its own participant_joined, which its welcome includes.)
    for moderator in (mod_a, mod_b):
        assert moderator.welcome is not None
        after = [seq for seq in _seqs(moderator) if seq > moderator.welcome["seq"]]
        assert after == list(range(moderator.welcome["seq"] + 1, final + 1))
    stored = [e.seq for e in a.service.store.events()]
    assert stored == list(range(1, final + 1))
    assert a.service.state.seq == b.service.state.seq == final
    for client in [mod_a, mod_b, *guests]:
        await client.close()


async def test_a_guest_resumes_on_the_other_process(pair: tuple[DebateServer, DebateServer]) -> None:
    a, b = pair
    mod = await _moderator(a)
    writer_b = await _guest(b, "Writer")
    bob = await _guest(a, "Bob")
    await bob.command("post_message", text="before the drop")
    await bob.wait_event("message_posted")
    last_seq = max(_seqs(bob))
    assert bob.welcome is not None
    token, epoch = bob.welcome["resume_token"], bob.welcome["epoch"]
    assert bob.ws.transport is not None
    bob.ws.transport.abort()

    for i in range(4):
        await writer_b.command("post_message", text=f"from B {i}")
        await mod.command("post_message", text=f"from A {i}")
    await mod.wait_event("message_posted", text="from B 3")

    back = await WireClient.open(ws_url(b))
    welcome = await back.hello(role="participant", resume_token=token, epoch=epoch, last_seq=last_seq)
    assert welcome["type"] == "welcome" and welcome["recovered"] is True
    assert welcome["participant_id"] == bob.welcome["participant_id"]
    missed = welcome["events"]
    texts = [e["text"] for e in missed if e["type"] == "message_posted"]
    assert texts == [t for i in range(4) for t in (f"from B {i}", f"from A {i}")]
    seqs = [e["seq"] for e in missed]
    assert seqs == list(range(last_seq + 1, welcome["seq"] + 1)), "each missed event once, in order"
    # Live events go on from either process, nothing twice.
    await mod.command("post_message", text="live from A")
    live = await back.wait_event("message_posted", text="live from A")
    assert live["seq"] == welcome["seq"] + 1
    assert not [e for e in await back.drain(0.3) if "at" in e and e["seq"] <= welcome["seq"]]
    for client in (mod, writer_b, back):
        await client.close()


@pytest.mark.parametrize("kind", ["post", "question", "anonymous_question"])
async def test_a_command_retried_on_the_other_process_applies_once(
    pair: tuple[DebateServer, DebateServer], kind: str
) -> None:
    a, b = pair
    mod = await _moderator(a)
    await mod.command("set_moderation", enabled=False)
    guest = await _guest(a, "Guest")
    commands: dict[str, tuple[str, dict[str, Any]]] = {
        "post": ("post_message", {"text": "Bonsoir"}),
        "question": ("submit_question", {"text": "Et le coût ?"}),
        "anonymous_question": ("submit_question", {"text": "Et le coût ?", "anonymous": True}),
    }
    type_, fields = commands[kind]
    first = await guest.command(type_, id="same-id", **fields)
    assert first["type"] == "ack"
    seq_after = a.service.state.seq
    assert guest.welcome is not None
    assert guest.ws.transport is not None
    guest.ws.transport.abort()  # the ack was lost, say; the guest retries on B
    again = await WireClient.join(ws_url(b), role="participant", resume_token=guest.welcome["resume_token"])
    retry = await again.command(type_, id="same-id", **fields)
    await asyncio.sleep(0.2)
    # An anonymous question too: its record is a tag only the author's token
    # recomputes, which names no one (docs/protocol.md).
    assert retry == first
    assert a.service.state.seq == b.service.state.seq == seq_after, "applied once"
    rows = query(a.service.store, "SELECT actor, command_id FROM commands WHERE command_id = ?", ("same-id",))
    if kind == "anonymous_question":
        assert not rows, "no record names the author"
        assert first["secret"] and retry["secret"] == first["secret"]
    else:
        assert rows == [(guest.welcome["participant_id"], "same-id")]
    await mod.close()
    await again.close()


async def test_presence_counts_span_both_processes(pair: tuple[DebateServer, DebateServer]) -> None:
    a, b = pair
    mod = await _moderator(a)
    on_a = await _guest(a, "On A")
    on_b = [await _guest(b, f"On B {i}") for i in range(2)]
    await _wait_for_names(mod, ["Mod", "On A", "On B 0", "On B 1"])
    assert mod.presence()[0] == 3
    # A guest on B counts everyone, wherever they are connected.
    await on_b[0].wait_for(lambda f: f["type"] == "presence" and f["count"] == 3, timeout=10)
    # The same guest on both processes counts once; leaving one keeps them present.
    assert on_a.welcome is not None
    twice = await WireClient.join(ws_url(b), role="participant", resume_token=on_a.welcome["resume_token"])
    await on_a.close()
    await on_b[1].close()
    await _wait_for_names(mod, ["Mod", "On A", "On B 0"])
    assert mod.presence()[0] == 2
    for client in (mod, on_b[0], twice):
        await client.close()


async def _wait_for_names(moderator: WireClient, names: list[str]) -> None:
    """Until the moderator's folded presence list has these names (changes
    from two processes may take a flush or two to settle)."""

    def settled(_frame: dict[str, Any]) -> bool:
        return sorted(e["name"] for e in moderator.presence()[1].values()) == names

    if not settled({}):
        await moderator.wait_for(settled, timeout=10)


async def test_a_guest_ahead_of_the_process_it_resumes_on(pair: tuple[DebateServer, DebateServer]) -> None:
    """B has not read the latest events yet (its listener is stopped here): a
    guest who saw them on A and resumes on B is not ahead of B's welcome."""
    a, b = pair
    assert b._follower is not None
    b._follower.cancel()
    guest = await _guest(a, "Ahead")
    for i in range(3):
        await guest.command("post_message", text=f"on A {i}")
    await guest.wait_event("message_posted", text="on A 2")
    assert b.service.state.seq < a.service.state.seq
    assert guest.welcome is not None
    start = guest.welcome["seq"]
    back = await WireClient.open(ws_url(b))
    welcome = await back.hello(
        role="participant",
        resume_token=guest.welcome["resume_token"],
        epoch=guest.welcome["epoch"],
        last_seq=start,
    )
    assert welcome["recovered"] is True and welcome["seq"] == a.service.state.seq
    assert [e["text"] for e in welcome["events"] if e["type"] == "message_posted"] == [
        f"on A {i}" for i in range(3)
    ]
    await guest.close()
    await back.close()


async def test_a_token_made_on_the_other_process_is_known_at_once(
    pair: tuple[DebateServer, DebateServer],
) -> None:
    """B has not read the guest's join yet (its listener is stopped here): the
    guest's token, made on A, still resumes on B."""
    a, b = pair
    assert b._follower is not None
    b._follower.cancel()
    guest = await _guest(a, "New on A")
    assert guest.welcome is not None
    assert b.service.find_by_token(guest.welcome["resume_token"]) is None
    on_b = await WireClient.open(ws_url(b))
    welcome = await on_b.hello(role="participant", resume_token=guest.welcome["resume_token"])
    assert welcome["type"] == "welcome", welcome
    assert welcome["participant_id"] == guest.welcome["participant_id"]
    await guest.close()
    await on_b.close()
