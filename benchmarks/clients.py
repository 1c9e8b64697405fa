"""Simulated participants: real websockets clients, many in one asyncio process.

Both servers are driven through a ``Dialect``: convive's real protocol, or the
baseline's bare relay with frames of the same shape and size. A ``Peer``
records what it receives: posted messages by index (lost and duplicated
deliveries), latencies, acks, poll counts and the last ``seq``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from benchmarks.servers import JOIN_CODE, MODERATOR_KEY, ServerProcess

MARK = "bench"
# permessage-deflate for the simulated clients (off unless ``--deflate``): both
# servers accept it, as websockets does by default, at a CPU cost per connection.
COMPRESSION: str | None = None
TEXT_BYTES = 120  # a typical chat line


def chat_text(index: int, sent_at: float) -> str:
    head = f"{MARK} {index} {sent_at:.6f} "
    return head + "." * max(0, TEXT_BYTES - len(head))


def parse_chat(text: str) -> tuple[int, float] | None:
    parts = text.split(" ", 3)
    if len(parts) < 3 or parts[0] != MARK:
        return None
    return int(parts[1]), float(parts[2])


_addresses = itertools.count()
GUESTS_PER_ADDRESS = 40  # a table's worth behind one NAT, well under convive's cap


def guest_address() -> str:
    """A loopback source address per few guests (Linux routes all of 127.0.0.0/8
    to this machine): a room is many addresses, not one, and convive caps the
    connections of one address."""
    index = next(_addresses) // GUESTS_PER_ADDRESS
    return f"127.{1 + index // 65536 % 250}.{index // 256 % 256}.{1 + index % 250}"


LARGE_FRAME = 64 * 1024
_BULK_FIELDS = (',"snapshot":', ',"pad":')


def _head(raw: str | bytes) -> Any:
    """The small fields of a large welcome, without parsing its snapshot.

    The load client runs on the other core: parsing a megabyte of snapshot per
    guest would measure the load client, not the server.
    """
    text = raw if isinstance(raw, str) else raw.decode()
    for marker in _BULK_FIELDS:
        cut = text.find(marker, 0, 4096)
        if cut > 0:
            return json.loads(text[:cut] + "}")
    return json.loads(text)


@dataclass
class Peer:
    name: str
    ws: ClientConnection | None = None
    welcome: dict[str, Any] | None = None
    welcome_bytes: int = 0
    welcomed_at: float = 0.0
    resume_token: str | None = None
    last_seq: int = 0
    received: dict[int, int] = field(default_factory=dict)  # message index -> times
    latencies: list[float] = field(default_factory=list)
    acks: dict[str, float] = field(default_factory=dict)  # command id -> time
    errors: list[dict[str, Any]] = field(default_factory=list)
    counts: list[tuple[float, int]] = field(default_factory=list)  # (time, voters)
    created: dict[str, str] = field(default_factory=dict)  # command id -> created id
    frames: int = 0
    reader: asyncio.Task[None] | None = None
    _waiters: dict[str, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)

    def on_event(self, frame: dict[str, Any], now: float) -> None:
        seq = frame.get("seq")
        if isinstance(seq, int) and seq > self.last_seq and frame.get("type") != "ack":
            self.last_seq = seq
        if frame.get("type") == "message_posted":
            parsed = parse_chat(frame.get("text", ""))
            if parsed is not None:
                index, sent_at = parsed
                self.received[index] = self.received.get(index, 0) + 1
                self.latencies.append(now - sent_at)

    def on_frame(self, raw: str | bytes) -> None:
        now = time.time()
        self.frames += 1
        frame = _head(raw) if len(raw) > LARGE_FRAME else json.loads(raw)
        kind = frame.get("type")
        if kind == "ack" or kind == "error":
            command_id = frame.get("id")
            if kind == "ack":
                self.acks[command_id] = now
                if frame.get("created"):
                    self.created[command_id] = frame["created"]
            else:
                self.errors.append(frame)
            waiter = self._waiters.pop(command_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(frame)
        elif kind == "poll_counts":
            self.counts.append((now, int(frame.get("voters", 0))))
        elif kind == "welcome":
            self.welcome = frame
            self.welcome_bytes = len(raw)
            self.welcomed_at = now
            self.resume_token = frame.get("resume_token") or self.resume_token
            for event in frame.get("events") or ():
                self.on_event(event, now)
            if isinstance(frame.get("seq"), int) and not frame.get("events"):
                # A snapshot: everything up to seq is included.
                self.last_seq = max(self.last_seq, frame["seq"])
            waiter = self._waiters.pop("<welcome>", None)
            if waiter is not None and not waiter.done():
                waiter.set_result(frame)
        else:
            self.on_event(frame, now)

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                self.on_frame(raw)
        except ConnectionClosed:
            pass

    async def open(self, url: str) -> None:
        self.ws = await connect(
            url, max_size=None, compression=COMPRESSION, open_timeout=30, local_addr=(guest_address(), 0)
        )
        self.reader = asyncio.get_running_loop().create_task(self._read(self.ws))

    def expect(self, key: str) -> asyncio.Future[dict[str, Any]]:
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiters[key] = future
        return future

    async def send(self, frame: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send(json.dumps(frame, separators=(",", ":")))

    async def request(self, frame: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
        waiter = self.expect(frame["id"])
        await self.send(frame)
        return await asyncio.wait_for(waiter, timeout)

    async def hello(self, frame: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
        waiter = self.expect("<welcome>")
        await self.send(frame)
        return await asyncio.wait_for(waiter, timeout)

    async def drop(self) -> None:
        """Lose the connection abruptly, as a closed laptop lid would."""
        if self.ws is not None and self.ws.transport is not None:
            self.ws.transport.abort()
        if self.reader is not None:
            await self.reader

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.reader is not None:
            self.reader.cancel()


_ids = itertools.count(1)


def new_id() -> str:
    return f"b{next(_ids)}"


class Dialect:
    """How to speak to one kind of server."""

    kind = ""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.posted = 0

    def hello(self, peer: Peer, role: str = "participant", resume: bool = False) -> dict[str, Any]:
        raise NotImplementedError

    def post(self, index: int) -> dict[str, Any]:
        raise NotImplementedError

    def ballot(self, poll_id: str, choice: int) -> dict[str, Any]:
        return {"type": "cast_ballot", "id": new_id(), "poll_id": poll_id, "choices": [choice]}


class ConviveDialect(Dialect):
    kind = "convive"

    def hello(self, peer: Peer, role: str = "participant", resume: bool = False) -> dict[str, Any]:
        frame: dict[str, Any] = {"type": "hello", "protocol": 1, "role": role, "name": peer.name}
        if role == "moderator":
            frame["moderator_key"] = MODERATOR_KEY
        else:
            frame["join_code"] = JOIN_CODE
        if resume:
            assert peer.welcome is not None
            frame.update(resume_token=peer.resume_token, epoch=peer.welcome["epoch"], last_seq=peer.last_seq)
        return frame

    def post(self, index: int) -> dict[str, Any]:
        return {"type": "post_message", "id": new_id(), "text": chat_text(index, time.time())}


class BaselineDialect(Dialect):
    """Frames shaped and sized like convive's, for the bare relay."""

    kind = "baseline"

    def __init__(self, server: ServerProcess, welcome_bytes: int = 200) -> None:
        super().__init__(server)
        self.welcome_bytes = welcome_bytes

    def hello(self, peer: Peer, role: str = "participant", resume: bool = False) -> dict[str, Any]:
        frame: dict[str, Any] = {"type": "hello", "welcome_bytes": self.welcome_bytes}
        if resume:
            frame["last_seq"] = peer.last_seq
        return frame

    def post(self, index: int) -> dict[str, Any]:
        # What convive would fan out for the same message (a message_posted
        # event): the relay sends this very frame to everyone.
        self.posted += 1
        return {
            "type": "message_posted",
            "id": new_id(),
            "seq": self.posted,
            "at": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
            "message_id": f"m{self.posted}",
            "round_id": None,
            "author_id": "p0123456789abcdef",
            "author_name": "Moderator",
            "text": chat_text(index, time.time()),
        }


async def join_all(
    dialect: Dialect, peers: list[Peer], *, concurrency: int = 100, role: str = "participant"
) -> None:
    """Connect and welcome every peer, at most ``concurrency`` at a time."""
    gate = asyncio.Semaphore(concurrency)

    async def one(peer: Peer) -> None:
        async with gate:
            await peer.open(dialect.server.url)
            await peer.hello(dialect.hello(peer, role))

    await asyncio.gather(*(one(peer) for peer in peers))


async def close_all(peers: list[Peer]) -> None:
    await asyncio.gather(*(peer.close() for peer in peers))
