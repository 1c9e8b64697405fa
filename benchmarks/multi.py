"""Issue 15: convive on PostgreSQL, one process against two, beside the bare relay.

- ``fan-out`` and ``join-storm`` at N guests (default 2,000): the bare relay,
  one convive process on SQLite (for reference), one on PostgreSQL, and two on
  the same PostgreSQL database with the guests split between them (the poster
  on the first). CPU is the convive processes' together, then PostgreSQL's.
- ``command-cost``: the time of one command (``post_message``) through the
  debate service, SQLite against PostgreSQL, one at a time, in this process.
- ``cross-delay``: a moderator on process A posts; a guest on process B
  receives. The delay from A's ack to B's delivery (p50, p99): the commit,
  the notification, B's read of the log and its fan-out.

PostgreSQL runs in a temporary cluster of its own (``tests/pgcluster.py``: initdb
as the postgres user, loopback, ``fsync`` off as in the tests: the figures are
convive's costs, not a disk's). Run ``python -m benchmarks.multi`` (about 5 min
on 2 cores) or ``--n 500 --scenarios cross-delay``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from benchmarks.cli import raise_fd_limit
from benchmarks.clients import BaselineDialect, ConviveDialect, Dialect, Peer, close_all, join_all, parse_chat
from benchmarks.scenarios import Options, percentile, wait_until
from benchmarks.servers import ServerProcess, settle, start_baseline, start_convive
from tests.pgcluster import Cluster

SCENARIOS = ("fan-out", "join-storm", "command-cost", "cross-delay")


def _postgres_cpu(cluster: Cluster) -> float:
    """CPU seconds of the cluster's processes so far (the postmaster's children)."""
    total = 0.0
    pid_file = cluster.data / "postmaster.pid"
    try:
        root = psutil.Process(int(pid_file.read_text().split()[0]))
        for process in [root, *root.children(recursive=True)]:
            times = process.cpu_times()
            total += times.user + times.system
    except (OSError, ValueError, psutil.Error):
        return float("nan")
    return total


@dataclass
class Setup:
    """One row's servers: the processes guests are spread over (round robin)."""

    name: str
    servers: list[ServerProcess]
    dialects: list[Dialect] = field(default_factory=list)

    def cpu(self) -> float:
        return sum(server.cpu_seconds() for server in self.servers)

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


def _setups(cluster: Cluster) -> list[tuple[str, Callable[[], Setup]]]:
    def baseline() -> Setup:
        server = start_baseline()
        return Setup("baseline", [server], [BaselineDialect(server)])

    def sqlite() -> Setup:
        server = start_convive()
        return Setup("convive sqlite x1", [server], [ConviveDialect(server)])

    def postgres(processes: int) -> Callable[[], Setup]:
        def start() -> Setup:
            url = cluster.new_database()
            servers = [start_convive(extra=["--db", url]) for _ in range(processes)]
            return Setup(f"convive pg x{processes}", servers, [ConviveDialect(s) for s in servers])

        return start

    return [("baseline", baseline), ("sqlite", sqlite), ("pg1", postgres(1)), ("pg2", postgres(2))]


async def _spread(setup: Setup, peers: list[Peer]) -> None:
    groups = [peers[i :: len(setup.dialects)] for i in range(len(setup.dialects))]
    await asyncio.gather(*(join_all(d, g) for d, g in zip(setup.dialects, groups, strict=True)))


async def fan_out(setup: Setup, cluster: Cluster, n: int, options: Options) -> dict[str, Any]:
    peers = [Peer(f"guest{i}") for i in range(n)]
    await _spread(setup, peers)
    poster = Peer("Host")
    first = setup.dialects[0]
    await join_all(first, [poster], role="moderator")
    everyone = [*peers, poster]
    await asyncio.sleep(options.pause)
    for server in setup.servers:
        await settle(server)
    count = max(1, int(options.rate * options.duration))
    cpu_before, pg_before = setup.cpu(), _postgres_cpu(cluster)
    client_before = time.process_time()
    started = time.perf_counter()
    for index in range(count):
        await poster.send(first.post(index))
        delay = started + (index + 1) / options.rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    await wait_until(lambda: all(len(p.received) >= count for p in everyone), options.timeout)
    elapsed = time.perf_counter() - started
    cpu, pg_cpu = setup.cpu() - cpu_before, _postgres_cpu(cluster) - pg_before
    client_cpu = time.process_time() - client_before
    lost = sum(1 for p in everyone for i in range(count) if p.received.get(i, 0) == 0)
    duplicated = sum(max(0, t - 1) for p in everyone for t in p.received.values())
    latencies = [x * 1000 for p in peers for x in p.latencies]
    await close_all(everyone)
    deliveries = count * len(everyone)
    return {
        "deliveries": deliveries,
        "lost": lost,
        "duplicated": duplicated,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "cpu_us_per_delivery": cpu / deliveries * 1e6,
        "pg_cpu_s": pg_cpu if setup.name.startswith("convive pg") else None,
        "client_cpu_share": client_cpu / elapsed,
    }


