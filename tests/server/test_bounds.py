"""Issue 14, item 3: bounded resources per address and per participant.

Several addresses are simulated on the Linux loopback: a client socket bound to
127.0.0.2 reaches the server on 127.0.0.1 from another address.
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from server.app import CLOSE_REPLACED, DebateServer, ServerSettings
from server.cli import RESERVED_FILES
from server.core import Actor
from server.core.visibility import Viewer
from shared import protocol as p
from tests.conftest import join_participant
from tests.wire import WireClient

CAP = 12


@pytest.fixture
def settings() -> ServerSettings:
    return ServerSettings(
        coalesce_seconds=0.05,
        max_connections_per_address=CAP,
        max_connections_per_participant=4,
        participant_hello_burst=6,
        participant_hellos_per_second=0.01,
        hello_failures_burst=2,
        hello_failures_per_second=0.01,
        debate_hello_failures_burst=5,
        debate_hello_failures_per_second=0.01,
        replay_chunk_events=100,
        # These tests look at long replays, which by default become snapshots.
        max_catch_up_bytes=64 * 1024 * 1024,
    )


async def _silent_socket(port: int, address: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A TCP connection that never says anything (no HTTP request, no hello)."""
    return await asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0))


async def _open_from(url: str, address: str) -> WireClient:
    return WireClient(await connect(url, max_size=None, local_addr=(address, 0)))


async def _join_from(url: str, address: str, **hello: Any) -> WireClient:
    client = await _open_from(url, address)
    await client.hello(**hello)
    return client


def _post_many(server: DebateServer, count: int) -> None:
    """Events in the log, committed through the service (the same rules and log)."""
    author, _, _ = server.service.join("Chatty", "participant")
    actor = Actor(author.participant_id, "participant", author.name)
    for i in range(count):
        server.service.execute(p.PostMessage(type="post_message", id=f"seed{i}", text=f"line {i}"), actor)


async def test_silent_connections_beyond_the_cap_do_not_lock_out_other_addresses(
    server: DebateServer, url: str
) -> None:
    silent = [await _silent_socket(server.port, "127.0.0.2") for _ in range(CAP + 15)]
    # The ones over the cap are dropped (they never send a request to be told why)...
    over_cap = silent[CAP:]
    for reader, _ in over_cap:
        assert await asyncio.wait_for(reader.read(), 10) == b""
    assert server.connections_from("127.0.0.2") == CAP
    # ... and one that does send its request is told why, with a 503.
    with pytest.raises(InvalidStatus) as refused:
        await connect(url, local_addr=("127.0.0.2", 0), open_timeout=5)
    assert refused.value.response.status_code == 503
    assert refused.value.response.body.startswith(b"too_many_connections")
    # Meanwhile a guest from another address joins and talks as usual.
    guest = await _join_from(
        url, "127.0.0.3", role="participant", join_code=server.service.join_code, name="Ada"
    )
    assert guest.welcome is not None
    assert (await guest.command("post_message", text="hello"))["type"] == "ack"
    # When the silent ones go, their address may connect again.
    for _, writer in silent:
        writer.close()
    for _ in range(100):
        if server.connections_from("127.0.0.2") == 0:
            break
        await asyncio.sleep(0.02)
    again = await _join_from(
        url, "127.0.0.2", role="participant", join_code=server.service.join_code, name="Bo"
    )
    assert again.welcome is not None
    await again.close()
    await guest.close()


