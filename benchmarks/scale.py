"""Two checks of issue 14 against a real ``convive serve`` (convive only: the bare
relay has neither replays nor presence).

- ``token-storm``: one guest's token resumes from many connections at once, each
  asking for a replay of thousands of events, round after round; meanwhile an
  honest guest pings the server every 20 ms. Reports the honest guest's round trip
  before and during the storm, and what the storm got.
- ``presence``: a moderator (with the usual 1 MiB frame limit of a websockets
  client) watches N guests join at once; then a second moderator arrives. Reports
  the join time, the frames guests received during the storm, the moderator's
  largest frame and whether its list ends complete.

``--server-root`` runs another checkout's server (e.g. an export of main, for a
before/after); the load client is always this one. Run with
``python -m benchmarks.scale token-storm`` or ``python -m benchmarks.scale presence --n 5000``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from benchmarks.clients import guest_address
from benchmarks.scenarios import percentile
from benchmarks.seed import seed_database
from benchmarks.servers import JOIN_CODE, MODERATOR_KEY, ROOT, ServerProcess, start_convive


def _hello(**fields: Any) -> str:
    return json.dumps({"type": "hello", "protocol": 1, **fields})


async def _join(url: str, name: str, max_size: int | None = 2**20) -> tuple[ClientConnection, dict[str, Any]]:
    ws = await connect(url, max_size=max_size, open_timeout=120, local_addr=(guest_address(), 0))
    await ws.send(_hello(role="participant", join_code=JOIN_CODE, name=name))
    while True:
        frame = json.loads(await ws.recv())
        if frame["type"] in ("welcome", "error"):
            return ws, frame


# --- token storm ---------------------------------------------------------------------


def _honest_guest(url: str, seconds: float, results: Any) -> None:
    """In a process of its own, so that the storm's load client (which reads
    megabytes of replays) does not slow the honest guest's own loop."""

    async def run() -> list[tuple[float, float]]:
        ws, _ = await _join(url, "Honest", max_size=None)
        drain = asyncio.get_running_loop().create_task(_drain(ws))
        samples: list[tuple[float, float]] = []  # (sent at, round trip in ms)
        end = time.perf_counter() + seconds
        results.put("ready")
        while time.perf_counter() < end:
            sent_at, started = time.time(), time.perf_counter()
            pong = await ws.ping()
            await pong
            samples.append((sent_at, (time.perf_counter() - started) * 1000))
            await asyncio.sleep(0.02)
        drain.cancel()
        await ws.close()
        return samples

    results.put(asyncio.run(run()))


async def token_storm(
    server: ServerProcess, connections: int, rounds: int, storm_seconds: float = 15.0
) -> dict[str, Any]:
    stormy, welcome = await _join(server.url, "Stormy", max_size=None)
    token, epoch = welcome["resume_token"], welcome["epoch"]
    await stormy.close()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    loop = asyncio.get_running_loop()
    idle_run = context.Process(target=_honest_guest, args=(server.url, 1.0, results))
    idle_run.start()
    await loop.run_in_executor(None, results.get)  # ready
    idle = [rtt for _, rtt in await loop.run_in_executor(None, results.get)]
    idle_run.join()
    storm_run = context.Process(target=_honest_guest, args=(server.url, storm_seconds, results))
    storm_run.start()
    await loop.run_in_executor(None, results.get)  # ready
    outcomes: dict[str, int] = {}
    welcome_bytes: list[int] = []

    async def resume() -> None:
        try:
            ws = await connect(server.url, max_size=None, open_timeout=60)
        except Exception as error:  # refused before the upgrade (e.g. HTTP 503)
            outcomes[type(error).__name__] = outcomes.get(type(error).__name__, 0) + 1
            return
        try:
            await ws.send(_hello(role="participant", resume_token=token, epoch=epoch, last_seq=0))
            raw = await ws.recv(decode=True)
            assert isinstance(raw, str)
            head = json.loads(raw[: raw.find(',"events":')] + "}") if ',"events":' in raw else json.loads(raw)
            kind = head["type"] if head["type"] == "welcome" else head.get("code", "?")
            outcomes[kind] = outcomes.get(kind, 0) + 1
            if head["type"] == "welcome":
                welcome_bytes.append(len(raw))
        except ConnectionClosed:
            outcomes["closed"] = outcomes.get("closed", 0) + 1
        finally:
            await ws.close()

    started, storm_from = time.perf_counter(), time.time()
    for _ in range(rounds):
        await asyncio.gather(*(resume() for _ in range(connections)))
    storm_s, storm_to = time.perf_counter() - started, time.time()
    all_pings = await loop.run_in_executor(None, results.get)
    storm_run.join()
    # The pings sent while the storm lasted (the honest guest pings longer).
    during = [rtt for sent_at, rtt in all_pings if storm_from <= sent_at <= storm_to]
    return {
        "connections": connections,
        "rounds": rounds,
        "storm_s": round(storm_s, 2),
        "outcomes": outcomes,
        "welcome_mb": round(percentile([float(b) for b in welcome_bytes], 50) / 1e6, 2)
        if welcome_bytes
        else 0,
        "rtt_idle_p50_ms": round(percentile(idle, 50), 2),
        "rtt_storm_p50_ms": round(percentile(during, 50), 1),
        "rtt_storm_p99_ms": round(percentile(during, 99), 1),
        "rtt_storm_max_ms": round(max(during, default=float("nan")), 1),
        "pings_during_storm": len(during),
    }