async def join_storm(setup: Setup, cluster: Cluster, n: int, options: Options) -> dict[str, Any]:
    for server in setup.servers:
        await settle(server)
    peers = [Peer(f"late{i}") for i in range(n)]
    cpu_before, pg_before = setup.cpu(), _postgres_cpu(cluster)
    start = time.time()

    async def one(index: int, peer: Peer) -> None:
        dialect = setup.dialects[index % len(setup.dialects)]
        await peer.open(dialect.server.url)
        await peer.hello(dialect.hello(peer), options.timeout)

    results = await asyncio.gather(*(one(i, p) for i, p in enumerate(peers)), return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    welcomed = [p.welcomed_at for p in peers if p.welcome is not None]
    cpu, pg_cpu = setup.cpu() - cpu_before, _postgres_cpu(cluster) - pg_before
    await close_all(peers)
    return {
        "welcomed": len(welcomed),
        "failed": len(failed),
        "all_welcomed_s": max(welcomed, default=start) - start,
        "welcome_p50_ms": percentile([(w - start) * 1000 for w in welcomed], 50),
        "server_cpu_s": cpu,
        "pg_cpu_s": pg_cpu if setup.name.startswith("convive pg") else None,
    }


def command_cost(cluster: Cluster, commands: int = 2000) -> list[dict[str, Any]]:
    """Microseconds per post_message through DebateService, one at a time."""
    from server.core import Actor
    from server.debate import DebateService
    from shared import protocol as p

    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for store, db in (("sqlite", str(Path(workdir) / "cost.db")), ("postgres", cluster.new_database())):
            service = DebateService.open(db, title="Cost")
            try:
                participant, _, _ = service.join("Alice", "participant")
                actor = Actor(participant.participant_id, "participant", "Alice")
                for warm in range(50):
                    service.execute(p.PostMessage(type="post_message", id=f"w{warm}", text="warm"), actor)
                started = time.perf_counter()
                for index in range(commands):
                    command = p.PostMessage(type="post_message", id=f"c{index}", text=f"message {index}")
                    service.execute(command, actor)
                elapsed = time.perf_counter() - started
            finally:
                service.close()
            rows.append({"store": store, "commands": commands, "us_per_command": elapsed / commands * 1e6})
    return rows


class _Arrivals(Peer):
    """A guest that notes when each chat message arrives."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.arrived: dict[int, float] = {}

    def on_event(self, frame: dict[str, Any], now: float) -> None:
        super().on_event(frame, now)
        if frame.get("type") == "message_posted":
            parsed = parse_chat(frame.get("text", ""))
            if parsed is not None:
                self.arrived.setdefault(parsed[0], now)


async def cross_delay(cluster: Cluster, messages: int = 300, rate: float = 20.0) -> dict[str, Any]:
    url = cluster.new_database()
    servers = [start_convive(extra=["--db", url]) for _ in range(2)]
    try:
        a, b = (ConviveDialect(server) for server in servers)
        poster, listener = Peer("Host"), _Arrivals("Listener")
        await join_all(a, [poster], role="moderator")
        await join_all(b, [listener])
        ids: dict[int, str] = {}
        started = time.perf_counter()
        for index in range(messages):
            frame = a.post(index)
            ids[index] = frame["id"]
            await poster.send(frame)
            delay = started + (index + 1) / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        await wait_until(lambda: len(listener.arrived) >= messages, 30)
        delays = [
            (listener.arrived[i] - poster.acks[ids[i]]) * 1000
            for i in range(messages)
            if i in listener.arrived and ids[i] in poster.acks
        ]
        await close_all([poster, listener])
        return {
            "messages": messages,
            "delivered": len(listener.arrived),
            "p50_ms": percentile(delays, 50),
            "p99_ms": percentile(delays, 99),
            "max_ms": max(delays, default=float("nan")),
        }
    finally:
        for server in servers:
            server.stop()


async def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    options = Options(duration=args.duration, rate=args.rate, timeout=args.timeout)
    scenarios = args.scenarios.split(",")
    rows: list[dict[str, Any]] = []
    cluster = await asyncio.to_thread(Cluster.create)
    try:
        for scenario in ("fan-out", "join-storm"):
            if scenario not in scenarios:
                continue
            for _, start in _setups(cluster):
                setup = await asyncio.to_thread(start)
                try:
                    runner = fan_out if scenario == "fan-out" else join_storm
                    figures = await runner(setup, cluster, args.n, options)
                finally:
                    await asyncio.to_thread(setup.stop)
                rows.append({"scenario": scenario, "n": args.n, "setup": setup.name, **figures})
                print(json.dumps(rows[-1]), flush=True)
        if "command-cost" in scenarios:
            for row in await asyncio.to_thread(command_cost, cluster):
                rows.append({"scenario": "command-cost", **row})
                print(json.dumps(rows[-1]), flush=True)
        if "cross-delay" in scenarios:
            rows.append({"scenario": "cross-delay", **await cross_delay(cluster)})
            print(json.dumps(rows[-1]), flush=True)
    finally:
        await asyncio.to_thread(cluster.destroy)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.multi", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="guests (fan-out, join storm)")
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help="comma-separated: " + ", ".join(SCENARIOS)
    )
    parser.add_argument("--duration", type=float, default=4.0, help="seconds of chat (fan-out)")
    parser.add_argument("--rate", type=float, default=20.0, help="chat messages per second (fan-out)")
    parser.add_argument("--timeout", type=float, default=60.0, help="longest wait of any step")
    parser.add_argument("--output", default="benchmarks-results.jsonl", help="JSON lines, appended")
    args = parser.parse_args(argv)
    raise_fd_limit()
    rows = asyncio.run(run(args))
    stamp = {
        "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": platform.machine(),
        "cores": psutil.cpu_count(),
        "load": psutil.getloadavg(),
    }
    with open(args.output, "a", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({"bench": "multi", **stamp, **row}) + "\n")
    print(json.dumps(stamp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