async def test_the_projector_and_the_moderator_are_never_locked_out_by_others_failures(
    server: DebateServer, url: str
) -> None:
    code = server.service.join_code
    projector = await WireClient.join(url, role="screen", join_code=code)
    assert projector.welcome is not None
    token = projector.welcome["resume_token"]
    assert token
    await projector.close()
    # A troll on the same address spends the failed-hello budget.
    troll = await WireClient.open(url)
    answers = [await troll.hello(role="participant", join_code="AAAAAA", name="T") for _ in range(4)]
    assert answers[-1]["code"] == "rate_limited"
    # The join code alone is now refused on this address, for a guest as for a projector...
    blocked = await WireClient.join(url, role="screen", join_code=code)
    assert blocked.welcome is None and blocked.frames[-1]["code"] == "rate_limited"
    # ... but the projector's token and the moderator's key get in at once.
    resumed = await WireClient.join(url, role="screen", resume_token=token)
    assert resumed.welcome is not None and resumed.welcome["role"] == "screen"
    moderator = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Mod"
    )
    assert moderator.welcome is not None
    screen_by_key = await WireClient.join(url, role="screen", moderator_key=server.service.moderator_key)
    assert screen_by_key.welcome is not None
    # A made-up projector token is a failure like a wrong code.
    fake = await WireClient.join(url, role="screen", resume_token="0" * 64)
    assert fake.welcome is None and fake.frames[-1]["code"] == "rate_limited"
    for client in (troll, blocked, resumed, moderator, screen_by_key, fake):
        await client.close()


async def test_failed_hellos_have_a_budget_for_the_whole_debate(server: DebateServer, url: str) -> None:
    budget = server.settings.debate_hello_failures_burst
    answers = []
    # One wrong guess per address: no address spends its own budget (2)...
    for i in range(budget + 2):
        guesser = await _join_from(url, f"127.0.1.{i + 1}", role="participant", join_code="AAAAAA", name="G")
        answers.append(guesser.frames[-1]["code"])
        await guesser.close()
    # ... yet the debate's is spent after ``budget`` of them, whoever tries.
    assert answers[:budget] == ["bad_credentials"] * budget
    assert answers[budget:] == ["rate_limited"] * 2
    late = await _join_from(
        url, "127.0.2.1", role="participant", join_code=server.service.join_code, name="L"
    )
    assert late.welcome is None and late.frames[-1]["code"] == "rate_limited"
    assert late.frames[-1]["retry_after_ms"] > 0
    # A guest who had joined before resumes whatever the budget.
    await late.close()


async def test_a_resume_storm_of_one_token_is_bounded(server: DebateServer, url: str) -> None:
    guest = await join_participant(server, url, "Stormy")
    assert guest.welcome is not None
    token, epoch = guest.welcome["resume_token"], guest.welcome["epoch"]
    await guest.close()
    _post_many(server, 1_000)
    honest = await join_participant(server, url, "Honest")
    # From several addresses, as a stolen token would be (each under its cap).
    storm = [await _open_from(url, f"127.0.3.{i % 4 + 1}") for i in range(16)]
    hello = {"role": "participant", "resume_token": token, "epoch": epoch, "last_seq": 0}
    answers = await asyncio.gather(*(client.hello(**hello) for client in storm))
    welcomed = [c for c, a in zip(storm, answers, strict=True) if a["type"] == "welcome"]
    refused = [a for a in answers if a["type"] == "error"]
    # A burst of resumes passes, the rest wait.
    assert len(welcomed) == server.settings.participant_hello_burst
    assert {a["code"] for a in refused} == {"too_many_hellos"}
    assert all(a["retry_after_ms"] > 0 for a in refused)
    # At most four connections stay: the oldest were closed with 4009.
    participant_id = welcomed[0].welcome["participant_id"]  # type: ignore[index]
    assert len(server.hub.by_participant[participant_id]) == server.settings.max_connections_per_participant
    closed = []
    for client in welcomed:
        try:
            while True:  # the frames after the welcome (the count), then maybe the close
                await client.next_frame(timeout=0.5)
        except ConnectionClosed:
            closed.append(client.ws.close_code)
        except TimeoutError:
            pass
    assert closed == [CLOSE_REPLACED] * (len(welcomed) - server.settings.max_connections_per_participant)
    # Every replay was whole, and the honest guest was served throughout.
    for client in welcomed:
        assert client.welcome is not None and client.welcome["recovered"] is True
        seqs = [e["seq"] for e in client.welcome["events"]]
        assert seqs == sorted(set(seqs)) and len(seqs) > 1_000
    assert (await honest.command("post_message", text="still here"))["type"] == "ack"
    for client in [*storm, honest]:
        await client.close()


