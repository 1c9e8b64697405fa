"""A small real websockets client speaking the convive protocol, for tests."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from shared.protocol import parse_server_frame
from tests import logscan

_ids = itertools.count(1)


class WireClient:
    """Records every frame it receives (validated against the protocol)."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []
        self.raw: list[str] = []
        self._unread: list[dict[str, Any]] = []
        self.welcome: dict[str, Any] | None = None

    @classmethod
    async def open(cls, url: str) -> WireClient:
        return cls(await connect(url, max_size=None))

    @classmethod
    async def join(cls, url: str, **hello: Any) -> WireClient:
        client = await cls.open(url)
        await client.hello(**hello)
        return client

    async def hello(self, **fields: Any) -> dict[str, Any]:
        await self.send({"type": "hello", "protocol": 1, **fields})
        frame = await self.next_frame()
        if frame["type"] == "welcome":
            self.welcome = frame
            logscan.remember(frame.get("resume_token"))
        return frame

    async def send(self, frame: dict[str, Any] | str | bytes) -> None:
        await self.ws.send(frame if isinstance(frame, str | bytes) else json.dumps(frame))

    async def command(self, type_: str, **fields: Any) -> dict[str, Any]:
        """Send a command and return its ack or error (other frames are kept)."""
        command_id = fields.pop("id", None) or f"c{next(_ids)}"
        await self.send({"type": type_, "id": command_id, **fields})
        return await self.wait_for(lambda f: f["type"] in ("ack", "error") and f.get("id") == command_id)

    async def _read(self, timeout: float) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.ws.recv(), timeout)
        assert isinstance(raw, str), "the server sends text frames only"
        parse_server_frame(raw)  # every frame the server sends is valid protocol
        frame: dict[str, Any] = json.loads(raw)
        self.raw.append(raw)
        self.frames.append(frame)
        return frame

    async def next_frame(self, timeout: float = 5.0) -> dict[str, Any]:
        if self._unread:
            return self._unread.pop(0)
        return await self._read(timeout)

    async def wait_for(self, predicate: Any, timeout: float = 5.0) -> dict[str, Any]:
        """The first unread frame matching ``predicate``; others stay unread."""
        for index, frame in enumerate(self._unread):
            if predicate(frame):
                return self._unread.pop(index)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            frame = await self._read(max(0.01, deadline - loop.time()))
            if predicate(frame):
                return frame
            self._unread.append(frame)

    async def wait_event(self, type_: str, timeout: float = 5.0, **match: Any) -> dict[str, Any]:
        return await self.wait_for(
            lambda f: f["type"] == type_ and all(f.get(k) == v for k, v in match.items()),
            timeout,
        )

    async def drain(self, quiet: float = 0.3) -> list[dict[str, Any]]:
        """Read until nothing arrives for ``quiet`` seconds; return what was unread."""
        while True:
            try:
                self._unread.append(await self._read(quiet))
            except TimeoutError:
                break
        unread, self._unread = self._unread, []
        return unread

    def events(self) -> list[dict[str, Any]]:
        """Every event received (welcome catch-up included), in order of arrival."""
        out: list[dict[str, Any]] = []
        for frame in self.frames:
            if frame["type"] == "welcome":
                out.extend(frame.get("events") or [])
            elif "seq" in frame and "at" in frame and frame["type"] not in ("ack",):
                out.append(frame)
        return out

    def presence(self) -> tuple[int | None, dict[str, dict[str, Any]]]:
        """The count and (for a moderator) who is connected, by participant id,
        folded from the ``presence`` and ``presence_changed`` frames received."""
        count: int | None = None
        connected: dict[str, dict[str, Any]] = {}
        for frame in self.frames:
            if frame["type"] == "presence":
                count = frame["count"]
                if "connected" in frame:
                    connected = {entry["participant_id"]: entry for entry in frame["connected"]}
            elif frame["type"] == "presence_changed":
                count = frame["count"]
                for participant_id in frame["left"]:
                    connected.pop(participant_id, None)
                connected.update((entry["participant_id"], entry) for entry in frame["joined"])
        return count, connected

    async def close(self) -> None:
        await self.ws.close()