async def _drain(ws: ClientConnection, frames: list[int] | None = None) -> None:
    try:
        async for raw in ws:
            if frames is not None:
                frames.append(len(raw))
    except ConnectionClosed:
        pass


# --- presence at scale -----------------------------------------------------------------


class Moderator:
    """Folds presence frames as a client would, and keeps their sizes."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.connected: dict[str, str] = {}
        self.count = 0
        self.presence_frames = 0
        self.largest = 0
        self.closed: int | None = None
        self.last_change = time.perf_counter()

    async def read(self) -> None:
        try:
            async for raw in self.ws:
                frame = json.loads(raw)
                kind = frame["type"]
                if kind == "presence" and "connected" in frame:
                    self.connected = {e["participant_id"]: e["role"] for e in frame["connected"]}
                elif kind == "presence_changed":
                    for participant_id in frame["left"]:
                        self.connected.pop(participant_id, None)
                    self.connected.update((e["participant_id"], e["role"]) for e in frame["joined"])
                else:
                    continue
                self.count = frame["count"]
                self.presence_frames += 1
                self.largest = max(self.largest, len(raw))
                self.last_change = time.perf_counter()
        except ConnectionClosed:
            self.closed = self.ws.close_code

    def guests(self) -> int:
        return sum(1 for role in self.connected.values() if role == "participant")


async def _moderator(url: str, name: str) -> Moderator:
    ws = await connect(url, open_timeout=60)  # max_size: the default 1 MiB
    await ws.send(_hello(role="moderator", moderator_key=MODERATOR_KEY, name=name))
    moderator = Moderator(ws)
    asyncio.get_running_loop().create_task(moderator.read())
    return moderator


async def presence(server: ServerProcess, n: int, timeout: float) -> dict[str, Any]:
    moderator = await _moderator(server.url, "Mod")
    guest_frames: list[int] = []
    guests: list[ClientConnection] = []
    readers: list[asyncio.Task[None]] = []
    gate = asyncio.Semaphore(512)  # the kernel's accept queue, and this process's CPU

    async def one(i: int) -> None:
        async with gate:
            ws, frame = await _join(server.url, f"Guest {i}")
        assert frame["type"] == "welcome", frame
        guests.append(ws)
        readers.append(asyncio.get_running_loop().create_task(_drain(ws, guest_frames)))

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    all_welcomed_s = time.perf_counter() - started
    deadline = started + timeout
    while moderator.guests() < n and moderator.closed is None and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    moderator_saw_all_s = time.perf_counter() - started
    moderator_list = moderator.guests()
    await asyncio.sleep(1.0)  # the last count frames
    frames_during_join = len(guest_frames)
    bytes_during_join = sum(guest_frames)
    late_started = time.perf_counter()
    late = await _moderator(server.url, "Late")
    while late.guests() < n and late.closed is None and time.perf_counter() < late_started + timeout:
        await asyncio.sleep(0.02)
    late_s = time.perf_counter() - late_started
    late_list = late.guests()
    for task in readers:
        task.cancel()
    await asyncio.gather(*(ws.close() for ws in guests), return_exceptions=True)
    await moderator.ws.close()
    await late.ws.close()
    return {
        "guests": n,
        "all_welcomed_s": round(all_welcomed_s, 2),
        "moderator_saw_all_s": round(moderator_saw_all_s, 2),
        "moderator_list": moderator_list,
        "moderator_closed": moderator.closed,
        "moderator_presence_frames": moderator.presence_frames,
        "moderator_largest_frame_kib": round(moderator.largest / 1024, 1),
        "guest_frames_during_join": frames_during_join,
        "guest_kib_during_join": round(bytes_during_join / 1024),
        "late_moderator_list": late_list,
        "late_moderator_s": round(late_s, 2),
        "late_moderator_frames": late.presence_frames,
        "late_moderator_largest_kib": round(late.largest / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("check", choices=["token-storm", "presence"])
    parser.add_argument("--n", type=int, default=5000, help="guests (presence)")
    parser.add_argument("--events", type=int, default=9000, help="events in the log (token-storm)")
    parser.add_argument("--connections", type=int, default=16, help="connections of the one token")
    parser.add_argument("--rounds", type=int, default=3, help="storm rounds (token-storm)")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--server-root", type=Path, default=ROOT, help="the checkout whose server runs")
    parser.add_argument(
        "--server-args", default="", help="more flags for convive serve, e.g. '--guest-hello-burst 1000'"
    )
    args = parser.parse_args()
    template = None
    if args.check == "token-storm":
        template = Path(tempfile.mkdtemp(prefix="convive-scale-")) / "seed.db"
        seed_database(template, events=args.events)
    server = start_convive(template, root=args.server_root, extra=args.server_args.split())
    try:
        load = os.getloadavg()
        if args.check == "token-storm":
            figures = asyncio.run(token_storm(server, args.connections, args.rounds))
        else:
            figures = asyncio.run(presence(server, args.n, args.timeout))
    finally:
        server.stop()
    figures["server"] = f"{args.server_root} {args.server_args}".strip()
    figures["load_average_before"] = [round(x, 2) for x in load]
    figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