async def test_a_replay_is_built_in_chunks_with_the_loop_turning_between(server: DebateServer) -> None:
    _post_many(server, 1_000)
    before = server.service.state.seq
    catching_up = asyncio.create_task(server.catch_up(0, Viewer(None, False)))
    await asyncio.sleep(0)
    assert not catching_up.done(), "the first chunk must hand the loop back"
    _post_many(server, 3)  # committed meanwhile
    caught_up = await catching_up
    assert caught_up is not None
    chunks, reached = caught_up
    chunk = server.settings.replay_chunk_events
    assert len(chunks) >= before // chunk
    assert server.service.state.seq - reached <= chunk  # the caller adds this tail without waiting


async def test_a_resume_during_traffic_gets_each_event_once(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    guest = await join_participant(server, url, "Away")
    assert guest.welcome is not None
    token, epoch = guest.welcome["resume_token"], guest.welcome["epoch"]
    await guest.close()
    _post_many(server, 1_500)
    talker = moderator  # not rate-limited

    async def talk() -> None:
        for i in range(30):
            await talker.command("post_message", text=f"live {i}")

    talking = asyncio.create_task(talk())
    back = await WireClient.join(url, role="participant", resume_token=token, epoch=epoch, last_seq=0)
    await talking
    end = (await talker.command("post_message", text="the end"))["seq"]
    await back.wait_event("message_posted", seq=end)
    seqs = [e["seq"] for e in back.events()]
    visible = server.service.replay(0, guest.welcome["participant_id"], False)
    assert visible is not None
    assert seqs == [e["seq"] for e in visible]  # each once, in order, none missed
    await back.close()


def test_serve_raises_the_open_file_limit_and_prints_the_capacity(tmp_path: Path) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard <= 256:
        pytest.skip("the hard open-file limit leaves nothing to raise")

    def low_soft_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "convive.cli",
            "serve",
            "--db",
            str(tmp_path / "d.db"),
            "--port",
            "0",
            "--lang",
            "en",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=low_soft_limit,  # a fork-safe one-liner
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        while len(lines) < 15 and not any("capacity" in line for line in lines):
            lines.append(process.stdout.readline())
    finally:
        process.terminate()
        process.wait(10)
    banner = "".join(lines)
    match = re.search(r"capacity\s*:\s*([\d,]+) connections \(open-file limit ([\d,]+)\)", banner)
    assert match, banner
    capacity, limit = (int(group.replace(",", "")) for group in match.groups())
    expected = hard if hard != resource.RLIM_INFINITY else 1 << 20
    assert limit == expected > 256
    assert capacity == limit - RESERVED_FILES


@pytest.mark.parametrize(
    "settings", [ServerSettings(max_connections_per_address=3, trust_forwarded_for=True)]
)
async def test_behind_a_proxy_the_cap_follows_the_forwarded_address(server: DebateServer, url: str) -> None:
    def through_proxy(client_address: str) -> Any:
        return connect(url, max_size=None, additional_headers={"X-Forwarded-For": client_address})

    held = [await through_proxy("203.0.113.7") for _ in range(3)]
    with pytest.raises(InvalidStatus) as refused:
        await through_proxy("203.0.113.7")
    assert refused.value.response.status_code == 503
    # Another guest behind the same proxy (the same TCP peer) is not affected.
    other = WireClient(await through_proxy("198.51.100.2"))
    assert (await other.hello(role="participant", join_code=server.service.join_code, name="Ada"))[
        "type"
    ] == "welcome"
    for ws in held:
        await ws.close()
    await other.close()
