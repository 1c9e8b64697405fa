"""A reconnect storm: many participants reading while others produce, with
connections dropped from both ends. Used by the storm test and the anonymity
audit (which scans every frame received here)."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from typing import Any

from websockets.exceptions import ConnectionClosed

from server.app import DebateServer
from tests.wire import WireClient


@dataclass
class Reader:
    """A passive participant that resumes after every drop."""

    url: str
    join_code: str
    name: str
    events: list[dict[str, Any]] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    client: WireClient | None = None
    token: str | None = None
    epoch: str | None = None
    participant_id: str | None = None
    last_seq: int = 0
    reconnects: int = 0
    snapshots_after_drop: int = 0
    hello_waits: int = 0
    stopping: bool = False

    async def connect(self) -> None:
        if self.token is None:
            client = await WireClient.join(
                self.url, role="participant", join_code=self.join_code, name=self.name
            )
        else:
            client = await WireClient.open(self.url)
            while True:
                answer = await client.hello(
                    role="participant", resume_token=self.token, epoch=self.epoch, last_seq=self.last_seq
                )
                if answer["type"] != "error" or answer["code"] != "too_many_hellos":
                    break
                # Dropped more often than the server lets one guest resume: wait, as
                # the real client does.
                self.hello_waits += 1
                await asyncio.sleep(answer["retry_after_ms"] / 1000)
        welcome = client.welcome
        assert welcome is not None, client.frames
        if self.token is not None:
            self.reconnects += 1
            if not welcome["recovered"]:
                self.snapshots_after_drop += 1
        self.token = welcome["resume_token"]
        self.epoch = welcome["epoch"]
        self.participant_id = welcome["participant_id"]
        for event in welcome.get("events") or []:
            self.events.append(event)
        self.last_seq = welcome["seq"]
        self.raw.extend(client.raw)
        self.client = client

    async def run(self) -> None:
        while not self.stopping:
            assert self.client is not None
            try:
                frame = await self.client.next_frame(timeout=3600)
            except ConnectionClosed:
                if self.stopping:
                    return
                await self._reconnect()
                continue
            self.raw.append(self.client.raw[-1])
            if "seq" in frame and "at" in frame and frame["type"] != "ack":
                self.events.append(frame)
                self.last_seq = frame["seq"]

    async def _reconnect(self) -> None:
        for _ in range(50):
            try:
                await self.connect()
                return
            except (OSError, ConnectionClosed, TimeoutError):
                await asyncio.sleep(0.02)
        raise RuntimeError(f"{self.name} could not reconnect")

    def drop_from_client(self) -> bool:
        if self.client is None or self.client.ws.transport is None:
            return False
        self.client.ws.transport.abort()
        return True

    async def close(self) -> None:
        self.stopping = True
        if self.client is not None:
            await self.client.close()


def drop_from_server(server: DebateServer, reader: Reader) -> bool:
    sockets = server.hub.by_participant.get(reader.participant_id or "", set())
    for ws in list(sockets):
        if ws.transport is not None:
            ws.transport.abort()
            return True
    return False


@dataclass
class StormResult:
    reference: Reader
    readers: list[Reader]
    start_seq: int
    end_seq: int
    drops: int
    producers_frames: list[str]


async def reconnect_storm(
    server: DebateServer,
    url: str,
    *,
    readers: int = 50,
    drops: int = 100,
    duration: float = 4.0,
    min_events: int = 0,
    anonymous_authors: list[WireClient] | None = None,
    seed: int = 6,
) -> StormResult:
    """Run the storm; every reader has caught up with the last event on return."""
    rng = random.Random(seed)
    join_code = server.service.join_code
    reference = Reader(url, join_code, "Reference")
    await reference.connect()
    crowd = [Reader(url, join_code, f"Guest {i:02d}") for i in range(readers)]
    for reader in crowd:
        await reader.connect()
    moderator = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Mod"
    )
    talker = await WireClient.join(url, role="participant", join_code=join_code, name="Talker")
    start_seq = server.service.state.seq
    tasks = [asyncio.create_task(r.run()) for r in (reference, *crowd)]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + duration

    def producing() -> bool:
        # Time alone is not enough on a loaded machine: also wait for enough traffic.
        return loop.time() < deadline or server.service.state.seq - start_seq < min_events

    async def moderate() -> None:
        await moderator.command("set_moderation", enabled=True)
        i = 0
        while producing():
            i += 1
            round_ = await moderator.command("add_round", title=f"R{i}", theme="T", minutes=5)
            await moderator.command("start_round", round_id=round_["created"])
            poll = await moderator.command("create_poll", question=f"P{i}?", options=["a", "b"])
            await moderator.command("open_poll", poll_id=poll["created"])
            await moderator.command("post_message", text=f"mod {i}")
            pending = [
                q.question_id for q in server.service.state.questions.values() if q.status == "pending"
            ]
            for question_id in pending:
                await moderator.command("approve_question", question_id=question_id)
            if pending:
                await moderator.command("pin_question", question_id=pending[-1])
            await moderator.command("close_poll", poll_id=poll["created"])
            await asyncio.sleep(0.05)

    async def talk() -> None:
        i = 0
        authors = anonymous_authors or []
        while producing():
            i += 1
            await talker.command("post_message", text=f"talk {i}")
            if i % 3 == 0:
                await talker.command("submit_question", text=f"named {i}?")
            if authors and i % 4 == 0:
                author = authors[i % len(authors)]
                await author.command("submit_question", text=f"anonymous {i}?", anonymous=True)
            approved = [
                q.question_id
                for q in server.service.state.questions.values()
                if q.status == "approved"
                and talker.welcome
                and talker.welcome["participant_id"] not in q.voters
            ]
            if approved:
                await talker.command("upvote_question", question_id=rng.choice(approved))
            await asyncio.sleep(0.01)

    async def drop() -> int:
        done = 0
        interval = duration / (drops + 1)
        while done < drops:
            await asyncio.sleep(interval * rng.uniform(0.5, 1.5))
            victim = rng.choice(crowd)
            if victim.client is None or victim.client.ws.close_code is not None:
                continue
            dropped = drop_from_server(server, victim) if done % 2 else victim.drop_from_client()
            done += int(dropped)
        return done

    dropped, *_ = await asyncio.gather(drop(), moderate(), talk())
    # A last visible event marks the end: everyone must reach it.
    final = await moderator.command("post_message", text="the end")
    end_seq = final["seq"]
    catch_up_deadline = loop.time() + 30  # generous: CI machines can be loaded
    while loop.time() < catch_up_deadline:
        if all(r.last_seq >= end_seq for r in (reference, *crowd)):
            break
        await asyncio.sleep(0.02)
    for reader in (reference, *crowd):
        reader.stopping = True
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    producers_frames = [*moderator.raw, *talker.raw]  # the authors' are the caller's
    for reader in (reference, *crowd):
        await reader.close()
    await moderator.close()
    await talker.close()
    return StormResult(reference, crowd, start_seq, end_seq, dropped, producers_frames)
